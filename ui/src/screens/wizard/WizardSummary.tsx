// The wizard's last step: the run's counts and the permits that failed, with their reasons.
import { useTranslation } from "react-i18next";
import { useExportTable, usePermitFailures } from "../../api/queries";
import type { SyncRun } from "../../api/types";
import { ErrorBox } from "../../components/ErrorBox";
import { Icon } from "../../components/Icon";
import { useToast } from "../../components/Toast";
import { href } from "../../lib/router";
import { permitLinks } from "../../lib/permitLinks";
import { useFormat } from "../../lib/useFormat";
import { SummaryCounts, SummaryHead, useRunHeadline } from "./wizardParts";

export function WizardSummary({ run, testRun }: { run: SyncRun; testRun: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const toast = useToast();
  const runHeadline = useRunHeadline();
  const failures = usePermitFailures(run.id);
  const exportTable = useExportTable();
  const c = run.counts;
  const rows = failures.data ?? [];

  const onExport = async () => {
    try {
      const path = await exportTable.mutateAsync({
        file_name: `expiry-sync-failures-run-${run.id}.csv`,
        format: "csv",
        columns: [t("wizard.colPermitId"), t("wizard.colPermitNumber"), t("wizard.colReason")],
        rows: rows.map((r) => [r.permit_id, r.permit_number ?? null, r.reason]),
      });
      toast.show(t("wizard.exported", { path }), "ok");
    } catch (e) {
      toast.show(`${t("wizard.exportFailed")} ${e instanceof Error ? e.message : ""}`.trim(), "critical");
    }
  };

  const headline = runHeadline(run.status, {
    succeeded: testRun ? t("wizard.doneTest") : t("wizard.doneAll"),
    cancelled: t("wizard.doneCancelled"),
    partial: t("wizard.donePartial"),
    failed: t("wizard.doneFailed"),
  });

  return (
    <div className="stack wizard-summary" data-testid="wizard-summary" data-status={run.status}>
      <SummaryHead run={run} headline={headline} />
      <SummaryCounts
        counts={[
          { testId: "wizard-created", label: t("runs.created"), value: f.number(c.created) },
          { testId: "wizard-updated", label: t("runs.updated"), value: f.number(c.updated) },
          { testId: "wizard-unchanged", label: t("runs.unchanged"), value: f.number(c.unchanged) },
          { testId: "wizard-failed", label: t("runs.failed"), value: f.number(c.failed), className: c.failed > 0 ? "text-critical" : undefined },
        ]}
      />

      {failures.isError ? <ErrorBox error={failures.error} onRetry={() => void failures.refetch()} /> : null}
      {failures.isPending && c.failed > 0 ? <p className="muted">{t("common.loading")}</p> : null}
      {rows.length > 0 ? (
        <section aria-labelledby="wizard-failures-title">
          <div className="section-head">
            <h3 id="wizard-failures-title" className="section-title">
              {t("wizard.failuresTitle", { count: rows.length })}
            </h3>
            <button
              type="button"
              className="btn btn-secondary btn-sm"
              onClick={() => void onExport()}
              disabled={exportTable.isPending}
              data-testid="btn-wizard-export"
            >
              <Icon name="folder" size={12} />
              {exportTable.isPending ? t("wizard.exporting") : t("wizard.exportCsv")}
            </button>
          </div>
          <div className="wizard-failures-scroll">
            <table className="table table-compact" data-testid="wizard-failures">
              <thead>
                <tr>
                  <th>{t("wizard.colPermitNumber")}</th>
                  <th>{t("wizard.colReason")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.permit_id} data-testid={`wizard-failure-${r.permit_id}`}>
                    <td className="mono">
                      <a href={href(permitLinks.one(r.permit_id))}>{r.permit_number ?? `#${r.permit_id}`}</a>
                    </td>
                    <td className="wrap">{r.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="hint">{t("wizard.failuresHint")}</p>
        </section>
      ) : failures.data && c.failed === 0 ? (
        <p className="muted" data-testid="wizard-no-failures">
          {t("wizard.noFailures")}
        </p>
      ) : null}
    </div>
  );
}
