// The market entities behind a chart bar or a map tile, filtered as the link says, a page at a time.
import { PagedBody } from "../../components/PagedBody";
import { Table } from "../../components/Table";
import { Panel } from "../../components/Panel";
import { useConsole, usePagedList } from "../../context";
import type { EntityFilter, EntityListQuery, EntityStatus, EntityType } from "../../gql/graphql";
import { ENTITY_LIST } from "./queries";
import { useI18n } from "../../i18n/I18n";
import { stationName, districtByCode } from "../../logic/orgTree";
import { Link, type Location } from "../../router";



type Row = EntityListQuery["entities"]["edges"][number]["node"];

/** The API filter a list link carries (?status=…&type=…&district=…&station=…&held=true&abnormal=true). */
export function entityFilterOf(query: URLSearchParams): EntityFilter {
  const filter: EntityFilter = {};
  const status = query.get("status");
  const type = query.get("type");
  if (status) filter.status = status as EntityStatus;
  if (type) filter.entityType = type as EntityType;
  if (query.get("district")) filter.districtCode = query.get("district");
  if (query.get("station")) filter.stationCode = query.get("station");
  if (query.get("held") === "true") filter.heldForReview = true;
  if (query.get("abnormal") === "true") filter.onAbnormalList = true;
  if (query.get("name")) filter.nameContains = query.get("name");
  return filter;
}

export function EntityTable({ rows }: { rows: readonly Row[] }) {
  const { m, label } = useI18n();
  return (
    <Table
      rows={rows}
      rowKey={(e) => e.uscc}
      columns={[
        { header: m("name"), cell: (e) => <Link to={`entities/${e.uscc}`}>{e.name}</Link> },
        { header: m("uscc"), cell: (e) => <code>{e.uscc}</code> },
        { header: m("status"), cell: (e) => label("EntityStatus", e.status) },
        { header: m("entityType"), cell: (e) => label("EntityType", e.entityType) },
        { header: m("supervisingOrg"), cell: (e) => `${e.district.area}${e.station ? ` · ${e.station.name}` : ""}` },
      ]}
    />
  );
}

export default function EntityList({ location }: { location: Location }) {
  const { client } = useConsole();
  const { m, label } = useI18n();
  const filter = entityFilterOf(location.query);
  const list = usePagedList<Row>(
    async (after) => {
      const { data, errors } = await client.request(ENTITY_LIST, { filter, after });
      return { data: data?.entities ?? null, errors };
    },
    JSON.stringify(filter),
  );
  const described = [
    filter.status && label("EntityStatus", filter.status),
    filter.entityType && label("EntityType", filter.entityType),
    filter.districtCode && (districtByCode(filter.districtCode)?.area ?? filter.districtCode),
    filter.stationCode && (stationName(filter.stationCode) ?? filter.stationCode),
    filter.heldForReview && label("CreditFlag", "REGISTRATION_HELD"),
    filter.onAbnormalList && label("CreditFlag", "ON_ABNORMAL_LIST"),
    filter.nameContains,
  ].filter(Boolean);
  return (
    <>
      <h1>{m("listEntities")}</h1>
      {described.length > 0 ? (
        <p className="note">
          {m("filteredBy")}: {described.join(" · ")}
        </p>
      ) : null}
      <Panel title={m("listEntities")}>
        <PagedBody list={list}>{(rows) => <EntityTable rows={rows} />}</PagedBody>
      </Panel>
    </>
  );
}
