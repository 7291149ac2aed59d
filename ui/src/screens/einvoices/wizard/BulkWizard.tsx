// The bulk e-invoice wizard (sign, send to Hacienda, check status): choose what and how →
// review the counts and the time it takes → run with live progress and Cancel → summary with
// every document's outcome, export, Resume. Modelled on the expiry-sync wizard.
import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiFailure, call } from "../../../api/client";
import { useProgressMap } from "../../../api/queries";
import type { Batching, BulkKind, BulkPlan, BulkSelection, SyncRun } from "../../../api/types";
import { asApiError } from "../../../components/ErrorBox";
import { Icon } from "../../../components/Icon";
import {
  RunFooter,
  RunProgress,
  WizardDialog,
  useCloseWhileRunning,
  useRunCancel,
  useRunWatch,
  useStepFocus,
  type Step,
} from "../../wizard/wizardParts";
import { BulkSummary } from "./BulkSummary";
import { ChooseStep } from "./ChooseStep";
import { ReviewStep } from "./ReviewStep";
import { JOB_OF, checkBatching, draftOf, type BatchingDraft } from "./bulkPlan";
import "../../wizard/wizard.css";
import "./bulk.css";

export type { Step };

/** Query keys of the wizard; under "einvoices" so a `changed {einvoices}` refreshes them. */
export const bulkKeys = {
  plan: (kind: BulkKind, selection: BulkSelection) => ["einvoices", "bulk_plan", kind, selection] as const,
  remaining: (kind: BulkKind, selection: BulkSelection, runId: number) => ["einvoices", "bulk_plan", kind, selection, "after", runId] as const,
};

/** Runs that have ended and are worth offering "Resume" for. */
const UNFINISHED = new Set<SyncRun["status"]>(["cancelled", "interrupted", "partial", "failed"]);

