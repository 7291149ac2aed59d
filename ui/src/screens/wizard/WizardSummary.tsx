// The wizard's last step: the run's counts and the permits that failed, with their reasons.
import { useTranslation } from "react-i18next";
import { useExportTable, usePermitFailures } from "../../api/queries";
import type { SyncRun } from "../../api/types";
import { RunStatusBadge } from "../../components/Badge";
import { ErrorBox } from "../../components/ErrorBox";
import { Icon } from "../../components/Icon";
import { useToast } from "../../components/Toast";
import { href } from "../../lib/router";
import { permitLinks } from "../../lib/permitLinks";
import { useFormat } from "../../lib/useFormat";

export function WizardSummary({ run, testRun }: { run: SyncRun; testRun: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const toast = useToast();
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

  const headline =
    run.status === "succeeded"
      ? testRun
        ? t("wizard.doneTest")
        : t("wizard.doneAll")
      : run.status === "cancelled"
        ? t("wizard.doneCancelled")
        : run.status === "partial"
          ? t("wizard.donePartial")
          : run.status === "failed"
            ? t("wizard.doneFailed")
            : t(`runStatus.${run.status}`);

  return (
    <div className="stack wizard-summary" data-testid="wizard-summary" data-status={run.status}>
      <div className="wizard-summary-head">
        <RunStatusBadge status={run.status} />
        <strong>{headline}</strong>
      </div>
      {run.error ? <ErrorBox error={{ code: "remote", message: run.error, fields: [], details: null }} /> : null}
      <dl className="wizard-counts">
        <div data-testid="wizard-created">
          <dt>{t("runs.created")}</dt>
          <dd className="num">{f.number(c.created)}</dd>
        </div>
        <div data-testid="wizard-updated">
          <dt>{t("runs.updated")}</dt>
          <dd className="num">{f.number(c.updated)}</dd>
        </div>
        <div data-testid="wizard-unchanged">
          <dt>{t("runs.unchanged")}</dt>
          <dd className="num">{f.number(c.unchanged)}</dd>
        </div>
        <div data-testid="wizard-failed" className={c.failed > 0 ? "text-critical" : undefined}>
          <dt>{t("runs.failed")}</dt>
          <dd className="num">{f.number(c.failed)}</dd>
        </div>
      </dl>

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
