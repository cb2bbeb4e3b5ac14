// The dashboard's panels for the data the entities and permits subgraphs serve. Each loads and fails on its own.
import { CategoryChart, type ChartCategory } from "../../components/Chart";
import { LoadedPanel } from "../../components/Panel";
import { useConsole, useLoad } from "../../context";
import { entityCensus, expiringPermits, forget, openApplications } from "../../graphql/census";
import type { AllPages, GraphQLClient } from "../../graphql/client";
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

/** A chart of one census's rows by category, with its own loading, error and retry. */
function CensusPanel<N>({
  title,
  load,
  cacheKey,
  categorize,
  note,
}: {
  title: MessageId;
  load: (client: GraphQLClient) => Promise<AllPages<N>>;
  cacheKey: string;
  categorize: (nodes: N[]) => ChartCategory[];
  note?: MessageId;
}) {
  const { client } = useConsole();
  const { m } = useI18n();
  const [state, reload] = usePages(() => load(client), cacheKey);
  return (
    <LoadedPanel title={m(title)} state={state} retry={() => (forget(client), reload())}>
      {(pages) => (
        <>
          <CategoryChart title={m(title)} categories={categorize(pages.nodes)} />
          {note ? <p className="note">{m(note)}</p> : null}
          <Partial pages={pages} />
        </>
      )}
    </LoadedPanel>
  );
}

export function EntitiesByStatus() {
  const { label } = useI18n();
  return (
    <CensusPanel
      title="entitiesByStatus"
      load={entityCensus}
      cacheKey="entities"
      categorize={(nodes) =>
        nonZero(countBy(nodes, (e) => e.status, ENTITY_STATUSES)).map((c) => ({
          ...c,
          label: label("EntityStatus", c.key),
          to: withQuery("entities", { status: c.key }),
        }))
      }
    />
  );
}

export function EntitiesByType() {
  const { label } = useI18n();
  return (
    <CensusPanel
      title="entitiesByType"
      load={entityCensus}
      cacheKey="entities"
      categorize={(nodes) =>
        countBy(nodes, (e) => e.entityType).map((c) => ({
          ...c,
          label: label("EntityType", c.key),
          to: withQuery("entities", { type: c.key }),
          colour: "#2f855a",
        }))
      }
    />
  );
}

export function PermitsExpiring() {
  const { today } = useConsole();
  const { m } = useI18n();
  return (
    <CensusPanel
      title="permitsExpiring"
      load={(client) => expiringPermits(client, today)}
      cacheKey={`permits:${today}`}
      categorize={(nodes) =>
        countBy(nodes, (p) => expiryBucket(p.validTo, today), EXPIRY_BUCKETS).map((c) => ({
          ...c,
          label: m(c.key as MessageId),
          to: withQuery("permits", { expiring: c.key }),
          colour: EXPIRY_COLOURS[c.key as keyof typeof EXPIRY_COLOURS],
        }))
      }
    />
  );
}

export function ApplicationsByDeadline() {
  const { today } = useConsole();
  const { m } = useI18n();
  return (
    <CensusPanel
      title="applicationsDue"
      load={openApplications}
      cacheKey="applications"
      note="deadlineNote"
      categorize={(nodes) =>
        countBy(nodes, (a) => deadlineBucket(nextDeadline(a, today), today), DEADLINE_BUCKETS).map((c) => ({
          ...c,
          label: m(c.key as MessageId),
          to: withQuery("applications", { deadline: c.key }),
          colour: DEADLINE_COLOURS[c.key as keyof typeof DEADLINE_COLOURS],
        }))
      }
    />
  );
}
