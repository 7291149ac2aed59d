// What the ticked rows offer besides the bulk buttons above: select all matching, export, clear.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useExportTable } from "../../api/queries";
import type { EinvoiceFilter, EinvoiceRow, EinvoiceSort, ExportCell, ExportFormat } from "../../api/types";
import { asApiError } from "../../components/ErrorBox";
import { Icon } from "../../components/Icon";
import { useToast } from "../../components/Toast";
import { EMPTY_SELECTION, isSelected, selectAllMatching, selectedCount, type Selection } from "../../lib/selection";
import { useFormat } from "../../lib/useFormat";
import { type EinvoiceLabels, useEinvoiceLabels } from "./labels";
import { fetchAllRows } from "./queries";

/** The list's rows as a table for CSV / XLSX. */
export function exportRows(rows: readonly EinvoiceRow[], l: EinvoiceLabels, t: (k: string) => string): { columns: string[]; rows: ExportCell[][] } {
  return {
    columns: [
      t("einvoices.col.number"),
      t("einvoices.field.clave"),
      t("einvoices.field.reference"),
      t("einvoices.col.issued"),
      t("einvoices.col.receiver"),
      t("einvoices.field.receiverId"),
      t("einvoices.col.type"),
      t("einvoices.field.currency"),
      t("einvoices.col.total"),
      t("einvoices.field.tax"),
      t("einvoices.col.state"),
      t("einvoices.col.lastError"),
    ],
    rows: rows.map((r) => [
      r.consecutivo,
      r.clave,
      r.external_ref,
      r.issued_at,
      r.receiver_name,
      r.receiver_id,
      l.docTypeLong(r.doc_type),
      r.currency,
      Number(r.total),
      Number(r.tax),
      l.state(r.state),
      r.last_error,
    ]),
  };
}

export function SelectionBar({
  selection,
  setSelection,
  total,
  filter,
  sort,
  rowsById,
  shownCount,
}: {
  selection: Selection;
  setSelection: (s: Selection) => void;
  total: number;
  filter: EinvoiceFilter;
  sort: EinvoiceSort;
  rowsById: ReadonlyMap<number, EinvoiceRow>;
  shownCount: number;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const l = useEinvoiceLabels();
  const toast = useToast();
  const exporter = useExportTable();
  const [busy, setBusy] = useState<string | null>(null);
  const count = selectedCount(selection, total);

  const onExport = async (format: ExportFormat) => {
    try {
      let rows: EinvoiceRow[];
      if (selection.all) {
        setBusy(t("einvoices.fetching"));
        rows = (await fetchAllRows(filter, sort, (done, all) => setBusy(t("einvoices.fetchProgress", { done: f.number(done), total: f.number(all) })))).filter((r) =>
          isSelected(selection, r.id),
        );
      } else {
        rows = [...selection.ids].map((id) => rowsById.get(id)).filter((r): r is EinvoiceRow => r != null);
      }
      setBusy(t("einvoices.exporting"));
      const table = exportRows(rows, l, t as unknown as (k: string) => string);
      const path = await exporter.mutateAsync({ file_name: "e-invoices", format, columns: table.columns, rows: table.rows });
      toast.show(t("einvoices.exported", { path }));
    } catch (e) {
      toast.show(t("einvoices.exportFailed", { reason: asApiError(e).message }), "critical");
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="selection-bar" role="region" aria-label={t("einvoices.selectionBar")} data-testid="selection-bar">
      <strong data-testid="selection-count">{t("einvoices.selected", { n: f.number(count) })}</strong>
      {!selection.all && count >= shownCount && total > count ? (
        <button type="button" className="btn-link" onClick={() => setSelection(selectAllMatching())} data-testid="select-all-matching">
          {t("einvoices.selectAllMatching", { n: f.number(total) })}
        </button>
      ) : null}
      {selection.all ? <span className="muted">{t("einvoices.allMatchingSelected")}</span> : null}
      <span className="muted small selection-hint">{t("einvoices.selectionHint")}</span>
      <div className="selection-actions">
        {busy ? (
          <span className="muted small" aria-live="polite">
            {busy}
          </span>
        ) : null}
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => void onExport("csv")} disabled={busy != null} data-testid="bulk-export-csv">
          <Icon name="download" size={14} />
          CSV
        </button>
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => void onExport("xlsx")} disabled={busy != null} data-testid="bulk-export-xlsx">
          <Icon name="download" size={14} />
          XLSX
        </button>
        <button type="button" className="btn-icon" onClick={() => setSelection(EMPTY_SELECTION)} aria-label={t("einvoices.clearSelection")} title={t("einvoices.clearSelection")} data-testid="clear-selection">
          <Icon name="x" />
        </button>
      </div>
    </div>
  );
}
