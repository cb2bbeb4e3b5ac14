// My inspection tasks (inspector): open tasks I am assigned to, soonest due first, with the due date and its basis.
import { LoadedPanel } from "../../components/Panel";
import { useConsole } from "../../context";
import { allPages } from "../../graphql/client";
import { MAX_PAGES } from "../../graphql/census";
import { MY_TASKS } from "../../graphql/oversight";
import { useI18n } from "../../i18n/I18n";
import { myTasks } from "../../logic/oversight";
import { usePages } from "../dashboard/panels";
import { TaskTable } from "../lists/TaskList";

export function MyInspectionTasks() {
  const { client, officer } = useConsole();
  const { m } = useI18n();
  const [state, reload] = usePages(
    () =>
      allPages(async (after) => {
        const { data, errors } = await client.request(MY_TASKS, { after });
        return { data: data?.inspectionTasks ?? null, errors };
      }, MAX_PAGES),
    "my-tasks",
  );
  return (
    <LoadedPanel title={m("worklistTasks")} state={state} retry={reload}>
      {(pages) => {
        const rows = myTasks(pages.nodes, officer.subject);
        return rows.length === 0 ? <p>{m("nothingAwaiting")}</p> : <TaskTable rows={rows} />;
      }}
    </LoadedPanel>
  );
}
