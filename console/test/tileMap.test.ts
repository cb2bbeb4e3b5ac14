import { describe, expect, test } from "vitest";
import { DISTRICTS, jurisdictionOf, orgPathNames } from "../src/logic/orgTree";
import { SHADES, contrastRatio, districtTiles, shadeClass, stationTiles, textOn } from "../src/logic/tileMap";

describe("the schematic map", () => {
  test("the hub's org tree has the 11 district bureaus, each with a tile of its own", () => {
    const tiles = districtTiles(DISTRICTS);
    expect(tiles).toHaveLength(11);
    const cells = new Set(tiles.map((t) => `${t.col},${t.row}`));
    expect(cells.size).toBe(11);
    expect(tiles.every((t) => t.row < 4)).toBe(true); // all placed by geography, none in the spare row
  });

  test("west lies left of east: 宝安 < 南山 < 福田 < 罗湖 < 盐田 < 大鹏 < 深汕", () => {
    const col = (area: string) => districtTiles(DISTRICTS).find((t) => t.label === area)?.col ?? -1;
    const westToEast = ["宝安区", "福田区", "罗湖区", "盐田区", "大鹏新区", "深汕特别合作区"].map(col);
    expect(westToEast).toEqual([...westToEast].sort((a, b) => a - b));
    expect(col("南山区")).toBeLessThan(col("福田区"));
  });

  test("stations of a district in code order, four to a row", () => {
    const futian = DISTRICTS.find((d) => d.code === "440304");
    const tiles = stationTiles(futian!);
    expect(tiles).toHaveLength(10);
    expect(tiles[0]).toMatchObject({ code: "440304001", label: "南园", col: 1, row: 1 });
    expect(tiles[4]).toMatchObject({ col: 1, row: 2 });
  });

  test("zero is the lightest shade and only the maximum the darkest", () => {
    expect(shadeClass(0, 31)).toBe(0);
    expect(shadeClass(1, 31)).toBe(1);
    expect(shadeClass(30, 31)).toBe(SHADES.length - 2);
    expect(shadeClass(31, 31)).toBe(SHADES.length - 1);
    expect(shadeClass(5, 0)).toBe(0);
  });

  test("the label on every shade meets WCAG AA (4.5:1)", () => {
    for (const shade of SHADES) expect(contrastRatio(shade, textOn(shade))).toBeGreaterThanOrEqual(4.5);
  });
});

describe("an officer's jurisdiction from the org path", () => {
  test.each([
    ["440300", "CITY", ["深圳市"]],
    ["440300/440304", "DISTRICT", ["深圳市", "福田区"]],
    ["440300/440304/440304001", "STATION", ["深圳市", "福田区", "南园"]],
    ["440300/DPXQ/440307013", "STATION", ["深圳市", "大鹏新区", "大鹏"]],
  ])("%s is %s", (path, level, names) => {
    expect(jurisdictionOf(path).level).toBe(level);
    expect(orgPathNames(path)).toEqual(names);
  });
});
