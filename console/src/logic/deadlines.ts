// Which deadline an application owes next, its legal basis, and how the dashboard buckets deadlines and expiries.
import rules from "../generated/legalRules.json";
import { daysBetween } from "../i18n/format";

export type DeadlineKind = "materials" | "siteCheck" | "decision" | "certificate";

/** The fields of a PermitApplication that decide its next deadline. */
export interface ApplicationDeadlineFields {
  state: string;
  materialsDueOn?: string | null;
  siteCheckDueOn?: string | null;
  decisionDueOn?: string | null;
  certificateDueOn?: string | null;
  decisionOverdue: boolean;
  certificateOverdue: boolean;
  ruleVersions: readonly string[];
}

export interface Deadline {
  kind: DeadlineKind;
  dueOn: string;
  overdue: boolean;
  /** The rule version the hub computed the date from (`key@effective_from`), when it recorded one. */
  ruleVersion: string | null;
  /** The law's words for that rule (from the hub's versioned rules), or null when unknown. */
  basis: string | null;
}

const RULE_KEY: Record<DeadlineKind, RegExp> = {
  materials: /^permits\.materials_request@/,
  siteCheck: /^permits\.[a-z]+\.site_check@/,
  decision: /^permits\.[a-z]+\.decision(_extension)?@/,
  certificate: /^permits\.[a-z]+\.certificate_issue@/,
};

const LEGAL_RULES: Record<string, { basis: string; certainty: string | null }> = rules;

/** The legal basis text of a rule version, or null. */
export function basisOf(version: string | null): string | null {
  return version ? (LEGAL_RULES[version]?.basis ?? null) : null;
}

/** The deadline the application's current step owes; null when the step owes none (draft, decided, issued). */
export function nextDeadline(app: ApplicationDeadlineFields, today: string): Deadline | null {
  const pick = (kind: DeadlineKind, dueOn: string | null | undefined, overdue?: boolean): Deadline | null => {
    if (!dueOn) return null;
    const ruleVersion = [...app.ruleVersions].reverse().find((v) => RULE_KEY[kind].test(v)) ?? null;
    return { kind, dueOn, overdue: overdue ?? daysBetween(today, dueOn) < 0, ruleVersion, basis: basisOf(ruleVersion) };
  };
  switch (app.state) {
    case "SUBMITTED":
      return pick("materials", app.materialsDueOn);
    case "ACCEPTED":
      // SC (2020 rules) owes the site check first, 5 working days from assignment; the decision follows.
      return app.siteCheckDueOn ? pick("siteCheck", app.siteCheckDueOn) : pick("decision", app.decisionDueOn, app.decisionOverdue);
    case "SITE_CHECK":
    case "AUTO_CHECKED":
      return pick("decision", app.decisionDueOn, app.decisionOverdue);
    case "APPROVED":
      return pick("certificate", app.certificateDueOn, app.certificateOverdue);
    default:
      return null;
  }
}

export type DeadlineBucket = "overdue" | "dueSoon" | "dueLater" | "noDeadline";
export const DEADLINE_BUCKETS: readonly DeadlineBucket[] = ["overdue", "dueSoon", "dueLater", "noDeadline"];
export const DUE_SOON_DAYS = 7;

export function deadlineBucket(deadline: Deadline | null, today: string): DeadlineBucket {
  if (deadline === null) return "noDeadline";
  if (deadline.overdue) return "overdue";
  return daysBetween(today, deadline.dueOn) <= DUE_SOON_DAYS ? "dueSoon" : "dueLater";
}

export type ExpiryBucket = "within30" | "within60" | "within90";
export const EXPIRY_BUCKETS: readonly ExpiryBucket[] = ["within30", "within60", "within90"];
export const EXPIRY_HORIZON_DAYS = 90;

/** Which 30-day band a permit's last valid day falls in, counted from today; null outside 0–90 days. */
export function expiryBucket(validTo: string, today: string): ExpiryBucket | null {
  const left = daysBetween(today, validTo);
  if (left < 0 || left > EXPIRY_HORIZON_DAYS) return null;
  if (left <= 30) return "within30";
  return left <= 60 ? "within60" : "within90";
}

/** Inclusive day range of an expiry band, for the drill-down list. */
export function expiryRange(bucket: ExpiryBucket): [number, number] {
  return bucket === "within30" ? [0, 30] : bucket === "within60" ? [31, 60] : [61, 90];
}

/** Applications in states where an officer still owes a step (the dashboard and worklist read these). */
export const OPEN_STATES = ["SUBMITTED", "MATERIALS_INCOMPLETE", "ACCEPTED", "SITE_CHECK", "AUTO_CHECKED", "APPROVED"] as const;
