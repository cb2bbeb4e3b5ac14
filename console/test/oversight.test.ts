import { describe, expect, test } from "vitest";
import { caseCategories, caseFilterOf, casesAwaiting, myTasks, percent, planCategories, taskCategories, taskFilterOf, taskRowFilter } from "../src/logic/oversight";

describe("inspection tasks open and overdue", () => {
  test("open statuses in order with zeros kept, overdue last; the total counts open tasks once", () => {
    const { categories, open } = taskCategories(
      [
        { key: "CLOSED", count: 9 },
        { key: "IN_PROGRESS", count: 2 },
        { key: "UNASSIGNED", count: 3 },
      ],
      2,
    );
    expect(categories.map((c) => [c.key, c.count, c.to])).toEqual([
      ["UNASSIGNED", 3, "tasks?status=UNASSIGNED"],
      ["ASSIGNED", 0, "tasks?status=ASSIGNED"],
      ["IN_PROGRESS", 2, "tasks?status=IN_PROGRESS"],
      ["overdue", 2, "tasks?overdue=true"],
    ]);
    expect(categories.at(-1)?.tone).toBe("alert");
    expect(open).toBe(5); // closed tasks and the overdue (already among the open) are not added
  });
});

describe("random-inspection plans' completion and publication", () => {
  const figures = {
    randomTasks: 40,
    randomInspected: 30,
    randomPublished: 25,
    publicationOverdue: 3,
    randomCompletionRate: 0.75,
    randomPublicationRate: 25 / 30,
  };

  test("drawn, inspected, published and late, each linked to the random tasks behind it", () => {
    const plans = planCategories(figures);
    expect(plans.categories.map((c) => [c.key, c.count, c.to])).toEqual([
      ["randomDrawn", 40, "tasks?source=RANDOM_INSPECTION"],
      ["randomInspected", 30, "tasks?source=RANDOM_INSPECTION&status=INSPECTED"],
      ["randomPublished", 25, "tasks?source=RANDOM_INSPECTION&published=true"],
      ["publicationOverdue", 3, "tasks?source=RANDOM_INSPECTION&publicationOverdue=true"],
    ]);
    expect([plans.completion, plans.publication]).toEqual([75, 83]);
  });

  test("rates are whole percentages within 0–100", () => {
    expect([percent(0), percent(-1), percent(Number.NaN), percent(1.2), percent(0.005)]).toEqual([0, 0, 0, 100, 1]);
  });
});

describe("cases by stage with overdue", () => {
  test("open stages in procedural order, empty and ended stages left out, overdue summed and linked", () => {
    const { categories, open, overdue } = caseCategories([
      { stage: "REVIEWING", cases: 2, overdue: 1 },
      { stage: "CLOSED", cases: 50, overdue: 0 },
      { stage: "ACCEPTED", cases: 4, overdue: 2 },
      { stage: "FILED", cases: 0, overdue: 0 },
      { stage: "NOT_FILED", cases: 7, overdue: 0 },
    ]);
    expect(categories.map((c) => [c.key, c.count, c.to])).toEqual([
      ["ACCEPTED", 4, "cases?stage=ACCEPTED"],
      ["REVIEWING", 2, "cases?stage=REVIEWING"],
      ["overdue", 3, "cases?overdue=true"],
    ]);
    expect([open, overdue]).toEqual([6, 3]);
  });

  test("no open case still shows the overdue bar, at zero", () => {
    expect(caseCategories([]).categories).toEqual([{ key: "overdue", count: 0, to: "cases?overdue=true", tone: "alert" }]);
  });
});

describe("the filters a drill-down link carries", () => {
  test("task links become the API's TaskFilter; unknown values are dropped", () => {
    expect(taskFilterOf(new URLSearchParams("status=INSPECTED&source=RANDOM_INSPECTION&overdue=true"))).toEqual({
      statuses: ["INSPECTED"],
      source: "RANDOM_INSPECTION",
      overdue: true,
    });
    expect(taskFilterOf(new URLSearchParams("status=BOGUS&source=x%27&overdue=1"))).toEqual({});
  });

  test("published and published-late narrow the rows read", () => {
    const late = taskRowFilter(new URLSearchParams("publicationOverdue=true"));
    const published = taskRowFilter(new URLSearchParams("published=true"));
    const row = (publishedOn: string | null, publicationOverdue: boolean) => ({ publishedOn, publicationOverdue });
    expect([late(row(null, true)), late(row(null, false))]).toEqual([true, false]);
    expect([published(row("2026-12-01", false)), published(row(null, true))]).toEqual([true, false]);
    expect(taskRowFilter(new URLSearchParams(""))(row(null, false))).toBe(true);
  });

  test("case links become the API's CaseFilter", () => {
    expect(caseFilterOf(new URLSearchParams("stage=HEARING&overdue=true"))).toEqual({ stages: ["HEARING"], overdue: true });
    expect(caseFilterOf(new URLSearchParams("stage=nope"))).toEqual({});
  });
});

describe("my inspection tasks", () => {
  const task = (id: string, inspectors: string[], status: string, dueOn: string) => ({ id, inspectors, status, dueOn });

  test("the open tasks I am assigned to, soonest due first", () => {
    const tasks = [
      task("t1", ["me", "other"], "ASSIGNED", "2026-12-20"),
      task("t2", ["other", "third"], "ASSIGNED", "2026-12-06"),
      task("t3", ["me", "third"], "IN_PROGRESS", "2026-12-08"),
      task("t4", ["me", "other"], "INSPECTED", "2026-12-01"),
    ];
    expect(myTasks(tasks, "me").map((t) => t.id)).toEqual(["t3", "t1"]);
  });

  test("an officer whose token names no subject is given none", () => {
    expect(myTasks([task("t1", [""], "ASSIGNED", "2026-12-20")], "")).toEqual([]);
  });
});

describe("cases awaiting my step", () => {
  const step = (mine: boolean, dueOn: string | null, overdue = false) => ({
    action: "MOVE", stage: "VERIFYING", role: "case_officer", mine, documentsMissing: [], dueOn, overdue, basis: null,
  });
  const kase = (id: string, ...nextSteps: ReturnType<typeof step>[]) => ({ id, nextSteps });

  test("each case by its first step that is mine: overdue first, then soonest due, undated last", () => {
    const rows = casesAwaiting([
      kase("later", step(true, "2026-12-20")),
      kase("undated", step(true, null)),
      kase("theirs", step(false, "2026-12-01")),
      kase("late", step(false, "2026-11-01"), step(true, "2026-11-30", true)),
      kase("sooner", step(true, "2026-12-08")),
    ]);
    expect(rows.map((r) => r.c.id)).toEqual(["late", "sooner", "later", "undated"]);
    expect(rows[0]?.step.dueOn).toBe("2026-11-30");
  });
});
