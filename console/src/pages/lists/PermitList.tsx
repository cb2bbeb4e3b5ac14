// The permits behind the "expiring" chart: valid permits whose last day falls in the chosen band.
import { LoadedPanel } from "../../components/Panel";
import { Table } from "../../components/Table";
import { useConsole } from "../../context";
import { expiringPermits, forget, type ExpiringPermit } from "../../graphql/census";
import { useI18n } from "../../i18n/I18n";
import type { MessageId } from "../../i18n/messages";
import { daysBetween } from "../../i18n/format";
import { EXPIRY_BUCKETS, expiryBucket, type ExpiryBucket } from "../../logic/deadlines";
import { Link, type Location } from "../../router";
import { usePages } from "../dashboard/panels";

export function PermitTable({ rows }: { rows: readonly ExpiringPermit[] }) {
  const { m, label, date } = useI18n();
  const { today } = useConsole();
  return (
    <Table
      rows={rows}
      rowKey={(p) => p.id}
      columns={[
        { header: m("permitNumber"), cell: (p) => <code>{p.number}</code> },
        { header: m("kind"), cell: (p) => label("PermitKind", p.kind) },
        { header: m("holder"), cell: (p) => <Link to={`entities/${p.holderUscc}`}>{p.holderName}</Link> },
        {
          header: m("validTo"),
          cell: (p) => (
            <>
              <time dateTime={p.validTo}>{date(p.validTo)}</time> ({daysBetween(today, p.validTo)})
            </>
          ),
        },
      ]}
    />
  );
}

export default function PermitList({ location }: { location: Location }) {
  const { client, today } = useConsole();
  const { m } = useI18n();
  const wanted = location.query.get("expiring");
  const band: ExpiryBucket | null = EXPIRY_BUCKETS.find((b) => b === wanted) ?? null;
  const [state, reload] = usePages(() => expiringPermits(client, today), `permits:${today}`);
  return (
    <>
      <h1>{m("listPermits")}</h1>
      <p className="note">
        {m("permitsExpiring")}
        {band ? ` · ${m(band as MessageId)}` : ""}
      </p>
      <LoadedPanel title={m("listPermits")} state={state} retry={() => (forget(client), reload())}>
        {(pages) => {
          const rows = pages.nodes
            .filter((p) => (band ? expiryBucket(p.validTo, today) === band : expiryBucket(p.validTo, today) !== null))
            .sort((a, b) => a.validTo.localeCompare(b.validTo));
          return rows.length === 0 ? <p>{m("noData")}</p> : <PermitTable rows={rows} />;
        }}
      </LoadedPanel>
    </>
  );
}
