import { useTranslation } from "react-i18next";
import { useConnections, useJobs, useProgressMap, useRuns } from "../api/queries";
import type { Connection } from "../api/types";
import { Badge, KindBadge, RunStatusBadge, type Tone } from "../components/Badge";
import { ControlPanel } from "../components/ControlPanel";
import { EmptyState } from "../components/EmptyState";
import { ErrorBox } from "../components/ErrorBox";
import { ProgressBar } from "../components/ProgressBar";
import { millisBetween } from "../lib/format";
import { href, navigate, useRoute } from "../lib/router";
import { useFormat } from "../lib/useFormat";
import { useNow } from "../lib/useNow";
import { EinvoiceCards } from "./dashboard/EinvoiceCards";
import { PermitCards } from "./dashboard/PermitCards";
import { ReminderInbox } from "./reminders/ReminderInbox";

const RECENT = { connection_id: null, job: null, limit: 10 };

function health(c: Connection): [Tone, "dashboard.statusOk" | "dashboard.statusWarning" | "dashboard.statusCritical" | "dashboard.statusNever" | "dashboard.statusInactive"] {
  if (!c.active) return ["muted", "dashboard.statusInactive"];
  const { requests, errors, last_sync_at } = c.stats;
  if (!last_sync_at && requests === 0) return ["neutral", "dashboard.statusNever"];
  const rate = requests > 0 ? errors / requests : 0;
  if (rate >= 0.1) return ["critical", "dashboard.statusCritical"];
  if (errors > 0) return ["warning", "dashboard.statusWarning"];
  return ["ok", "dashboard.statusOk"];
}

