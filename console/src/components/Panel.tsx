// A titled region of a page whose loading and error state are its own.
import { useId, type ReactNode } from "react";
import type { Loaded } from "../context";
import { ErrorNotice, Loading } from "./Notice";

export function Panel({ title, children, className }: { title: string; children: ReactNode; className?: string }) {
  const id = useId();
  return (
    <section className={`panel ${className ?? ""}`} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** Children get the data once it has come; until then the panel shows loading, or the error with a retry. */
export function LoadedPanel<T>({
  title,
  state,
  retry,
  children,
  className,
}: {
  title: string;
  state: Loaded<T>;
  retry: () => void;
  children: (data: T) => ReactNode;
  className?: string;
}) {
  let body: ReactNode;
  if (state.status === "loading") body = <Loading />;
  else if (state.status === "failed" || state.data === null) body = <ErrorNotice errors={state.errors} retry={retry} />;
  else body = children(state.data);
  return (
    <Panel title={title} className={className}>
      {body}
    </Panel>
  );
}
