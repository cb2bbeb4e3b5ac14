// The alert review's view logic: the feed merged into the list, what each state allows, the frame's boxes.

export interface AlertBox {
  x: number;
  y: number;
  w: number;
  h: number;
  confidence: number;
}

export interface ListedAlert {
  id: string;
  state: string;
  capturedAt: string;
}

/** States the review page lists: waiting for a reviewer, in review, or a rectification waiting for verification. */
export const REVIEW_STATES = ["CANDIDATE", "IN_REVIEW", "RECTIFICATION_SUBMITTED"] as const;

/**
 * The list after one event of the feed: the alert replaces its older self (or is added), newest capture first; an
 * alert whose state the page does not list leaves it, unless it is the one being reviewed (`keep`).
 */
export function merged<A extends ListedAlert>(list: readonly A[], event: A, keep: string | null = null): A[] {
  const rest = list.filter((alert) => alert.id !== event.id);
  const listed = (REVIEW_STATES as readonly string[]).includes(event.state) || event.id === keep;
  const next = listed ? [...rest, event] : rest;
  return next.sort((a, b) => (a.capturedAt < b.capturedAt ? 1 : a.capturedAt > b.capturedAt ? -1 : a.id.localeCompare(b.id)));
}

export type Decision = "confirm" | "reject";

/** Which review actions an alert in `state` offers (CANDIDATE is taken into review on the way). */
export function reviewable(state: string): boolean {
  return state === "CANDIDATE" || state === "IN_REVIEW";
}

/** Why a decision cannot be sent yet, or null: a rejection needs its reason (it is kept as a labelled negative). */
export function decisionProblem(decision: Decision, reason: string): "reasonRequired" | null {
  return decision === "reject" && reason.trim() === "" ? "reasonRequired" : null;
}

/** A box as percentages of the frame, clamped inside it (for an SVG viewBox of 0–100). */
export function boxPercent(box: AlertBox): { x: number; y: number; w: number; h: number } {
  const clamp = (v: number) => Math.min(100, Math.max(0, v * 100));
  const x = clamp(box.x);
  const y = clamp(box.y);
  return { x, y, w: Math.min(100 - x, clamp(box.w)), h: Math.min(100 - y, clamp(box.h)) };
}

/** A frame reference the browser can show (http(s) or an inline image); others (s3://, file://) are only named. */
export function displayableFrame(ref: string): boolean {
  return /^https?:\/\//.test(ref) || ref.startsWith("data:image/");
}
