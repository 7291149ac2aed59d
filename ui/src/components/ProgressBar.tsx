import { useTranslation } from "react-i18next";
import type { Progress } from "../api/types";
import { useFormat } from "../lib/useFormat";
import { Icon } from "./Icon";

/** Live progress of one run: done / total, rate, ETA, stage, and Cancel. */
export function ProgressBar({
  runId,
  progress,
  onCancel,
  cancelling = false,
}: {
  runId: number;
  progress: Progress | null;
  onCancel?: () => void;
  cancelling?: boolean;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const done = progress?.done ?? 0;
  const total = progress?.total ?? null;
  const pct = total && total > 0 ? Math.min(100, Math.round((done / total) * 100)) : null;
  const rate = progress?.rate_per_sec ?? 0;
  const eta = progress?.eta_seconds ?? null;

  const counts =
    total != null
      ? t("progress.doneOfTotal", { done: f.number(done), total: f.number(total) })
      : t("progress.doneOnly", { done: f.number(done) });
  const rateText = t("progress.rate", { rate: f.number(rate, 1) });
  const etaText = eta != null ? t("progress.eta", { time: f.eta(eta) }) : t("progress.etaUnknown");

  return (
    <div
      className="progress"
      data-testid={`progress-${runId}`}
      data-done={done}
      data-total={total ?? ""}
    >
      <div className="progress-top">
        <div
          className={`progress-track${pct == null ? " indeterminate" : ""}`}
          role="progressbar"
          aria-label={t("progress.label")}
          aria-valuemin={0}
          aria-valuemax={total ?? undefined}
          aria-valuenow={total != null ? done : undefined}
          aria-valuetext={`${counts}, ${etaText}`}
        >
          <div className="progress-fill" style={{ width: pct == null ? undefined : `${pct}%` }} />
        </div>
        {onCancel ? (
          <button
            type="button"
            className="btn btn-secondary btn-sm"
            onClick={onCancel}
            disabled={cancelling}
            data-testid={`btn-cancel-${runId}`}
          >
            <Icon name="stop" size={12} />
            {cancelling ? t("sync.cancelRequested") : t("sync.cancel")}
          </button>
        ) : null}
      </div>
      <div className="progress-text">
        <span className="num" data-testid="progress-counts">
          {counts}
          {pct != null ? ` (${f.number(pct)} %)` : ""}
        </span>
        {progress ? (
          <>
            <span className="num" data-testid="progress-rate">{rateText}</span>
            <span data-testid="progress-eta">{etaText}</span>
          </>
        ) : null}
        <span className="progress-stage" data-testid="progress-stage">
          {progress?.stage || t("progress.starting")}
        </span>
      </div>
    </div>
  );
}
