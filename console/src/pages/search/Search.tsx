// 查询: one box for a USCC (straight to the entity file), a permit number, or part of a name.
import { useId, useState, type FormEvent } from "react";
import { PagedBody } from "../../components/PagedBody";
import { LoadedPanel, Panel } from "../../components/Panel";
import { useConsole, useLoad, usePagedList } from "../../context";
import { graphql } from "../../gql";
import type { EntityListQuery } from "../../gql/graphql";
import { useI18n } from "../../i18n/I18n";
import { classify } from "../../logic/search";
import { Link, navigate, withQuery, type Location } from "../../router";
import { EntityTable } from "../lists/EntityList";
import { ENTITY_LIST } from "../lists/queries";

const PERMIT_BY_NUMBER = graphql(`
  query PermitByNumber($number: String!) {
    permitByNumber(number: $number) {
      id
      number
      kind
      status
      holderUscc
      holderName
      validTo
    }
  }
`);

type Row = EntityListQuery["entities"]["edges"][number]["node"];

function PermitResult({ number }: { number: string }) {
  const { client } = useConsole();
  const { m, label, date } = useI18n();
  const [state, reload] = useLoad(() => client.request(PERMIT_BY_NUMBER, { number }), number);
  return (
    <LoadedPanel title={m("searchPermits")} state={state} retry={reload}>
      {({ permitByNumber: p }) =>
        p ? (
          <p>
            <code>{p.number}</code> · {label("PermitKind", p.kind)} · {label("PermitStatus", p.status)} · {m("validTo")}{" "}
            {date(p.validTo)} · <Link to={`entities/${p.holderUscc}`}>{p.holderName}</Link>
          </p>
        ) : (
          <p>{m("noMatches")}</p>
        )
      }
    </LoadedPanel>
  );
}

function NameResults({ name }: { name: string }) {
  const { client } = useConsole();
  const { m } = useI18n();
  const list = usePagedList<Row>(async (after) => {
    const { data, errors } = await client.request(ENTITY_LIST, { filter: { nameContains: name }, after });
    return { data: data?.entities ?? null, errors };
  }, name);
  return (
    <Panel title={m("searchEntities")}>
      <PagedBody list={list}>{(rows) => <EntityTable rows={rows} />}</PagedBody>
    </Panel>
  );
}

export default function Search({ location }: { location: Location }) {
  const { m } = useI18n();
  const inputId = useId();
  const hintId = useId();
  const asked = location.query.get("q") ?? "";
  const [text, setText] = useState(asked);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { kind, value } = classify(text);
    if (!value) return;
    navigate(kind === "uscc" ? `entities/${value}` : withQuery("search", { q: value }));
  };
  const query = asked ? classify(asked) : null;
  return (
    <>
      <h1>{m("searchTitle")}</h1>
      <form className="search" role="search" onSubmit={submit}>
        <label htmlFor={inputId}>{m("searchLabel")}</label>
        <div className="search-row">
          <input id={inputId} type="search" value={text} aria-describedby={hintId} onChange={(e) => setText(e.target.value)} />
          <button type="submit">{m("searchButton")}</button>
        </div>
        <p id={hintId} className="note">
          {m("searchHint")}
        </p>
      </form>
      {query?.kind === "permit" ? <PermitResult number={query.value} /> : null}
      {query?.kind === "name" ? <NameResults name={query.value} /> : null}
    </>
  );
}
