import { describe, expect, test } from "vitest";
import { allPages, type Connection, type Result } from "../src/graphql/client";
import { base64url, claims, officerOf, renewIn, RENEW_BEFORE_MS, sessionFrom } from "../src/auth/tokens";
import { countBy, nonZero } from "../src/logic/counting";

const jwt = (payload: object) =>
  `eyJhbGciOiJub25lIn0.${base64url(new TextEncoder().encode(JSON.stringify(payload)))}.signature`;

describe("tokens", () => {
  const access = jwt({ sub: "o-1", roles: ["case_officer", "inspector"], org_path: "440300/440304", jurisdiction_level: "DISTRICT", preferred_username: "futian.case" });
  const id = jwt({ sub: "o-1", name: "福田监管局 王芳" });

  test("who is signed in comes from the ID token's name and the access token's roles and org path", () => {
    expect(officerOf(sessionFrom({ access_token: access, id_token: id, expires_in: 300 }, 0))).toEqual({
      name: "福田监管局 王芳",
      username: "futian.case",
      subject: "o-1",
      roles: ["case_officer", "inspector"],
      orgPath: "440300/440304",
      level: "DISTRICT",
    });
  });

  test("a token that does not parse reads as no claims", () => {
    expect(claims("not-a-jwt")).toEqual({});
    expect(claims(null)).toEqual({});
  });

  test("renewal is due 30 s before expiry; a refresh that rotates nothing keeps the old tokens", () => {
    const first = sessionFrom({ access_token: access, refresh_token: "r1", id_token: id, expires_in: 300 }, 1_000);
    expect(renewIn(first, 1_000)).toBe(300_000 - RENEW_BEFORE_MS);
    expect(renewIn(first, 400_000)).toBe(0);
    const renewed = sessionFrom({ access_token: "a2", expires_in: 300 }, 2_000, first);
    expect(renewed).toMatchObject({ accessToken: "a2", refreshToken: "r1", idToken: id, expiresAt: 302_000 });
  });
});

describe("reading every page of a connection", () => {
  const pages = (count: number) => async (after: string | null): Promise<Result<Connection<number>>> => {
    const index = after === null ? 0 : Number(after);
    return {
      data: { edges: [{ node: index }], pageInfo: { hasNextPage: index + 1 < count, endCursor: String(index + 1) } },
      errors: [],
    };
  };

  test("follows endCursor to the last page", async () => {
    expect(await allPages(pages(3), 10)).toEqual({ nodes: [0, 1, 2], truncated: false, errors: [] });
  });

  test("stops at the cap and says the counts are incomplete", async () => {
    expect(await allPages(pages(30), 5)).toMatchObject({ nodes: [0, 1, 2, 3, 4], truncated: true });
  });

  test("a failed page ends the read with its errors", async () => {
    const failing = async () => ({ data: null, errors: [{ message: "permits is unreachable" }] });
    expect(await allPages(failing, 5)).toEqual({ nodes: [], truncated: false, errors: [{ message: "permits is unreachable" }] });
  });
});

describe("counting into chart categories", () => {
  test("known categories keep their order and zeros; others follow by size", () => {
    const rows = ["B", "X", "A", "X", "Y", "X", "Y"];
    expect(countBy(rows, (r) => r, ["A", "B", "C"])).toEqual([
      { key: "A", count: 1 },
      { key: "B", count: 1 },
      { key: "C", count: 0 },
      { key: "X", count: 3 },
      { key: "Y", count: 2 },
    ]);
    expect(nonZero(countBy([], (r: string) => r, ["A"]))).toEqual([{ key: "A", count: 0 }]);
  });
});
