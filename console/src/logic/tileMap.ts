// The schematic district map: one tile per district, placed on a grid by rough geography (west → east,
// north → south), coloured by an indicator with text that keeps WCAG AA contrast on every shade.
import type { OrgDistrict } from "./orgTree";

/** Grid cell (column, row) of each district bureau; 深汕 sits apart, far to the east, as it does on the ground. */
export const DISTRICT_TILES: Readonly<Record<string, { col: number; row: number }>> = {
  "440311": { col: 2, row: 1 }, // 光明
  "440306": { col: 1, row: 2 }, // 宝安
  "440309": { col: 3, row: 2 }, // 龙华
  "440307": { col: 4, row: 2 }, // 龙岗
  "440310": { col: 5, row: 2 }, // 坪山
  "440305": { col: 1, row: 3 }, // 南山
  "440304": { col: 2, row: 3 }, // 福田
  "440303": { col: 3, row: 3 }, // 罗湖
  "440308": { col: 4, row: 3 }, // 盐田
  DPXQ: { col: 5, row: 3 }, // 大鹏新区
  SSTHQ: { col: 7, row: 2 }, // 深汕特别合作区
};

export interface Tile {
  code: string;
  label: string;
  col: number;
  row: number;
}

/** Tiles of the 11 districts; a district missing from the layout goes to a spare row, so none is ever dropped. */
export function districtTiles(districts: readonly OrgDistrict[]): Tile[] {
  let spare = 0;
  return districts.map((d) => {
    const cell = DISTRICT_TILES[d.code] ?? { col: 1 + spare++, row: 4 };
    return { code: d.code, label: d.area, ...cell };
  });
}

/** Tiles of one district's stations, in code order, in rows of `width` (their real positions are not in our data). */
export function stationTiles(district: OrgDistrict, width = 4): Tile[] {
  return [...district.stations]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((s, i) => ({ code: s.code, label: s.name, col: 1 + (i % width), row: 1 + Math.floor(i / width) }));
}

/** Sequential blues, light to dark (ColorBrewer "Blues", 5 classes). */
export const SHADES = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"] as const;

/** The shade class (0–4) of `value` on a 0…max scale; 0 for zero, the top class only for the maximum. */
export function shadeClass(value: number, max: number): number {
  if (max <= 0 || value <= 0) return 0;
  const top = SHADES.length - 1;
  if (value >= max) return top;
  return Math.min(top - 1, 1 + Math.floor(((top - 1) * (value - 1)) / (max - 1)));
}

function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two #rrggbb colours. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Black or white text, whichever reads better on `background`. */
export function textOn(background: string): string {
  return contrastRatio(background, "#000000") >= contrastRatio(background, "#ffffff") ? "#000000" : "#ffffff";
}
