// Drives the zhijian provider with the certified openid-client RP library (v6):
// authorization code + PKCE (the login form filled in like a browser), refresh, client credentials.
// Usage: node check.mjs <issuer> <browser-client-id> <redirect-uri> <username> <password> <machine-id> <machine-secret>
//        [<jwt-client-id> <private-jwk-json>]   (client credentials with private_key_jwt)
import * as client from 'openid-client';

const [issuer, browserClient, redirectUri, username, password, machineId, machineSecret, jwtClientId, privateJwk] =
  process.argv.slice(2);
const insecureLocalhost = { execute: [client.allowInsecureRequests] };

const jar = new Map();
async function browse(url, init = {}) {
  const headers = new Headers(init.headers || {});
  if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
  const response = await fetch(url, { ...init, headers, redirect: 'manual' });
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const at = pair.indexOf('=');
    jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return response;
}
const next = (response) => new URL(response.headers.get('location'), issuer).href;
const unescape = (s) => s.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#x27;', "'");

const config = await client.discovery(new URL(issuer), browserClient, undefined, client.None(), insecureLocalhost);
const codeVerifier = client.randomPKCECodeVerifier();
const state = client.randomState();
const nonce = client.randomNonce();
const authorizationUrl = client.buildAuthorizationUrl(config, {
  redirect_uri: redirectUri,
  scope: 'openid profile offline_access',
  code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
  code_challenge_method: 'S256',
  state,
  nonce,
});

let response = await browse(authorizationUrl.href);
if (response.status !== 303) throw new Error(`expected the login redirect, got ${response.status}`);
response = await browse(next(response));
const page = await response.text();
const field = (name) => unescape(page.match(new RegExp(`name="${name}" value="([^"]*)"`))[1]);
response = await browse(new URL('/login', issuer).href, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ csrf: field('csrf'), return_to: field('return_to'), username, password }),
});
if (response.status !== 303) throw new Error(`login failed: ${response.status}`);
response = await browse(next(response));
if (response.status !== 302) throw new Error(`expected the callback redirect, got ${response.status}`);

const tokens = await client.authorizationCodeGrant(config, new URL(response.headers.get('location')), {
  pkceCodeVerifier: codeVerifier,
  expectedState: state,
  expectedNonce: nonce,
  idTokenExpected: true,
});
const claims = tokens.claims();
const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);

const machine = await client.discovery(
  new URL(issuer), machineId, machineSecret, client.ClientSecretBasic(machineSecret), insecureLocalhost,
);
const machineTokens = await client.clientCredentialsGrant(machine, {});

let jwtClientScope = null;
if (jwtClientId) {
  const jwk = JSON.parse(privateJwk);
  const key = await crypto.subtle.importKey('jwk', jwk, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  const jwtClient = await client.discovery(
    new URL(issuer), jwtClientId, undefined, client.PrivateKeyJwt({ key, kid: jwk.kid }), insecureLocalhost,
  );
  jwtClientScope = (await client.clientCredentialsGrant(jwtClient, {})).scope;
}

console.log(JSON.stringify({
  sub: claims.sub,
  org_path: claims.org_path,
  userinfo_org_path: userinfo.org_path,
  refreshed_rotated: refreshed.refresh_token !== tokens.refresh_token,
  refreshed_sub: refreshed.claims()?.sub,
  machine_scope: machineTokens.scope,
  machine_token_type: machineTokens.token_type,
  jwt_client_scope: jwtClientScope,
}));