export function Dashboard() {
  const { t } = useTranslation();
  const f = useFormat();
  const now = useNow();
  const connections = useConnections();
  const runs = useRuns(RECENT);
  const jobs = useJobs();
  const progress = useProgressMap();
  const route = useRoute();
  // The reminder inbox opens over the dashboard at #/dashboard/reminders.
  const inbox = route.parts[1] === "reminders" ? <ReminderInbox onClose={() => navigate("/dashboard")} /> : null;
  const hasOffice = connections.data?.some((c) => c.kind === "sicantik") ?? false;
  const hasHacienda = connections.data?.some((c) => c.kind === "hacienda") ?? false;

  const crumbs = [{ label: t("dashboard.title") }];
  if (connections.isError) {
    return (
      <div className="screen">
        <ControlPanel crumbs={crumbs} />
        <div className="content">
          <ErrorBox error={connections.error} onRetry={() => void connections.refetch()} />
        </div>
      </div>
    );
  }
  if (connections.data && connections.data.length === 0) {
    return (
      <div className="screen">
        <ControlPanel crumbs={crumbs} />
        <div className="content">
          <EmptyState
            icon="dashboard"
            title={t("dashboard.emptyTitle")}
            body={t("dashboard.emptyBody")}
            action={{ label: t("dashboard.emptyAction"), onClick: () => navigate("/connections/new") }}
          />
        </div>
      </div>
    );
  }

  const running = [...progress.values()];
  const jobName = (jobKind: string, connectionId: number | null) => {
    const j = jobs.data?.find((x) => x.kind === jobKind && x.connection_id === connectionId);
    return j?.connection_name ?? connections.data?.find((c) => c.id === connectionId)?.name ?? t("common.local");
  };

  return (
    <div className="screen">
      <ControlPanel crumbs={crumbs} />
      <div className="content dashboard">
        <PermitCards enabled={hasOffice} />
        <EinvoiceCards enabled={hasHacienda} />

        <section aria-labelledby="dash-health">
          <h2 id="dash-health" className="section-title">
            {t("dashboard.health")}
          </h2>
          {connections.isPending ? <p className="muted">{t("common.loading")}</p> : null}
          <div className="cards">
            {connections.data?.map((c) => {
              const [tone, label] = health(c);
              const rate = c.stats.requests > 0 ? (c.stats.errors / c.stats.requests) * 100 : 0;
              return (
                <a key={c.id} className="card health-card" href={href(`/connections/${c.id}`)} data-testid={`health-${c.name}`}>
                  <div className="card-head">
                    <KindBadge kind={c.kind} />
                    <Badge tone={tone}>{t(label)}</Badge>
                  </div>
                  <div className="card-title">{c.name}</div>
                  <dl className="facts">
                    <div>
                      <dt>{t("dashboard.lastSync")}</dt>
                      <dd title={f.dateTime(c.stats.last_sync_at)}>
                        {c.stats.last_sync_at ? f.relative(c.stats.last_sync_at, now) : t("common.never")}
                      </dd>
                    </div>
                    <div>
                      <dt>{t("dashboard.requests")}</dt>
                      <dd className="num">{f.number(c.stats.requests)}</dd>
                    </div>
                    <div>
                      <dt>{t("dashboard.errors")}</dt>
                      <dd className="num">
                        {f.number(c.stats.errors)}
                        {c.stats.requests > 0 ? <span className="muted"> ({f.number(rate, 1)} %)</span> : null}
                      </dd>
                    </div>
                    <div>
                      <dt>{t("dashboard.lastDuration")}</dt>
                      <dd className="num">{c.stats.last_duration_ms != null ? f.ms(c.stats.last_duration_ms) : t("common.notAvailable")}</dd>
                    </div>
                  </dl>
                </a>
              );
            })}
          </div>
        </section>

        {running.length > 0 ? (
          <section aria-labelledby="dash-running">
            <h2 id="dash-running" className="section-title">
              {t("dashboard.runningNow")}
            </h2>
            <div className="running-list">
              {running.map((p) => (
                <div key={p.run_id} className="running-item">
                  <div className="running-name">
                    <strong>{t(`job.${p.job}`)}</strong> <span className="muted">{jobName(p.job, p.connection_id)}</span>
                  </div>
                  <ProgressBar runId={p.run_id} progress={p} />
                </div>
              ))}
            </div>
          </section>
        ) : null}

        <section aria-labelledby="dash-runs">
          <div className="section-head">
            <h2 id="dash-runs" className="section-title">
              {t("dashboard.recentRuns")}
            </h2>
            <a href={href("/sync/runs")}>{t("dashboard.viewAllRuns")}</a>
            <a href={href("/sync/log")}>{t("dashboard.viewLog")}</a>
          </div>
          {runs.isError ? <ErrorBox error={runs.error} onRetry={() => void runs.refetch()} /> : null}
          {runs.data && runs.data.length === 0 ? <p className="muted">{t("dashboard.noRuns")}</p> : null}
          {runs.data && runs.data.length > 0 ? (
            <table className="table">
              <thead>
                <tr>
                  <th>{t("sync.colJob")}</th>
                  <th>{t("sync.colConnection")}</th>
                  <th>{t("runs.colStarted")}</th>
                  <th className="right">{t("runs.colDuration")}</th>
                  <th>{t("runs.colStatus")}</th>
                  <th className="right cap">{t("runs.created")}</th>
                  <th className="right cap">{t("runs.updated")}</th>
                  <th className="right cap">{t("runs.failed")}</th>
                </tr>
              </thead>
              <tbody>
                {runs.data.map((r) => {
                  const ms = millisBetween(r.started_at, r.finished_at, now);
                  return (
                    <tr key={r.id}>
                      <td>{t(`job.${r.job}`)}</td>
                      <td>{r.connection_name ?? t("common.local")}</td>
                      <td title={f.dateTime(r.started_at, true)}>{f.relative(r.started_at, now)}</td>
                      <td className="right num">{ms != null ? f.ms(ms) : ""}</td>
                      <td>
                        <RunStatusBadge status={r.status} />
                      </td>
                      <td className="right num">{f.number(r.counts.created)}</td>
                      <td className="right num">{f.number(r.counts.updated)}</td>
                      <td className={`right num${r.counts.failed > 0 ? " text-critical" : ""}`}>{f.number(r.counts.failed)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ) : null}
        </section>
      </div>
      {inbox}
    </div>
  );
}
