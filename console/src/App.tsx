// The shell: sign-in when signed out, the callback, and otherwise header, navigation and the page of the route.
import { lazy, Suspense, useEffect, useMemo, useState } from "react";
import { CALLBACK, type Auth } from "./auth/oidc";
import { officerOf, type Session } from "./auth/tokens";
import { Header } from "./components/Header";
import { Loading } from "./components/Notice";
import { ConsoleProvider } from "./context";
import { GraphQLClient } from "./graphql/client";
import { useI18n } from "./i18n/I18n";
import { beijingDate } from "./i18n/format";
import { pagesFor } from "./logic/roles";
import { Link, navigate, useLocation, type Location } from "./router";

const Dashboard = lazy(() => import("./pages/dashboard/Dashboard"));
const DistrictMap = lazy(() => import("./pages/map/DistrictMap"));
const EntityFile = lazy(() => import("./pages/entity/EntityFile"));
const EntityList = lazy(() => import("./pages/lists/EntityList"));
const PermitList = lazy(() => import("./pages/lists/PermitList"));
const ApplicationList = lazy(() => import("./pages/lists/ApplicationList"));
const TaskList = lazy(() => import("./pages/lists/TaskList"));
const CaseList = lazy(() => import("./pages/lists/CaseList"));
const Worklist = lazy(() => import("./pages/worklist/Worklist"));
const Search = lazy(() => import("./pages/search/Search"));
const AlertReview = lazy(() => import("./pages/alerts/AlertReview"));

function Page({ location }: { location: Location }) {
  const [head, ...rest] = location.path.split("/");
  switch (head) {
    case "":
      return <Dashboard />;
    case "map":
      return <DistrictMap location={location} />;
    case "entities":
      return rest[0] ? <EntityFile uscc={rest[0]} /> : <EntityList location={location} />;
    case "permits":
      return <PermitList location={location} />;
    case "applications":
      return <ApplicationList location={location} />;
    case "tasks":
      return <TaskList location={location} />;
    case "cases":
      return <CaseList location={location} />;
    case "worklist":
      return <Worklist />;
    case "search":
      return <Search location={location} />;
    case "alerts":
      return <AlertReview />;
    default:
      return <NotFound />;
  }
}

function NotFound() {
  const { m } = useI18n();
  return (
    <p>
      {m("noData")} · <Link to="">{m("backToStart")}</Link>
    </p>
  );
}

function Callback({ auth }: { auth: Auth }) {
  const { m } = useI18n();
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    auth.completeSignIn(window.location.search).then(
      (returnTo) => navigate(returnTo, true),
      (error: unknown) => setProblem(error instanceof Error ? error.message : String(error)),
    );
  }, [auth]);
  return (
    <main id="main" className="signin">
      <h1>{m("appName")}</h1>
      {problem ? (
        <p role="alert">
          {m("signInFailed")}: {problem} · <Link to="">{m("backToStart")}</Link>
        </p>
      ) : (
        <p role="status">{m("signingIn")}</p>
      )}
    </main>
  );
}

function SignIn({ auth, problem }: { auth: Auth; problem: string | null }) {
  const { m, locale, setLocale } = useI18n();
  const location = useLocation();
  const [failure, setFailure] = useState<string | null>(null);
  const start = () =>
    auth
      .signIn(location.path + (location.query.size ? `?${location.query}` : ""), locale)
      .catch((error: unknown) => setFailure(error instanceof Error ? error.message : String(error)));
  return (
    <main id="main" className="signin">
      <h1>{m("appName")}</h1>
      <p className="lead">{m("signInLead")}</p>
      {problem ? <p role="alert">{`${m("sessionEnded")}: ${problem}`}</p> : null}
      {failure ? <p role="alert">{`${m("signInFailed")}: ${failure}`}</p> : null}
      {auth.configured ? (
        <button type="button" className="primary" onClick={start}>
          {m("signIn")}
        </button>
      ) : (
        <p role="alert">{m("signInNotConfigured")}</p>
      )}
      <p>
        <button type="button" className="link" lang={locale === "zh-CN" ? "en" : "zh-CN"} onClick={() => setLocale(locale === "zh-CN" ? "en" : "zh-CN")}>
          {m("switchLanguage")}
        </button>
      </p>
    </main>
  );
}

export function App({ auth }: { auth: Auth }) {
  const { m } = useI18n();
  const location = useLocation();
  const [session, setSession] = useState<Session | null>(() => auth.session());
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    auth.schedule();
    return auth.subscribe((next, why) => {
      setSession(next);
      setProblem(why);
    });
  }, [auth]);
  const client = useMemo(() => new GraphQLClient(auth.config.graphqlPath, () => auth.accessToken()), [auth]);
  const today = useMemo(() => beijingDate(new Date()), []);
  const officer = useMemo(() => (session ? officerOf(session) : null), [session]);

  if (location.path === CALLBACK) return <Callback auth={auth} />;
  if (officer === null) return <SignIn auth={auth} problem={problem} />;
  return (
    <ConsoleProvider value={{ client, officer, today }}>
      <a className="skip" href="#main">
        {m("skipToContent")}
      </a>
      <Header officer={officer} pages={pagesFor(officer.roles)} current={location.path} onSignOut={() => void auth.signOut()} />
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Page location={location} />
        </Suspense>
      </main>
    </ConsoleProvider>
  );
}
