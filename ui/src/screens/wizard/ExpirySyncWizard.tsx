// The expiry-sync wizard (SPEC §6): choose → review with count and time estimate → run with
// live progress and Cancel → summary with per-permit failures and CSV export.
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { call, listen } from "../../api/client";
import { useQuery } from "@tanstack/react-query";
import { keys, useCancelRun, useConnections, useExpirySyncPlan, useProgressMap } from "../../api/queries";
import type { Connection, ExpirySyncPlan, SyncRun } from "../../api/types";
import { ConfirmDialog, Dialog } from "../../components/Dialog";
import { ErrorBox } from "../../components/ErrorBox";
import { Field } from "../../components/Field";
import { Icon } from "../../components/Icon";
import { ProgressBar } from "../../components/ProgressBar";
import { useToast } from "../../components/Toast";
import { navigate } from "../../lib/router";
import { useFormat } from "../../lib/useFormat";
import { WizardSummary } from "./WizardSummary";
import "./wizard.css";

/** How many permits "test with 10 permits" looks up. */
export const TEST_LIMIT = 10;

export type Step = "choose" | "review" | "run" | "summary";
export type Scope = "test" | "all";

const STEPS: Step[] = ["choose", "review", "run", "summary"];

/** Permits the run will look up and the time that takes at the connection's rate. */
export function estimate(plan: ExpirySyncPlan, scope: Scope): { permits: number; seconds: number } {
  const permits = scope === "test" ? Math.min(TEST_LIMIT, plan.permits) : plan.permits;
  let seconds: number;
  if (plan.rate_per_sec > 0) seconds = permits / plan.rate_per_sec;
  else seconds = plan.permits > 0 ? (plan.estimated_seconds * permits) / plan.permits : 0;
  return { permits, seconds };
}

