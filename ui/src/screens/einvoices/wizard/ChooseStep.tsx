// Step 1 of the bulk wizard: what it works on, and how (batching, or certificate and PIN).
import { useTranslation } from "react-i18next";
import type { BulkKind, BulkPlan, BulkSelection, CertificateSummary } from "../../../api/types";
import { ErrorBox } from "../../../components/ErrorBox";
import { Field } from "../../../components/Field";
import { Icon } from "../../../components/Icon";
import { useFormat } from "../../../lib/useFormat";
import { BATCHING_FIELDS, LIMITS, draftOf, type BatchingDraft, type BatchingField, type BatchingProblem } from "./bulkPlan";

/** Days before its end from which a certificate is shown in amber. */
export const CERT_WARN_DAYS = 30;

export function ChooseStep({
  formId,
  kind,
  selection,
  plan,
  planError,
  onRetry,
  draft,
  onDraft,
  problems,
  needsPin,
  pin,
  onPin,
  pinError,
  onSubmit,
}: {
  formId: string;
  kind: BulkKind;
  selection: BulkSelection;
  plan: BulkPlan | null;
  planError: unknown;
  onRetry: () => void;
  draft: BatchingDraft | null;
  onDraft: (d: BatchingDraft) => void;
  problems: Partial<Record<BatchingField, BatchingProblem>>;
  needsPin: boolean;
  pin: string;
  onPin: (v: string) => void;
  pinError: string | null;
  onSubmit: () => void;
}) {
  const { t } = useTranslation();
  return (
    <form
      id={formId}
      className="stack bulk-choose"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <p className="muted">{t(`bulk.kinds.${kind}.intro`)}</p>
      <SelectionFacts selection={selection} plan={plan} />
      {planError ? <ErrorBox error={planError} onRetry={onRetry} /> : null}
      {!plan && !planError ? <p className="muted">{t("bulk.counting")}</p> : null}
      {plan && kind === "sign" ? (
        <>
          <CertificateBox certificate={plan.certificate} />
          {needsPin ? (
            <Field label={t("bulk.pin")} name="pin" error={pinError ?? undefined} hint={t("bulk.pinHint")}>
              <input
                type="password"
                autoComplete="off"
                value={pin}
                onChange={(e) => onPin(e.target.value)}
                data-testid="field-pin"
                className="bulk-pin"
              />
            </Field>
          ) : (
            <p className="hint bulk-pin-stored" data-testid="wizard-pin-stored">
              <Icon name="key" size={12} />
              {t("bulk.pinStored")}
            </p>
          )}
        </>
      ) : null}
      {plan && kind !== "sign" && draft ? <BatchingFields draft={draft} onDraft={onDraft} problems={problems} settings={plan} /> : null}
      {/* Enter in a field submits the form; the visible Next button sits in the footer. */}
      <button type="submit" hidden tabIndex={-1} aria-hidden="true" />
    </form>
  );
}

/** "The 12 chosen documents" or "All documents matching the filter", with the plan's total. */
export function SelectionFacts({ selection, plan }: { selection: BulkSelection; plan: BulkPlan | null }) {
  const { t } = useTranslation();
  const f = useFormat();
  const total = plan ? plan.by_state.reduce((n, s) => n + s.count, 0) + plan.other_connections : null;
  const parts: string[] = [];
  if (selection.by === "filter") {
    const flt = selection.filter;
    if (flt.search) parts.push(t("bulk.filterSearch", { text: flt.search }));
    if (flt.state.length > 0) parts.push(t("bulk.filterStates", { states: flt.state.map((s) => t(`bulk.state.${s}`)).join(", ") }));
    if (flt.doc_type.length > 0)
      parts.push(t("bulk.filterTypes", { types: flt.doc_type.map((d) => (isDocType(d) ? t(`bulk.docType.${d}`) : d)).join(", ") }));
    if (flt.from) parts.push(t("bulk.filterFrom", { date: flt.from }));
    if (flt.to) parts.push(t("bulk.filterTo", { date: flt.to }));
    if (flt.error_code) parts.push(t("bulk.filterErrorCode", { code: flt.error_code }));
  }
  return (
    <div className="bulk-selection" data-testid="wizard-selection" data-by={selection.by}>
      <Icon name="einvoice" size={18} />
      <div>
        <strong>
          {selection.by === "ids" ? t("bulk.selectionIds", { count: selection.ids.length, n: f.number(selection.ids.length) }) : t("bulk.selectionFilter")}
        </strong>
        {selection.by === "filter" ? (
          <span className="hint">{parts.length > 0 ? parts.join(" · ") : t("bulk.filterNone")}</span>
        ) : null}
        {total != null && selection.by === "filter" ? (
          <span className="hint" data-testid="wizard-selection-total">
            {t("bulk.selectionTotal", { count: total, n: f.number(total) })}
          </span>
        ) : null}
      </div>
    </div>
  );
}

