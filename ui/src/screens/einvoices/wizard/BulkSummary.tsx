// The bulk wizard's last step: the run's outcome counts and every document's result, failures
// first, with CSV / XLSX export.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { call } from "../../../api/client";
import { useExportTable } from "../../../api/queries";
import type { BulkKind, BulkOutcome, BulkResult, ExportFormat, SyncRun } from "../../../api/types";
import { Badge, type Tone } from "../../../components/Badge";
import { ErrorBox, asApiError } from "../../../components/ErrorBox";
import { Icon } from "../../../components/Icon";
import { useToast } from "../../../components/Toast";
import { useFormat } from "../../../lib/useFormat";
import { SummaryCounts, SummaryHead, useRunHeadline } from "../../wizard/wizardParts";
import { countOutcomes, errorCodesText, sortResults } from "./bulkPlan";

/** Rows shown in the dialog; the export holds them all. */
export const SHOWN_ROWS = 500;

const OUTCOME_TONE: Record<BulkOutcome, Tone> = { done: "ok", failed: "critical", retrying: "warning", skipped: "muted" };

export const resultsKey = (runId: number) => ["einvoices", "bulk_results", runId] as const;

export function BulkSummary({
  kind,
  run,
  remaining,
}: {
  kind: BulkKind;
  run: SyncRun;
  /** Documents of the selection still eligible after the run (null while unknown or not asked). */
  remaining: number | null;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const toast = useToast();
  const runHeadline = useRunHeadline();
  const exportTable = useExportTable();
  const [exporting, setExporting] = useState<ExportFormat | null>(null);
  const results = useQuery({
    queryKey: resultsKey(run.id),
    queryFn: () => call("bulk_results", { run_id: run.id }),
    staleTime: 0,
  });
  const rows = sortResults(results.data ?? []);
  const outcomes = countOutcomes(rows);
  const c = run.counts;

  const onExport = async (format: ExportFormat) => {
    setExporting(format);
    try {
      const path = await exportTable.mutateAsync({
        file_name: `einvoice-${kind}-run-${run.id}.${format}`,
        format,
        columns: [
          t("bulk.colId"),
          t("bulk.colNumber"),
          t("bulk.colClave"),
          t("bulk.colReceiver"),
          t("bulk.colOutcome"),
          t("bulk.colState"),
          t("bulk.colMessage"),
          t("bulk.colErrors"),
        ],
        rows: rows.map((r) => [
          r.einvoice_id,
          r.consecutivo,
          r.clave,
          r.receiver_name,
          t(`bulk.outcome.${r.outcome}`),
          t(`bulk.state.${r.state}`),
          r.message,
          r.error_codes.length > 0 ? errorCodesText(r) : null,
        ]),
      });
      toast.show(t("bulk.exported", { path }), "ok");
    } catch (e) {
      toast.show(t("bulk.exportFailed", { reason: asApiError(e).message }), "critical");
    } finally {
      setExporting(null);
    }
  };

  const headline = runHeadline(run.status, {
    succeeded: t(`bulk.kinds.${kind}.doneAll`),
    cancelled: t("bulk.doneCancelled"),
    partial: t("bulk.donePartial"),
    failed: t("bulk.doneFailed"),
  });

  const shown = rows.slice(0, SHOWN_ROWS);
  // Message and error-code columns only when some row has one: a clean run needs no empty
  // columns pushing the table sideways.
  const columns = { message: shown.some((r) => r.message), codes: shown.some((r) => r.error_codes.length > 0) };
  return (
    <div className="stack wizard-summary" data-testid="wizard-summary" data-status={run.status}>
      <SummaryHead run={run} headline={headline} />
      <SummaryCounts
        counts={[
          { testId: "summary-done", label: t(`bulk.kinds.${kind}.doneCount`), value: f.number(c.updated), className: "bulk-count-done" },
          { testId: "summary-failed", label: t("bulk.outcome.failed"), value: f.number(c.failed), className: c.failed > 0 ? "text-critical" : undefined },
          {
            testId: "summary-retrying",
            label: t("bulk.outcome.retrying"),
            value: results.data ? f.number(outcomes.retrying) : "…",
            className: outcomes.retrying > 0 ? "bulk-count-warning" : undefined,
          },
          { testId: "summary-skipped", label: t("bulk.outcome.skipped"), value: f.number(c.unchanged) },
        ]}
      />
      {remaining != null && remaining > 0 ? (
        <p className="bulk-remaining" data-testid="summary-remaining" data-count={remaining}>
          <Icon name="info" size={14} />
          {t("bulk.remaining", { count: remaining, n: f.number(remaining) })}
        </p>
      ) : null}

      {results.isError ? <ErrorBox error={results.error} onRetry={() => void results.refetch()} /> : null}
      {results.isPending ? <p className="muted">{t("common.loading")}</p> : null}
      {results.data && rows.length === 0 ? (
        <p className="muted" data-testid="summary-no-results">
          {t("bulk.noResults")}
        </p>
      ) : null}
      {rows.length > 0 ? (
        <section aria-labelledby="bulk-results-title">
          <div className="section-head">
            <h3 id="bulk-results-title" className="section-title">
              {t("bulk.resultsTitle", { n: f.number(rows.length) })}
            </h3>
            <div className="stack-h bulk-export">
              <button
                type="button"
                className="btn btn-secondary btn-sm"
                onClick={() => void onExport("csv")}
                disabled={exporting != null}
                data-testid="btn-export-csv"
              >
                <Icon name="download" size={12} />
                {exporting === "csv" ? t("bulk.exporting") : t("bulk.exportCsv")}
              </button>
              <button
                type="button"
                className="btn btn-secondary btn-sm"
                onClick={() => void onExport("xlsx")}
                disabled={exporting != null}
                data-testid="btn-export-xlsx"
              >
                <Icon name="download" size={12} />
                {exporting === "xlsx" ? t("bulk.exporting") : t("bulk.exportXlsx")}
              </button>
            </div>
          </div>
          <div className="wizard-failures-scroll bulk-results-scroll" tabIndex={0} aria-label={t("bulk.resultsTitle", { n: f.number(rows.length) })}>
            <table className="table table-compact bulk-results" data-testid="summary-results">
              <thead>
                <tr>
                  <th>{t("bulk.colNumber")}</th>
                  <th>{t("bulk.colReceiver")}</th>
                  <th>{t("bulk.colOutcome")}</th>
                  <th>{t("bulk.colState")}</th>
                  {columns.message ? <th>{t("bulk.colMessage")}</th> : null}
                  {columns.codes ? <th className="col-codes">{t("bulk.colErrors")}</th> : null}
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => (
                  <ResultRow key={r.einvoice_id} r={r} columns={columns} />
                ))}
              </tbody>
            </table>
          </div>
          {rows.length > shown.length ? (
            <p className="hint" data-testid="summary-more">
              {t("bulk.resultsMore", { shown: f.number(shown.length), total: f.number(rows.length) })}
            </p>
          ) : null}
          {outcomes.retrying > 0 ? <p className="hint">{t("bulk.retryingHint")}</p> : null}
        </section>
      ) : null}
    </div>
  );
}

function ResultRow({ r, columns }: { r: BulkResult; columns: { message: boolean; codes: boolean } }) {
  const { t } = useTranslation();
  return (
    <tr data-testid={`result-row-${r.einvoice_id}`} data-outcome={r.outcome} className={r.outcome === "failed" ? "row-error" : undefined}>
      <td className="mono nowrap" title={r.clave ?? undefined}>
        {r.consecutivo ?? `#${r.einvoice_id}`}
      </td>
      <td className="wrap">{r.receiver_name ?? ""}</td>
      <td>
        <Badge tone={OUTCOME_TONE[r.outcome]}>{t(`bulk.outcome.${r.outcome}`)}</Badge>
      </td>
      <td className="nowrap">{t(`bulk.state.${r.state}`)}</td>
      {columns.message ? <td className="wrap">{r.message ?? ""}</td> : null}
      {columns.codes ? (
        <td className="wrap col-codes">
          {r.error_codes.length > 0 ? (
            <ul className="bulk-error-codes">
              {r.error_codes.map((e, i) => (
                <li key={`${e.code}-${i}`} data-testid={`error-code-${e.code}`}>
                  <code>{e.code}</code> — {e.message}
                </li>
              ))}
            </ul>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}
