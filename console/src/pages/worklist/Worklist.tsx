// 我的待办: every source of work awaiting the signed-in officer.
import { useConsole } from "../../context";
import { WORKLIST_SOURCES } from "../../extensions/worklists";
import { useI18n } from "../../i18n/I18n";

export default function Worklist() {
  const { officer } = useConsole();
  const { m } = useI18n();
  const sources = WORKLIST_SOURCES.filter((s) => s.roles.some((r) => officer.roles.includes(r)));
  return (
    <>
      <h1>{m("worklistTitle")}</h1>
      <p className="note">{m("deadlineNote")}</p>
      {sources.map(({ id, Component }) => (
        <Component key={id} />
      ))}
    </>
  );
}
