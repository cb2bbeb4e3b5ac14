// 智监 GraphiQL sign-in: OpenID Connect authorization code + PKCE (S256) in the browser, no library.
// Tokens stay in this tab's sessionStorage; every GraphiQL request carries `Authorization: Bearer …`.
// Settings come from the page (#zhijian-sign-in, rendered from GatewaySettings.oidc_issuer / oidc_client_id).
(() => {
  "use strict";
  const config = JSON.parse(document.getElementById("zhijian-sign-in").textContent);
  const SESSION = "zhijian.session";
  const PENDING = "zhijian.pending";
  const SCOPE = "openid profile offline_access entities:write permits:write"; // writes: the roles then decide
  const here = (path) => new URL(path, window.location.origin).href;

  const base64url = (bytes) =>
    btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const random = (size) => base64url(crypto.getRandomValues(new Uint8Array(size)));
  const s256 = async (verifier) =>
    base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));

  // Display only: the gateway verifies the signature; here we read name and org path to show who is signed in.
  function claims(jwt) {
    try {
      const binary = atob((jwt || "").split(".")[1].replace(/-/g, "+").replace(/_/g, "/"));
      return JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    } catch {
      return {};
    }
  }

  let metadata = null;
  async function discover() {
    if (metadata === null) {
      const response = await fetch(`${config.issuer}/.well-known/openid-configuration`);
      if (!response.ok) throw new Error(`discovery at ${config.issuer} answered HTTP ${response.status}`);
      const found = await response.json();
      if (found.issuer !== config.issuer) throw new Error(`the provider calls itself ${found.issuer}, not ${config.issuer}`);
      metadata = found;
    }
    return metadata;
  }

  function load() {
    try {
      return JSON.parse(sessionStorage.getItem(SESSION));
    } catch {
      return null;
    }
  }

  function save(tokens, previous) {
    const session = {
      access_token: tokens.access_token,
      refresh_token: tokens.refresh_token || (previous && previous.refresh_token) || null,
      id_token: tokens.id_token || (previous && previous.id_token) || null,
      expires_at: Date.now() + 1000 * (tokens.expires_in || 300),
    };
    sessionStorage.setItem(SESSION, JSON.stringify(session));
    return session;
  }

  async function tokenRequest(form) {
    const { token_endpoint } = await discover();
    const response = await fetch(token_endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok || !body.access_token) {
      throw new Error(body.error_description || body.error || `the token endpoint answered HTTP ${response.status}`);
    }
    return body;
  }

  // Access tokens live minutes; refresh (rotating) shortly before expiry, once for concurrent requests.
  let refreshing = null;
  function accessToken() {
    const session = load();
    if (session === null) return Promise.resolve(null);
    if (session.expires_at - Date.now() > 15000) return Promise.resolve(session.access_token);
    if (refreshing === null) {
      const form = { grant_type: "refresh_token", refresh_token: session.refresh_token, client_id: config.clientId };
      refreshing = (session.refresh_token ? tokenRequest(form) : Promise.reject(new Error("no refresh token")))
        .then(
          (tokens) => save(tokens, session).access_token,
          (error) => {
            sessionStorage.removeItem(SESSION);
            render(`会话已过期 / Session ended: ${error.message}`);
            return null;
          },
        )
        .finally(() => {
          refreshing = null;
        });
    }
    return refreshing;
  }

  async function signIn() {
    const { authorization_endpoint } = await discover();
    const pending = { state: random(16), nonce: random(16), verifier: random(48), redirectUri: here(config.callbackPath) };
    sessionStorage.setItem(PENDING, JSON.stringify(pending));
    const url = new URL(authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: "code",
      client_id: config.clientId,
      redirect_uri: pending.redirectUri,
      scope: SCOPE,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await s256(pending.verifier),
      code_challenge_method: "S256",
      ui_locales: navigator.language || "zh-CN",
    }).toString();
    window.location.assign(url.href);
  }

  // On /auth/callback: state first, then iss (RFC 9207 §2.4, errors included), then the code for tokens.
  async function completeSignIn() {
    const params = new URLSearchParams(window.location.search);
    const pending = JSON.parse(sessionStorage.getItem(PENDING) || "null");
    sessionStorage.removeItem(PENDING);
    if (pending === null || params.get("state") !== pending.state) {
      throw new Error("this answer does not belong to a sign-in started in this tab (state); start again");
    }
    if (params.get("iss") !== config.issuer) {
      throw new Error(`the answer names issuer ${params.get("iss")}, not ${config.issuer} (RFC 9207)`);
    }
    if (params.get("error")) throw new Error(`${params.get("error")} ${params.get("error_description") || ""}`);
    const tokens = await tokenRequest({
      grant_type: "authorization_code",
      code: params.get("code"),
      redirect_uri: pending.redirectUri,
      client_id: config.clientId,
      code_verifier: pending.verifier,
    });
    if (tokens.id_token && claims(tokens.id_token).nonce !== pending.nonce) {
      throw new Error("the ID token's nonce does not match this sign-in");
    }
    save(tokens, null);
    window.location.replace(here(config.graphqlPath));
  }

  // RP-initiated logout: the provider ends its session (and the refresh tokens), then sends us back to `/`.
  async function signOut() {
    const session = load();
    sessionStorage.removeItem(SESSION);
    const { end_session_endpoint } = await discover();
    const params = { client_id: config.clientId, post_logout_redirect_uri: here(config.signedOutPath) };
    if (session && session.id_token) params.id_token_hint = session.id_token;
    const url = new URL(end_session_endpoint);
    url.search = new URLSearchParams(params).toString();
    window.location.assign(url.href);
  }

  // An Authorization typed into GraphiQL's Headers tab (say, a machine token) wins over the signed-in officer's.
  async function authorizedFetch(input, init = {}) {
    const headers = new Headers(init.headers || {});
    if (!headers.has("authorization")) {
      const token = await accessToken();
      if (token) headers.set("authorization", `Bearer ${token}`);
    }
    const response = await fetch(input, { ...init, headers });
    if (!headers.has("authorization")) hintIfRefused(response.clone());
    return response;
  }

  // A signed-out answer that refused data for want of a caller: say what to do, in the bar.
  const NEEDS_SIGN_IN = new Set(["UNAUTHORIZED_FIELD_OR_TYPE", "UNAUTHENTICATED"]);
  async function hintIfRefused(response) {
    if (!(response.headers.get("content-type") || "").includes("json")) return;
    const body = await response.json().catch(() => null);
    const errors = (body && body.errors) || [];
    if (errors.some((error) => NEEDS_SIGN_IN.has(error.extensions && error.extensions.code))) {
      render("这些数据需要登录，请点击 登录 / Sign in — this data needs a signed-in officer");
    }
  }

  function element(tag, text, attributes = {}) {
    const node = document.createElement(tag);
    node.textContent = text;
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    return node;
  }

  function render(problem) {
    const bar = document.getElementById("zhijian-auth");
    if (!bar) return;
    bar.style.cssText =
      "display:flex;gap:.75rem;align-items:center;padding:.35rem .75rem;font:14px system-ui,sans-serif;" +
      "border-bottom:1px solid #d0d7de;background:#f6f8fa";
    bar.replaceChildren(element("strong", "智监 GraphQL", { style: "margin-right:auto" }));
    if (problem) bar.append(element("span", problem, { role: "alert", style: "color:#b42318" }));
    const session = load();
    if (session === null) {
      const button = element("button", "登录 / Sign in", { type: "button", id: "zhijian-sign-in-button" });
      button.addEventListener("click", () => signIn().catch((error) => render(`登录失败 / Sign-in failed: ${error.message}`)));
      bar.append(element("span", "未登录 / Not signed in"), button);
      return;
    }
    const person = claims(session.id_token);
    const access = claims(session.access_token);
    const who = person.name || person.preferred_username || access.sub || "?";
    bar.append(
      element("span", `已登录 / Signed in: ${who}`, { id: "zhijian-signed-in" }),
      element("code", access.org_path || "", { title: "org_path (jurisdiction)" }),
    );
    const button = element("button", "退出 / Sign out", { type: "button", id: "zhijian-sign-out-button" });
    button.addEventListener("click", () => signOut().catch((error) => render(`退出失败 / Sign-out failed: ${error.message}`)));
    bar.append(button);
  }

  window.zhijianSignIn = { fetch: authorizedFetch, signIn, signOut };
  if (window.location.pathname === config.callbackPath) {
    completeSignIn().catch((error) => {
      const notice = document.getElementById("zhijian-callback");
      notice.replaceChildren(
        element("span", `登录失败 / Sign-in failed: ${error.message} `, { role: "alert" }),
        element("a", "返回 / Back to GraphiQL", { href: here(config.graphqlPath) }),
      );
    });
  } else {
    render();
  }
})();
