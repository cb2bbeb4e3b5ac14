// The dashboard's panels for supervision (inspection tasks, 双随机 plans) and enforcement (cases by stage). Each
// asks its subgraph for its counts and fails on its own; every bar links to the list behind it.
import { CategoryChart, type ChartCategory } from "../../components/Chart";
import { LoadedPanel } from "../../components/Panel";
import { useConsole, useLoad } from "../../context";
import { CASE_INDICATORS, KITCHEN_ALERT_FIGURES, SUPERVISION_INDICATORS } from "../../graphql/oversight";
import { useI18n } from "../../i18n/I18n";
import type { MessageId } from "../../i18n/messages";
import { alertBars } from "../../logic/alerts";
import { caseCategories, planCategories, taskCategories, type LinkedCategory } from "../../logic/oversight";

const TONE = { alert: "#b42318", normal: "#2b6cb0" } as const;

function chart(categories: readonly LinkedCategory[], label: (key: string) => string): ChartCategory[] {
  return categories.map((c) => ({ key: c.key, count: c.count, label: label(c.key), to: c.to, colour: TONE[c.tone] }));
}

function useSupervision() {
  const { client } = useConsole();
  return useLoad(async () => {
    const { data, errors } = await client.request(SUPERVISION_INDICATORS, {});
    return { data: data?.supervisionIndicators ?? null, errors };
  }, "supervision-indicators");
}

export function InspectionTasks() {
  const { m, label } = useI18n();
  const [state, reload] = useSupervision();
  return (
    <LoadedPanel title={m("inspectionTasks")} state={state} retry={reload}>
      {(s) => {
        const tasks = taskCategories(s.byStatus, s.overdueTasks);
        return (
          <CategoryChart
            title={m("inspectionTasks")}
            categories={chart(tasks.categories, (k) => (k === "overdue" ? m("overdue") : label("TaskStatus", k)))}
            shownTotal={tasks.open}
          />
        );
      }}
    </LoadedPanel>
  );
}

export function RandomInspectionPlans() {
  const { m } = useI18n();
  const [state, reload] = useSupervision();
  return (
    <LoadedPanel title={m("randomPlans")} state={state} retry={reload}>
      {(s) => {
        const plans = planCategories(s);
        return (
          <>
            <CategoryChart title={m("randomPlans")} categories={chart(plans.categories, (k) => m(k as MessageId))} shownTotal={null} />
            <p className="note" data-testid="random-rates">
              {m("randomRates", { completion: plans.completion, publication: plans.publication })}
            </p>
          </>
        );
      }}
    </LoadedPanel>
  );
}

export function CasesByStage() {
  const { client } = useConsole();
  const { m, label } = useI18n();
  const [state, reload] = useLoad(async () => {
    const { data, errors } = await client.request(CASE_INDICATORS, {});
    return { data: data?.caseIndicators ?? null, errors };
  }, "case-indicators");
  return (
    <LoadedPanel title={m("casesByStage")} state={state} retry={reload}>
      {(stages) => {
        const cases = caseCategories(stages);
        return (
          <CategoryChart
            title={m("casesByStage")}
            categories={chart(cases.categories, (k) => (k === "overdue" ? m("overdue") : label("CaseStage", k)))}
            shownTotal={cases.open}
          />
        );
      }}
    </LoadedPanel>
  );
}

/** Kitchen-camera alerts of the jurisdiction by state and by category; every bar opens the alert review page, which
 * lists those waiting for an officer. */
export function KitchenAlerts() {
  const { client } = useConsole();
  const { m, label } = useI18n();
  const [state, reload] = useLoad(async () => {
    const { data, errors } = await client.request(KITCHEN_ALERT_FIGURES, {});
    return { data: data?.kitchenAlertFigures ?? null, errors };
  }, "kitchen-alert-figures");
  return (
    <LoadedPanel title={m("kitchenAlerts")} state={state} retry={reload}>
      {(figures) => {
        const bars = alertBars(figures);
        return (
          <>
            <CategoryChart
              title={m("alertsByState")}
              categories={bars.byState.map((b) => ({
                key: b.key, count: b.count, label: label("AlertState", b.key), to: "alerts", colour: b.awaiting ? TONE.alert : TONE.normal,
              }))}
              shownTotal={bars.total}
            />
            <CategoryChart
              title={m("alertsByCategory")}
              categories={bars.byCategory.map((b) => ({ key: b.key, count: b.count, label: label("AlertCategory", b.key), to: "alerts", colour: TONE.normal }))}
              shownTotal={null}
            />
          </>
        );
      }}
    </LoadedPanel>
  );
}
