// Permit applications whose next step is mine (by role, in my jurisdiction), most urgent first.
import { LoadedPanel } from "../../components/Panel";
import { useConsole } from "../../context";
import { forget, openApplications } from "../../graphql/census";
import { useI18n } from "../../i18n/I18n";
import { nextDeadline } from "../../logic/deadlines";
import { stepFor } from "../../logic/roles";
import { ApplicationTable } from "../lists/ApplicationTable";
import { usePages } from "../dashboard/panels";

export function ApplicationsAwaitingMe() {
  const { client, officer, today } = useConsole();
  const { m } = useI18n();
  const [state, reload] = usePages(() => openApplications(client), "applications");
  return (
    <LoadedPanel title={m("worklistApplications")} state={state} retry={() => (forget(client), reload())}>
      {(pages) => {
        const rows = pages.nodes
          .filter((a) => stepFor(a, officer.roles) !== null)
          .map((a) => ({ a, due: nextDeadline(a, today)?.dueOn ?? "9999-12-31" }))
          .sort((x, y) => x.due.localeCompare(y.due))
          .map(({ a }) => a);
        return rows.length === 0 ? <p>{m("nothingAwaiting")}</p> : <ApplicationTable rows={rows} roles={officer.roles} />;
      }}
    </LoadedPanel>
  );
}
