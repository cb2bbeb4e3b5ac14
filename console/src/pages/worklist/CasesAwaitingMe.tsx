// Cases whose next step is mine (by role, in my jurisdiction): the step, its deadline and the law behind it.
import { LoadedPanel } from "../../components/Panel";
import { Table } from "../../components/Table";
import { useConsole } from "../../context";
import type { CasesAwaitingMeQuery } from "../../gql/graphql";
import { allPages } from "../../graphql/client";
import { MAX_PAGES } from "../../graphql/census";
import { CASES_AWAITING_ME } from "../../graphql/oversight";
import { useI18n } from "../../i18n/I18n";
import { casesAwaiting } from "../../logic/oversight";
import { Link } from "../../router";
import { usePages } from "../dashboard/panels";

type Case = CasesAwaitingMeQuery["cases"]["edges"][number]["node"];

export function CasesAwaitingMe() {
  const { client } = useConsole();
  const { m, label, date } = useI18n();
  const [state, reload] = usePages(
    () =>
      allPages(async (after) => {
        const { data, errors } = await client.request(CASES_AWAITING_ME, { after });
        return { data: data?.cases ?? null, errors };
      }, MAX_PAGES),
    "cases-awaiting-me",
  );
  return (
    <LoadedPanel title={m("worklistCases")} state={state} retry={reload}>
      {(pages) => {
        const rows = casesAwaiting<Case>(pages.nodes);
        return rows.length === 0 ? (
          <p>{m("nothingAwaiting")}</p>
        ) : (
          <Table
            rows={rows}
            rowKey={(r) => r.c.id}
            columns={[
              { header: m("party"), cell: (r) => <Link to={`entities/${r.c.partyUscc}`}>{r.c.partyUscc}</Link> },
              { header: m("caseSummary"), cell: (r) => r.c.summary },
              { header: m("caseStage"), cell: (r) => label("CaseStage", r.c.stage) },
              {
                header: m("nextStep"),
                cell: (r) => (r.step.action === "LEGAL_REVIEW" ? m("stepLegalReview") : label("CaseStage", r.step.stage)),
              },
              {
                header: m("deadline"),
                cell: (r) => (
                  <>
                    {r.step.dueOn ? <time dateTime={r.step.dueOn}>{date(r.step.dueOn)}</time> : "—"}
                    {r.step.overdue ? <strong className="overdue"> · {m("overdue")}</strong> : null}
                  </>
                ),
              },
              { header: m("legalBasis"), cell: (r) => r.step.basis ?? "—" },
              {
                header: m("documentsMissing"),
                cell: (r) => (r.step.documentsMissing.length ? r.step.documentsMissing.map((d) => label("CaseDocumentKind", d)).join("、") : "—"),
              },
            ]}
          />
        );
      }}
    </LoadedPanel>
  );
}