function isDocType(d: string): d is "01" | "02" | "03" | "04" {
  return d === "01" || d === "02" || d === "03" || d === "04";
}

/** The CN of a certificate subject ("CN=Comercial Tica S.A.,O=…"), or the whole subject. */
export function commonName(subject: string): string {
  const m = /(?:^|,)\s*CN=([^,]+)/i.exec(subject);
  return m ? m[1]!.trim() : subject;
}

export type CertTone = "ok" | "warning" | "critical";

export function certTone(c: CertificateSummary): CertTone {
  if (c.days_left < 0) return "critical";
  if (c.days_left <= CERT_WARN_DAYS) return "warning";
  return "ok";
}

/** The signing certificate: subject and end date, in amber near its end and red after. */
export function CertificateBox({ certificate }: { certificate: CertificateSummary | null }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (!certificate) {
    return (
      <div className="bulk-cert bulk-cert-critical" role="alert" data-testid="wizard-certificate" data-tone="missing">
        <Icon name="alert" size={18} />
        <div>
          <strong>{t("bulk.certMissing")}</strong>
        </div>
      </div>
    );
  }
  const tone = certTone(certificate);
  const until = f.dateTime(certificate.not_after);
  return (
    <div className={`bulk-cert bulk-cert-${tone}`} data-testid="wizard-certificate" data-tone={tone} role={tone === "ok" ? undefined : "alert"}>
      <Icon name={tone === "ok" ? "key" : "alert"} size={18} />
      <div className="bulk-cert-body">
        <strong>{t("bulk.certTitle")}</strong>
        <dl className="facts">
          <div>
            <dt>{t("bulk.certSubject")}</dt>
            <dd className="bulk-cert-subject" title={certificate.subject}>
              {commonName(certificate.subject)}
            </dd>
          </div>
          <div>
            <dt>{t("bulk.certValidUntil")}</dt>
            <dd>
              {until}
              {tone !== "critical" ? (
                <span className="bulk-cert-days"> · {t("bulk.certDaysLeft", { count: certificate.days_left, n: f.number(certificate.days_left) })}</span>
              ) : null}
            </dd>
          </div>
        </dl>
        {tone === "warning" ? (
          <p data-testid="wizard-certificate-warning">{t("bulk.certExpiresSoon", { count: certificate.days_left, n: f.number(certificate.days_left) })}</p>
        ) : tone === "critical" ? (
          <p data-testid="wizard-certificate-expired">{t("bulk.certExpired", { date: until })}</p>
        ) : null}
      </div>
    </div>
  );
}

function BatchingFields({
  draft,
  onDraft,
  problems,
  settings,
}: {
  draft: BatchingDraft;
  onDraft: (d: BatchingDraft) => void;
  problems: Partial<Record<BatchingField, BatchingProblem>>;
  settings: BulkPlan;
}) {
  const { t } = useTranslation();
  const label: Record<BatchingField, string> = {
    batch_size: t("bulk.batchSize"),
    batch_delay_seconds: t("bulk.batchDelay"),
    max_concurrent_batches: t("bulk.maxConcurrent"),
  };
  const unit: Record<BatchingField, string | undefined> = {
    batch_size: t("bulk.documentsUnit"),
    batch_delay_seconds: t("bulk.secondsUnit"),
    max_concurrent_batches: undefined,
  };
  const defaults = settings.batching;
  const changed = BATCHING_FIELDS.some((k) => draft[k].trim() !== String(defaults[k]));
  return (
    <fieldset className="bulk-batching" data-testid="wizard-batching">
      <legend>{t("bulk.batchingTitle")}</legend>
      <p className="hint">{t("bulk.batchingHint")}</p>
      <div className="grid-3">
        {BATCHING_FIELDS.map((k) => {
          const { min, max } = LIMITS[k];
          const problem = problems[k];
          const error = problem === "whole" ? t("bulk.errWhole") : problem === "range" ? t("bulk.errRange", { min, max }) : undefined;
          return (
            <Field key={k} label={label[k]} name={k} error={error} hint={t("bulk.range", { min, max })} unit={unit[k]}>
              <input
                type="number"
                inputMode="numeric"
                className="num"
                min={min}
                max={max}
                step={1}
                value={draft[k]}
                onChange={(e) => onDraft({ ...draft, [k]: e.target.value })}
                data-testid={`field-${k}`}
              />
            </Field>
          );
        })}
      </div>
      {changed ? (
        <button type="button" className="btn btn-link btn-sm" onClick={() => onDraft(draftOf(defaults))} data-testid="btn-batching-reset">
          {t("bulk.batchingReset")}
        </button>
      ) : null}
    </fieldset>
  );
}
