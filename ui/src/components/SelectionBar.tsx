// The bar over a list's ticked rows, as the permit and the e-invoice lists show it: the count,
// "select all matching", what is going on, the screen's own actions, export and clear.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useExportTable } from "../api/queries";
import type { ExportCell, ExportFormat } from "../api/types";
import { EMPTY_SELECTION, isSelected, selectAllMatching, selectedCount, type Selection } from "../lib/selection";
import { useFormat } from "../lib/useFormat";
import { asApiError } from "./ErrorBox";
import { Icon } from "./Icon";
import { useToast } from "./Toast";

/** The screen's translation namespace: its selection texts have the same keys in both. */
type Ns = "permits" | "einvoices";

export type ExportedTable = { columns: string[]; rows: ExportCell[][] };

/** What a list hands its selection bar. */
export type ListSelectionProps<R, Filter, Sort> = {
  selection: Selection;
  setSelection: (s: Selection) => void;
  /** The rows matching the search. */
  total: number;
  filter: Filter;
  sort: Sort;
  /** Every row seen since the search changed, by id. */
  rowsById: ReadonlyMap<number, R>;
  shownCount: number;
};

/**
 * The ticked rows and what is being done with them: the rows themselves (all matching ones are
 * fetched page by page, with progress in `busy`) and their export.
 */
export function useSelectedRows<R extends { id: number }, Filter, Sort>(
  ns: Ns,
  { selection, rowsById, filter, sort }: ListSelectionProps<R, Filter, Sort>,
  {
    fetchAll,
    fetchingText,
    progressText,
    toTable,
    exportFileName,
  }: {
    /** Every row of the search, reporting progress as pages arrive. */
    fetchAll: (filter: Filter, sort: Sort, onProgress: (done: number, all: number) => void) => Promise<R[]>;
    fetchingText: string;
    progressText: (done: string, total: string) => string;
    toTable: (rows: readonly R[]) => ExportedTable;
    exportFileName: string;
  },
) {
  const { t } = useTranslation();
  const f = useFormat();
  const toast = useToast();
  const exporter = useExportTable();
  const [busy, setBusy] = useState<string | null>(null);

  const resolveRows = async (): Promise<R[]> => {
    if (!selection.all) return [...selection.ids].map((id) => rowsById.get(id)).filter((r): r is R => r != null);
    setBusy(fetchingText);
    const rows = await fetchAll(filter, sort, (done, all) => setBusy(progressText(f.number(done), f.number(all))));
    return rows.filter((r) => isSelected(selection, r.id));
  };

  const exportRows = async (format: ExportFormat) => {
    try {
      const rows = await resolveRows();
      setBusy(t(`${ns}.exporting`));
      const table = toTable(rows);
      const path = await exporter.mutateAsync({ file_name: exportFileName, format, columns: table.columns, rows: table.rows });
      toast.show(t(`${ns}.exported`, { path }));
    } catch (e) {
      toast.show(t(`${ns}.exportFailed`, { reason: asApiError(e).message }), "critical");
    } finally {
      setBusy(null);
    }
  };

  return { busy, setBusy, resolveRows, exportRows };
}

export function SelectionBar({
  ns,
  selection,
  setSelection,
  total,
  shownCount,
  busy,
  onExport,
  hint,
  actions,
  children,
}: {
  ns: Ns;
  selection: Selection;
  setSelection: (s: Selection) => void;
  total: number;
  shownCount: number;
  busy: string | null;
  onExport: (format: ExportFormat) => void;
  /** A line after the count. */
  hint?: React.ReactNode;
  /** The screen's own actions, before export. */
  actions?: React.ReactNode;
  /** Dialogs the actions open. */
  children?: React.ReactNode;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const count = selectedCount(selection, total);
  const exportButton = (format: ExportFormat) => (
    <button type="button" className="btn btn-secondary btn-sm" onClick={() => onExport(format)} disabled={busy != null} data-testid={`bulk-export-${format}`}>
      <Icon name="download" size={14} />
      {format.toUpperCase()}
    </button>
  );

  return (
    <div className="selection-bar" role="region" aria-label={t(`${ns}.selectionBar`)} data-testid="selection-bar">
      <strong data-testid="selection-count">{t(`${ns}.selected`, { n: f.number(count) })}</strong>
      {!selection.all && count >= shownCount && total > count ? (
        <button type="button" className="btn-link" onClick={() => setSelection(selectAllMatching())} data-testid="select-all-matching">
          {t(`${ns}.selectAllMatching`, { n: f.number(total) })}
        </button>
      ) : null}
      {selection.all ? <span className="muted">{t(`${ns}.allMatchingSelected`)}</span> : null}
      {hint}
      <div className="selection-actions">
        {busy ? (
          <span className="muted small" aria-live="polite">
            {busy}
          </span>
        ) : null}
        {actions}
        {exportButton("csv")}
        {exportButton("xlsx")}
        <button
          type="button"
          className="btn-icon"
          onClick={() => setSelection(EMPTY_SELECTION)}
          aria-label={t(`${ns}.clearSelection`)}
          title={t(`${ns}.clearSelection`)}
          data-testid="clear-selection"
        >
          <Icon name="x" />
        </button>
      </div>
      {children}
    </div>
  );
}
