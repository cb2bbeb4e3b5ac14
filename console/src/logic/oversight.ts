// Supervision's and enforcement's dashboard numbers as chart categories, and the list filters their bars link to.
// The subgraphs count (supervisionIndicators, caseIndicators); this only orders, labels and links.
import type { Category } from "./counting";

/** Task statuses in the order a task moves through them (CANCELLED last). */
export const TASK_STATUSES = ["UNASSIGNED", "ASSIGNED", "IN_PROGRESS", "INSPECTED", "CLOSED", "CANCELLED"] as const;
/** Open: not yet inspected, closed or cancelled. */
export const OPEN_TASK_STATUSES = ["UNASSIGNED", "ASSIGNED", "IN_PROGRESS"] as const;

/** Case stages in procedural order (DOMAIN: 受理 → 核查 → 立案 … → 结案 → 归档). */
export const CASE_STAGES = [
  "ACCEPTED", "VERIFYING", "FILED", "NOT_FILED", "INVESTIGATING", "GATHERING_EVIDENCE", "PRESERVING", "REVIEWING",
  "NOTIFIED", "HEARING", "DECIDED", "SERVED", "EXECUTED", "PUBLISHED", "CLOSED", "ARCHIVED",
] as const;
const ENDED_STAGES: readonly string[] = ["NOT_FILED", "CLOSED", "ARCHIVED"];

export interface LinkedCategory extends Category {
  /** A list path with its filter, as the router takes it (no base). */
  to: string;
  tone: "alert" | "normal";
}

function query(path: string, params: Record<string, string>): string {
  const text = new URLSearchParams(params).toString();
  return text ? `${path}?${text}` : path;
}

/** Open tasks by status, then the overdue ones among them, each linked to its list; the total is the open tasks. */
export function taskCategories(byStatus: readonly Category[], overdue: number): { categories: LinkedCategory[]; open: number } {
  const counts = new Map(byStatus.map((c) => [c.key, c.count]));
  const open = OPEN_TASK_STATUSES.map((key) => ({ key, count: counts.get(key) ?? 0, to: query("tasks", { status: key }), tone: "normal" as const }));
  return {
    categories: [...open, { key: "overdue", count: overdue, to: query("tasks", { overdue: "true" }), tone: "alert" }],
    open: open.reduce((sum, c) => sum + c.count, 0),
  };
}

export interface PlanFigures {
  randomTasks: number;
  randomInspected: number;
  randomPublished: number;
  publicationOverdue: number;
  randomCompletionRate: number;
  randomPublicationRate: number;
}

/** 双随机: tasks drawn, inspected, published, and published late; with the two rates as whole percentages. */
export function planCategories(f: PlanFigures): { categories: LinkedCategory[]; completion: number; publication: number } {
  return {
    categories: [
      { key: "randomDrawn", count: f.randomTasks, to: query("tasks", { source: "RANDOM_INSPECTION" }), tone: "normal" },
      { key: "randomInspected", count: f.randomInspected, to: query("tasks", { source: "RANDOM_INSPECTION", status: "INSPECTED" }), tone: "normal" },
      { key: "randomPublished", count: f.randomPublished, to: query("tasks", { source: "RANDOM_INSPECTION", published: "true" }), tone: "normal" },
      { key: "publicationOverdue", count: f.publicationOverdue, to: query("tasks", { source: "RANDOM_INSPECTION", publicationOverdue: "true" }), tone: "alert" },
    ],
    completion: percent(f.randomCompletionRate),
    publication: percent(f.randomPublicationRate),
  };
}

/** A rate 0..1 as a whole percentage, clamped (a rate the API reports over 1 is shown as 100). */
export function percent(rate: number): number {
  if (!Number.isFinite(rate) || rate <= 0) return 0;
  return Math.min(100, Math.round(rate * 100));
}

export interface StageFigure {
  stage: string;
  cases: number;
  overdue: number;
}

/** Open cases by stage in procedural order (ended and empty stages left out), then the overdue among them. */
export function caseCategories(stages: readonly StageFigure[]): { categories: LinkedCategory[]; open: number; overdue: number } {
  const byStage = new Map(stages.map((s) => [s.stage, s]));
  const open = CASE_STAGES.filter((s) => !ENDED_STAGES.includes(s))
    .map((stage) => byStage.get(stage) ?? { stage, cases: 0, overdue: 0 })
    .filter((s) => s.cases > 0);
  const overdue = open.reduce((sum, s) => sum + s.overdue, 0);
  return {
    categories: [
      ...open.map((s) => ({ key: s.stage, count: s.cases, to: query("cases", { stage: s.stage }), tone: "normal" as const })),
      { key: "overdue", count: overdue, to: query("cases", { overdue: "true" }), tone: "alert" },
    ],
    open: open.reduce((sum, s) => sum + s.cases, 0),
    overdue,
  };
}

/** The API filter a task-list link carries; unknown values are dropped rather than sent. */
export function taskFilterOf(q: URLSearchParams): { statuses?: string[]; source?: string; overdue?: boolean } {
  const filter: { statuses?: string[]; source?: string; overdue?: boolean } = {};
  const status = q.get("status");
  if (status && (TASK_STATUSES as readonly string[]).includes(status)) filter.statuses = [status];
  const source = q.get("source");
  if (source && /^[A-Z_]+$/.test(source)) filter.source = source;
  if (q.get("overdue") === "true") filter.overdue = true;
  return filter;
}

/** Rows the API filter cannot express (published / published late), narrowed after reading. */
export function taskRowFilter(q: URLSearchParams): (t: { publishedOn?: string | null; publicationOverdue: boolean }) => boolean {
  const published = q.get("published") === "true";
  const late = q.get("publicationOverdue") === "true";
  return (t) => (!published || t.publishedOn != null) && (!late || t.publicationOverdue);
}

export function caseFilterOf(q: URLSearchParams): { stages?: string[]; overdue?: boolean } {
  const filter: { stages?: string[]; overdue?: boolean } = {};
  const stage = q.get("stage");
  if (stage && (CASE_STAGES as readonly string[]).includes(stage)) filter.stages = [stage];
  if (q.get("overdue") === "true") filter.overdue = true;
  return filter;
}

/** Tasks awaiting the officer `subject` (assigned to them, not yet inspected), soonest due first. */
export function myTasks<T extends { inspectors: readonly string[]; status: string; dueOn: string; id: string }>(
  tasks: readonly T[],
  subject: string,
): T[] {
  return tasks
    .filter((t) => subject !== "" && t.inspectors.includes(subject) && (t.status === "ASSIGNED" || t.status === "IN_PROGRESS"))
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.id.localeCompare(b.id));
}

export interface CaseStepFields {
  action: string;
  stage: string;
  role: string;
  mine: boolean;
  documentsMissing: readonly string[];
  dueOn?: string | null;
  overdue: boolean;
  basis?: string | null;
}

export interface AwaitingCase<S extends CaseStepFields = CaseStepFields> {
  id: string;
  nextSteps: readonly S[];
}

/** Each case with the first next step that is mine, most urgent first (overdue, then by due date; undated last). */
export function casesAwaiting<C extends AwaitingCase>(cases: readonly C[]): { c: C; step: C["nextSteps"][number] }[] {
  const rows = cases.flatMap((c) => {
    const step = c.nextSteps.find((s) => s.mine);
    return step ? [{ c, step }] : [];
  });
  const key = (s: CaseStepFields) => `${s.overdue ? 0 : 1}${s.dueOn ?? "9999-12-31"}`;
  return rows.sort((x, y) => key(x.step).localeCompare(key(y.step)));
}
