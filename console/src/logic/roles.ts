// Pages and worklist steps by role (the identity provider's roles). Hiding is convenience: the API enforces.

export type Role = "inspector" | "case_officer" | "legal_reviewer" | "lab_analyst" | "admin";
export type PageId = "dashboard" | "map" | "worklist" | "alerts" | "search";

const WORKLIST_ROLES: readonly Role[] = ["inspector", "case_officer", "admin"];
/** Officers who may watch the kitchen-alert feed (the role table's detection.watch_alerts). */
const ALERT_ROLES: readonly string[] = ["inspector", "case_officer", "agency_head", "analyst"];

/** The pages an officer with `roles` gets in the navigation. */
export function pagesFor(roles: readonly string[]): PageId[] {
  const pages: PageId[] = ["dashboard", "map"];
  if (roles.some((r) => (WORKLIST_ROLES as readonly string[]).includes(r))) pages.push("worklist");
  if (roles.some((r) => ALERT_ROLES.includes(r))) pages.push("alerts");
  pages.push("search");
  return pages;
}

export type Step = "acceptOrRequest" | "awaitMaterials" | "siteCheck" | "decide" | "issue" | "autoCheck";

/** The next step an application in `state` needs, and the roles that take it (DOMAIN.md §10.2). */
export const STEPS: Readonly<Record<string, { step: Step; roles: readonly Role[] }>> = {
  SUBMITTED: { step: "acceptOrRequest", roles: ["case_officer", "admin"] },
  MATERIALS_INCOMPLETE: { step: "awaitMaterials", roles: ["case_officer", "admin"] },
  ACCEPTED: { step: "decide", roles: ["case_officer", "admin"] },
  SITE_CHECK: { step: "decide", roles: ["case_officer", "admin"] },
  AUTO_CHECKED: { step: "autoCheck", roles: ["case_officer", "admin"] },
  APPROVED: { step: "issue", roles: ["case_officer", "admin"] },
};

/** The step an application awaits from someone with `roles`, or null when it awaits no one of them. */
export function stepFor(
  app: { state: string; siteCheckRequired: boolean; siteCheck?: unknown },
  roles: readonly string[],
): Step | null {
  if (app.state === "ACCEPTED" && app.siteCheckRequired && app.siteCheck == null) {
    return roles.some((r) => r === "inspector" || r === "admin") ? "siteCheck" : null;
  }
  const owed = STEPS[app.state];
  return owed && owed.roles.some((r) => roles.includes(r)) ? owed.step : null;
}
