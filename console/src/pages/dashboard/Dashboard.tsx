// 辖区总览: the officer's jurisdiction at a glance; every chart drills down to the list behind it.
import { useConsole } from "../../context";
import { DASHBOARD_PANELS } from "../../extensions/dashboard";
import { useI18n } from "../../i18n/I18n";
import { orgPathNames } from "../../logic/orgTree";

export default function Dashboard() {
  const { officer, today } = useConsole();
  const { m, date } = useI18n();
  return (
    <>
      <div className="page-head">
        <h1>
          {m("dashboardTitle")} · {orgPathNames(officer.orgPath).at(-1)}
        </h1>
        <p className="note">
          {m("asOf")}: <time dateTime={today}>{date(today)}</time>
        </p>
      </div>
      <div className="grid">
        {DASHBOARD_PANELS.map(({ id, Component }) => (
          <div key={id} data-panel={id} className="panel-slot">
            <Component />
          </div>
        ))}
      </div>
    </>
  );
}
