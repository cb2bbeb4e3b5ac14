// Permit applications with the deadline their current step owes and the law that sets it.
import { useConsole } from "../../context";
import type { OpenApplication } from "../../graphql/census";
import { useI18n } from "../../i18n/I18n";
import type { MessageId } from "../../i18n/messages";
import { nextDeadline } from "../../logic/deadlines";
import { stepFor, STEPS } from "../../logic/roles";
import { Link } from "../../router";

const STEP_MESSAGE = {
  acceptOrRequest: "stepAcceptOrRequest",
  awaitMaterials: "stepAwaitMaterials",
  siteCheck: "stepSiteCheck",
  decide: "stepDecide",
  issue: "stepIssue",
  autoCheck: "stepAutoCheck",
} as const satisfies Record<string, MessageId>;

export function ApplicationTable({ rows, roles }: { rows: readonly OpenApplication[]; roles: readonly string[] | null }) {
  const { m, label, date } = useI18n();
  const { today } = useConsole();
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{m("applicant")}</th>
            <th scope="col">{m("kind")}</th>
            <th scope="col">{m("state")}</th>
            <th scope="col">{m("nextStep")}</th>
            <th scope="col">{m("deadline")}</th>
            <th scope="col">{m("legalBasis")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((a) => {
            const deadline = nextDeadline(a, today);
            const step = roles ? stepFor(a, roles) : (STEPS[a.state]?.step ?? null);
            return (
              <tr key={a.id} className={deadline?.overdue ? "overdue" : undefined}>
                <td>
                  <Link to={`entities/${a.applicantUscc}`}>{a.applicantName}</Link>
                  <div className="sub">
                    <code>{a.applicantUscc}</code>
                  </div>
                </td>
                <td>{label("PermitKind", a.kind)}</td>
                <td>{label("ApplicationState", a.state)}</td>
                <td>{step ? m(STEP_MESSAGE[step]) : "—"}</td>
                <td>
                  {deadline ? (
                    <>
                      <time dateTime={deadline.dueOn}>{date(deadline.dueOn)}</time>
                      {deadline.overdue ? <span className="badge overdue-badge">{m("overdue")}</span> : null}
                    </>
                  ) : (
                    m("noDeadline")
                  )}
                </td>
                <td className="basis">{deadline ? (deadline.basis ?? deadline.ruleVersion ?? "—") : "—"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
