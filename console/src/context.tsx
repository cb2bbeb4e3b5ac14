// What every page needs: the GraphQL client, the signed-in officer, and today's date in Beijing.
import { createContext, useCallback, useContext, useEffect, useRef, useState } from "react";
import type { Officer } from "./auth/tokens";
import type { GraphQLClient, Result } from "./graphql/client";
import type { GraphQLErrorEntry } from "./logic/sections";

export interface ConsoleContext {
  client: GraphQLClient;
  officer: Officer;
  /** Today in Beijing (YYYY-MM-DD), fixed when the page loaded: every count on screen uses the same day. */
  today: string;
}

const Context = createContext<ConsoleContext | null>(null);
export const ConsoleProvider = Context.Provider;

export function useConsole(): ConsoleContext {
  const found = useContext(Context);
  if (found === null) throw new Error("useConsole outside ConsoleProvider");
  return found;
}

export type Loaded<T> =
  | { status: "loading" }
  | { status: "done"; data: T | null; errors: GraphQLErrorEntry[] }
  | { status: "failed"; errors: GraphQLErrorEntry[] };

/** Run `load` when `key` changes; its result, with a reload. Each caller (panel, section) has its own state. */
export function useLoad<T>(load: () => Promise<Result<T>>, key: string): [Loaded<T>, () => void] {
  const [state, setState] = useState<Loaded<T>>({ status: "loading" });
  const [round, setRound] = useState(0);
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    let live = true;
    setState({ status: "loading" });
    latest
      .current()
      .then((result) => {
        if (live) setState({ status: "done", data: result.data, errors: result.errors });
      })
      .catch((error: unknown) => {
        if (live) setState({ status: "failed", errors: [{ message: String(error) }] });
      });
    return () => {
      live = false;
    };
  }, [key, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return [state, reload];
}

export interface PagedList<N> {
  status: "loading" | "done" | "failed";
  rows: N[];
  errors: GraphQLErrorEntry[];
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  reload: () => void;
}

/** A Relay connection shown a page at a time: the first page when `key` changes, more on request. */
export function usePagedList<N>(
  fetchPage: (after: string | null) => Promise<Result<{ edges: readonly { node: N }[]; pageInfo: { hasNextPage: boolean; endCursor?: string | null } }>>,
  key: string,
): PagedList<N> {
  const [state, setState] = useState<{ status: PagedList<N>["status"]; rows: N[]; errors: GraphQLErrorEntry[]; cursor: string | null; loadingMore: boolean }>(
    { status: "loading", rows: [], errors: [], cursor: null, loadingMore: false },
  );
  const [round, setRound] = useState(0);
  const latest = useRef(fetchPage);
  latest.current = fetchPage;
  const generation = useRef(0);
  const load = useCallback(async (after: string | null, append: boolean) => {
    const mine = ++generation.current;
    setState((s) => (append ? { ...s, loadingMore: true } : { status: "loading", rows: [], errors: [], cursor: null, loadingMore: false }));
    const { data, errors } = await latest.current(after).catch((error: unknown) => ({ data: null, errors: [{ message: String(error) }] }));
    if (mine !== generation.current) return;
    setState((s) =>
      data === null
        ? { ...s, status: append ? s.status : "failed", errors, loadingMore: false }
        : {
            status: "done",
            rows: [...(append ? s.rows : []), ...data.edges.map((e) => e.node)],
            errors,
            cursor: data.pageInfo.hasNextPage ? (data.pageInfo.endCursor ?? null) : null,
            loadingMore: false,
          },
    );
  }, []);
  useEffect(() => {
    void load(null, false);
  }, [key, round, load]);
  return {
    status: state.status,
    rows: state.rows,
    errors: state.errors,
    hasMore: state.cursor !== null,
    loadingMore: state.loadingMore,
    loadMore: () => void load(state.cursor, true),
    reload: () => setRound((r) => r + 1),
  };
}
