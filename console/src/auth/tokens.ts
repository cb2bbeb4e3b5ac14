// Tokens as the console keeps them, and what it reads from them for display (the gateway verifies signatures).

export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  expires_in?: number;
}

export interface Session {
  accessToken: string;
  refreshToken: string | null;
  idToken: string | null;
  /** Epoch milliseconds the access token stops being accepted. */
  expiresAt: number;
}

export interface Officer {
  name: string;
  username: string;
  /** The `sub` the officer signs in with (what the inspector directory and case officers are keyed by). */
  subject: string;
  roles: string[];
  orgPath: string;
  level: string | null;
}

/** Renew this long before the access token expires, so no request carries a token about to lapse. */
export const RENEW_BEFORE_MS = 30_000;

export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The payload of a JWT, unverified (display only); {} when it does not parse. */
export function claims(jwt: string | null | undefined): Record<string, unknown> {
  try {
    const part = (jwt ?? "").split(".")[1] ?? "";
    const binary = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
    const parsed: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A session from a token response; refresh and ID tokens carry over when a refresh does not rotate them. */
export function sessionFrom(tokens: TokenResponse, now: number, previous: Session | null = null): Session {
  return {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token ?? previous?.refreshToken ?? null,
    idToken: tokens.id_token ?? previous?.idToken ?? null,
    expiresAt: now + 1000 * (tokens.expires_in ?? 300),
  };
}

/** Milliseconds until the session should be renewed (0: now). */
export function renewIn(session: Session, now: number): number {
  return Math.max(0, session.expiresAt - RENEW_BEFORE_MS - now);
}

const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

/** Who is signed in: name from the ID token, roles and jurisdiction from the access token. */
export function officerOf(session: Session): Officer {
  const person = claims(session.idToken);
  const access = claims(session.accessToken);
  const roles = Array.isArray(access.roles) ? access.roles : Array.isArray(person.roles) ? person.roles : [];
  return {
    name: text(person.name) ?? text(access.preferred_username) ?? text(access.sub) ?? "?",
    username: text(access.preferred_username) ?? text(person.preferred_username) ?? "",
    subject: text(access.sub) ?? text(person.sub) ?? "",
    roles: roles.filter((r): r is string => typeof r === "string"),
    orgPath: text(access.org_path) ?? text(person.org_path) ?? "",
    level: text(access.jurisdiction_level),
  };
}
