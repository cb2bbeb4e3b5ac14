// The applications behind the dashboard's deadline chart.
import { LoadedPanel } from "../../components/Panel";
import { useConsole } from "../../context";
import { forget, openApplications } from "../../graphql/census";
import { useI18n } from "../../i18n/I18n";
import type { MessageId } from "../../i18n/messages";
import { DEADLINE_BUCKETS, deadlineBucket, nextDeadline } from "../../logic/deadlines";
import type { Location } from "../../router";
import { usePages } from "../dashboard/panels";
import { ApplicationTable } from "./ApplicationTable";

export default function ApplicationList({ location }: { location: Location }) {
  const { client, today } = useConsole();
  const { m } = useI18n();
  const wanted = location.query.get("deadline");
  const bucket = DEADLINE_BUCKETS.find((b) => b === wanted) ?? null;
  const [state, reload] = usePages(() => openApplications(client), "applications");
  return (
    <>
      <h1>{m("listApplications")}</h1>
      {bucket ? <p className="note">{`${m("applicationsDue")} · ${m(bucket as MessageId)}`}</p> : null}
      <LoadedPanel title={m("listApplications")} state={state} retry={() => (forget(client), reload())}>
        {(pages) => {
          const rows = pages.nodes.filter((a) => bucket === null || deadlineBucket(nextDeadline(a, today), today) === bucket);
          return rows.length === 0 ? <p>{m("noData")}</p> : <ApplicationTable rows={rows} roles={null} />;
        }}
      </LoadedPanel>
    </>
  );
}