export function BulkWizard({ kind: initialKind, selection, onClose }: { kind: BulkKind; selection: BulkSelection; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const progress = useProgressMap();
  const formId = useId();

  const [kind, setKind] = useState<BulkKind>(initialKind);
  const [step, setStep] = useState<Step>("choose");
  const [draft, setDraft] = useState<BatchingDraft | null>(null);
  const [showProblems, setShowProblems] = useState(false);
  const [pin, setPin] = useState("");
  const [pinError, setPinError] = useState<string | null>(null);
  const [startError, setStartError] = useState<unknown>(null);
  const [starting, setStarting] = useState(false);

  const plan = useQuery({
    queryKey: bulkKeys.plan(kind, selection),
    queryFn: () => call("bulk_plan", { kind, selection }),
    enabled: step === "choose" || step === "review",
    // The plan counts what is eligible right now: ask again whenever the wizard needs it.
    staleTime: 0,
    refetchOnMount: "always",
  });

  // The batching is prefilled once from the plan (the company settings), then the user's.
  useEffect(() => {
    if (draft == null && plan.data) setDraft(draftOf(plan.data.batching));
  }, [draft, plan.data]);

  const usesBatching = kind !== "sign";
  const checked = draft ? checkBatching(draft) : { batching: null, problems: {} };
  const needsPin = kind === "sign" && plan.data != null && !plan.data.pin_stored;

  // A short run may end before start_bulk_run has answered; the watch keeps it.
  const watch = useRunWatch({
    runFilter: { connection_id: plan.data?.connection_id ?? null, job: JOB_OF[kind], limit: 5 },
    polling: step === "run",
    onFollow: () => {
      cancel.setCancelError(null);
      setStep("run");
    },
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
    keepsRunning: t("bulk.keepsRunning"),
    dialog: {
      title: t("bulk.closeTitle"),
      body: t("bulk.closeBody"),
      confirmLabel: t("bulk.closeConfirm"),
      cancelLabel: t("bulk.closeStay"),
      testId: "dialog-bulk-close",
    },
  });

  // After a run that did not get through everything: what of the selection is still to do.
  const unfinished = run != null && UNFINISHED.has(run.status);
  const remaining = useQuery({
    queryKey: bulkKeys.remaining(kind, selection, run?.id ?? 0),
    queryFn: () => call("bulk_plan", { kind, selection }),
    enabled: step === "summary" && unfinished,
    staleTime: 0,
  });
  const remainingCount = unfinished ? (remaining.data?.eligible ?? null) : null;

  const start = async (batching: Batching | null, pinToUse: string | null) => {
    setStartError(null);
    setStarting(true);
    try {
      const id = await call("start_bulk_run", { kind, selection, batching, pin: pinToUse });
      follow(id);
    } catch (e) {
      const failure = asApiError(e);
      const pinField = failure.code === "validation" ? failure.fields.find((f) => f.field === "pin") : undefined;
      if (pinField) {
        // A wrong PIN: back to the PIN field, with the reason, to try again.
        setPin("");
        setPinError(pinField.message || failure.message);
        setStep("choose");
      } else {
        setStartError(e instanceof ApiFailure ? e : new ApiFailure(failure));
      }
    } finally {
      setStarting(false);
    }
  };

  const onNext = () => {
    if (!plan.data) return;
    setShowProblems(true);
    if (usesBatching && !checked.batching) return;
    if (needsPin && pin.trim() === "") {
      setPinError(t("bulk.pinRequired"));
      return;
    }
    setStartError(null);
    setStep("review");
  };

  const onStart = () => void start(usesBatching ? checked.batching : null, needsPin ? pin : null);

  // Resume: back to the review with the plan counted after the run, so it shows (and starts)
  // only what is still eligible; batching and PIN stay as chosen.
  const onResume = () => {
    if (remaining.data) qc.setQueryData(bulkKeys.plan(kind, selection), remaining.data);
    else qc.removeQueries({ queryKey: bulkKeys.plan(kind, selection), exact: true });
    watch.forget();
    setStartError(null);
    setStep("review");
  };

  const onCheckStatus = () => {
    watch.forget();
    setDraft(null);
    setShowProblems(false);
    setStartError(null);
    setKind("status");
    setStep("choose");
  };

  useStepFocus(
    step,
    "wizard-bulk",
    { choose: "btn-wizard-next", review: "btn-wizard-start", run: "btn-wizard-cancel", summary: "btn-wizard-close" },
    // A wrong PIN sends the wizard back to the PIN field.
    (root) => {
      if (step !== "choose" || !pinError) return false;
      root?.querySelector<HTMLElement>('[data-testid="field-pin"]')?.focus();
      return true;
    },
  );

  const planData: BulkPlan | null = plan.data ?? null;
  let body: React.ReactNode;
  let footer: React.ReactNode;
  if (step === "choose") {
    body = (
      <ChooseStep
        formId={formId}
        kind={kind}
        selection={selection}
        plan={planData}
        planError={plan.isError ? plan.error : null}
        onRetry={() => void plan.refetch()}
        draft={draft}
        onDraft={setDraft}
        problems={showProblems ? checked.problems : {}}
        needsPin={needsPin}
        pin={pin}
        onPin={(v) => {
          setPin(v);
          setPinError(null);
        }}
        pinError={pinError}
        onSubmit={onNext}
      />
    );
    footer = (
      <>
        <button type="submit" form={formId} className="btn btn-primary" disabled={planData == null} data-testid="btn-wizard-next">
          {t("wizard.next")}
          <Icon name="chevronRight" />
        </button>
        <button type="button" className="btn btn-secondary wizard-foot-end" onClick={onClose} data-testid="btn-wizard-close">
          {t("common.cancel")}
        </button>
      </>
    );
  } else if (step === "review") {
    const nothing = planData != null && planData.eligible === 0;
    body = (
      <ReviewStep
        kind={kind}
        selection={selection}
        plan={planData}
        planError={plan.isError ? plan.error : null}
        onRetry={() => void plan.refetch()}
        batching={usesBatching ? checked.batching : null}
        startError={startError}
      />
    );
    footer = (
      <>
        <button
          type="button"
          className="btn btn-primary"
          onClick={onStart}
          disabled={starting || planData == null || nothing}
          aria-describedby={nothing ? "bulk-nothing" : undefined}
          data-testid="btn-wizard-start"
        >
          <Icon name="play" size={14} />
          {starting ? t("bulk.starting") : t(`bulk.kinds.${kind}.start`)}
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
        message={t(`bulk.kinds.${kind}.running`, { connection: planData?.connection_name ?? "Hacienda" })}
        hint={t("bulk.runHint")}
        cancelError={cancel.cancelError}
      >
        {cancel.cancelling ? (
          <p className="bulk-cancelling" role="status" data-testid="wizard-cancelling">
            <Icon name="stop" size={12} />
            {t("bulk.cancellingHint")}
          </p>
        ) : null}
      </RunProgress>
    );
    footer = (
      <RunFooter
        cancelling={cancel.cancelling}
        onCancel={() => void cancel.cancel()}
        cancelLabel={t("bulk.cancelRun")}
        cancellingLabel={t("bulk.cancelling")}
        backgroundLabel={t("bulk.runInBackground")}
        onBackground={requestClose}
      />
    );
  } else {
    body = run ? <BulkSummary kind={kind} run={run} remaining={remainingCount} /> : null;
    const canResume = unfinished && (remaining.isError || (remainingCount ?? 0) > 0);
    const canCheck = kind === "submit" && run != null && run.counts.updated > 0;
    footer = (
      <>
        {canResume ? (
          <button type="button" className="btn btn-primary" onClick={onResume} data-testid="btn-wizard-resume">
            <Icon name="play" size={14} />
            {t("bulk.resume")}
          </button>
        ) : null}
        {canCheck ? (
          <button type="button" className="btn btn-secondary" onClick={onCheckStatus} data-testid="btn-wizard-check-status">
            <Icon name="sync" size={14} />
            {t("bulk.checkStatus")}
          </button>
        ) : null}
        <button
          type="button"
          className={`btn ${canResume ? "btn-secondary" : "btn-primary"} wizard-foot-end`}
          onClick={onClose}
          data-testid="btn-wizard-close"
        >
          {t("common.close")}
        </button>
      </>
    );
  }

  return (
    <>
      <WizardDialog title={t(`bulk.kinds.${kind}.title`)} testId="wizard-bulk" step={step} footer={footer} onClose={requestClose} before={<WizardRoot kind={kind} step={step} />}>
        {body}
      </WizardDialog>
      {confirm}
    </>
  );
}

/** Puts data-kind and data-step on the dialog root (the Dialog component has no such props). */
function WizardRoot({ kind, step }: { kind: BulkKind; step: Step }) {
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const root = ref.current?.closest<HTMLElement>('[data-testid="wizard-bulk"]');
    if (!root) return;
    root.dataset.kind = kind;
    root.dataset.step = step;
  }, [kind, step]);
  return <span ref={ref} hidden />;
}
