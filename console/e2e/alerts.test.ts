// 告警审核 in a real browser: an alert raised by an edge box while the page is open arrives by subscription, is
// shown with its frame and boxes, and is confirmed with a reason (a rejection without one is refused on screen).
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { launch, open, screenshot, seriousViolations, signIn } from "./browser";

const hub = inject("hub");
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

async function check(page: Page, name: string): Promise<void> {
  await page.getByRole("status").first().waitFor({ state: "detached" }).catch(() => undefined);
  expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
  await screenshot(page, name);
}

/** What an edge box in Futian reports: one NO_MASK detection in a frame captured now; the new alert's id. */
async function raiseAlert(seq: number): Promise<string> {
  const { clientId, secret, deviceId, cameraId } = hub.edge;
  const granted = await fetch(`${hub.issuer}/token`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}` },
    body: new URLSearchParams({ grant_type: "client_credentials" }),
  });
  const token = ((await granted.json()) as { access_token: string }).access_token;
  const input = {
    deviceId, seq, cameraId, capturedAt: new Date().toISOString(), frameSha256: "e2".repeat(32),
    frameRef: `s3://frames/${deviceId}/${seq}.jpg`, modelName: "kitchen_detector", modelVersion: "1",
    detections: [{ category: "NO_MASK", confidence: 0.93, box: { x: 0.42, y: 0.18, w: 0.2, h: 0.35 } }],
  }; // prettier-ignore
  const response = await fetch(`${hub.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: "mutation($input: KitchenDetectionsInput!) { reportKitchenDetections(input: $input) { alerts { id } } }",
      variables: { input },
    }),
  });
  const body = (await response.json()) as { data?: { reportKitchenDetections: { alerts: { id: string }[] } }; errors?: unknown };
  const id = body.data?.reportKitchenDetections.alerts[0]?.id;
  if (!id) throw new Error(`no alert: ${JSON.stringify(body)}`);
  return id;
}

test("an alert that arrives by subscription while the page is open is reviewed and confirmed", async () => {
  const { page, errors } = await open(browser);
  await signIn(page, hub.url, "futian.case");
  await page.getByRole("link", { name: "告警审核" }).click();
  await expect.poll(() => page.getByTestId("live-state").innerText()).toBe("实时告警：已连接");
  await page.getByTestId("alert-queue").waitFor(); // the demo alerts: the list is loaded, the feed is live

  const id = await raiseAlert(100);
  const arrived = page.locator(`[data-alert="${id}"]`);
  await arrived.waitFor({ timeout: 10_000 });
  expect(await arrived.innerText()).toContain("未戴口罩");
  await arrived.click();
  await expect.poll(() => page.getByTestId("alert-state").innerText()).toBe("待审核");
  expect(await page.getByTestId("frame-box").count()).toBe(1);
  expect(await page.getByTestId("alert-detail").innerText()).toContain("置信度 0.93");
  await check(page, "alert-review");

  await page.getByRole("button", { name: "驳回（误报）" }).click();
  expect(await page.getByRole("alert").innerText()).toBe("驳回须写明理由");
  await page.getByLabel("理由 / 说明").fill("后厨人员未戴口罩，画面清晰");
  await page.getByRole("button", { name: "确认违规" }).click();
  await expect.poll(() => page.getByTestId("alert-state").innerText()).toBe("已确认");
  expect(await page.locator(".history").innerText()).toContain("后厨人员未戴口罩，画面清晰");
  await check(page, "alert-review-confirmed");

  await page.getByRole("button", { name: "English" }).click();
  await expect.poll(() => page.locator("h1").innerText()).toBe("Kitchen camera alerts · review");
  await page.getByRole("button", { name: "中文" }).click();
  expect(errors).toEqual([]);
});
