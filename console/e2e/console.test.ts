// The console in a real browser against a real hub: each officer's numbers, the pages, a subgraph down, sign-out.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { ACCESS_TOKEN_TTL_S } from "./hub";
import { launch, open, panelTotal, screenshot, seriousViolations, signIn, type Tab } from "./browser";

const hub = inject("hub");
let browser: Browser;
const tabs: Tab[] = [];

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

async function tab(viewport?: { width: number; height: number }): Promise<Tab> {
  const opened = await open(browser, viewport);
  tabs.push(opened);
  return opened;
}

/** Every page the tests visit is checked the same way: no serious accessibility violation, and a screenshot. */
async function check(page: Page, name: string): Promise<void> {
  await page.getByRole("status").first().waitFor({ state: "detached" }).catch(() => undefined);
  expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
  await screenshot(page, name);
}

const PANELS = [
  "entities-by-status",
  "entities-by-type",
  "permits-expiring",
  "applications-by-deadline",
  "inspection-tasks",
  "random-inspection-plans",
  "cases-by-stage",
];

async function dashboardReady(page: Page): Promise<void> {
  for (const panel of PANELS) await page.locator(`[data-panel="${panel}"] .chart`).waitFor();
}

describe("signed in as the city, a district and a station officer", () => {
  test("the city administrator sees the whole city", async () => {
    const { page, errors } = await tab();
    await signIn(page, hub.url, "city.admin");
    await expect.poll(() => page.getByTestId("officer-name").innerText()).toBe("市局管理员 李明");
    expect(await page.getByTestId("officer-roles").innerText()).toBe("管理员、法制审核员");
    expect(await page.getByTestId("officer-org").innerText()).toBe("深圳市");
    await dashboardReady(page);
    expect(await panelTotal(page, "entities-by-status")).toBe(300);
    expect(await panelTotal(page, "entities-by-type")).toBe(300);
    expect(await panelTotal(page, "applications-by-deadline")).toBe(2);
    // the demo permits' validity is spread over the last years (relative to today): some expire in 61–90 days
    await expect.poll(() => page.locator('[data-panel="permits-expiring"] li').nth(2).innerText()).toMatch(/61–90天: [1-9]\d*$/);
    await check(page, "dashboard-city");

    // drill down: the bar's list behind "61–90 days", then that permit by its number in search
    await page.getByRole("link", { name: /61–90天/ }).click();
    const number = (await page.locator("table tbody tr td code").first().innerText()).trim();
    expect(number).toMatch(/^(JY|SC|YB|XZ|TF)\d{14}$/); // a permit, filing or registration number
    await check(page, "permits-expiring-list");
    await page.getByRole("link", { name: "查询" }).click();
    await page.getByLabel("名称、统一社会信用代码或许可证编号").fill(number);
    await page.getByRole("button", { name: "查询", exact: true }).click();
    await expect.poll(() => page.locator("main").innerText()).toContain(number);
    await check(page, "search-permit");

    await page.getByRole("link", { name: "辖区地图" }).click();
    const tiles = page.locator(".tile-map").first().locator("li");
    await expect.poll(() => tiles.count()).toBe(11);
    expect(await tiles.filter({ hasText: "福田区" }).innerText()).toContain("31");
    await check(page, "map-city");
    expect(errors).toEqual([]);
  });

  test("the Futian district bureau sees Futian, its stations and its worklist", async () => {
    const { page, errors } = await tab();
    await signIn(page, hub.url, "futian.case");
    expect(await page.getByTestId("officer-org").innerText()).toBe("深圳市 / 福田区");
    await dashboardReady(page);
    expect(await panelTotal(page, "entities-by-status")).toBe(31);
    expect(await panelTotal(page, "applications-by-deadline")).toBe(2);
    expect(await page.getByTestId("random-rates").innerText()).toMatch(/^完成率 \d+% · 公示率 \d+%$/);
    await check(page, "dashboard-district");

    // supervision's and enforcement's bars drill down to their lists (filtered as the bar says)
    await page.locator('[data-panel="cases-by-stage"]').getByRole("link", { name: /已超期/ }).click();
    await expect.poll(() => page.locator("h1").innerText()).toBe("案件列表");
    await page.locator("main table, main p:has-text('暂无数据')").first().waitFor();
    await check(page, "cases-overdue-list");
    await page.getByRole("link", { name: "辖区总览" }).click();
    await page.locator('[data-panel="inspection-tasks"]').getByRole("link", { name: /已超期/ }).click();
    await expect.poll(() => page.locator("h1").innerText()).toBe("检查任务列表");
    await page.locator("main table, main p:has-text('暂无数据')").first().waitFor();
    await check(page, "tasks-overdue-list");

    await page.getByRole("link", { name: "我的待办" }).click();
    const applications = page.getByRole("region", { name: "待我办理的许可申请" });
    const rows = applications.locator("table tbody tr");
    await expect.poll(() => rows.count()).toBe(2);
    const text = await applications.locator("table").innerText();
    expect(text).toContain("行政许可法 (2019) Art. 32"); // materials: 5 working days from receipt
    expect(text).toContain("食品经营许可和备案管理办法"); // decision: 10 working days from acceptance
    expect(text).toContain("现场核查");
    // the demo cases whose next move is the case officer's, each with the clock of its stage and that clock's law
    const cases = page.getByRole("region", { name: "待我办理的案件" }).locator("table");
    await cases.waitFor();
    expect(await cases.innerText()).toMatch(/行政处罚(法|程序规定) Art\. \d+/);
    await check(page, "worklist-district");

    await page.getByRole("link", { name: "辖区地图" }).click();
    const stations = page.getByRole("list", { name: "福田区监管所" }).locator("li");
    await expect.poll(() => stations.count()).toBe(10);
    await check(page, "map-district");

    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("link", { name: "Dashboard" }).click();
    await expect.poll(() => page.locator("h1").innerText()).toContain("Jurisdiction dashboard");
    await dashboardReady(page);
    await check(page, "dashboard-district-en");
    await page.getByRole("button", { name: "中文" }).click();
    expect(errors).toEqual([]);
  });

  test("the Nanyuan station sees its two entities and the site check it owes", async () => {
    const { page, errors } = await tab();
    await signIn(page, hub.url, "futian.station");
    expect(await page.getByTestId("officer-org").innerText()).toBe("深圳市 / 福田区 / 南园");
    expect(await page.getByTestId("officer-roles").innerText()).toBe("检查员");
    await dashboardReady(page);
    expect(await panelTotal(page, "entities-by-status")).toBe(2);
    await check(page, "dashboard-station");
    await page.getByRole("link", { name: "我的待办" }).click();
    await page.getByRole("heading", { name: "我的检查任务" }).waitFor(); // an inspector's own tasks come first
    await expect.poll(() => page.locator("table tbody tr").count()).toBe(1);
    expect(await page.locator("table tbody tr").innerText()).toContain("现场核查");
    await check(page, "worklist-station");
    expect(errors).toEqual([]);
  });
});

