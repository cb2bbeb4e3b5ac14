// 告警审核: the kitchen-camera alerts of the officer's jurisdiction, kept current by a subscription; the frame with
// its boxes; confirm or reject with a reason; the notice and the rectification side by side for verification.
import { useCallback, useEffect, useRef, useState } from "react";
import { ErrorNotice, Loading } from "../../components/Notice";
import { useConsole } from "../../context";
import type { LiveState } from "../../graphql/live";
import { useI18n } from "../../i18n/I18n";
import { formatDate, formatDateTime } from "../../i18n/format";
import { decisionProblem, merged, REVIEW_STATES, reviewable, type Decision } from "../../logic/alerts";
import type { GraphQLErrorEntry } from "../../logic/sections";
import { Link } from "../../router";
import { Frame } from "./Frame";
import { DECIDE_REVIEW, LIVE_ALERTS, REVIEW_ALERTS, START_REVIEW, VERIFY_RECTIFICATION, type Alert } from "./queries";

const LIVE_TEXT = { connecting: "liveConnecting", live: "liveOn", reconnecting: "liveReconnecting" } as const;

/** The queried list, with the alerts the feed brought meanwhile that have moved further (more transitions). */
function reconciled(queried: readonly Alert[], current: readonly Alert[]): Alert[] {
  let list = [...queried];
  for (const alert of current) {
    const known = list.find((a) => a.id === alert.id);
    if (known && known.transitions.length < alert.transitions.length) list = merged(list, alert);
  }
  return list;
}

