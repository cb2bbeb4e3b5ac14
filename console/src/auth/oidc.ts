// OpenID Connect authorization code + PKCE (S256) against the hub's provider, with refresh-token renewal in the
// background and RP-initiated sign-out. Tokens live in this tab's sessionStorage only.
import { base64url, claims, renewIn, sessionFrom, type Session, type TokenResponse } from "./tokens";

export interface ConsoleConfig {
  issuer: string | null;
  clientId: string | null;
  graphqlPath: string;
}

interface Metadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}

interface Pending {
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
  returnTo: string;
}

const SESSION_KEY = "zhijian.console.session";
const PENDING_KEY = "zhijian.console.pending";
const SCOPE = "openid profile offline_access entities:write permits:write supervision:write detection:write"; // writes are delegated to the app; roles decide which
export const CALLBACK = "auth/callback";

export class SignInError extends Error {}

const random = (size: number): string => base64url(crypto.getRandomValues(new Uint8Array(size)));

async function s256(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}

export class Auth {
  private metadata: Metadata | null = null;
  private refreshing: Promise<Session | null> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private listeners = new Set<(session: Session | null, problem: string | null) => void>();

  constructor(
    readonly config: ConsoleConfig,
    private readonly base: string,
    private readonly storage: Storage = sessionStorage,
  ) {}

  get configured(): boolean {
    return Boolean(this.config.issuer && this.config.clientId);
  }

  session(): Session | null {
    try {
      const stored: unknown = JSON.parse(this.storage.getItem(SESSION_KEY) ?? "null");
      return stored && typeof stored === "object" && "accessToken" in stored ? (stored as Session) : null;
    } catch {
      return null;
    }
  }

  subscribe(listener: (session: Session | null, problem: string | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(session: Session | null, problem: string | null = null): void {
    for (const listener of this.listeners) listener(session, problem);
  }

  private save(session: Session | null): void {
    if (session) this.storage.setItem(SESSION_KEY, JSON.stringify(session));
    else this.storage.removeItem(SESSION_KEY);
    this.schedule(session);
  }

  /** Renew in the background shortly before the access token expires (silent renewal by refresh token). */
  schedule(session: Session | null = this.session()): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = session?.refreshToken ? setTimeout(() => void this.renew(), renewIn(session, Date.now())) : null;
  }

  private async discover(): Promise<Metadata> {
    if (this.metadata === null) {
      const response = await fetch(`${this.config.issuer}/.well-known/openid-configuration`);
      if (!response.ok) throw new SignInError(`discovery at ${this.config.issuer} answered HTTP ${response.status}`);
      const found = (await response.json()) as Metadata;
      if (found.issuer !== this.config.issuer) {
        throw new SignInError(`the provider calls itself ${found.issuer}, not ${this.config.issuer}`);
      }
      this.metadata = found;
    }
    return this.metadata;
  }

  private here(path: string): string {
    return new URL(`${this.base}${path}`, window.location.origin).href;
  }

  private async token(form: Record<string, string>): Promise<TokenResponse> {
    const { token_endpoint } = await this.discover();
    const response = await fetch(token_endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form),
    });
    const body = (await response.json().catch(() => ({}))) as Partial<TokenResponse> & {
      error?: string;
      error_description?: string;
    };
    if (!response.ok || !body.access_token) {
      throw new SignInError(body.error_description || body.error || `the token endpoint answered HTTP ${response.status}`);
    }
    return body as TokenResponse;
  }

  async signIn(returnTo: string, locale: string): Promise<void> {
    const { authorization_endpoint } = await this.discover();
    const pending: Pending = {
      state: random(16),
      nonce: random(16),
      verifier: random(48),
      redirectUri: this.here(CALLBACK),
      returnTo,
    };
    this.storage.setItem(PENDING_KEY, JSON.stringify(pending));
    const url = new URL(authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: "code",
      client_id: this.config.clientId ?? "",
      redirect_uri: pending.redirectUri,
      scope: SCOPE,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await s256(pending.verifier),
      code_challenge_method: "S256",
      ui_locales: locale,
    }).toString();
    window.location.assign(url.href);
  }

  /** On the callback: state, then iss (RFC 9207), then the code for tokens; returns where to go next. */
  async completeSignIn(search: string): Promise<string> {
    const params = new URLSearchParams(search);
    const pending = JSON.parse(this.storage.getItem(PENDING_KEY) ?? "null") as Pending | null;
    this.storage.removeItem(PENDING_KEY);
    if (pending === null || params.get("state") !== pending.state) {
      throw new SignInError("this answer does not belong to a sign-in started in this tab (state); start again");
    }
    if (params.get("iss") !== this.config.issuer) {
      throw new SignInError(`the answer names issuer ${params.get("iss")}, not ${this.config.issuer} (RFC 9207)`);
    }
    const error = params.get("error");
    if (error) throw new SignInError(`${error} ${params.get("error_description") ?? ""}`.trim());
    const tokens = await this.token({
      grant_type: "authorization_code",
      code: params.get("code") ?? "",
      redirect_uri: pending.redirectUri,
      client_id: this.config.clientId ?? "",
      code_verifier: pending.verifier,
    });
    if (tokens.id_token && claims(tokens.id_token).nonce !== pending.nonce) {
      throw new SignInError("the ID token's nonce does not match this sign-in");
    }
    const session = sessionFrom(tokens, Date.now());
    this.save(session);
    this.emit(session);
    return pending.returnTo;
  }

  /** Trade the refresh token for fresh tokens (rotating); once for concurrent callers. */
  renew(): Promise<Session | null> {
    const current = this.session();
    if (current === null) return Promise.resolve(null);
    if (this.refreshing === null) {
      const form = { grant_type: "refresh_token", refresh_token: current.refreshToken ?? "", client_id: this.config.clientId ?? "" };
      this.refreshing = (current.refreshToken ? this.token(form) : Promise.reject(new SignInError("no refresh token")))
        .then(
          (tokens) => {
            const session = sessionFrom(tokens, Date.now(), current);
            this.save(session);
            this.emit(session);
            return session;
          },
          (error: unknown) => {
            this.save(null);
            this.emit(null, error instanceof Error ? error.message : String(error));
            return null;
          },
        )
        .finally(() => {
          this.refreshing = null;
        });
    }
    return this.refreshing;
  }

  /** A current access token, renewed first when it is about to expire; null when signed out. */
  async accessToken(): Promise<string | null> {
    const session = this.session();
    if (session === null) return null;
    if (renewIn(session, Date.now()) > 0) return session.accessToken;
    return (await this.renew())?.accessToken ?? null;
  }

  /** RP-initiated logout: the provider ends its session and its refresh tokens, then sends us back. */
  async signOut(): Promise<void> {
    const session = this.session();
    this.save(null);
    const { end_session_endpoint } = await this.discover();
    if (!end_session_endpoint) {
      window.location.assign(this.here(""));
      return;
    }
    const params: Record<string, string> = { client_id: this.config.clientId ?? "", post_logout_redirect_uri: this.here("") };
    if (session?.idToken) params.id_token_hint = session.idToken;
    const url = new URL(end_session_endpoint);
    url.search = new URLSearchParams(params).toString();
    window.location.assign(url.href);
  }
}

export async function loadConfig(base: string): Promise<ConsoleConfig> {
  const response = await fetch(`${base}config.json`, { cache: "no-store" });
  if (!response.ok) throw new SignInError(`${base}config.json answered HTTP ${response.status}`);
  return (await response.json()) as ConsoleConfig;
}
