// The inspection tasks behind a dashboard bar (?status=…&source=…&overdue=true&published=true&publicationOverdue=true).
import { PagedBody } from "../../components/PagedBody";
import { Panel } from "../../components/Panel";
import { Table } from "../../components/Table";
import { useConsole, usePagedList } from "../../context";
import type { TaskFilter, TaskListQuery, TaskSource, TaskStatus } from "../../gql/graphql";
import { TASK_LIST } from "../../graphql/oversight";
import { useI18n } from "../../i18n/I18n";
import { taskFilterOf, taskRowFilter } from "../../logic/oversight";
import { Link, type Location } from "../../router";

type Row = TaskListQuery["inspectionTasks"]["edges"][number]["node"];

export function TaskTable({ rows }: { rows: readonly Row[] }) {
  const { m, label, date } = useI18n();
  return (
    <Table
      rows={rows}
      rowKey={(t) => t.id}
      columns={[
        { header: m("uscc"), cell: (t) => <Link to={`entities/${t.uscc}`}>{t.uscc}</Link> },
        { header: m("taskSource"), cell: (t) => label("TaskSource", t.source) },
        { header: m("reason"), cell: (t) => t.reason },
        { header: m("status"), cell: (t) => label("TaskStatus", t.status) },
        {
          header: m("dueOn"),
          cell: (t) => (
            <>
              <time dateTime={t.dueOn}>{date(t.dueOn)}</time>
              {t.overdue ? <strong className="overdue"> · {m("overdue")}</strong> : null}
            </>
          ),
        },
        { header: m("legalBasis"), cell: (t) => t.dueRule },
      ]}
    />
  );
}

export default function TaskList({ location }: { location: Location }) {
  const { client } = useConsole();
  const { m, label } = useI18n();
  const parsed = taskFilterOf(location.query);
  const where: TaskFilter = {
    ...(parsed.statuses ? { statuses: parsed.statuses as TaskStatus[] } : {}),
    ...(parsed.source ? { source: parsed.source as TaskSource } : {}),
    ...(parsed.overdue ? { overdue: true } : {}),
  };
  const keep = taskRowFilter(location.query);
  const list = usePagedList<Row>(async (after) => {
    const { data, errors } = await client.request(TASK_LIST, { where, after });
    return { data: data?.inspectionTasks ?? null, errors };
  }, location.query.toString());
  const described = [
    parsed.source && label("TaskSource", parsed.source),
    parsed.statuses?.[0] && label("TaskStatus", parsed.statuses[0]),
    parsed.overdue && m("overdue"),
    location.query.get("published") === "true" && m("randomPublished"),
    location.query.get("publicationOverdue") === "true" && m("publicationOverdue"),
  ].filter(Boolean);
  return (
    <>
      <h1>{m("listTasks")}</h1>
      {described.length > 0 ? (
        <p className="note">
          {m("filteredBy")}: {described.join(" · ")}
        </p>
      ) : null}
      <Panel title={m("listTasks")}>
        <PagedBody list={list}>{(rows) => <TaskTable rows={rows.filter(keep)} />}</PagedBody>
      </Panel>
    </>
  );
}