export default function AlertReview() {
  const { client, officer } = useConsole();
  const { m, label, locale } = useI18n();
  const [alerts, setAlerts] = useState<Alert[] | null>(null);
  const [errors, setErrors] = useState<GraphQLErrorEntry[]>([]);
  const [live, setLive] = useState<LiveState>("connecting");
  const [selected, setSelected] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const selectedRef = useRef<string | null>(null);
  selectedRef.current = selected;

  const reload = useCallback(async () => {
    const result = await client.request(REVIEW_ALERTS, { states: [...REVIEW_STATES] });
    setErrors(result.errors);
    if (result.data) {
      const queried = result.data.kitchenAlerts;
      setAlerts((current) => reconciled(queried, current ?? []));
    }
  }, [client]);

  useEffect(
    () =>
      client.subscribe(LIVE_ALERTS, {}, {
        next: (data) => {
          const alert = data.kitchenAlerts;
          setAlerts((current) => merged(current ?? [], alert, selectedRef.current));
          if (alert.state === "CANDIDATE") {
            const entity = alert.entity?.name ?? alert.uscc;
            setAnnouncement(m("alertArrived", { category: label("AlertCategory", alert.category), entity }));
          }
        },
        errors: (found) => {
          if (found.some((e) => e.extensions?.code !== "UNAUTHENTICATED")) setErrors(found);
        },
        state: (state) => {
          setLive(state);
          if (state === "live") void reload();
        },
      }),
    [client, reload, m, label],
  );

  const replace = (alert: Alert) => setAlerts((current) => merged(current ?? [], alert, alert.id));
  const current = alerts?.find((a) => a.id === selected) ?? null;
  const reviewer = officer.roles.includes("inspector");

  return (
    <>
      <h1>{m("alertsTitle")}</h1>
      <p className="note">{m("alertsLead")}</p>
      <p className={`live live-${live}`} aria-live="polite" data-testid="live-state">
        {m(LIVE_TEXT[live])}
      </p>
      <p className="visually-hidden" aria-live="assertive">
        {announcement}
      </p>
      {errors.length ? <ErrorNotice errors={errors} retry={() => void reload()} /> : null}
      <div className="alert-review">
        <section className="panel alert-queue" aria-labelledby="alert-queue-title">
          <h2 id="alert-queue-title">{m("alertQueue")}</h2>
          {alerts === null ? (
            <Loading />
          ) : alerts.length === 0 ? (
            <p>{m("noAlerts")}</p>
          ) : (
            <ul data-testid="alert-queue">
              {alerts.map((alert) => (
                <li key={alert.id}>
                  <button
                    type="button"
                    className="alert-item"
                    aria-pressed={alert.id === selected}
                    onClick={() => setSelected(alert.id)}
                    data-alert={alert.id}
                  >
                    <strong>{label("AlertCategory", alert.category)}</strong> · {alert.entity?.name ?? alert.uscc}
                    <br />
                    <span className="muted">
                      {formatDateTime(alert.capturedAt, locale)} · {label("AlertState", alert.state)}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="panel alert-detail" aria-labelledby="alert-detail-title">
          <h2 id="alert-detail-title">{current ? `${label("AlertCategory", current.category)} · ${current.entity?.name ?? current.uscc}` : m("alertFacts")}</h2>
          {current ? <AlertDetail alert={current} reviewer={reviewer} onChange={replace} /> : <p>{m("selectAlert")}</p>}
        </section>
      </div>
    </>
  );
}

function AlertDetail({ alert, reviewer, onChange }: { alert: Alert; reviewer: boolean; onChange: (alert: Alert) => void }) {
  const { client } = useConsole();
  const { m, label, locale } = useI18n();
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<GraphQLErrorEntry[]>([]);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  useEffect(() => {
    setReason("");
    setProblem(null);
    setFailure([]);
    setDone(null);
  }, [alert.id]);

  const decide = async (decision: Decision) => {
    const why = decisionProblem(decision, reason);
    setProblem(why ? m(why) : null);
    if (why) return;
    setBusy(true);
    setFailure([]);
    if (alert.state === "CANDIDATE") {
      const started = await client.request(START_REVIEW, { id: alert.id });
      if (!started.data) {
        setFailure(started.errors);
        setBusy(false);
        return;
      }
    }
    const result = await client.request(DECIDE_REVIEW, { id: alert.id, confirm: decision === "confirm", note: reason.trim() });
    setBusy(false);
    if (!result.data) return setFailure(result.errors);
    onChange(result.data.decideAlertReview.alert);
    setDone(m("decided", { state: label("AlertState", result.data.decideAlertReview.alert.state) }));
  };

  const verify = async (passed: boolean) => {
    setBusy(true);
    setFailure([]);
    const result = await client.request(VERIFY_RECTIFICATION, { id: alert.id, passed, note: reason.trim() });
    setBusy(false);
    if (!result.data) return setFailure(result.errors);
    onChange(result.data.verifyRectification.alert);
    setDone(m("decided", { state: label("AlertState", result.data.verifyRectification.alert.state) }));
  };

  const notice = [...alert.transitions].reverse().find((t) => t.toState === "NOTICE_ISSUED");
  return (
    <div data-testid="alert-detail" data-state={alert.state}>
      <Frame alert={alert} />
      <dl className="facts">
        <dt>{m("alertState")}</dt>
        <dd data-testid="alert-state">{label("AlertState", alert.state)}</dd>
        <dt>{m("entity")}</dt>
        <dd>
          <Link to={`entities/${alert.uscc}`}>{alert.entity?.name ?? alert.uscc}</Link> <code>{alert.uscc}</code>
        </dd>
        <dt>{m("camera")}</dt>
        <dd>
          {alert.cameraId} ({alert.deviceId})
        </dd>
        <dt>{m("capturedAt")}</dt>
        <dd>{formatDateTime(alert.capturedAt, locale)}</dd>
        <dt>{m("confidence")}</dt>
        <dd>{alert.confidence.toFixed(2)}</dd>
        <dt>{m("model")}</dt>
        <dd>
          {alert.modelName} {alert.modelVersion}
        </dd>
      </dl>
      {alert.state === "RECTIFICATION_SUBMITTED" || alert.rectification ? (
        <section aria-labelledby="verification-title">
          <h3 id="verification-title">{m("noticeAndRectification")}</h3>
          <div className="side-by-side">
            <div>
              <h4>{m("notice")}</h4>
              <p>{notice?.reason ?? alert.reviewNote ?? "—"}</p>
              <p>
                {m("rectifyBy")}: {formatDate(alert.rectifyBy, locale)}
              </p>
            </div>
            <div>
              <h4>{m("rectification")}</h4>
              <p>{alert.rectification?.statement ?? "—"}</p>
              <ul className="photos">
                {alert.rectification?.photos.map((photo, index) => (
                  <li key={photo.sha256}>
                    {/^https?:\/\//.test(photo.ref) ? <img src={photo.ref} alt={m("photo", { n: index + 1 })} /> : m("photo", { n: index + 1 })}{" "}
                    <code title={photo.sha256}>{photo.ref}</code>
                  </li>
                ))}
              </ul>
            </div>
          </div>
        </section>
      ) : null}
      {reviewer && (reviewable(alert.state) || alert.state === "RECTIFICATION_SUBMITTED") ? (
        <form className="decision" onSubmit={(event) => event.preventDefault()} aria-labelledby="decision-title">
          <h3 id="decision-title">{m("decision")}</h3>
          <label htmlFor="decision-reason">{m("decisionReason")}</label>
          <textarea
            id="decision-reason"
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? "decision-problem" : undefined}
            rows={3}
          />
          {problem ? (
            <p id="decision-problem" className="problem" role="alert">
              {problem}
            </p>
          ) : null}
          {reviewable(alert.state) ? (
            <p className="buttons">
              <button type="button" className="primary" disabled={busy} onClick={() => void decide("confirm")}>
                {m("confirmAlert")}
              </button>
              <button type="button" disabled={busy} onClick={() => void decide("reject")}>
                {m("rejectAlert")}
              </button>
            </p>
          ) : (
            <p className="buttons">
              <button type="button" className="primary" disabled={busy} onClick={() => void verify(true)}>
                {m("verifyPassed")}
              </button>
              <button type="button" disabled={busy} onClick={() => void verify(false)}>
                {m("verifyFailed")}
              </button>
            </p>
          )}
        </form>
      ) : null}
      {failure.length ? <ErrorNotice errors={failure} /> : null}
      {done ? <p className="done">{done}</p> : null}
      <section aria-labelledby="history-title">
        <h3 id="history-title">{m("history")}</h3>
        <ol className="history">
          {alert.transitions.map((move, index) => (
            <li key={index}>
              {formatDateTime(move.at, locale)} · {label("AlertState", move.toState)} · {move.actor}
              {move.reason ? ` · ${move.reason}` : ""}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
