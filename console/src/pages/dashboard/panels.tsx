// The dashboard's panels for the data the entities and permits subgraphs serve. Each loads and fails on its own.
import { CategoryChart, type ChartCategory } from "../../components/Chart";
import { LoadedPanel } from "../../components/Panel";
import { useConsole, useLoad } from "../../context";
import { entityCensus, expiringPermits, forget, openApplications } from "../../graphql/census";
import type { AllPages } from "../../graphql/client";
import { useI18n } from "../../i18n/I18n";
import type { MessageId } from "../../i18n/messages";
import { countBy, nonZero } from "../../logic/counting";
import { DEADLINE_BUCKETS, EXPIRY_BUCKETS, deadlineBucket, expiryBucket, nextDeadline } from "../../logic/deadlines";
import { withQuery } from "../../router";

const ENTITY_STATUSES = ["EXISTING", "SUSPENDED", "REVOKED_NOT_DEREGISTERED", "DEREGISTERED", "CANCELLED", "MOVED_OUT"];
const EXPIRY_COLOURS = { within30: "#b42318", within60: "#b54708", within90: "#2b6cb0" } as const;
const DEADLINE_COLOURS = { overdue: "#b42318", dueSoon: "#b54708", dueLater: "#2b6cb0", noDeadline: "#52606d" } as const;

/** A census as a panel's state: failed when its first page failed, else the rows read. */
export function usePages<N>(load: () => Promise<AllPages<N>>, key: string) {
  return useLoad(async () => {
    const pages = await load();
    return { data: pages.errors.length > 0 && pages.nodes.length === 0 ? null : pages, errors: pages.errors };
  }, key);
}

function Partial({ pages }: { pages: AllPages<unknown> }) {
  const { m } = useI18n();
  return pages.truncated ? <p className="note">{m("partialCount", { n: pages.nodes.length })}</p> : null;
}

export function EntitiesByStatus() {
  const { client } = useConsole();
  const { m, label } = useI18n();
  const [state, reload] = usePages(() => entityCensus(client), "entities");
  return (
    <LoadedPanel title={m("entitiesByStatus")} state={state} retry={() => (forget(client), reload())}>
      {(pages) => {
        const categories: ChartCategory[] = nonZero(countBy(pages.nodes, (e) => e.status, ENTITY_STATUSES)).map((c) => ({
          ...c,
          label: label("EntityStatus", c.key),
          to: withQuery("entities", { status: c.key }),
        }));
        return (
          <>
            <CategoryChart title={m("entitiesByStatus")} categories={categories} />
            <Partial pages={pages} />
          </>
        );
      }}
    </LoadedPanel>
  );
}

export function EntitiesByType() {
  const { client } = useConsole();
  const { m, label } = useI18n();
  const [state, reload] = usePages(() => entityCensus(client), "entities");
  return (
    <LoadedPanel title={m("entitiesByType")} state={state} retry={() => (forget(client), reload())}>
      {(pages) => {
        const categories: ChartCategory[] = countBy(pages.nodes, (e) => e.entityType).map((c) => ({
          ...c,
          label: label("EntityType", c.key),
          to: withQuery("entities", { type: c.key }),
          colour: "#2f855a",
        }));
        return (
          <>
            <CategoryChart title={m("entitiesByType")} categories={categories} />
            <Partial pages={pages} />
          </>
        );
      }}
    </LoadedPanel>
  );
}

export function PermitsExpiring() {
  const { client, today } = useConsole();
  const { m } = useI18n();
  const [state, reload] = usePages(() => expiringPermits(client, today), `permits:${today}`);
  return (
    <LoadedPanel title={m("permitsExpiring")} state={state} retry={() => (forget(client), reload())}>
      {(pages) => {
        const categories: ChartCategory[] = countBy(pages.nodes, (p) => expiryBucket(p.validTo, today), EXPIRY_BUCKETS).map((c) => ({
          ...c,
          label: m(c.key as MessageId),
          to: withQuery("permits", { expiring: c.key }),
          colour: EXPIRY_COLOURS[c.key as keyof typeof EXPIRY_COLOURS],
        }));
        return (
          <>
            <CategoryChart title={m("permitsExpiring")} categories={categories} />
            <Partial pages={pages} />
          </>
        );
      }}
    </LoadedPanel>
  );
}

export function ApplicationsByDeadline() {
  const { client, today } = useConsole();
  const { m } = useI18n();
  const [state, reload] = usePages(() => openApplications(client), "applications");
  return (
    <LoadedPanel title={m("applicationsDue")} state={state} retry={() => (forget(client), reload())}>
      {(pages) => {
        const categories: ChartCategory[] = countBy(
          pages.nodes,
          (a) => deadlineBucket(nextDeadline(a, today), today),
          DEADLINE_BUCKETS,
        ).map((c) => ({
          ...c,
          label: m(c.key as MessageId),
          to: withQuery("applications", { deadline: c.key }),
          colour: DEADLINE_COLOURS[c.key as keyof typeof DEADLINE_COLOURS],
        }));
        return (
          <>
            <CategoryChart title={m("applicationsDue")} categories={categories} />
            <p className="note">{m("deadlineNote")}</p>
            <Partial pages={pages} />
          </>
        );
      }}
    </LoadedPanel>
  );
}
