// Drives the zhijian provider with the certified openid-client RP library (v6): authorization code + PKCE (the
// login form filled in like a browser) for a public client, a confidential client authenticating with
// private_key_jwt, and an enterprise user at the enterprise entrance; refresh; client credentials with a secret and
// with private_key_jwt.
// Usage: node check.mjs '<json>' with issuer, redirectUri, password, officer, public, confidential {clientId, jwk},
//        enterprise {clientId, username}, machine {clientId, secret}, jwtMachine {clientId, jwk}
import * as client from 'openid-client';

const args = JSON.parse(process.argv[2]);
const { issuer, redirectUri, password } = args;
const insecureLocalhost = { execute: [client.allowInsecureRequests] };

async function signingKey(jwk) {
  const key = await crypto.subtle.importKey('jwk', jwk, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  return client.PrivateKeyJwt({ key, kid: jwk.kid });
}

function browser() {
  const jar = new Map();
  return async function browse(url, init = {}) {
    const headers = new Headers(init.headers || {});
    if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return response;
  };
}
const next = (response) => new URL(response.headers.get('location'), issuer).href;
const unescape = (s) => s.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#x27;', "'");

async function codeFlow(config, username, population, scope) {
  const browse = browser();
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const authorizationUrl = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope,
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
    body: new URLSearchParams({ csrf: field('csrf'), return_to: field('return_to'), username, password, population }),
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
  return {
    sub: claims.sub,
    population: claims.population,
    org_path: claims.org_path ?? null,
    usccs: claims.usccs ?? null,
    userinfo_org_path: userinfo.org_path ?? null,
    userinfo_usccs: userinfo.usccs ?? null,
    refreshed_rotated: refreshed.refresh_token !== tokens.refresh_token,
    refreshed_sub: refreshed.claims()?.sub,
  };
}

const publicApp = await client.discovery(new URL(issuer), args.public, undefined, client.None(), insecureLocalhost);
const officer = await codeFlow(publicApp, args.officer, 'officer', 'openid profile offline_access');

const confidentialApp = await client.discovery(
  new URL(issuer), args.confidential.clientId, undefined, await signingKey(args.confidential.jwk), insecureLocalhost,
);
const confidential = await codeFlow(confidentialApp, args.officer, 'officer', 'openid profile offline_access');

const enterpriseApp = await client.discovery(
  new URL(issuer), args.enterprise.clientId, undefined, client.None(), insecureLocalhost,
);
const enterprise = await codeFlow(enterpriseApp, args.enterprise.username, 'enterprise', 'openid profile offline_access');

const machine = await client.discovery(
  new URL(issuer), args.machine.clientId, args.machine.secret, client.ClientSecretBasic(args.machine.secret),
  insecureLocalhost,
);
const machineTokens = await client.clientCredentialsGrant(machine, {});
const jwtMachine = await client.discovery(
  new URL(issuer), args.jwtMachine.clientId, undefined, await signingKey(args.jwtMachine.jwk), insecureLocalhost,
);
const jwtMachineScope = (await client.clientCredentialsGrant(jwtMachine, {})).scope;

console.log(JSON.stringify({
  officer,
  confidential,
  enterprise,
  machine_scope: machineTokens.scope,
  machine_token_type: machineTokens.token_type,
  jwt_client_scope: jwtMachineScope,
}));