describe("the entity file", () => {
  test("one query fills every section", async () => {
    const { page, errors } = await tab();
    await signIn(page, hub.url, "futian.case");
    await page.getByRole("link", { name: "查询" }).click();
    await page.getByLabel("名称、统一社会信用代码或许可证编号").fill(hub.futianEntity);
    await page.getByRole("button", { name: "查询", exact: true }).click();
    await page.locator('[data-section="permits"][data-state="ready"]').waitFor();
    expect(await page.locator('[data-section="registration"]').innerText()).toContain(hub.futianEntity);
    expect(await page.locator('[data-section="credit"]').getAttribute("data-state")).toBe("ready");
    for (const section of ["supervision", "enforcement", "detection"]) {
      await page.locator(`[data-section="${section}"][data-state="ready"]`).waitFor();
    }
    expect(await page.locator('[data-section="supervision"]').innerText()).toContain("风险等级");
    await check(page, "entity-file");
    expect(errors).toEqual([]);
  });

  test("with the permits subgraph stopped, only the permits section fails", async () => {
    const { page, errors } = await tab();
    await signIn(page, hub.splitUrl, "futian.case");
    await page.goto(`${hub.splitUrl}/console/entities/${hub.futianEntity}`);
    const permits = page.locator('[data-section="permits"][data-state="failed"]');
    await permits.waitFor();
    expect(await permits.innerText()).toContain("permits");
    expect(await page.locator('[data-section="registration"]').getAttribute("data-state")).toBe("ready");
    expect(await page.locator('[data-section="registration"]').innerText()).toContain(hub.futianEntity);
    for (const section of ["supervision", "enforcement", "detection"]) {
      await page.locator(`[data-section="${section}"][data-state="ready"]`).waitFor(); // the others still show
    }
    await check(page, "entity-file-permits-down");

    await page.getByRole("link", { name: "辖区总览" }).click();
    await page.locator('[data-panel="entities-by-status"] [data-testid="total"]').waitFor();
    expect(await panelTotal(page, "entities-by-status")).toBe(31);
    await page.locator('[data-panel="permits-expiring"] [role="alert"]').waitFor();
    await page.locator('[data-panel="applications-by-deadline"] [role="alert"]').waitFor();
    await check(page, "dashboard-permits-down");
    expect(errors).toEqual([]);
  });
});

describe("the session", () => {
  test("renews itself before the access token expires, and the new token works", async () => {
    const { page, errors } = await tab();
    await signIn(page, hub.url, "futian.station");
    const token = () => page.evaluate(() => JSON.parse(sessionStorage.getItem("zhijian.console.session") ?? "{}").accessToken);
    const first = await token();
    await expect.poll(token, { timeout: (ACCESS_TOKEN_TTL_S - 20) * 1000, interval: 500 }).not.toBe(first);
    await page.getByRole("link", { name: "辖区地图" }).click();
    await expect.poll(() => page.locator(".tile-map li").filter({ hasText: "南园" }).innerText()).toContain("2");
    expect(errors).toEqual([]);
  });
});

describe("layout and sign-out", () => {
  test("a tablet gets the dashboard in one column without sideways scrolling", async () => {
    const { page, errors } = await tab({ width: 768, height: 1024 });
    await signIn(page, hub.url, "futian.case");
    await dashboardReady(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await check(page, "dashboard-tablet");
    expect(errors).toEqual([]);
  });

  test("signing out ends the session at the provider too", async () => {
    const { page, errors } = await tab();
    await signIn(page, hub.url, "city.admin");
    await page.getByRole("button", { name: "退出" }).click();
    await page.getByRole("button", { name: "登录" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/console/");
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await check(page, "signed-out");
    await page.getByRole("button", { name: "登录" }).click();
    await page.locator('input[name="password"]').waitFor(); // the provider asks again: its session ended
    expect(errors).toEqual([]);
  });
});
