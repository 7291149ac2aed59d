import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useConnections, useRuns } from "../../api/queries";
import type { JobKind, RunFilter } from "../../api/types";
import { RunStatusBadge } from "../../components/Badge";
import { EmptyState } from "../../components/EmptyState";
import { ErrorBox } from "../../components/ErrorBox";
import { FilterSelect } from "../../components/FilterSelect";
import { millisBetween } from "../../lib/format";
import { navigate } from "../../lib/router";
import { useFormat } from "../../lib/useFormat";
import { useNow } from "../../lib/useNow";

const JOBS: JobKind[] = ["permit_types", "new_permits", "log_cleanup"];
const PAGE = 100;

export function RunsTab({ initialConnection = null }: { initialConnection?: number | null }) {
  const { t } = useTranslation();
  const f = useFormat();
  const now = useNow(5_000);
  const connections = useConnections();
  const [filter, setFilter] = useState<RunFilter>({ connection_id: initialConnection, job: null, limit: PAGE });
  const runs = useRuns(filter);
  const filtered = filter.connection_id != null || filter.job != null;

  const triggerLabel = (trigger: string) =>
    trigger === "manual" || trigger === "schedule" || trigger === "catch_up" ? t(`trigger.${trigger}`) : trigger;

  return (
    <>
      <div className="filters">
        <FilterSelect
          label={t("runs.filterConnection")}
          value={filter.connection_id}
          onChange={(v) => setFilter((fl) => ({ ...fl, connection_id: v ? Number(v) : null }))}
          allLabel={t("runs.allConnections")}
          options={(connections.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          testId="runs-filter-connection"
        />
        <FilterSelect
          label={t("runs.filterJob")}
          value={filter.job}
          onChange={(v) => setFilter((fl) => ({ ...fl, job: (v || null) as JobKind | null }))}
          allLabel={t("runs.allJobs")}
          options={JOBS.map((j) => ({ value: j, label: t(`job.${j}`) }))}
          testId="runs-filter-job"
        />
      </div>

      {runs.isError ? <ErrorBox error={runs.error} onRetry={() => void runs.refetch()} /> : null}
      {runs.isPending ? <p className="muted">{t("common.loading")}</p> : null}
      {runs.data && runs.data.length === 0 ? (
        filtered ? (
          <p className="muted">{t("log.emptyFiltered")}</p>
        ) : (
          <EmptyState
            icon="sync"
            title={t("runs.emptyTitle")}
            body={t("runs.emptyBody")}
            action={{ label: t("runs.emptyAction"), onClick: () => navigate("/sync/jobs") }}
          />
        )
      ) : null}
      {runs.data && runs.data.length > 0 ? (
        <>
          <table className="table table-compact">
            <thead>
              <tr>
                <th className="right">{t("runs.colId")}</th>
                <th>{t("sync.colJob")}</th>
                <th>{t("sync.colConnection")}</th>
                <th>{t("runs.colTrigger")}</th>
                <th>{t("runs.colStarted")}</th>
                <th className="right">{t("runs.colDuration")}</th>
                <th>{t("runs.colStatus")}</th>
                <th className="right cap">{t("runs.created")}</th>
                <th className="right cap">{t("runs.updated")}</th>
                <th className="right cap">{t("runs.unchanged")}</th>
                <th className="right cap">{t("runs.failed")}</th>
                <th>{t("runs.colError")}</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.map((r) => {
                const ms = millisBetween(r.started_at, r.finished_at, now);
                return (
                  <tr key={r.id} data-testid={`run-row-${r.id}`} data-status={r.status}>
                    <td className="right num muted">{r.id}</td>
                    <td>{t(`job.${r.job}`)}</td>
                    <td>{r.connection_name ?? <span className="muted">{t("common.local")}</span>}</td>
                    <td>{triggerLabel(r.trigger)}</td>
                    <td className="num" title={`${f.dateTime(r.started_at, true)} (${f.relative(r.started_at, now)})`}>
                      {f.shortDateTime(r.started_at, true)}
                    </td>
                    <td className="right num">
                      {ms != null ? f.ms(ms) : ""}
                    </td>
                    <td>
                      <RunStatusBadge status={r.status} />
                    </td>
                    <td className="right num">{f.number(r.counts.created)}</td>
                    <td className="right num">{f.number(r.counts.updated)}</td>
                    <td className="right num">{f.number(r.counts.unchanged)}</td>
                    <td className={`right num${r.counts.failed > 0 ? " text-critical" : ""}`}>{f.number(r.counts.failed)}</td>
                    <td className="error-cell fill" title={r.error ?? undefined}>
                      {r.error}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {runs.data.length >= (filter.limit ?? PAGE) ? (
            <button type="button" className="btn btn-secondary load-more" onClick={() => setFilter((fl) => ({ ...fl, limit: (fl.limit ?? PAGE) + PAGE }))}>
              {t("common.loadMore")}
            </button>
          ) : null}
        </>
      ) : null}
    </>
  );
}
