// Who is signed in (name, roles, org path), the navigation their roles get, language and sign-out.
import type { Officer } from "../auth/tokens";
import { useI18n } from "../i18n/I18n";
import type { MessageId } from "../i18n/messages";
import { orgPathNames } from "../logic/orgTree";
import type { PageId } from "../logic/roles";
import { Link } from "../router";

const NAV: Record<PageId, { to: string; message: MessageId }> = {
  dashboard: { to: "", message: "navDashboard" },
  map: { to: "map", message: "navMap" },
  worklist: { to: "worklist", message: "navWorklist" },
  alerts: { to: "alerts", message: "navAlerts" },
  search: { to: "search", message: "navSearch" },
};

export function Header({
  officer,
  pages,
  current,
  onSignOut,
}: {
  officer: Officer;
  pages: readonly PageId[];
  current: string;
  onSignOut: () => void;
}) {
  const { m, label, locale, setLocale } = useI18n();
  const section = current.split("/")[0] ?? "";
  return (
    <header className="top">
      <div className="brand">{m("appName")}</div>
      <nav aria-label={m("mainNav")}>
        <ul>
          {pages.map((id) => (
            <li key={id}>
              <Link to={NAV[id].to} aria-current={section === NAV[id].to ? "page" : undefined}>
                {m(NAV[id].message)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="who" aria-label={m("signedInAs")}>
        <span className="officer-name" data-testid="officer-name">
          {officer.name}
        </span>
        <span className="officer-roles" data-testid="officer-roles">
          {officer.roles.map((r) => label("Role", r)).join("、")}
        </span>
        <span className="officer-org" data-testid="officer-org" title={officer.orgPath}>
          {orgPathNames(officer.orgPath).join(" / ")}
        </span>
      </div>
      <div className="actions">
        <button type="button" className="link" lang={locale === "zh-CN" ? "en" : "zh-CN"} onClick={() => setLocale(locale === "zh-CN" ? "en" : "zh-CN")}>
          {m("switchLanguage")}
        </button>
        <button type="button" onClick={onSignOut}>
          {m("signOut")}
        </button>
      </div>
    </header>
  );
}
