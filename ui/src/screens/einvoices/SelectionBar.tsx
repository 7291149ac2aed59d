// What the ticked rows offer besides the bulk buttons above: select all matching, export, clear.
import { useTranslation } from "react-i18next";
import type { EinvoiceFilter, EinvoiceRow, EinvoiceSort, ExportCell } from "../../api/types";
import { SelectionBar as SharedSelectionBar, useSelectedRows, type ListSelectionProps } from "../../components/SelectionBar";
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

export function SelectionBar(props: ListSelectionProps<EinvoiceRow, EinvoiceFilter, EinvoiceSort>) {
  const { t } = useTranslation();
  const l = useEinvoiceLabels();
  const { busy, exportRows: onExport } = useSelectedRows("einvoices", props, {
    fetchAll: fetchAllRows,
    fetchingText: t("einvoices.fetching"),
    progressText: (done, all) => t("einvoices.fetchProgress", { done, total: all }),
    toTable: (rows) => exportRows(rows, l, t as unknown as (k: string) => string),
    exportFileName: "e-invoices",
  });

  return (
    <SharedSelectionBar
      ns="einvoices"
      {...props}
      busy={busy}
      onExport={(format) => void onExport(format)}
      hint={<span className="muted small selection-hint">{t("einvoices.selectionHint")}</span>}
    />
  );
}
