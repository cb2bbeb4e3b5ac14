// Writes src/generated/{orgTree,legalRules}.json from the hub's own reference data (the 1+11+74 org tree and the
// versioned legal rules), so the console carries no second copy of either. The files are found by name and content
// (the hub's packages may move them); an output is rewritten only when it changes, so make sees nothing stale.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "smol-toml";

const SKIP = new Set(["node_modules", ".git", ".venv", ".zhijian", "console", "tests", "build", "dist", "deploy"]);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");

function tomlFiles(folder, depth = 0, found = []) {
  if (depth > 6) return found;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isFile() && entry.name.endsWith(".toml") && entry.name !== "pyproject.toml") found.push(path);
    else if (entry.isDirectory() && !SKIP.has(entry.name) && !entry.name.startsWith(".")) tomlFiles(path, depth + 1, found);
  }
  return found;
}

function write(name, value) {
  const target = join(here, "..", "src", "generated", name);
  mkdirSync(dirname(target), { recursive: true });
  const text = `${JSON.stringify(value, null, 1)}\n`;
  let previous = null;
  try {
    previous = readFileSync(target, "utf8");
  } catch {}
  if (previous !== text) writeFileSync(target, text);
}

const files = tomlFiles(root).sort().map((path) => ({ path, data: parse(readFileSync(path, "utf8")) }));
const org = files.find((f) => f.data.city && Array.isArray(f.data.district));
if (!org) {
  console.error(`reference-data: no org tree (a TOML with [city] and [[district]]) under ${root}`);
  process.exit(1);
}
write("orgTree.json", {
  source: relative(root, org.path),
  version: org.data.version,
  city: { code: org.data.city.code, name: org.data.city.name, area: org.data.city.area },
  districts: org.data.district.map((d) => ({
    code: d.code,
    name: d.name,
    area: d.area,
    stations: (d.stations ?? []).map(([code, name]) => ({ code, name })),
  })),
});

const rules = files.filter((f) => Array.isArray(f.data.rule)).flatMap((f) => f.data.rule);
if (rules.length === 0) {
  console.error(`reference-data: no legal rules (TOML files with [[rule]]) under ${root}`);
  process.exit(1);
}
const iso = (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value));
write(
  "legalRules.json",
  Object.fromEntries(rules.map((r) => [`${r.key}@${iso(r.effective_from)}`, { basis: r.basis, certainty: r.certainty ?? null }])),
);
