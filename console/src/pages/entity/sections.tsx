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

function Empty() {
  const { m } = useI18n();
  return <p>{m("noneRecorded")}</p>;
}

function Supervision({ entity }: { entity: FileEntity }) {
  const { m, label, date } = useI18n();
  const due = entity.nextInspectionDue;
  const inspections = entity.inspections ?? [];
  const tasks = entity.openTasks ?? [];
  return (
    <>
      <dl className="facts">
        <div>
          <dt>{m("riskGrade")}</dt>
          <dd>{entity.riskGrade ?? "—"}</dd>
        </div>
        <div>
          <dt>{m("nextInspectionDue")}</dt>
          <dd>
            {due ? date(due.dueOn) : "—"}
            {due?.overdue ? <strong className="overdue"> · {m("overdue")}</strong> : null}
            {due ? <div className="sub">{due.rule}</div> : null}
          </dd>
        </div>
      </dl>
      {tasks.length > 0 ? (
        <Table
          rows={tasks}
          rowKey={(t) => t.id}
          columns={[
            { header: m("taskSource"), cell: (t) => label("TaskSource", t.source) },
            { header: m("status"), cell: (t) => label("TaskStatus", t.status) },
            { header: m("dueOn"), cell: (t) => <>{date(t.dueOn)}{t.overdue ? <strong className="overdue"> · {m("overdue")}</strong> : null}</> },
          ]}
        />
      ) : null}
      {inspections.length > 0 ? (
        <Table
          rows={inspections}
          rowKey={(i) => i.id}
          columns={[
            { header: m("inspectedOn"), cell: (i) => date(i.inspectedOn) },
            { header: m("outcome"), cell: (i) => label("Outcome", i.outcome) },
            { header: m("notes"), cell: (i) => i.notes || "—" },
          ]}
        />
      ) : (
        <Empty />
      )}
    </>
  );
}

function Enforcement({ entity }: { entity: FileEntity }) {
  const { m, label, date } = useI18n();
  const cases = entity.cases ?? [];
  const publicity = entity.penaltyPublicity ?? [];
  if (cases.length === 0 && publicity.length === 0) return <Empty />;
  return (
    <>
      {cases.length > 0 ? (
        <Table
          rows={cases}
          rowKey={(c) => c.id}
          columns={[
            { header: m("caseSummary"), cell: (c) => c.summary },
            { header: m("caseStage"), cell: (c) => label("CaseStage", c.stage) },
            { header: m("discoveredOn"), cell: (c) => date(c.discoveredOn) },
            { header: m("dueOn"), cell: (c) => <>{c.stageDueOn ? date(c.stageDueOn) : "—"}{c.overdue ? <strong className="overdue"> · {m("overdue")}</strong> : null}</> },
          ]}
        />
      ) : null}
      {publicity.length > 0 ? (
        <>
          <h3>{m("penaltyPublicity")}</h3>
          <Table
            rows={publicity}
            rowKey={(p) => p.caseId}
            columns={[
              { header: m("decidedOn"), cell: (p) => date(p.decidedOn) },
              { header: m("fine"), cell: (p) => (p.fine ? `¥${p.fine}` : "—") },
              { header: m("publishedOn"), cell: (p) => (p.publishedOn ? date(p.publishedOn) : "—") },
              { header: m("displayUntil"), cell: (p) => (p.displayUntil ? date(p.displayUntil) : "—") },
              { header: m("status"), cell: (p) => (p.active ? m("active") : p.status) },
            ]}
          />
        </>
      ) : null}
    </>
  );
}

function Detection({ entity }: { entity: FileEntity }) {
  const { m, label, date, dateTime } = useI18n();
  const samples = entity.samplingResults ?? [];
  const alerts = entity.kitchenAlerts ?? [];
  if (samples.length === 0 && alerts.length === 0) return <Empty />;
  return (
    <>
      {samples.length > 0 ? (
        <Table
          rows={samples}
          rowKey={(s) => s.id}
          columns={[
            { header: m("samplingNo"), cell: (s) => <code>{s.samplingNo}</code> },
            { header: m("foodName"), cell: (s) => s.foodName },
            { header: m("sampledOn"), cell: (s) => date(s.sampledOn) },
            { header: m("status"), cell: (s) => label("SampleState", s.state) },
          ]}
        />
      ) : null}
      {alerts.length > 0 ? (
        <>
          <h3>{m("kitchenAlerts")}</h3>
          <Table
            rows={alerts}
            rowKey={(a) => a.id}
            columns={[
              { header: m("capturedAt"), cell: (a) => dateTime(a.capturedAt) },
              { header: m("kind"), cell: (a) => label("AlertCategory", a.category) },
              { header: m("status"), cell: (a) => label("AlertState", a.state) },
            ]}
          />
        </>
      ) : null}
    </>
  );
}

/** In screen order; a domain adds its section here and its fragment in query.ts (the EXTENSION POINT there). */
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
  {
    id: "supervision",
    subgraph: "supervision",
    optional: true,
    title: "sectionSupervision",
    fields: ["riskGrade", "nextInspectionDue", "inspections", "openTasks"],
    Component: Supervision,
  },
  {
    id: "enforcement",
    subgraph: "enforcement",
    optional: true,
    title: "sectionEnforcement",
    fields: ["cases", "penaltyPublicity"],
    Component: Enforcement,
  },
  {
    id: "detection",
    subgraph: "detection",
    optional: true,
    title: "sectionDetection",
    fields: ["samplingResults", "kitchenAlerts"],
    Component: Detection,
  },
];
