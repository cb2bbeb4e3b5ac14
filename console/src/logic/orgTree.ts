// The 1+11+74 org tree, generated at build time from the hub's reference data (scripts/reference-data.mjs).
import tree from "../generated/orgTree.json";

export interface OrgStation {
  code: string;
  name: string;
}
export interface OrgDistrict {
  code: string;
  name: string;
  area: string;
  stations: OrgStation[];
}

export const CITY: { code: string; name: string; area: string } = tree.city;
export const DISTRICTS: readonly OrgDistrict[] = tree.districts;

export type Level = "CITY" | "DISTRICT" | "STATION";

/** Where an officer's org path (440300/440304/440304001) puts them: the level and the units below the city. */
export interface Jurisdiction {
  level: Level;
  district: OrgDistrict | null;
  station: OrgStation | null;
}

export function jurisdictionOf(orgPath: string): Jurisdiction {
  const [, districtCode, stationCode] = orgPath.split("/");
  const district = DISTRICTS.find((d) => d.code === districtCode) ?? null;
  const station = district?.stations.find((s) => s.code === stationCode) ?? null;
  if (station) return { level: "STATION", district, station };
  if (district) return { level: "DISTRICT", district, station: null };
  return { level: "CITY", district: null, station: null };
}

/** The org path in words: 深圳市 / 福田区 / 南园. */
export function orgPathNames(orgPath: string): string[] {
  const { district, station } = jurisdictionOf(orgPath);
  return [CITY.area, district?.area, station?.name].filter((part): part is string => Boolean(part));
}

export function districtByCode(code: string): OrgDistrict | undefined {
  return DISTRICTS.find((d) => d.code === code);
}

export function stationName(code: string): string | undefined {
  for (const district of DISTRICTS) {
    const station = district.stations.find((s) => s.code === code);
    if (station) return station.name;
  }
  return undefined;
}
