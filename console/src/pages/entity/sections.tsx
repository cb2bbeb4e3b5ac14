// The sections of the entity file, each rendering its slice of the one query.
import type { ComponentType } from "react";
import { Table } from "../../components/Table";
import { useI18n } from "../../i18n/I18n";
import type { MessageId } from "../../i18n/messages";
import type { SectionSpec } from "../../logic/sections";
import type { FileEntity } from "./query";

export interface EntitySection extends SectionSpec {
  title: MessageId;
  /** Top-level MarketEntity fields the section reads (to place an error that names a path, not a service). */
  fields: readonly string[];
  Component: ComponentType<{ entity: FileEntity }>;
}

function Registration({ entity }: { entity: FileEntity }) {
  const { m, label, date } = useI18n();
  const rows: [MessageId, string][] = [
    ["uscc", entity.uscc],
    ["name", entity.name],
    ["entityType", label("EntityType", entity.entityType)],
    ["status", label("EntityStatus", entity.status)],
    ["establishedOn", date(entity.establishedOn)],
    ["legalRepresentative", entity.legalRepresentative.name],
    ["domicile", entity.domicile],
    ["premises", entity.premises],
    ["businessScope", entity.businessScope],
    ["supervisingOrg", entity.supervisingOrg.name],
  ];
  return (
    <dl className="facts">
      {rows.map(([id, value]) => (
        <div key={id}>
          <dt>{m(id)}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Credit({ entity }: { entity: FileEntity }) {
  const { m, label, date } = useI18n();
  const listings = [
    ...entity.abnormalListings.map((l) => ({ ...l, list: m("abnormalList") })),
    ...entity.seriousListings.map((l) => ({ ...l, list: m("seriousList") })),
  ];
  return (
    <>
      <p>
        {entity.creditFlags.length === 0
          ? m("noCreditFlags")
          : entity.creditFlags.map((f) => (
              <span key={f} className="badge warn-badge">
                {label("CreditFlag", f)}
              </span>
            ))}
      </p>
      {listings.length > 0 ? (
        <Table
          rows={listings}
          rowKey={(l) => l.id}
          columns={[
            {
              header: m("kind"),
              cell: (l) => (
                <>
                  {l.list}
                  {l.active ? <span className="badge warn-badge">{m("active")}</span> : null}
                </>
              ),
            },
            { header: m("basis"), cell: (l) => l.basis },
            { header: m("listedOn"), cell: (l) => date(l.listedOn) },
            { header: m("removedOn"), cell: (l) => date(l.removedOn) },
          ]}
        />
      ) : null}
      {entity.holdReasons.length > 0 ? (
        <>
          <h3>{m("holdReasons")}</h3>
          <ul>
            {entity.holdReasons.map((h) => (
              <li key={`${h.reason}${h.raisedOn}`}>
                {h.detail} ({date(h.raisedOn)})
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

function Permits({ entity }: { entity: FileEntity }) {
  const { m, label, date, dateTime } = useI18n();
  const permits = entity.permits ?? [];
  if (permits.length === 0) return <p>{m("noPermits")}</p>;
  return (
    <>
      {permits.map((p) => (
        <article key={p.id} className="permit">
          <h3>
            <code>{p.number}</code> · {label("PermitKind", p.kind)} ·{" "}
            <span className={p.status === "VALID" ? "" : "badge warn-badge"}>{label("PermitStatus", p.status)}</span>
          </h3>
          <dl className="facts">
            <div>
              <dt>{m("validFrom")}</dt>
              <dd>{date(p.validFrom)}</dd>
            </div>
            <div>
              <dt>{m("validTo")}</dt>
              <dd>{date(p.validTo)}</dd>
            </div>
            <div>
              <dt>{m("items")}</dt>
              <dd>{p.items.map((i) => i.name).join("、")}</dd>
            </div>
            {p.renewalWindow ? (
              <div>
                <dt>{m("renewalWindow")}</dt>
                <dd>
                  {date(p.renewalWindow.opensOn)} – {date(p.renewalWindow.dueBy)}
                  <div className="sub">{p.renewalWindow.rules.map((r) => r.basis).join("；")}</div>
                </dd>
              </div>
            ) : null}
          </dl>
          {p.statusHistory.length > 0 ? (
            <>
              <h4>{m("statusHistory")}</h4>
              <ul>
                {p.statusHistory.map((h) => (
                  <li key={h.at}>
                    {dateTime(h.at)}: {label("PermitStatus", h.fromStatus)} → {label("PermitStatus", h.toStatus)}
                    {h.reason ? ` (${h.reason})` : ""}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </article>
      ))}
    </>
  );
}

/** In screen order. Sections to come: inspections and risk grade (supervision), cases and penalty publicity
 * (enforcement), sampling results and kitchen alerts (detection): see the EXTENSION POINT in query.ts. */
export const ENTITY_SECTIONS: readonly EntitySection[] = [
  { id: "registration", subgraph: "entities", base: true, title: "sectionRegistration", fields: ["uscc", "name"], Component: Registration },
  {
    id: "credit",
    subgraph: "entities",
    title: "sectionCredit",
    fields: ["creditFlags", "abnormalListings", "seriousListings", "holdReasons"],
    Component: Credit,
  },
  { id: "permits", subgraph: "permits", optional: true, title: "sectionPermits", fields: ["permits"], Component: Permits },
];
