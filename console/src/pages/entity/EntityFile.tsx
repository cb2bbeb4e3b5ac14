// 一户一档: everything about one market entity from one federated query; each section shows its own state.
import { useEffect, useState } from "react";
import { ErrorNotice } from "../../components/Notice";
import { Panel } from "../../components/Panel";
import { useConsole } from "../../context";
import type { EntityFileQuery, EntityFileQueryVariables } from "../../gql/graphql";
import { useI18n } from "../../i18n/I18n";
import { assess, includeFlags, type GraphQLErrorEntry, type SectionState } from "../../logic/sections";
import { ENTITY_FILE, type FileEntity } from "./query";
import { ENTITY_SECTIONS } from "./sections";

const FIELDS = Object.fromEntries(ENTITY_SECTIONS.map((s) => [s.id, s.fields]));
const LOADING: Record<string, SectionState> = Object.fromEntries(ENTITY_SECTIONS.map((s) => [s.id, { kind: "loading" }]));

export default function EntityFile({ uscc }: { uscc: string }) {
  const { client } = useConsole();
  const { m } = useI18n();
  const [states, setStates] = useState(LOADING);
  const [entity, setEntity] = useState<FileEntity | null>(null);
  const [round, setRound] = useState(0);

  useEffect(() => {
    let live = true;
    setStates(LOADING);
    setEntity(null);
    (async () => {
      let excluded: ReadonlySet<string> = new Set();
      let failed: Record<string, GraphQLErrorEntry> = {};
      for (let attempt = 0; attempt <= ENTITY_SECTIONS.length; attempt++) {
        const variables: EntityFileQueryVariables = { uscc, ...includeFlags(ENTITY_SECTIONS, excluded) };
        const { data, errors } = await client.request<EntityFileQuery, typeof variables>(ENTITY_FILE, variables);
        if (!live) return;
        const outcome = assess(ENTITY_SECTIONS, FIELDS, failed, { excluded, entityPresent: Boolean(data?.entity), errors });
        setStates(outcome.states);
        setEntity(data?.entity ?? null);
        if (outcome.retryExcluding === null) return;
        failed = outcome.failed;
        excluded = outcome.retryExcluding;
      }
    })();
    return () => {
      live = false;
    };
  }, [client, uscc, round]);

  const retry = () => setRound((r) => r + 1);
  return (
    <>
      <div className="page-head">
        <h1>
          {m("entityFileTitle")}
          {entity ? ` · ${entity.name}` : ""}
        </h1>
        <p className="note">
          {m("uscc")}: <code>{uscc}</code>
        </p>
      </div>
      <div className="sections">
        {ENTITY_SECTIONS.map((section) => {
          const state = states[section.id] ?? { kind: "loading" };
          let body;
          if (state.kind === "loading") body = <p role="status">{m("loading")}</p>;
          else if (state.kind === "failed")
            body =
              state.error.extensions?.code === "NOT_FOUND" ? (
                <p role="alert">{m("notFound")}</p>
              ) : (
                <ErrorNotice errors={[state.error]} retry={retry} />
              );
          else if (state.kind === "blocked" || entity === null) body = <p className="note">{m("dependsOnRegistration")}</p>;
          else body = <section.Component entity={entity} />;
          return (
            <div key={section.id} data-section={section.id} data-state={state.kind}>
              <Panel title={m(section.title)}>{body}</Panel>
            </div>
          );
        })}
      </div>
    </>
  );
}
