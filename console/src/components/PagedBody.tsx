// A paged list's states: loading, error with retry, empty, rows with "load more".
import type { ReactNode } from "react";
import type { PagedList } from "../context";
import { useI18n } from "../i18n/I18n";
import { ErrorNotice, Loading } from "./Notice";

export function PagedBody<N>({ list, children }: { list: PagedList<N>; children: (rows: N[]) => ReactNode }) {
  const { m } = useI18n();
  if (list.status === "loading") return <Loading />;
  if (list.status === "failed") return <ErrorNotice errors={list.errors} retry={list.reload} />;
  if (list.rows.length === 0) return <p>{m("noData")}</p>;
  return (
    <>
      {children(list.rows)}
      {list.hasMore ? (
        <button type="button" className="more" onClick={list.loadMore} disabled={list.loadingMore}>
          {m("loadMore")}
        </button>
      ) : null}
    </>
  );
}
