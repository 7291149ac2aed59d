import { Fragment, useState } from "react";
import { useTranslation } from "react-i18next";
import { useCancelRun, useJobs, useProgressMap, useRunJob, useSaveJob } from "../../api/queries";
import type { JobInfo, Progress, Schedule } from "../../api/types";
import { RunStatusBadge } from "../../components/Badge";
import { EmptyState } from "../../components/EmptyState";
import { ErrorBox } from "../../components/ErrorBox";
import { Icon } from "../../components/Icon";
import { ProgressBar } from "../../components/ProgressBar";
import { useToast } from "../../components/Toast";
import { navigate } from "../../lib/router";
import { useFormat } from "../../lib/useFormat";
import { useNow } from "../../lib/useNow";
import { ExpirySyncButton } from "../wizard/ExpirySyncWizard";
import { ScheduleDialog } from "./ScheduleDialog";

export function useScheduleText() {
  const { t } = useTranslation();
  return (s: Schedule) =>
    s.kind === "daily"
      ? t("schedule.daily", { at: s.at })
      : s.kind === "every"
        ? t("schedule.every", { minutes: s.minutes })
        : t("schedule.manual");
}

/** The run a job is busy with, if any: from live progress, the job list, or a run just started. */
function activeRun(job: JobInfo, progress: ReadonlyMap<number, Progress>, started: Record<number, number>) {
  for (const p of progress.values()) {
    if (p.job === job.kind && p.connection_id === job.connection_id) {
      // A run the job list already reports as finished is not active any more (missed event).
      if (!job.running && job.last_run?.id === p.run_id && job.last_run.status !== "running") continue;
      return { runId: p.run_id, progress: p };
    }
  }
  if (job.running && job.last_run?.status === "running") return { runId: job.last_run.id, progress: null };
  const s = started[job.id];
  if (s != null && job.last_run?.id !== s) return { runId: s, progress: null };
  if (s != null && job.last_run?.id === s && job.last_run.status === "running") return { runId: s, progress: null };
  return null;
}

export function JobsTab() {
  const { t } = useTranslation();
  const f = useFormat();
  const now = useNow(15_000);
  const toast = useToast();
  const jobs = useJobs();
  const progress = useProgressMap();
  const runJob = useRunJob();
  const cancelRun = useCancelRun();
  const saveJob = useSaveJob();
  const scheduleText = useScheduleText();
  const [editing, setEditing] = useState<JobInfo | null>(null);
  const [started, setStarted] = useState<Record<number, number>>({});
  const [cancelling, setCancelling] = useState<Record<number, boolean>>({});
  const [error, setError] = useState<unknown>(null);

  if (jobs.isError) return <ErrorBox error={jobs.error} onRetry={() => void jobs.refetch()} />;
  if (jobs.isPending) return <p className="muted">{t("common.loading")}</p>;
  if (jobs.data.length === 0) {
    return (
      <EmptyState
        icon="sync"
        title={t("sync.jobsEmptyTitle")}
        body={t("sync.jobsEmptyBody")}
        action={{ label: t("sync.jobsEmptyAction"), onClick: () => navigate("/connections/new") }}
      />
    );
  }

  const onRun = async (job: JobInfo) => {
    setError(null);
    try {
      const runId = await runJob.mutateAsync(job.id);
      setStarted((s) => ({ ...s, [job.id]: runId }));
    } catch (e) {
      setError(e);
    }
  };

  const onCancel = async (runId: number) => {
    setCancelling((c) => ({ ...c, [runId]: true }));
    try {
      await cancelRun.mutateAsync(runId);
    } catch (e) {
      setCancelling((c) => ({ ...c, [runId]: false }));
      setError(e);
    }
  };

  const onToggle = async (job: JobInfo) => {
    setError(null);
    try {
      await saveJob.mutateAsync({ id: job.id, schedule: job.schedule, enabled: !job.enabled });
    } catch (e) {
      setError(e);
      toast.show(t("errors.title"), "critical");
    }
  };

  return (
    <>
      {error ? <ErrorBox error={error} /> : null}
      <table className="table">
        <thead>
          <tr>
            <th>{t("sync.colJob")}</th>
            <th>{t("sync.colConnection")}</th>
            <th>{t("sync.colSchedule")}</th>
            <th>{t("sync.colEnabled")}</th>
            <th>{t("sync.colLastRun")}</th>
            <th>{t("sync.colNextDue")}</th>
            <th className="right">
              <span className="sr-only">{t("common.actions")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {jobs.data.map((job) => {
            const active = activeRun(job, progress, started);
            const rowId = `job-row-${job.kind}-${job.connection_id ?? "local"}`;
            const jobName = t(`job.${job.kind}`);
            return (
              <Fragment key={job.id}>
                <tr data-testid={rowId} data-running={active ? "true" : "false"} className={job.enabled ? undefined : "row-inactive"}>
                  <td className="strong">{jobName}</td>
                  <td>{job.connection_name ?? <span className="muted">{t("common.local")}</span>}</td>
                  <td>
                    <button
                      type="button"
                      className="btn-link"
                      onClick={() => setEditing(job)}
                      title={t("sync.editSchedule")}
                      data-testid={`btn-schedule-${job.id}`}
                    >
                      <Icon name="clock" size={14} />
                      {scheduleText(job.schedule)}
                      <Icon name="edit" size={12} />
                    </button>
                  </td>
                  <td>
                    <label className="switch">
                      <input
                        type="checkbox"
                        checked={job.enabled}
                        onChange={() => void onToggle(job)}
                        aria-label={`${t("sync.colEnabled")}: ${jobName}`}
                        data-testid={`toggle-job-${job.id}`}
                      />
                      <span>{job.enabled ? t("common.yes") : t("common.no")}</span>
                    </label>
                  </td>
                  <td>
                    {job.last_run ? (
                      <span className="stack-h">
                        <RunStatusBadge status={job.last_run.status} />
                        <span className="muted" title={f.dateTime(job.last_run.started_at, true)}>
                          {f.relative(job.last_run.started_at, now)}
                        </span>
                      </span>
                    ) : (
                      <span className="muted">{t("sync.neverRun")}</span>
                    )}
                  </td>
                  <td>
                    {!job.enabled ? (
                      <span className="muted">{t("sync.disabled")}</span>
                    ) : job.next_due_at ? (
                      <span className="two-line">
                        <span>{f.relative(job.next_due_at, now)}</span>
                        <span className="muted small">{f.dateTime(job.next_due_at)}</span>
                      </span>
                    ) : (
                      <span className="muted">{t("sync.notScheduled")}</span>
                    )}
                  </td>
                  <td className="right">
                    <span className="stack-h">
                      {job.kind === "expiry_sync" ? <ExpirySyncButton connectionId={job.connection_id} size="sm" compact /> : null}
                      <button
                        type="button"
                        className="btn btn-secondary btn-sm"
                        onClick={() => void onRun(job)}
                        disabled={active != null || (runJob.isPending && runJob.variables === job.id)}
                        data-testid={`btn-run-${job.id}`}
                      >
                        <Icon name="play" size={12} />
                        {t("sync.runNow")}
                      </button>
                    </span>
                  </td>
                </tr>
                {active ? (
                  <tr className="row-detail row-progress">
                    <td colSpan={7}>
                      <ProgressBar
                        runId={active.runId}
                        progress={active.progress}
                        onCancel={() => void onCancel(active.runId)}
                        cancelling={cancelling[active.runId] === true}
                      />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
      {editing ? <ScheduleDialog job={editing} onClose={() => setEditing(null)} /> : null}
    </>
  );
}