/** Opens the expiry-sync wizard; the Permits toolbar and the Sync screen place it. */
export function ExpirySyncButton({
  connectionId = null,
  size,
  variant = "secondary",
  compact = false,
}: {
  connectionId?: number | null;
  size?: "sm";
  variant?: "primary" | "secondary";
  /** A short label, for tight places such as a job row. */
  compact?: boolean;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className={`btn btn-${variant}${size === "sm" ? " btn-sm" : ""}`}
        onClick={() => setOpen(true)}
        title={compact ? t("wizard.openHint") : undefined}
        data-testid="btn-expiry-sync"
      >
        <Icon name="hourglass" size={size === "sm" ? 12 : 16} />
        {compact ? t("wizard.openShort") : t("wizard.open")}
      </button>
      {open ? <ExpirySyncWizard connectionId={connectionId} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

export function ExpirySyncWizard({ onClose, connectionId = null }: { onClose: () => void; connectionId?: number | null }) {
  const { t } = useTranslation();
  const toast = useToast();
  const connections = useConnections();
  const progress = useProgressMap();
  const cancelRun = useCancelRun();

  const offices: Connection[] = (connections.data ?? []).filter((c) => c.kind === "sicantik" && (c.active || c.id === connectionId));
  const [step, setStep] = useState<Step>("choose");
  const [chosen, setChosen] = useState<number | null>(connectionId);
  const [scope, setScope] = useState<Scope>("test");
  const [refreshAll, setRefreshAll] = useState(false);
  const [runId, setRunId] = useState<number | null>(null);
  const [run, setRun] = useState<SyncRun | null>(null);
  const [lastScope, setLastScope] = useState<Scope>("test");
  const [startError, setStartError] = useState<unknown>(null);
  const [starting, setStarting] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [cancelError, setCancelError] = useState<unknown>(null);
  const [confirmClose, setConfirmClose] = useState(false);

  // The one permit office there is needs no choosing.
  const connection = offices.find((c) => c.id === chosen) ?? null;
  useEffect(() => {
    if (chosen == null && offices.length === 1) setChosen(offices[0]!.id);
  }, [chosen, offices]);

  const plan = useExpirySyncPlan(step === "review" || step === "choose" ? chosen : null, refreshAll);

  // Runs that finished, by id: a short test run may end before start_expiry_sync has answered.
  const finished = useRef(new Map<number, SyncRun>());
  const runIdRef = useRef<number | null>(null);
  const finish = useCallback((r: SyncRun) => {
    if (r.id !== runIdRef.current) return;
    setRun(r);
    setCancelling(false);
    setStep("summary");
  }, []);
  useEffect(
    () =>
      listen("run_finished", (r) => {
        finished.current.set(r.id, r);
        finish(r);
      }),
    [finish],
  );

  // A missed event (the event stream reconnecting) must not leave the wizard running forever.
  const runFilter = { connection_id: chosen, job: "expiry_sync" as const, limit: 5 };
  const runs = useQuery({
    queryKey: keys.runs(runFilter),
    queryFn: () => call("list_runs", { filter: runFilter }),
    enabled: step === "run" && runId != null,
    refetchInterval: 3000,
    staleTime: 0,
  });
  useEffect(() => {
    if (step !== "run" || runId == null) return;
    const r = runs.data?.find((x) => x.id === runId);
    if (r && r.status !== "running") finish(r);
  }, [runs.data, runId, step, finish]);

  // An expiry sync already running on the chosen connection can be followed instead.
  const running = [...progress.values()].find((p) => p.job === "expiry_sync" && p.connection_id === chosen) ?? null;

  const follow = (id: number) => {
    runIdRef.current = id;
    setRunId(id);
    setRun(null);
    setStep("run");
    const done = finished.current.get(id);
    if (done) finish(done);
  };

  const onStart = async () => {
    if (chosen == null) return;
    setStartError(null);
    setStarting(true);
    try {
      const id = await call("start_expiry_sync", {
        connection_id: chosen,
        options: { limit: scope === "test" ? TEST_LIMIT : null, refresh_all: refreshAll, selection: [], batching: null },
      });
      setLastScope(scope);
      follow(id);
    } catch (e) {
      setStartError(e);
    } finally {
      setStarting(false);
    }
  };

  const onCancelRun = async () => {
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

  const requestClose = () => {
    if (step === "run") setConfirmClose(true);
    else onClose();
  };

  const closeInBackground = () => {
    setConfirmClose(false);
    toast.show(t("wizard.keepsRunning"), "info");
    onClose();
  };

  const runAll = () => {
    setScope("all");
    setRun(null);
    setRunId(null);
    runIdRef.current = null;
    setStep("review");
  };

  const nothingToDo = plan.data != null && plan.data.permits === 0;

  // The pressed button leaves with its step: put focus on the new step's main action.
  const firstStep = useRef(true);
  useEffect(() => {
    if (firstStep.current) {
      firstStep.current = false;
      return;
    }
    const target = { choose: "btn-wizard-next", review: "btn-wizard-start", run: "btn-wizard-background", summary: "btn-wizard-close" }[step];
    const root = document.querySelector('[data-testid="wizard-expiry-sync"]');
    const el =
      root?.querySelector<HTMLElement>(`[data-testid="${target}"]:not([disabled])`) ??
      root?.querySelector<HTMLElement>(".dialog-foot button:not([disabled])");
    el?.focus();
  }, [step]);

  let body: React.ReactNode;
  let footer: React.ReactNode;
  if (step === "choose") {
    body = (
      <ChooseStep
        offices={offices}
        loading={connections.isPending}
        error={connections.isError ? connections.error : null}
        chosen={chosen}
        onChoose={setChosen}
        scope={scope}
        onScope={setScope}
        refreshAll={refreshAll}
        onRefreshAll={setRefreshAll}
        runningId={running?.run_id ?? null}
        onFollow={follow}
        onClose={onClose}
      />
    );
    footer = (
      <>
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => setStep("review")}
          disabled={chosen == null}
          data-testid="btn-wizard-next"
        >
          {t("wizard.next")}
          <Icon name="chevronRight" />
        </button>
        <button type="button" className="btn btn-secondary" onClick={onClose} data-testid="btn-wizard-close">
          {t("common.cancel")}
        </button>
      </>
    );
  } else if (step === "review") {
    body = (
      <ReviewStep
        connection={connection}
        plan={plan.data ?? null}
        planError={plan.isError ? plan.error : null}
        onRetry={() => void plan.refetch()}
        scope={scope}
        refreshAll={refreshAll}
        startError={startError}
      />
    );
    footer = (
      <>
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => void onStart()}
          disabled={starting || plan.data == null || nothingToDo}
          data-testid="btn-wizard-start"
        >
          <Icon name="play" size={14} />
          {starting ? t("wizard.starting") : scope === "test" ? t("wizard.startTest") : t("wizard.startAll")}
        </button>
        <button type="button" className="btn btn-secondary" onClick={() => setStep("choose")} data-testid="btn-wizard-back">
          {t("wizard.back")}
        </button>
        <button type="button" className="btn btn-secondary wizard-foot-end" onClick={onClose} data-testid="btn-wizard-close">
          {t("common.cancel")}
        </button>
      </>
    );
  } else if (step === "run") {
    body = (
      <div className="wizard-run" data-testid="wizard-progress" data-run-id={runId ?? ""}>
        <p>
          {t(lastScope === "test" ? "wizard.runningTest" : "wizard.runningAll", { connection: connection?.name ?? "" })}
        </p>
        {runId != null ? <ProgressBar runId={runId} progress={progress.get(runId) ?? null} /> : null}
        {cancelError ? <ErrorBox error={cancelError} /> : null}
        <p className="hint">{t("wizard.runHint")}</p>
      </div>
    );
    footer = (
      <>
        <button
          type="button"
          className="btn btn-danger"
          onClick={() => void onCancelRun()}
          disabled={cancelling}
          data-testid="btn-wizard-cancel"
        >
          <Icon name="stop" size={12} />
          {cancelling ? t("sync.cancelRequested") : t("wizard.cancelRun")}
        </button>
        <button type="button" className="btn btn-secondary wizard-foot-end" onClick={requestClose} data-testid="btn-wizard-background">
          {t("wizard.runInBackground")}
        </button>
      </>
    );
  } else {
    body = run ? <WizardSummary run={run} testRun={lastScope === "test"} /> : null;
    footer = (
      <>
        <button type="button" className="btn btn-primary" onClick={onClose} data-testid="btn-wizard-close" data-autofocus>
          {t("common.close")}
        </button>
        {lastScope === "test" && run && run.status !== "failed" ? (
          <button type="button" className="btn btn-secondary" onClick={runAll} data-testid="btn-wizard-run-all">
            {t("wizard.continueAll")}
          </button>
        ) : null}
        <button
          type="button"
          className="btn btn-link wizard-foot-end"
          onClick={() => {
            onClose();
            navigate("/sync/runs");
          }}
        >
          {t("wizard.openRuns")}
        </button>
      </>
    );
  }

  return (
    <>
      <Dialog title={t("wizard.title")} onClose={requestClose} testId="wizard-expiry-sync" size="lg" footer={footer}>
        <StepIndicator current={step} />
        <div className="wizard-step" data-step={step}>
          {body}
        </div>
      </Dialog>
      {confirmClose ? (
        <ConfirmDialog
          title={t("wizard.closeTitle")}
          body={t("wizard.closeBody")}
          confirmLabel={t("wizard.closeConfirm")}
          cancelLabel={t("wizard.closeStay")}
          onConfirm={closeInBackground}
          onCancel={() => setConfirmClose(false)}
          testId="dialog-wizard-close"
        />
      ) : null}
    </>
  );
}

function StepIndicator({ current }: { current: Step }) {
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
        <li
          key={s}
          className={i < at ? "done" : i === at ? "current" : undefined}
          aria-current={i === at ? "step" : undefined}
        >
          <span className="wizard-step-no" aria-hidden="true">
            {i < at ? <Icon name="check" size={12} /> : i + 1}
          </span>
          {label[s]}
        </li>
      ))}
    </ol>
  );
}

