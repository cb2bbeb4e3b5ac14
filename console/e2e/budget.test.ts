// The bundle-size budget: what a browser downloads for the first page after sign-in (the dashboard), gzipped.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { expect, test } from "vitest";

/** The stated budget (README): the dashboard's JavaScript and CSS under 350 KB gzipped. */
export const FIRST_PAGE_BUDGET_BYTES = 350 * 1024;

const DIST = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");

interface Chunk {
  file: string;
  css?: string[];
  imports?: string[];
  dynamicImports?: string[];
  isEntry?: boolean;
}

test("the dashboard's first load stays within its gzip budget", () => {
  const manifest = JSON.parse(readFileSync(join(DIST, ".vite", "manifest.json"), "utf8")) as Record<string, Chunk>;
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  const entry = Object.keys(manifest).find((key) => manifest[key]?.isEntry);
  expect(entry).toBeDefined();
  visit(entry as string);
  visit("src/pages/dashboard/Dashboard.tsx");
  const sizes = [...files].map((file) => ({ file, gzip: gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length }));
  const sum = sizes.reduce((total, s) => total + s.gzip, 0);
  console.log(`first page: ${(sum / 1024).toFixed(1)} KB gzip in ${sizes.length} files (budget ${FIRST_PAGE_BUDGET_BYTES / 1024} KB)`);
  expect(sizes.some((s) => s.file.includes("Dashboard"))).toBe(true);
  expect(sum).toBeLessThan(FIRST_PAGE_BUDGET_BYTES);
});
