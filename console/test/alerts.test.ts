import { describe, expect, test } from "vitest";
import { boxPercent, decisionProblem, displayableFrame, merged, reviewable } from "../src/logic/alerts";
import { retryDelay, socketUrl } from "../src/graphql/live";

const alert = (id: string, state: string, capturedAt: string) => ({ id, state, capturedAt });

describe("the feed merged into the review list", () => {
  test("a new alert is added, newest capture first", () => {
    const list = [alert("a", "CANDIDATE", "2026-12-05T01:00:00Z")];
    expect(merged(list, alert("b", "CANDIDATE", "2026-12-05T02:00:00Z")).map((a) => a.id)).toEqual(["b", "a"]);
  });
  test("a moved alert replaces its older self", () => {
    const list = [alert("a", "CANDIDATE", "2026-12-05T01:00:00Z")];
    expect(merged(list, alert("a", "IN_REVIEW", "2026-12-05T01:00:00Z"))).toEqual([alert("a", "IN_REVIEW", "2026-12-05T01:00:00Z")]);
  });
  test("a decided alert leaves the list unless it is the one under review", () => {
    const list = [alert("a", "IN_REVIEW", "2026-12-05T01:00:00Z")];
    expect(merged(list, alert("a", "CONFIRMED", "2026-12-05T01:00:00Z"))).toEqual([]);
    expect(merged(list, alert("a", "CONFIRMED", "2026-12-05T01:00:00Z"), "a")).toHaveLength(1);
  });
});

describe("review rules", () => {
  test("only alerts awaiting or in review can be decided", () => {
    expect(["CANDIDATE", "IN_REVIEW", "CONFIRMED", "REJECTED"].map(reviewable)).toEqual([true, true, false, false]);
  });
  test("a rejection needs a reason, a confirmation does not", () => {
    expect(decisionProblem("reject", "  ")).toBe("reasonRequired");
    expect(decisionProblem("reject", "误报：是白色帽子")).toBeNull();
    expect(decisionProblem("confirm", "")).toBeNull();
  });
});

describe("the frame", () => {
  test("boxes become percentages clamped inside the frame", () => {
    expect(boxPercent({ x: 0.1, y: 0.2, w: 0.3, h: 0.4, confidence: 0.9 })).toEqual({ x: 10, y: 20, w: 30, h: 40 });
    expect(boxPercent({ x: 0.9, y: -0.1, w: 0.5, h: 2, confidence: 0.9 })).toEqual({ x: 90, y: 0, w: 10, h: 100 });
  });
  test("only http(s) and inline images are shown; other references are named", () => {
    expect(displayableFrame("https://frames.internal/1.jpg")).toBe(true);
    expect(displayableFrame("data:image/png;base64,AAAA")).toBe(true);
    expect(displayableFrame("s3://frames/EDGE-1/1.jpg")).toBe(false);
  });
});

describe("the live connection", () => {
  test("the socket is on the page's origin, wss under https", () => {
    expect(socketUrl("/graphql", "http://127.0.0.1:4000/console/alerts")).toBe("ws://127.0.0.1:4000/graphql");
    expect(socketUrl("/graphql", "https://hub.example/console/")).toBe("wss://hub.example/graphql");
  });
  test("reconnection backs off to at most 15 s", () => {
    expect([1, 2, 3, 5, 10].map(retryDelay)).toEqual([1000, 2000, 4000, 15000, 15000]);
  });
});
