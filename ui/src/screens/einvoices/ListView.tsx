// The list view: a virtualised table fetched 200 rows at a time as it scrolls, sortable headers,
// multi-select (the selection lives in the screen, for the bulk buttons) and a selection bar.
import { useMemo, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { EinvoiceRow, EinvoiceSort, EinvoiceSortField } from "../../api/types";
import { EmptyState } from "../../components/EmptyState";
import { ErrorBox } from "../../components/ErrorBox";
import { Icon } from "../../components/Icon";
import {
  PlaceholderRow,
  SelectableRow,
  SortHeaderRow,
  usePagedRows,
  useRowSelection,
  type RowMeasure,
  type SelectAll,
  type SortColumn,
} from "../../components/SelectableList";
import { VirtualTable } from "../../components/VirtualTable";
import { isSelected, selectedCount, type Selection } from "../../lib/selection";
import { nextSort } from "../../lib/urlSearch";
import { useFormat } from "../../lib/useFormat";
import { PendingBadge, StateBadge, useEinvoiceLabels } from "./labels";
import { EINVOICE_PAGE_SIZE, einvoicePageQuery } from "./queries";
import { clearFilters, hasFilters, toFilter, type SearchState } from "./search";
import type { SearchUpdate } from "./SearchPanel";
import { SelectionBar } from "./SelectionBar";

// The select box and the seven columns.
const COLS = 8;

function useColumns(): SortColumn<EinvoiceSortField>[] {
  const { t } = useTranslation();
  return useMemo(
    () => [
      { id: "number", sort: "consecutivo", label: t("einvoices.col.number"), className: "col-number" },
      { id: "issued", sort: "issued_at", label: t("einvoices.col.issued"), className: "col-issued" },
      { id: "receiver", sort: "receiver", label: t("einvoices.col.receiver"), className: "col-receiver" },
      { id: "type", label: t("einvoices.col.type"), className: "col-type" },
      { id: "total", sort: "total", label: t("einvoices.col.total"), className: "col-total right" },
      { id: "state", sort: "state", label: t("einvoices.col.state"), className: "col-state" },
      { id: "error", label: t("einvoices.col.lastError"), className: "col-error" },
    ],
    [t],
  );
}

export type ListSelection = {
  selection: Selection;
  setSelection: (next: Selection | ((s: Selection) => Selection)) => void;
};

type ListProps = { state: SearchState; update: SearchUpdate; open: (row: EinvoiceRow) => void; onImport: () => void } & ListSelection;

// Newest and largest first: a date or an amount column starts descending.
const startsDescending = (field: EinvoiceSortField) => field === "issued_at" || field === "total";

function HeaderRow({ sort, onSort, selectAll }: { sort: EinvoiceSort; onSort: (f: EinvoiceSortField) => void; selectAll: SelectAll }) {
  const { t } = useTranslation();
  return <SortHeaderRow columns={useColumns()} sort={sort} onSort={onSort} selectAll={selectAll} selectAllLabel={t("einvoices.selectShown")} selectAllTestId="select-all" />;
}

/** The number a document is known by: its consecutivo, else its reference, else "Draft #id". */
export function useDocumentName() {
  const { t } = useTranslation();
  return (row: Pick<EinvoiceRow, "id" | "consecutivo" | "external_ref">) => row.consecutivo ?? row.external_ref ?? t("einvoices.draftNumber", { id: row.id });
}

function EinvoiceTr({
  row,
  index,
  measure,
  selected,
  onSelect,
  open,
}: {
  row: EinvoiceRow;
  index: number;
  measure: RowMeasure;
  selected: boolean;
  onSelect: (id: number, shift: boolean) => void;
  open: (row: EinvoiceRow) => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const l = useEinvoiceLabels();
  const name = useDocumentName()(row);
  return (
    <SelectableRow
      id={row.id}
      index={index}
      measure={measure}
      selected={selected}
      onSelect={onSelect}
      onOpen={() => open(row)}
      selectLabel={t("einvoices.selectRow", { name })}
      selectTestId={`select-${row.id}`}
      data-testid={`einvoice-row-${row.id}`}
      data-state={row.state}
    >
      <td className="mono ellipsis cell-number" title={row.clave ? t("einvoices.claveTitle", { clave: row.clave }) : undefined}>
        {row.consecutivo ? <strong>{row.consecutivo}</strong> : <span className="muted">{name}</span>}
      </td>
      <td className="ellipsis" title={row.issued_at ? f.dateTime(row.issued_at) : t("einvoices.createdOn", { date: f.dateTime(row.created_at) })}>
        {row.issued_at ? f.shortDateTime(row.issued_at) : <span className="muted">{t("einvoices.notIssued")}</span>}
      </td>
      <td className="ellipsis cell-receiver" title={[row.receiver_name, row.receiver_id].filter(Boolean).join(" · ")}>
        {row.receiver_name ?? <span className="muted">{t("einvoices.noReceiver")}</span>}
        {row.receiver_id ? <span className="muted small"> · {row.receiver_id}</span> : null}
      </td>
      <td className="ellipsis" title={l.docTypeLong(row.doc_type)}>
        {l.docType(row.doc_type)}
      </td>
      <td className="num right nowrap">{l.money(row.total, row.currency)}</td>
      <td className="nowrap">
        <StateBadge state={row.state} /> <PendingBadge pending={row.pending} />
      </td>
      <td className="ellipsis cell-error" title={row.last_error ?? undefined}>
        {row.last_error ? <span className="error-text">{row.last_error}</span> : null}
      </td>
    </SelectableRow>
  );
}

export function ListView({ state, update, open, onImport, selection, setSelection }: ListProps) {
  const { t } = useTranslation();
  const f = useFormat();
  const filter = useMemo(() => toFilter(state), [state]);
  const sort = state.sort;
  const scrollRef = useRef<HTMLDivElement>(null);

  const { first, total, virtualizer, rowAt, loadedRows } = usePagedRows({
    pageQuery: (page) => einvoicePageQuery(filter, sort, page),
    pageSize: EINVOICE_PAGE_SIZE,
    scrollRef,
    rowHeight: 34,
    resetKey: JSON.stringify([filter, sort]),
  });
  // The selection lives in the screen (for the bulk buttons), which clears it on a new search.
  const { rowsById, loadedIds, onSelect, selectAll } = useRowSelection(selection, setSelection, loadedRows, JSON.stringify(filter));

  if (first.isError) return <ErrorBox error={first.error} onRetry={() => void first.refetch()} />;
  if (first.isPending) return <p className="muted">{t("common.loading")}</p>;

  return (
    <div className="list-view">
      <div className="list-top">
        <span className="muted" data-testid="einvoice-list-total" data-total={total}>
          {t("einvoices.listTotal", { count: total, n: f.number(total) })}
        </span>
        {first.isFetching ? <span className="muted small">{t("common.loading")}</span> : null}
      </div>
      {selectedCount(selection, total) > 0 ? (
        <SelectionBar selection={selection} setSelection={setSelection} total={total} filter={filter} sort={sort} rowsById={rowsById} shownCount={loadedIds.length} />
      ) : null}
      {total === 0 ? (
        hasFilters(state) ? (
          <EmptyState icon="search" title={t("einvoices.noMatchTitle")} body={t("einvoices.noMatchBody")} testId="einvoices-no-match">
            <button type="button" className="btn btn-secondary" onClick={() => update(clearFilters(state))}>
              {t("einvoices.clearFilters")}
            </button>
          </EmptyState>
        ) : (
          <NoDocuments onImport={onImport} />
        )
      ) : (
        <VirtualTable
          virtualizer={virtualizer}
          scrollRef={scrollRef}
          colCount={COLS}
          ariaLabel={t("einvoices.title")}
          ariaRowCount={total + 1}
          testId="einvoice-list"
          className="einvoice-table"
          head={<HeaderRow sort={sort} onSort={(field) => update({ ...state, sort: nextSort(sort, field, startsDescending) })} selectAll={selectAll} />}
          renderRow={(index, measure) => {
            const row = rowAt(index);
            return row ? (
              <EinvoiceTr key={row.id} row={row} index={index} measure={measure} selected={isSelected(selection, row.id)} onSelect={onSelect} open={open} />
            ) : (
              <PlaceholderRow key={`p${index}`} measure={measure} colSpan={COLS} />
            );
          }}
        />
      )}
    </div>
  );
}

/** No document at all yet: what the screen is for, and the way to get some. */
export function NoDocuments({ onImport }: { onImport: () => void }) {
  const { t } = useTranslation();
  return (
    <EmptyState icon="einvoice" title={t("einvoices.emptyTitle")} body={t("einvoices.emptyBody")} testId="einvoices-empty">
      <div className="stack-h">
        <button type="button" className="btn btn-primary" onClick={onImport} data-testid="btn-import-empty">
          <Icon name="upload" />
          {t("einvoices.import")}
        </button>
      </div>
      <p className="muted small empty-hint">{t("einvoices.emptyHint")}</p>
    </EmptyState>
  );
}

/** No Hacienda connection yet: documents belong to one, so that comes first. */
export function NoConnection() {
  const { t } = useTranslation();
  return (
    <EmptyState icon="bank" title={t("einvoices.noConnectionTitle")} body={t("einvoices.noConnectionBody")} testId="einvoices-no-connection">
      <a className="btn btn-primary" href="#/connections" data-testid="link-connections">
        <Icon name="connections" />
        {t("einvoices.openConnections")}
      </a>
    </EmptyState>
  );
}
