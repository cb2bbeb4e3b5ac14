import { describe, expect, test } from "vitest";
import { assess, includeFlags, type GraphQLErrorEntry, type SectionSpec } from "../src/logic/sections";

const SECTIONS: SectionSpec[] = [
  { id: "registration", subgraph: "entities", base: true },
  { id: "credit", subgraph: "entities" },
  { id: "permits", subgraph: "permits", optional: true },
  { id: "inspections", subgraph: "supervision", optional: true },
];
const FIELDS = { registration: ["uscc", "name"], credit: ["creditFlags"], permits: ["permits"], inspections: ["inspections"] };
const permitsDown: GraphQLErrorEntry = {
  message: "permits is unreachable",
  path: ["entity"],
  extensions: { code: "SUBGRAPH_UNAVAILABLE", serviceName: "permits" },
};

describe("the entity file's sections", () => {
  test("every optional section is asked for at first, and left out once excluded", () => {
    expect(includeFlags(SECTIONS, new Set())).toEqual({ withPermits: true, withInspections: true });
    expect(includeFlags(SECTIONS, new Set(["permits"]))).toEqual({ withPermits: false, withInspections: true });
  });

  test("a subgraph down that nulls the entity makes the file ask again without its section", () => {
    const first = assess(SECTIONS, FIELDS, {}, { excluded: new Set(), entityPresent: false, errors: [permitsDown] });
    expect(first.retryExcluding).toEqual(new Set(["permits"]));
    expect(first.states.permits).toEqual({ kind: "failed", error: permitsDown });
    expect(first.states.registration).toEqual({ kind: "loading" });

    const second = assess(SECTIONS, FIELDS, first.failed, { excluded: first.retryExcluding!, entityPresent: true, errors: [] });
    expect(second.retryExcluding).toBeNull();
    expect(second.states).toEqual({
      registration: { kind: "ready" },
      credit: { kind: "ready" },
      permits: { kind: "failed", error: permitsDown },
      inspections: { kind: "ready" },
    });
  });

  test("a nullable field's failure needs no second request", () => {
    const nullable = { ...permitsDown, path: ["entity", "inspections"], extensions: { serviceName: "supervision" } };
    const outcome = assess(SECTIONS, FIELDS, {}, { excluded: new Set(), entityPresent: true, errors: [nullable] });
    expect(outcome.retryExcluding).toBeNull();
    expect(outcome.states.inspections?.kind).toBe("failed");
    expect(outcome.states.permits?.kind).toBe("ready");
  });

  test("the entities subgraph down fails registration and credit, and blocks the rest", () => {
    const down = { message: "entities is unreachable", path: ["entity"], extensions: { serviceName: "entities" } };
    const outcome = assess(SECTIONS, FIELDS, {}, { excluded: new Set(), entityPresent: false, errors: [down] });
    expect(outcome.retryExcluding).toBeNull();
    expect(outcome.states.registration?.kind).toBe("failed");
    expect(outcome.states.credit?.kind).toBe("failed");
    expect(outcome.states.permits?.kind).toBe("blocked");
  });

  test("an entity outside the jurisdiction is the registration's NOT_FOUND", () => {
    const missing = { message: "no such entity", path: ["entity"], extensions: { code: "NOT_FOUND" } };
    const outcome = assess(SECTIONS, FIELDS, {}, { excluded: new Set(), entityPresent: false, errors: [missing] });
    expect(outcome.states.registration).toEqual({ kind: "failed", error: missing });
    expect(outcome.retryExcluding).toBeNull();
  });

  test("an error that names a field, not a service, lands on the section that reads it", () => {
    const fieldError = { message: "boom", path: ["entity", "creditFlags"] };
    const outcome = assess(SECTIONS, FIELDS, {}, { excluded: new Set(), entityPresent: true, errors: [fieldError] });
    expect(outcome.states.credit?.kind).toBe("failed");
    expect(outcome.states.registration?.kind).toBe("ready");
  });
});
