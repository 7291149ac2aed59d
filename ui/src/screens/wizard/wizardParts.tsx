// What the run wizards (expiry sync, bulk e-invoice runs) share: the four steps and their header,
// following a started run to its end (the run_finished event, with list_runs as a fallback),
// cancelling it, closing while it runs, the run step's progress and buttons, and the summary's
// head and counts. Each wizard keeps its own choose / review steps and texts.
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "@tanstack/react-query";
import { call, listen } from "../../api/client";
import { keys, useCancelRun, type useProgressMap } from "../../api/queries";
import type { RunFilter, SyncRun } from "../../api/types";
import { RunStatusBadge } from "../../components/Badge";
import { ConfirmDialog, Dialog } from "../../components/Dialog";
import { ErrorBox } from "../../components/ErrorBox";
import { Icon } from "../../components/Icon";
import { ProgressBar } from "../../components/ProgressBar";
import { useToast } from "../../components/Toast";

export type Step = "choose" | "review" | "run" | "summary";
export const STEPS: Step[] = ["choose", "review", "run", "summary"];

export function StepIndicator({ current }: { current: Step }) {
  const { t } = useTranslation();
  const at = STEPS.indexOf(current);
  const label: Record<Step, string> = {
    choose: t("wizard.stepChoose"),
    review: t("wizard.stepReview"),
    run: t("wizard.stepRun"),
    summary: t("wizard.stepSummary"),
  };
  return (
    <ol className="wizard-steps" aria-label={t("wizard.steps")}>
      {STEPS.map((s, i) => (
        <li key={s} className={i < at ? "done" : i === at ? "current" : undefined} aria-current={i === at ? "step" : undefined}>
          <span className="wizard-step-no" aria-hidden="true">
            {i < at ? <Icon name="check" size={12} /> : i + 1}
          </span>
          {label[s]}
        </li>
      ))}
    </ol>
  );
}

/** The wizard's dialog: the step header above the current step, the step's buttons below. */
export function WizardDialog({
  title,
  testId,
  step,
  footer,
  onClose,
  before,
  children,
}: {
  title: string;
  testId: string;
  step: Step;
  footer: React.ReactNode;
  onClose: () => void;
  /** Rendered first inside the dialog (e.g. a marker that sets data attributes on its root). */
  before?: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <Dialog title={title} onClose={onClose} testId={testId} size="lg" footer={footer}>
      {before}
      <StepIndicator current={step} />
      <div className="wizard-step" data-step={step}>
        {children}
      </div>
    </Dialog>
  );
}

/**
 * Follows one run to its end. `follow(id)` starts watching (`onFollow` then moves the wizard to
 * its run step); `onFinish` gets the run once it has ended. A short run may end before the call
 * that started it has answered, so ended runs are kept by id; and a missed event (the event
 * stream reconnecting) must not leave the wizard running forever, so while `polling` the run
 * list is asked every few seconds.
 */
export function useRunWatch({
  runFilter,
  polling,
  onFollow,
  onFinish,
}: {
  runFilter: RunFilter;
  polling: boolean;
  onFollow: () => void;
  onFinish: (run: SyncRun) => void;
}) {
  const [runId, setRunId] = useState<number | null>(null);
  const [run, setRun] = useState<SyncRun | null>(null);
  const finished = useRef(new Map<number, SyncRun>());
  const runIdRef = useRef<number | null>(null);
  const handlers = useRef({ onFollow, onFinish });
  handlers.current = { onFollow, onFinish };

  const finish = useCallback((r: SyncRun) => {
    if (r.id !== runIdRef.current) return;
    setRun(r);
    handlers.current.onFinish(r);
  }, []);
  useEffect(
    () =>
      listen("run_finished", (r) => {
        finished.current.set(r.id, r);
        finish(r);
      }),
    [finish],
  );

  const runs = useQuery({
    queryKey: keys.runs(runFilter),
    queryFn: () => call("list_runs", { filter: runFilter }),
    enabled: polling && runId != null,
    refetchInterval: 3000,
    staleTime: 0,
  });
  useEffect(() => {
    if (!polling || runId == null) return;
    const r = runs.data?.find((x) => x.id === runId);
    if (r && r.status !== "running") finish(r);
  }, [runs.data, runId, polling, finish]);

  const follow = (id: number) => {
    runIdRef.current = id;
    setRunId(id);
    setRun(null);
    handlers.current.onFollow();
    const done = finished.current.get(id);
    if (done) finish(done);
  };

  /** Stops following (to start another run). */
  const forget = () => {
    runIdRef.current = null;
    setRunId(null);
    setRun(null);
  };

  return { runId, run, follow, forget };
}

/** Cancel of the followed run: `cancelling` until it ends (the wizard clears it then). */
export function useRunCancel(runId: number | null) {
  const cancelRun = useCancelRun();
  const [cancelling, setCancelling] = useState(false);
  const [cancelError, setCancelError] = useState<unknown>(null);
  const cancel = async () => {
    if (runId == null) return;
    setCancelError(null);
    setCancelling(true);
    try {
      await cancelRun.mutateAsync(runId);
    } catch (e) {
      setCancelling(false);
      setCancelError(e);
    }
  };
  return { cancelling, setCancelling, cancelError, setCancelError, cancel };
}