function ChooseStep({
  offices,
  loading,
  error,
  chosen,
  onChoose,
  scope,
  onScope,
  refreshAll,
  onRefreshAll,
  runningId,
  onFollow,
  onClose,
}: {
  offices: Connection[];
  loading: boolean;
  error: unknown;
  chosen: number | null;
  onChoose: (id: number | null) => void;
  scope: Scope;
  onScope: (s: Scope) => void;
  refreshAll: boolean;
  onRefreshAll: (v: boolean) => void;
  runningId: number | null;
  onFollow: (runId: number) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  if (error) return <ErrorBox error={error} />;
  if (loading) return <p className="muted">{t("common.loading")}</p>;
  if (offices.length === 0) {
    return (
      <div className="wizard-empty" data-testid="wizard-no-connection">
        <p>{t("wizard.noOffice")}</p>
        <button
          type="button"
          className="btn btn-secondary"
          onClick={() => {
            onClose();
            navigate("/connections/new");
          }}
        >
          {t("sync.jobsEmptyAction")}
        </button>
      </div>
    );
  }
  return (
    <div className="stack wizard-choose">
      <p className="muted">{t("wizard.intro")}</p>
      <Field label={t("wizard.connection")} name="connection">
        <select
          value={chosen ?? ""}
          onChange={(e) => onChoose(e.target.value === "" ? null : Number(e.target.value))}
          data-testid="wizard-connection"
        >
          {chosen == null ? <option value="">{t("wizard.chooseConnection")}</option> : null}
          {offices.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </Field>
      {runningId != null ? (
        <div className="alert alert-info wizard-running-note" data-testid="wizard-already-running">
          <Icon name="sync" size={16} />
          <div className="alert-body">
            <span>{t("wizard.alreadyRunning")}</span>
            <button type="button" className="btn btn-secondary btn-sm" onClick={() => onFollow(runningId)}>
              {t("wizard.follow")}
            </button>
          </div>
        </div>
      ) : null}
      <fieldset className="radio-group">
        <legend>{t("wizard.scope")}</legend>
        <label className="radio wizard-option">
          <input
            type="radio"
            name="wizard-scope"
            checked={scope === "test"}
            onChange={() => onScope("test")}
            data-testid="wizard-scope-test"
          />
          <span>
            <strong>{t("wizard.scopeTest", { n: TEST_LIMIT })}</strong>
            <span className="hint">{t("wizard.scopeTestHint")}</span>
          </span>
        </label>
        <label className="radio wizard-option">
          <input
            type="radio"
            name="wizard-scope"
            checked={scope === "all"}
            onChange={() => onScope("all")}
            data-testid="wizard-scope-all"
          />
          <span>
            <strong>{t("wizard.scopeAll")}</strong>
            <span className="hint">{t("wizard.scopeAllHint")}</span>
          </span>
        </label>
      </fieldset>
      <label className="check wizard-option">
        <input
          type="checkbox"
          checked={refreshAll}
          onChange={(e) => onRefreshAll(e.target.checked)}
          data-testid="wizard-refresh-all"
        />
        <span>
          <strong>{t("wizard.refreshAll")}</strong>
          <span className="hint">{t("wizard.refreshAllHint")}</span>
        </span>
      </label>
    </div>
  );
}

function ReviewStep({
  connection,
  plan,
  planError,
  onRetry,
  scope,
  refreshAll,
  startError,
}: {
  connection: Connection | null;
  plan: ExpirySyncPlan | null;
  planError: unknown;
  onRetry: () => void;
  scope: Scope;
  refreshAll: boolean;
  startError: unknown;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  if (planError) return <ErrorBox error={planError} onRetry={onRetry} />;
  if (!plan) return <p className="muted">{t("wizard.counting")}</p>;
  const { permits, seconds } = estimate(plan, scope);
  const rate = f.number(plan.rate_per_sec, 1);
  return (
    <div className="stack wizard-review">
      <dl className="facts facts-wide">
        <div>
          <dt>{t("wizard.connection")}</dt>
          <dd>{connection?.name ?? ""}</dd>
        </div>
        <div>
          <dt>{t("wizard.scope")}</dt>
          <dd>
            {scope === "test" ? t("wizard.scopeTest", { n: TEST_LIMIT }) : t("wizard.scopeAll")}
            {refreshAll ? ` · ${t("wizard.refreshAllShort")}` : ""}
          </dd>
        </div>
      </dl>
      <p className="wizard-figure" data-testid="wizard-count" data-count={plan.permits} data-run-count={permits}>
        <strong className="num">{f.number(plan.permits)}</strong>{" "}
        {refreshAll ? t("wizard.countRefresh", { count: plan.permits }) : t("wizard.countMissing", { count: plan.permits })}
        {scope === "test" && plan.permits > 0 ? (
          <span className="muted"> {t("wizard.countTest", { n: f.number(permits) })}</span>
        ) : null}
      </p>
      {plan.permits === 0 ? (
        <p className="hint" data-testid="wizard-nothing">
          {refreshAll ? t("wizard.nothingAtAll") : t("wizard.nothingToDo")}
        </p>
      ) : (
        <p className="wizard-estimate" data-testid="wizard-estimate" data-seconds={Math.ceil(seconds)}>
          <Icon name="clock" size={14} />
          {plan.rate_per_sec > 0
            ? t("wizard.estimate", { time: f.eta(Math.max(1, seconds)), rate })
            : t("wizard.estimateNoLimit", { time: f.eta(Math.max(1, seconds)), n: f.number(plan.max_concurrent) })}
        </p>
      )}
      {plan.permits > 0 ? <p className="hint">{t("wizard.reviewHint")}</p> : null}
      {startError ? <ErrorBox error={startError} /> : null}
    </div>
  );
}
