// Subscriptions over the gateway's WebSocket (the graphql-transport-ws protocol), with the signed-in officer's token
// sent in connection_init. A token that expires ends the subscription at the gateway: we subscribe again with the
// renewed one, and tell the page each time the feed is live again so it can reload what it may have missed.
import type { TypedDocumentString } from "../gql/graphql";
import type { GraphQLErrorEntry } from "../logic/sections";
import type { TokenSource } from "./client";

export type LiveState = "connecting" | "live" | "reconnecting";

export interface LiveHandlers<T> {
  next: (data: T) => void;
  /** Errors of one event or of the subscription (it is then tried again). */
  errors: (errors: GraphQLErrorEntry[]) => void;
  state: (state: LiveState) => void;
}

const PROTOCOL = "graphql-transport-ws";
const MAX_DELAY_MS = 15_000;

/** The WebSocket URL of the GraphQL endpoint `path` on this page's origin. */
export function socketUrl(path: string, page: string): string {
  const url = new URL(path, page);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}

/** The delay before the `attempt`-th reconnection (1 s, 2 s, 4 s … at most 15 s). */
export function retryDelay(attempt: number): number {
  return Math.min(MAX_DELAY_MS, 1000 * 2 ** Math.max(0, attempt - 1));
}

/** Subscribe until the returned function is called; reconnects (with a fresh token) whenever the stream ends. */
export function subscribe<T, V>(
  path: string,
  token: TokenSource,
  document: TypedDocumentString<T, V>,
  variables: V,
  handlers: LiveHandlers<T>,
): () => void {
  let stopped = false;
  let socket: WebSocket | null = null;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const again = () => {
    if (stopped) return;
    attempt += 1;
    handlers.state("reconnecting");
    timer = setTimeout(() => void connect(), retryDelay(attempt));
  };

  const connect = async () => {
    if (stopped) return;
    const bearer = await token();
    if (stopped) return;
    const opened = new WebSocket(socketUrl(path, window.location.href), PROTOCOL);
    socket = opened;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      if (opened.readyState === WebSocket.OPEN) opened.close(1000);
      again();
    };
    opened.onopen = () => {
      const payload = bearer ? { Authorization: `Bearer ${bearer}` } : {};
      opened.send(JSON.stringify({ type: "connection_init", payload }));
    };
    opened.onmessage = (event: MessageEvent<string>) => {
      const message = JSON.parse(event.data) as { type: string; id?: string; payload?: unknown };
      switch (message.type) {
        case "connection_ack":
          opened.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: document.toString(), variables } }));
          attempt = 0;
          handlers.state("live");
          break;
        case "next": {
          const result = message.payload as { data?: T | null; errors?: GraphQLErrorEntry[] };
          if (result.errors?.length) handlers.errors(result.errors);
          if (result.data) handlers.next(result.data);
          break;
        }
        case "error":
          handlers.errors(message.payload as GraphQLErrorEntry[]);
          end();
          break;
        case "complete":
          end();
          break;
        case "ping":
          opened.send(JSON.stringify({ type: "pong" }));
          break;
      }
    };
    opened.onclose = end;
  };

  handlers.state("connecting");
  void connect();
  return () => {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000);
  };
}
