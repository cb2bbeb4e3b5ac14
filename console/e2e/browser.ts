// Debian's Chromium driven by playwright-core (never a downloaded browser), with the flags this machine needs,
// plus what every page check uses: sign-in at the provider, axe-core, console errors, screenshots.
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { PASSWORD } from "./hub";

export const CHROMIUM = process.env.ZHIJIAN_CHROMIUM ?? "/usr/bin/chromium";
export const SCREENSHOTS = resolve(
  process.env.ZHIJIAN_CONSOLE_SCREENSHOTS ?? join(dirname(fileURLToPath(import.meta.url)), "screenshots"),
);
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export function launch(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

export interface Tab {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
}

export async function open(browser: Browser, viewport = { width: 1366, height: 900 }): Promise<Tab> {
  const context = await browser.newContext({ viewport, locale: "zh-CN", timezoneId: "America/New_York" });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
  return { context, page, errors };
}

/** Sign in the way an officer does: the console's button, the provider's form, back to the console. */
export async function signIn(page: Page, origin: string, username: string): Promise<void> {
  await page.goto(`${origin}/console/`);
  await page.getByRole("button", { name: "登录" }).click();
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.locator('button[type="submit"]').click();
  await page.getByTestId("officer-name").waitFor();
}

/** axe-core's WCAG 2 A/AA violations of serious or critical impact on the page as it stands. */
export async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(" ")) }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.targets.join(", ")}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The number a dashboard panel's chart totals (合计). */
export async function panelTotal(page: Page, panel: string): Promise<number> {
  const text = await page.locator(`[data-panel="${panel}"] [data-testid="total"]`).innerText();
  return Number(text.replace(/[,，]/g, ""));
}
