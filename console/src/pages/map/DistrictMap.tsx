// 辖区地图: the 11 districts — and the stations of the signed-in (or chosen) district — as a schematic tile map
// coloured by an indicator. Tiles are links to the entities behind them.
import { useId } from "react";
import { LoadedPanel, Panel } from "../../components/Panel";
import { useConsole } from "../../context";
import { entityCensus, forget, type CensusEntity } from "../../graphql/census";
import { useI18n } from "../../i18n/I18n";
import type { MessageId } from "../../i18n/messages";
import { DISTRICTS, districtByCode, jurisdictionOf } from "../../logic/orgTree";
import { SHADES, districtTiles, shadeClass, stationTiles, textOn, type Tile } from "../../logic/tileMap";
import { Link, navigate, withQuery, type Location } from "../../router";
import { usePages } from "../dashboard/panels";

export const INDICATORS = {
  entities: { message: "indicatorEntities", counts: () => true, filter: {} },
  creditFlags: { message: "indicatorCreditFlags", counts: (e: CensusEntity) => e.creditFlags.length > 0, filter: { abnormal: "true" } },
  held: { message: "indicatorHeld", counts: (e: CensusEntity) => e.heldForReview, filter: { held: "true" } },
} as const satisfies Record<string, { message: MessageId; counts: (e: CensusEntity) => boolean; filter: Record<string, string> }>;
export type Indicator = keyof typeof INDICATORS;

function TileGrid({
  tiles,
  values,
  link,
  label,
  inside,
}: {
  tiles: readonly Tile[];
  values: ReadonlyMap<string, number>;
  link: (tile: Tile) => string;
  label: string;
  inside: (tile: Tile) => boolean;
}) {
  const { m, count } = useI18n();
  const max = Math.max(0, ...values.values());
  return (
    <ul className="tile-map" aria-label={label}>
      {tiles.map((tile) => {
        const value = values.get(tile.code) ?? 0;
        const mine = inside(tile);
        const background: string = mine ? (SHADES[shadeClass(value, max)] ?? SHADES[0]) : "#f1f3f5";
        const style = { gridColumn: tile.col, gridRow: tile.row, background, color: mine ? textOn(background) : "#495057" };
        return (
          <li key={tile.code} style={style} className={mine ? "tile" : "tile outside"}>
            {mine ? (
              <Link to={link(tile)} style={{ color: style.color }}>
                <span className="tile-name">{tile.label}</span>
                <span className="tile-value">{count(value)}</span>
              </Link>
            ) : (
              <span title={m("outsideJurisdiction")}>
                <span className="tile-name">{tile.label}</span>
                <span className="tile-value">—</span>
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function Legend({ max }: { max: number }) {
  const { m, count } = useI18n();
  return (
    <p className="legend">
      <span>{m("legend")}:</span>
      {SHADES.map((shade, i) => (
        <span key={shade} className="legend-step" style={{ background: shade, color: textOn(shade) }}>
          {i === 0 ? "0" : i === SHADES.length - 1 ? count(max) : ""}
        </span>
      ))}
    </p>
  );
}

export default function DistrictMap({ location }: { location: Location }) {
  const { client, officer } = useConsole();
  const { m } = useI18n();
  const selectId = useId();
  const mine = jurisdictionOf(officer.orgPath);
  const indicator: Indicator = (Object.keys(INDICATORS) as Indicator[]).find((k) => k === location.query.get("indicator")) ?? "entities";
  const spec = INDICATORS[indicator];
  const chosen = mine.district ?? districtByCode(location.query.get("district") ?? "") ?? null;
  const [state, reload] = usePages(() => entityCensus(client), "entities");
  const change = (next: Record<string, string | null>) =>
    navigate(withQuery("map", { indicator, district: mine.district ? null : (chosen?.code ?? null), ...next }), true);
  return (
    <>
      <h1>{m("mapTitle")}</h1>
      <div className="toolbar">
        <label htmlFor={selectId}>{m("mapIndicator")}</label>
        <select id={selectId} value={indicator} onChange={(e) => change({ indicator: e.target.value })}>
          {(Object.keys(INDICATORS) as Indicator[]).map((k) => (
            <option key={k} value={k}>
              {m(INDICATORS[k].message)}
            </option>
          ))}
        </select>
      </div>
      <p className="note">{m("mapSchematic")}</p>
      <LoadedPanel title={m(spec.message)} state={state} retry={() => (forget(client), reload())} className="map-panel">
        {(pages) => {
          const counted = pages.nodes.filter(spec.counts);
          const byDistrict = new Map<string, number>();
          const byStation = new Map<string, number>();
          for (const e of counted) {
            byDistrict.set(e.districtCode, (byDistrict.get(e.districtCode) ?? 0) + 1);
            if (e.stationCode) byStation.set(e.stationCode, (byStation.get(e.stationCode) ?? 0) + 1);
          }
          const districtValues = new Map(DISTRICTS.map((d) => [d.code, byDistrict.get(d.code) ?? 0]));
          return (
            <>
              <TileGrid
                tiles={districtTiles(DISTRICTS)}
                values={districtValues}
                label={m("mapTitle")}
                inside={(t) => mine.district === null || mine.district.code === t.code}
                link={(t) => (mine.district ? withQuery("entities", { district: t.code, ...spec.filter }) : withQuery("map", { indicator, district: t.code }))}
              />
              <Legend max={Math.max(0, ...districtValues.values())} />
              {chosen ? (
                <Panel title={m("stationsOf", { district: chosen.area })}>
                  <p className="note">
                    {m("stationsOrder")}{" "}
                    <Link to={withQuery("entities", { district: chosen.code, ...spec.filter })}>
                      {chosen.area} · {m("drillDown")}
                    </Link>
                  </p>
                  {chosen.stations.length === 0 ? (
                    <p>{m("noData")}</p>
                  ) : (
                    <TileGrid
                      tiles={stationTiles(chosen)}
                      values={new Map(chosen.stations.map((s) => [s.code, byStation.get(s.code) ?? 0]))}
                      label={m("stationsOf", { district: chosen.area })}
                      inside={(t) => mine.station === null || mine.station.code === t.code}
                      link={(t) => withQuery("entities", { station: t.code, ...spec.filter })}
                    />
                  )}
                </Panel>
              ) : null}
            </>
          );
        }}
      </LoadedPanel>
    </>
  );
}
