// Loading and error states, the same everywhere: a section that fails says what failed and offers a retry.
import { useI18n } from "../i18n/I18n";
import type { GraphQLErrorEntry } from "../logic/sections";

export function Loading() {
  const { m } = useI18n();
  return (
    <p className="loading" role="status">
      {m("loading")}
    </p>
  );
}

export function ErrorNotice({ errors, retry }: { errors: readonly GraphQLErrorEntry[]; retry?: () => void }) {
  const { m } = useI18n();
  const first = errors[0];
  const service = first?.extensions?.serviceName;
  return (
    <div className="error" role="alert">
      <p>
        <strong>{m("sectionFailed")}</strong>
        {service ? <> — {m("sourceUnavailable", { service })}</> : null}
      </p>
      {first ? (
        <p className="error-detail">
          {first.extensions?.code ? <code>{first.extensions.code}</code> : null} {first.message}
        </p>
      ) : null}
      {retry ? (
        <button type="button" onClick={retry}>
          {m("retry")}
        </button>
      ) : null}
    </div>
  );
}
