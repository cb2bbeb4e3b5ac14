// The cases behind a dashboard bar (?stage=…&overdue=true), with the deadline of the stage each is in.
import { PagedBody } from "../../components/PagedBody";
import { Panel } from "../../components/Panel";
import { Table } from "../../components/Table";
import { useConsole, usePagedList } from "../../context";
import type { CaseFilter, CaseListQuery, CaseStage } from "../../gql/graphql";
import { CASE_LIST } from "../../graphql/oversight";
import { useI18n } from "../../i18n/I18n";
import { caseFilterOf } from "../../logic/oversight";
import { Link, type Location } from "../../router";

type Row = CaseListQuery["cases"]["edges"][number]["node"];

export function CaseTable({ rows }: { rows: readonly Row[] }) {
  const { m, label, date } = useI18n();
  return (
    <Table
      rows={rows}
      rowKey={(c) => c.id}
      columns={[
        { header: m("party"), cell: (c) => <Link to={`entities/${c.partyUscc}`}>{c.partyUscc}</Link> },
        { header: m("caseSummary"), cell: (c) => c.summary },
        { header: m("caseStage"), cell: (c) => label("CaseStage", c.stage) },
        { header: m("discoveredOn"), cell: (c) => <time dateTime={c.discoveredOn}>{date(c.discoveredOn)}</time> },
        {
          header: m("dueOn"),
          cell: (c) => (
            <>
              {c.stageDueOn ? <time dateTime={c.stageDueOn}>{date(c.stageDueOn)}</time> : "—"}
              {c.overdue ? <strong className="overdue"> · {m("overdue")}</strong> : null}
            </>
          ),
        },
      ]}
    />
  );
}

export default function CaseList({ location }: { location: Location }) {
  const { client } = useConsole();
  const { m, label } = useI18n();
  const parsed = caseFilterOf(location.query);
  const filter: CaseFilter = {
    ...(parsed.stages ? { stages: parsed.stages as CaseStage[] } : {}),
    ...(parsed.overdue ? { overdue: true } : {}),
  };
  const list = usePagedList<Row>(async (after) => {
    const { data, errors } = await client.request(CASE_LIST, { filter, after });
    return { data: data?.cases ?? null, errors };
  }, JSON.stringify(filter));
  const described = [parsed.stages?.[0] && label("CaseStage", parsed.stages[0]), parsed.overdue && m("overdue")].filter(Boolean);
  return (
    <>
      <h1>{m("listCases")}</h1>
      {described.length > 0 ? (
        <p className="note">
          {m("filteredBy")}: {described.join(" · ")}
        </p>
      ) : null}
      <Panel title={m("listCases")}>
        <PagedBody list={list}>{(rows) => <CaseTable rows={rows} />}</PagedBody>
      </Panel>
    </>
  );
}