/**
 * Closing the wizard while its run goes on asks first; "close" leaves the run going in the
 * background, with a toast saying so.
 */
export function useCloseWhileRunning({
  running,
  onClose,
  keepsRunning,
  dialog,
}: {
  running: boolean;
  onClose: () => void;
  keepsRunning: string;
  dialog: { title: string; body: string; confirmLabel: string; cancelLabel: string; testId: string };
}) {
  const toast = useToast();
  const [confirmClose, setConfirmClose] = useState(false);
  const requestClose = () => {
    if (running) setConfirmClose(true);
    else onClose();
  };
  const closeInBackground = () => {
    setConfirmClose(false);
    toast.show(keepsRunning, "info");
    onClose();
  };
  const confirm = confirmClose ? <ConfirmDialog {...dialog} onConfirm={closeInBackground} onCancel={() => setConfirmClose(false)} /> : null;
  return { requestClose, confirm };
}

/**
 * The pressed button leaves with its step: put focus on the new step's main action (else the
 * first enabled button of the footer). `special` may take the focus elsewhere first.
 */
export function useStepFocus(step: Step, rootTestId: string, targets: Record<Step, string>, special?: (root: Element | null) => boolean) {
  const firstStep = useRef(true);
  useEffect(() => {
    if (firstStep.current) {
      firstStep.current = false;
      return;
    }
    const root = document.querySelector(`[data-testid="${rootTestId}"]`);
    if (special?.(root)) return;
    const el =
      root?.querySelector<HTMLElement>(`[data-testid="${targets[step]}"]:not([disabled])`) ??
      root?.querySelector<HTMLElement>(".dialog-foot button:not([disabled])");
    el?.focus();
    // Only a step change moves the focus.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [step]);
}

/** The run step: what runs, its progress bar, why cancelling failed, a hint. */
export function RunProgress({
  runId,
  progress,
  message,
  hint,
  cancelError,
  children,
}: {
  runId: number | null;
  progress: ReturnType<typeof useProgressMap>;
  message: string;
  hint: string;
  cancelError: unknown;
  /** Shown under the progress bar (e.g. "cancelling…"). */
  children?: React.ReactNode;
}) {
  return (
    <div className="wizard-run" data-testid="wizard-progress" data-run-id={runId ?? ""}>
      <p>{message}</p>
      {runId != null ? <ProgressBar runId={runId} progress={progress.get(runId) ?? null} /> : null}
      {children}
      {cancelError ? <ErrorBox error={cancelError} /> : null}
      <p className="hint">{hint}</p>
    </div>
  );
}

/** The run step's buttons: cancel the run, or leave it running in the background. */
export function RunFooter({
  cancelling,
  onCancel,
  cancelLabel,
  cancellingLabel,
  backgroundLabel,
  onBackground,
}: {
  cancelling: boolean;
  onCancel: () => void;
  cancelLabel: string;
  cancellingLabel: string;
  backgroundLabel: string;
  onBackground: () => void;
}) {
  return (
    <>
      <button type="button" className="btn btn-danger" onClick={onCancel} disabled={cancelling} data-testid="btn-wizard-cancel">
        <Icon name="stop" size={12} />
        {cancelling ? cancellingLabel : cancelLabel}
      </button>
      <button type="button" className="btn btn-secondary wizard-foot-end" onClick={onBackground} data-testid="btn-wizard-background">
        {backgroundLabel}
      </button>
    </>
  );
}

/** The summary's headline: the wizard's words for how the run ended, else the status's name. */
export function useRunHeadline() {
  const { t } = useTranslation();
  return (status: SyncRun["status"], words: { succeeded: string; cancelled: string; partial: string; failed: string }) =>
    status === "succeeded" || status === "cancelled" || status === "partial" || status === "failed" ? words[status] : t(`runStatus.${status}`);
}

/** The summary's head: the run's status badge and headline, and the run's own error. */
export function SummaryHead({ run, headline }: { run: SyncRun; headline: string }) {
  return (
    <>
      <div className="wizard-summary-head">
        <RunStatusBadge status={run.status} />
        <strong>{headline}</strong>
      </div>
      {run.error ? <ErrorBox error={{ code: "remote", message: run.error, fields: [], details: null }} /> : null}
    </>
  );
}

export type SummaryCount = { testId: string; label: string; value: string; className?: string };

/** The summary's row of counts. */
export function SummaryCounts({ counts }: { counts: SummaryCount[] }) {
  return (
    <dl className="wizard-counts">
      {counts.map((c) => (
        <div key={c.testId} data-testid={c.testId} className={c.className}>
          <dt>{c.label}</dt>
          <dd className="num">{c.value}</dd>
        </div>
      ))}
    </dl>
  );
}
