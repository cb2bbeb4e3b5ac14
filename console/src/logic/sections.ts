// The entity file is one federated query; each section reads its own slice and its own errors from the answer.
//
// A subgraph that is down fails the fields it owns. Where such a field is non-null (MarketEntity.permits is
// `[Permit!]!`), GraphQL's null propagation takes the whole entity with it; so the query carries one
// `@include(if: $with<Section>)` flag per optional section, and the file asks again without the sections whose
// subgraph failed. Every other section then still shows, and the failed one shows its own error.

export interface GraphQLErrorEntry {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string; serviceName?: string; [key: string]: unknown };
}

export interface SectionSpec {
  /** Stable id, also the name of its `@include` variable: `with` + Id (e.g. withPermits). */
  id: string;
  /** The subgraph that owns the section's fields. */
  subgraph: string;
  /** The base section (registration) cannot be left out: every other section hangs off the entity it loads. */
  base?: boolean;
  /** Behind an `@include(if: $with<Id>)` flag: left out of a second request when its subgraph fails. */
  optional?: boolean;
}

export type SectionState =
  | { kind: "loading" }
  | { kind: "ready" }
  | { kind: "failed"; error: GraphQLErrorEntry }
  | { kind: "blocked" };

export function includeVariable(id: string): string {
  return `with${id.charAt(0).toUpperCase()}${id.slice(1)}`;
}

/** The `@include` flags for a request that leaves out `excluded`. */
export function includeFlags(sections: readonly SectionSpec[], excluded: ReadonlySet<string>): Record<string, boolean> {
  return Object.fromEntries(sections.filter((s) => s.optional).map((s) => [includeVariable(s.id), !excluded.has(s.id)]));
}

/** Which sections an error belongs to: by the failing subgraph's name, else by the field path under the entity. */
export function sectionsHitBy(
  error: GraphQLErrorEntry,
  sections: readonly SectionSpec[],
  fieldsOf: Readonly<Record<string, readonly string[]>>,
): string[] {
  const service = error.extensions?.serviceName;
  if (service) return sections.filter((s) => s.subgraph === service).map((s) => s.id);
  const field = error.path?.[1];
  if (typeof field === "string") {
    const owner = sections.find((s) => fieldsOf[s.id]?.includes(field));
    if (owner) return [owner.id];
  }
  const base = sections.find((s) => s.base);
  return base ? [base.id] : [];
}

export interface Attempt {
  /** Sections left out of this request because an earlier one showed their subgraph failing. */
  excluded: ReadonlySet<string>;
  entityPresent: boolean;
  errors: readonly GraphQLErrorEntry[];
}

export interface Outcome {
  states: Record<string, SectionState>;
  /** Ask again leaving these out (null: the answer is final). */
  retryExcluding: ReadonlySet<string> | null;
}

/** Each section's state after one attempt, and whether to ask again without the failed sections. */
export function assess(
  sections: readonly SectionSpec[],
  fieldsOf: Readonly<Record<string, readonly string[]>>,
  failedBefore: Readonly<Record<string, GraphQLErrorEntry>>,
  attempt: Attempt,
): Outcome & { failed: Record<string, GraphQLErrorEntry> } {
  const failed: Record<string, GraphQLErrorEntry> = { ...failedBefore };
  for (const error of attempt.errors) {
    for (const id of sectionsHitBy(error, sections, fieldsOf)) failed[id] ??= error;
  }
  const base = sections.find((s) => s.base);
  const baseFailed = base !== undefined && failed[base.id] !== undefined;
  const newlyFailed = sections.filter((s) => s.optional && failed[s.id] && !attempt.excluded.has(s.id));
  const retry = !attempt.entityPresent && !baseFailed && newlyFailed.length > 0;
  const states: Record<string, SectionState> = {};
  for (const section of sections) {
    const error = failed[section.id];
    if (error) states[section.id] = { kind: "failed", error };
    else if (retry) states[section.id] = { kind: "loading" };
    else if (baseFailed || !attempt.entityPresent) states[section.id] = { kind: "blocked" };
    else states[section.id] = { kind: "ready" };
  }
  return {
    states,
    failed,
    retryExcluding: retry ? new Set([...attempt.excluded, ...newlyFailed.map((s) => s.id)]) : null,
  };
}
