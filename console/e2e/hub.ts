// Vitest global setup for the browser tests: a real `zhijian up` on free ports with its data in a temporary folder,
// a console client registered for its address, two permit applications submitted through the API, and a second,
// split-form gateway (`zhijian gateway`) over the same hub whose permits subgraph URL has nothing listening — the
// permits service stopped, as the gateway sees it.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const ZHIJIAN = join(REPO, ".venv", "bin", "zhijian");
export const CLIENT_ID = "zhijian-console-e2e";
export const PASSWORD = "zhijian-demo-2026";
export const ACCESS_TOKEN_TTL_S = 40;
/** The subgraphs besides entities and permits (which the tests place themselves): each gets a free port. */
const OTHER_SUBGRAPHS = ["supervision", "enforcement", "detection", "integration"] as const;

export interface HubInfo {
  url: string;
  splitUrl: string;
  issuer: string;
  applications: { submitted: string; accepted: string };
  futianEntity: string;
  /** An edge box's machine client (role device_gateway) and a Futian demo camera, to raise kitchen alerts. */
  edge: { clientId: string; secret: string; deviceId: string; cameraId: string };
}

declare module "vitest" {
  export interface ProvidedContext {
    hub: HubInfo;
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => done(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function waitFor(url: string, process: ChildProcess, output: () => string, seconds = 120): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (process.exitCode !== null) throw new Error(`${url}: the process exited ${process.exitCode}:\n${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${seconds} s:\n${output()}`);
}

function run(args: string[], env: NodeJS.ProcessEnv, cwd: string, input?: string): string {
  const result = spawnSync(ZHIJIAN, args, { env, cwd, input, encoding: "utf8", timeout: 120_000 });
  if (result.status !== 0) throw new Error(`zhijian ${args.join(" ")} failed (${result.status}): ${result.stderr}${result.stdout}`);
  return result.stdout.trim();
}

function start(args: string[], env: NodeJS.ProcessEnv, cwd: string): { process: ChildProcess; output: () => string } {
  let text = "";
  const child = spawn(ZHIJIAN, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return { process: child, output: () => text };
}

async function graphql(url: string, token: string, query: string): Promise<Record<string, any>> {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: Record<string, any>; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`${query}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const workdir = mkdtempSync(join(tmpdir(), "zhijian-console-e2e-"));
  const [gateway, identity, entities, permits, split, dead] = await Promise.all(Array.from({ length: 6 }, freePort));
  // every other subgraph on a free port too, so the split gateway below reaches this hub's and no other's
  const others = Object.fromEntries(
    await Promise.all(OTHER_SUBGRAPHS.map(async (name) => [name, await freePort()] as const)),
  ) as Record<(typeof OTHER_SUBGRAPHS)[number], number>;
  const url = `http://127.0.0.1:${gateway}`;
  const splitUrl = `http://127.0.0.1:${split}`;
  const issuer = `http://127.0.0.1:${identity}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ZHIJIAN_DATA_DIR: join(workdir, ".zhijian"),
    ZHIJIAN_GATEWAY_PORT: String(gateway),
    ZHIJIAN_IDENTITY_PORT: String(identity),
    ZHIJIAN_IDENTITY_ISSUER: issuer,
    ZHIJIAN_IDENTITY_GATEWAY_AUDIENCE: `${url}/graphql`,
    ZHIJIAN_IDENTITY_CORS_ORIGINS: `${url},${splitUrl}`,
    ZHIJIAN_ENTITIES_PORT: String(entities),
    ZHIJIAN_PERMITS_PORT: String(permits),
    ...Object.fromEntries(OTHER_SUBGRAPHS.map((name) => [`ZHIJIAN_${name.toUpperCase()}_PORT`, String(others[name])])),
    ZHIJIAN_GATEWAY_CONSOLE_CLIENT_ID: CLIENT_ID,
    ZHIJIAN_LOG_LEVEL: "warning",
    // short-lived access tokens: the console renews them (refresh token) 30 s before expiry, so every 10 s here
    ZHIJIAN_IDENTITY_ACCESS_TOKEN_TTL: String(ACCESS_TOKEN_TTL_S),
  };
  delete env.ZHIJIAN_DATABASE_URL;
  const children: ChildProcess[] = [];
  const teardown = async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGINT");
    await Promise.all(
      children.map((child) => (child.exitCode === null ? new Promise((r) => child.once("exit", r)) : Promise.resolve())),
    );
    rmSync(workdir, { recursive: true, force: true });
  };
  try {
    const callbacks = [url, splitUrl].flatMap((origin) => ["--redirect-uri", `${origin}/console/auth/callback`]);
    const landings = [url, splitUrl].flatMap((origin) => ["--post-logout-redirect-uri", `${origin}/console/`]);
    run(["clients", "add", CLIENT_ID, "--name", "console e2e", "--kind", "browser", ...callbacks, ...landings], env, workdir);
    // Applications come from the government-service portal (a machine client with the role service_portal).
    const portal = run(["clients", "add", "e2e-portal", "--name", "service portal (e2e)", "--kind", "machine", "--scope",
      "permits:write", "--scope", "jurisdiction:city", "--role", "service_portal"], env, workdir);
    const portalSecret = (portal.split("shown once): ")[1] ?? "").trim();
    // Kitchen alerts come from edge boxes through the ingestion adapter's client (role device_gateway).
    const edgeClient = run(["clients", "add", "e2e-edge", "--name", "edge boxes (e2e)", "--kind", "machine", "--scope",
      "detection:write", "--scope", "jurisdiction:city", "--role", "device_gateway"], env, workdir);
    const edgeSecret = (edgeClient.split("shown once): ")[1] ?? "").trim();

    const hub = start(["up"], env, workdir);
    children.push(hub.process);
    await waitFor(`${url}/health`, hub.process, hub.output);

    const supergraph = OTHER_SUBGRAPHS.reduce(
      (text, name) =>
        text.replace(new RegExp(`(@join__graph\\(name: "${name}", url: ")[^"]+`), `$1http://127.0.0.1:${others[name]}/graphql`),
      readFileSync(join(REPO, "schema", "supergraph.graphql"), "utf8"),
    )
      .replace(/(@join__graph\(name: "entities", url: ")[^"]+/, `$1http://127.0.0.1:${entities}/graphql`)
      .replace(/(@join__graph\(name: "permits", url: ")[^"]+/, `$1http://127.0.0.1:${dead}/graphql`);
    writeFileSync(join(workdir, "split.graphql"), supergraph);
    const splitEnv = {
      ...env,
      ZHIJIAN_GATEWAY_ISSUER: issuer,
      ZHIJIAN_GATEWAY_AUDIENCE: `${url}/graphql`,
      ZHIJIAN_GATEWAY_OIDC_ISSUER: issuer,
      // the split gateway signs with the hub's own forwarding key (generated under the data dir by `zhijian up`)
      ZHIJIAN_GATEWAY_FORWARDING_KEY_FILE: join(workdir, ".zhijian", "forwarding-ed25519.pem"),
      ZHIJIAN_GATEWAY_SUBGRAPH_TIMEOUT: "5",
      ZHIJIAN_GATEWAY_CONSOLE_DIR: join(REPO, "console", "dist"), // `zhijian up` finds it by itself; the gateway alone is told
    };
    const gatewayProcess = start(
      ["gateway", "--supergraph", join(workdir, "split.graphql"), "--host", "127.0.0.1", "--port", String(split)],
      splitEnv,
      workdir,
    );
    children.push(gatewayProcess.process);
    await waitFor(`${splitUrl}/health`, gatewayProcess.process, gatewayProcess.output);

    // Work for the worklists, through the public API: the portal files two applications, the Futian case officer
    // (an inspector too) accepts one.
    const token = run(["login", "futian.case", "--password-stdin", "--issuer", issuer, "--client-id", "zhijian-officer-app"], env, workdir, PASSWORD);
    const granted = await fetch(`${issuer}/token`, {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from(`e2e-portal:${portalSecret}`).toString("base64")}` },
      body: new URLSearchParams({ grant_type: "client_credentials" }),
    });
    const portalToken = ((await granted.json()) as { access_token: string }).access_token;
    const found = await graphql(url, token, `{ entities(first: 1, filter: { stationCode: "440304001" }) { edges { node { uscc name premises legalRepresentative { name } } } } }`);
    const entity = found.entities.edges[0].node;
    const submit = async () =>
      (
        await graphql(
          url,
          portalToken,
          `mutation { submitPermitApplication(input: { kind: JY, businessForm: 2, applicantUscc: "${entity.uscc}",
            applicantName: "${entity.name}", legalRepresentative: "${entity.legalRepresentative.name}",
            premisesAddress: "${entity.premises}", premisesRegion: "440304", items: ["CATERING_HOT"] }) { application { id } } }`,
        )
      ).submitPermitApplication.application.id as string;
    const submitted = await submit();
    const accepted = await submit();
    await graphql(url, token, `mutation { acceptApplication(id: "${accepted}") { application { state } } }`);
    const cameras = await graphql(url, token, `{ kitchenAlerts(states: [CANDIDATE]) { deviceId cameraId } }`);
    const camera = cameras.kitchenAlerts[0];
    const edge = { clientId: "e2e-edge", secret: edgeSecret, deviceId: camera.deviceId, cameraId: camera.cameraId };
    project.provide("hub", { url, splitUrl, issuer, applications: { submitted, accepted }, futianEntity: entity.uscc, edge });
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
