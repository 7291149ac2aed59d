// Step 2 of the bulk wizard: the selection by state, what will be done and what left alone
// (and why), the connection and the time it takes.
import { useTranslation } from "react-i18next";
import type { Batching, BulkKind, BulkPlan, BulkSelection } from "../../../api/types";
import { ErrorBox } from "../../../components/ErrorBox";
import { Icon } from "../../../components/Icon";
import { useFormat } from "../../../lib/useFormat";
import { SelectionFacts, commonName } from "./ChooseStep";
import { ELIGIBLE_STATES, estimateWith, sameBatching } from "./bulkPlan";

export function ReviewStep({
  kind,
  selection,
  plan,
  planError,
  onRetry,
  batching,
  startError,
}: {
  kind: BulkKind;
  selection: BulkSelection;
  plan: BulkPlan | null;
  planError: unknown;
  onRetry: () => void;
  /** The batching chosen for this run (submit and status). */
  batching: Batching | null;
  startError: unknown;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  if (planError) return <ErrorBox error={planError} onRetry={onRetry} />;
  if (!plan) return <p className="muted">{t("bulk.counting")}</p>;

  const eligibleStates = new Set(ELIGIBLE_STATES[kind]);
  const leftAlone = plan.skipped + plan.other_connections;
  const est =
    kind === "sign" || batching == null || sameBatching(batching, plan.batching)
      ? { batches: plan.estimate.batches, seconds: plan.estimate.estimated_secs }
      : estimateWith(plan.estimate, batching);
  const time = est.seconds < 1 ? t("bulk.lessThanSecond") : t("bulk.about", { time: f.eta(est.seconds) });

  return (
    <div className="stack bulk-review">
      <SelectionFacts selection={selection} plan={plan} />
      <div className="bulk-figures">
        <p className="wizard-figure" data-testid="review-eligible" data-count={plan.eligible}>
          <strong className="num">{f.number(plan.eligible)}</strong> {t(`bulk.kinds.${kind}.eligible`, { count: plan.eligible })}
        </p>
        <div className="bulk-left-alone" data-testid="review-skipped" data-count={leftAlone} data-wrong-state={plan.skipped} data-other-connections={plan.other_connections}>
          <p className={`wizard-figure${leftAlone === 0 ? " muted" : ""}`}>
            <strong className="num">{f.number(leftAlone)}</strong> {t("bulk.leftAlone", { count: leftAlone })}
          </p>
          {plan.skipped > 0 ? (
            <p className="hint" data-testid="review-skipped-state">
              {t("bulk.leftWrongState", { n: f.number(plan.skipped), rule: t(`bulk.kinds.${kind}.rule`) })}
            </p>
          ) : null}
          {plan.other_connections > 0 ? (
            <p className="hint" data-testid="review-skipped-connection">
              {t("bulk.leftOtherConnection", { n: f.number(plan.other_connections), connection: plan.connection_name ?? "" })}
            </p>
          ) : null}
        </div>
      </div>

      {plan.eligible === 0 ? (
        <div className="bulk-nothing" id="bulk-nothing" role="status" data-testid="review-nothing">
          <Icon name="info" size={16} />
          <span>{t(`bulk.kinds.${kind}.nothing`)}</span>
        </div>
      ) : null}

      <dl className="facts facts-wide">
        <div>
          <dt>{t("bulk.connection")}</dt>
          <dd data-testid="review-connection">{plan.connection_name ?? t("common.notAvailable")}</dd>
        </div>
        {kind === "sign" ? (
          <div>
            <dt>{t("bulk.certTitle")}</dt>
            <dd>
              {plan.certificate
                ? `${commonName(plan.certificate.subject)} · ${t("bulk.certValidUntil")} ${f.dateTime(plan.certificate.not_after)}`
                : t("bulk.certMissing")}
            </dd>
          </div>
        ) : batching ? (
          <div>
            <dt>{t("bulk.batchingTitle")}</dt>
            <dd data-testid="review-batching">
              {t("bulk.batchingSummary", {
                size: f.number(batching.batch_size),
                delay: f.number(batching.batch_delay_seconds),
                concurrent: f.number(batching.max_concurrent_batches),
              })}
            </dd>
          </div>
        ) : null}
        {plan.eligible > 0 ? (
          <div>
            <dt>{t("bulk.timeTitle")}</dt>
            <dd>
              <span className="wizard-estimate" data-testid="review-estimate" data-seconds={Math.ceil(est.seconds)}>
                <Icon name="clock" size={14} />
                {time}
                {kind === "sign" ? ` · ${t("bulk.estimateSign")}` : ` · ${t("bulk.estimateBatches", { count: est.batches, n: f.number(est.batches) })}`}
              </span>
            </dd>
          </div>
        ) : null}
      </dl>

      {plan.by_state.length > 0 ? (
        <section aria-labelledby="bulk-by-state">
          <h3 id="bulk-by-state" className="section-title">
            {t("bulk.byStateTitle")}
          </h3>
          <table className="table table-compact bulk-by-state" data-testid="review-by-state">
            <thead>
              <tr>
                <th>{t("bulk.colState")}</th>
                <th className="right">{t("bulk.colCount")}</th>
                <th>{t("bulk.colPlan")}</th>
              </tr>
            </thead>
            <tbody>
              {plan.by_state.map((s) => {
                const works = eligibleStates.has(s.state);
                return (
                  <tr key={s.state} data-testid={`review-state-${s.state}`} data-eligible={works}>
                    <td>{t(`bulk.state.${s.state}`)}</td>
                    <td className="right num">{f.number(s.count)}</td>
                    <td className={works ? "bulk-works" : "muted"}>
                      {works ? <Icon name="check" size={12} /> : <Icon name="minus" size={12} />}
                      {works ? t(`bulk.kinds.${kind}.worksOn`) : t("bulk.leftAloneShort")}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      ) : null}

      {plan.eligible > 0 ? <p className="hint">{t("bulk.reviewHint")}</p> : null}
      {startError ? <ErrorBox error={startError} /> : null}
    </div>
  );
}
