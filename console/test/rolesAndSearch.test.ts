import { describe, expect, test } from "vitest";
import { pagesFor, stepFor } from "../src/logic/roles";
import { classify } from "../src/logic/search";

describe("pages by role", () => {
  test("officers who take steps get a worklist; a lab analyst or legal reviewer alone does not", () => {
    expect(pagesFor(["inspector"])).toEqual(["dashboard", "map", "worklist", "alerts", "search"]);
    expect(pagesFor(["analyst"])).toEqual(["dashboard", "map", "alerts", "search"]);
    expect(pagesFor(["admin", "legal_reviewer"])).toContain("worklist");
    expect(pagesFor(["lab_analyst"])).toEqual(["dashboard", "map", "search"]);
    expect(pagesFor(["legal_reviewer"])).not.toContain("worklist");
  });
});

describe("whose step an application awaits", () => {
  const accepted = { state: "ACCEPTED", siteCheckRequired: true, siteCheck: null };
  test("an accepted application that needs a site check awaits an inspector", () => {
    expect(stepFor(accepted, ["inspector"])).toBe("siteCheck");
    expect(stepFor(accepted, ["case_officer"])).toBeNull();
  });
  test("after the site check it awaits the case officer's decision", () => {
    expect(stepFor({ ...accepted, siteCheck: { on: "2026-12-07" } }, ["case_officer"])).toBe("decide");
    expect(stepFor({ ...accepted, siteCheck: { on: "2026-12-07" } }, ["inspector"])).toBeNull();
  });
  test("a submitted one awaits acceptance by a case officer; a decided one awaits no one", () => {
    expect(stepFor({ state: "SUBMITTED", siteCheckRequired: false, siteCheck: null }, ["case_officer"])).toBe("acceptOrRequest");
    expect(stepFor({ state: "REJECTED", siteCheckRequired: false, siteCheck: null }, ["admin"])).toBeNull();
  });
});

describe("what the search box was given", () => {
  test.each([
    ["91440300MA5H7K2P12", "uscc", "91440300MA5H7K2P12"],
    [" 91440300ma5h7k2p12 ", "uscc", "91440300MA5H7K2P12"],
    ["JY14403040000001", "permit", "JY14403040000001"],
    ["sc10644030600001 ", "permit", "SC10644030600001"],
    ["味旺", "name", "味旺"],
    ["9144030", "name", "9144030"],
  ])("%s is a %s", (raw, kind, value) => {
    expect(classify(raw)).toEqual({ kind, value });
  });
});
