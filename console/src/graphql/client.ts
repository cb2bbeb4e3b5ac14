// The console's GraphQL client: typed documents (generated from schema/supergraph.graphql) over fetch, with the
// signed-in officer's token. Partial answers are normal in a federation: data and errors come back together.
import type { TypedDocumentString } from "../gql/graphql";
import type { GraphQLErrorEntry } from "../logic/sections";
import { subscribe, type LiveHandlers } from "./live";

export interface Result<T> {
  data: T | null;
  errors: GraphQLErrorEntry[];
}

export type TokenSource = () => Promise<string | null>;

export class GraphQLClient {
  constructor(
    private readonly endpoint: string,
    private readonly token: TokenSource,
  ) {}

  async request<T, V>(document: TypedDocumentString<T, V>, variables: V): Promise<Result<T>> {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json",
    };
    const token = await this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: "POST",
        headers,
        body: JSON.stringify({ query: document.toString(), variables }),
      });
    } catch (error) {
      return { data: null, errors: [{ message: String(error), extensions: { code: "NETWORK_ERROR" } }] };
    }
    const body = (await response.json().catch(() => null)) as { data?: T | null; errors?: GraphQLErrorEntry[] } | null;
    if (body === null) {
      return { data: null, errors: [{ message: `HTTP ${response.status}`, extensions: { code: "BAD_RESPONSE" } }] };
    }
    return { data: body.data ?? null, errors: body.errors ?? [] };
  }

  /** A live subscription (WebSocket, graphql-transport-ws) until the returned function is called. */
  subscribe<T, V>(document: TypedDocumentString<T, V>, variables: V, handlers: LiveHandlers<T>): () => void {
    return subscribe(this.endpoint, this.token, document, variables, handlers);
  }
}

/** Relay connection pages, as our subgraphs serve them. */
export interface Connection<N> {
  edges: readonly { node: N }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

export interface AllPages<N> {
  nodes: N[];
  /** More rows exist than `maxPages` pages held: counts built from these nodes are a lower bound. */
  truncated: boolean;
  errors: GraphQLErrorEntry[];
}

/**
 * Every page of a connection, up to `maxPages` (the API has no aggregate counts yet, so the dashboard counts rows;
 * the cap keeps a city-wide view from reading millions of them).
 */
export async function allPages<N>(
  fetchPage: (after: string | null) => Promise<Result<Connection<N>>>,
  maxPages: number,
): Promise<AllPages<N>> {
  const nodes: N[] = [];
  let after: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const { data, errors } = await fetchPage(after);
    if (data === null) return { nodes, truncated: false, errors };
    nodes.push(...data.edges.map((edge) => edge.node));
    if (!data.pageInfo.hasNextPage) return { nodes, truncated: false, errors };
    after = data.pageInfo.endCursor ?? null;
  }
  return { nodes, truncated: true, errors: [] };
}
