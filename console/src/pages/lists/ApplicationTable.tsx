// Permit applications with the deadline their current step owes and the law that sets it.
import { useConsole } from "../../context";
import type { OpenApplication } from "../../graphql/census";
import { useI18n } from "../../i18n/I18n";
import type { MessageId } from "../../i18n/messages";
import { nextDeadline } from "../../logic/deadlines";
import { stepFor, STEPS, type Step } from "../../logic/roles";
import { Table } from "../../components/Table";
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
  const step = (a: OpenApplication) => (roles ? stepFor(a, roles) : (STEPS[a.state]?.step ?? null));
  return (
    <Table
      rows={rows}
      rowKey={(a) => a.id}
      rowClass={(a) => (nextDeadline(a, today)?.overdue ? "overdue" : undefined)}
      columns={[
        {
          header: m("applicant"),
          cell: (a) => (
            <>
              <Link to={`entities/${a.applicantUscc}`}>{a.applicantName}</Link>
              <div className="sub">
                <code>{a.applicantUscc}</code>
              </div>
            </>
          ),
        },
        { header: m("kind"), cell: (a) => label("PermitKind", a.kind) },
        { header: m("state"), cell: (a) => label("ApplicationState", a.state) },
        { header: m("nextStep"), cell: (a) => (step(a) ? m(STEP_MESSAGE[step(a) as Step]) : "—") },
        {
          header: m("deadline"),
          cell: (a) => {
            const deadline = nextDeadline(a, today);
            if (!deadline) return m("noDeadline");
            return (
              <>
                <time dateTime={deadline.dueOn}>{date(deadline.dueOn)}</time>
                {deadline.overdue ? <span className="badge overdue-badge">{m("overdue")}</span> : null}
              </>
            );
          },
        },
        {
          header: m("legalBasis"),
          className: "basis",
          cell: (a) => {
            const deadline = nextDeadline(a, today);
            return deadline ? (deadline.basis ?? deadline.ruleVersion ?? "—") : "—";
          },
        },
      ]}
    />
  );
}
