// The expiry-sync wizard (SPEC §6): choose → review with count and time estimate → run with
// live progress and Cancel → summary with per-permit failures and CSV export.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { call } from "../../api/client";
import { useConnections, useExpirySyncPlan, useProgressMap } from "../../api/queries";
import type { Connection, ExpirySyncPlan } from "../../api/types";
import { ErrorBox } from "../../components/ErrorBox";
import { Field } from "../../components/Field";
import { Icon } from "../../components/Icon";
import { navigate } from "../../lib/router";
import { useFormat } from "../../lib/useFormat";
import { WizardSummary } from "./WizardSummary";
import { RunFooter, RunProgress, WizardDialog, useCloseWhileRunning, useRunCancel, useRunWatch, useStepFocus, type Step } from "./wizardParts";
import "./wizard.css";

/** How many permits "test with 10 permits" looks up. */
export const TEST_LIMIT = 10;

export type { Step };
export type Scope = "test" | "all";

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
  const connections = useConnections();
  const progress = useProgressMap();

  const offices: Connection[] = (connections.data ?? []).filter((c) => c.kind === "sicantik" && (c.active || c.id === connectionId));
  const [step, setStep] = useState<Step>("choose");
  const [chosen, setChosen] = useState<number | null>(connectionId);
  const [scope, setScope] = useState<Scope>("test");
  const [refreshAll, setRefreshAll] = useState(false);
  const [lastScope, setLastScope] = useState<Scope>("test");
  const [startError, setStartError] = useState<unknown>(null);
  const [starting, setStarting] = useState(false);

  // The one permit office there is needs no choosing.
  const connection = offices.find((c) => c.id === chosen) ?? null;
  useEffect(() => {
    if (chosen == null && offices.length === 1) setChosen(offices[0]!.id);
  }, [chosen, offices]);

  const plan = useExpirySyncPlan(step === "review" || step === "choose" ? chosen : null, refreshAll);

  const watch = useRunWatch({
    runFilter: { connection_id: chosen, job: "expiry_sync", limit: 5 },
    polling: step === "run",
    onFollow: () => setStep("run"),
    onFinish: () => {
      cancel.setCancelling(false);
      setStep("summary");
    },
  });
  const { runId, run, follow } = watch;
  const cancel = useRunCancel(runId);
  const { requestClose, confirm } = useCloseWhileRunning({
    running: step === "run",
    onClose,
    keepsRunning: t("wizard.keepsRunning"),
    dialog: {
      title: t("wizard.closeTitle"),
      body: t("wizard.closeBody"),
      confirmLabel: t("wizard.closeConfirm"),
      cancelLabel: t("wizard.closeStay"),
      testId: "dialog-wizard-close",
    },
  });

  // An expiry sync already running on the chosen connection can be followed instead.
  const running = [...progress.values()].find((p) => p.job === "expiry_sync" && p.connection_id === chosen) ?? null;

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

  const runAll = () => {
    setScope("all");
    watch.forget();
    setStep("review");
  };

  const nothingToDo = plan.data != null && plan.data.permits === 0;

  useStepFocus(step, "wizard-expiry-sync", { choose: "btn-wizard-next", review: "btn-wizard-start", run: "btn-wizard-background", summary: "btn-wizard-close" });

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
      <RunProgress
        runId={runId}
        progress={progress}
        message={t(lastScope === "test" ? "wizard.runningTest" : "wizard.runningAll", { connection: connection?.name ?? "" })}
        hint={t("wizard.runHint")}
        cancelError={cancel.cancelError}
      />
    );
    footer = (
      <RunFooter
        cancelling={cancel.cancelling}
        onCancel={() => void cancel.cancel()}
        cancelLabel={t("wizard.cancelRun")}
        cancellingLabel={t("sync.cancelRequested")}
        backgroundLabel={t("wizard.runInBackground")}
        onBackground={requestClose}
      />
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
      <WizardDialog title={t("wizard.title")} testId="wizard-expiry-sync" step={step} footer={footer} onClose={requestClose}>
        {body}
      </WizardDialog>
      {confirm}
    </>
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
