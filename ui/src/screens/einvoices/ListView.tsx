// The list view: a virtualised table fetched 200 rows at a time as it scrolls, sortable headers,
// multi-select (the selection lives in the screen, for the bulk buttons) and a selection bar.
import { useEffect, useMemo, useRef } from "react";
import { useQueries, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { EinvoiceRow, EinvoiceSort, EinvoiceSortField } from "../../api/types";
import { EmptyState } from "../../components/EmptyState";
import { ErrorBox } from "../../components/ErrorBox";
import { Icon } from "../../components/Icon";
import { VirtualTable, useVirtualRows } from "../../components/VirtualTable";
import { onRowKeyDown } from "../../lib/rowKeys";
import { isSelected, selectRange, selectedCount, toggle, toggleShown, type Selection } from "../../lib/selection";
import { useFormat } from "../../lib/useFormat";
import { PendingBadge, StateBadge, useEinvoiceLabels } from "./labels";
import { EINVOICE_PAGE_SIZE, einvoicePageQuery } from "./queries";
import { clearFilters, hasFilters, toFilter, type SearchState } from "./search";
import type { SearchUpdate } from "./SearchPanel";
import { SelectionBar } from "./SelectionBar";

// The select box and the seven columns.
const COLS = 8;

type Column = { id: string; sort?: EinvoiceSortField; label: string; className?: string };

function useColumns(): Column[] {
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

function nextSort(sort: EinvoiceSort, field: EinvoiceSortField): EinvoiceSort {
  return sort.field === field ? { field, descending: !sort.descending } : { field, descending: field === "issued_at" || field === "total" };
}

function HeaderRow({ sort, onSort, selectAll }: { sort: EinvoiceSort; onSort: (f: EinvoiceSortField) => void; selectAll: { checked: boolean; indeterminate: boolean; onChange: () => void } }) {
  const { t } = useTranslation();
  const cols = useColumns();
  const box = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (box.current) box.current.indeterminate = selectAll.indeterminate;
  }, [selectAll.indeterminate]);
  return (
    <tr>
      <th className="col-select">
        <input ref={box} type="checkbox" checked={selectAll.checked} onChange={selectAll.onChange} aria-label={t("einvoices.selectShown")} data-testid="select-all" />
      </th>
      {cols.map((c) => {
        const active = c.sort != null && sort.field === c.sort;
        return (
          <th key={c.id} aria-sort={active ? (sort.descending ? "descending" : "ascending") : c.sort ? "none" : undefined} className={c.className}>
            {c.sort ? (
              <button type="button" className="th-sort" onClick={() => onSort(c.sort!)} data-testid={`sort-${c.id}`}>
                {c.label}
                {active ? <Icon name={sort.descending ? "arrowDown" : "arrowUp"} size={12} /> : null}
              </button>
            ) : (
              c.label
            )}
          </th>
        );
      })}
    </tr>
  );
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
  measure: { ref: (el: Element | null) => void; "data-index": number };
  selected: boolean;
  onSelect: (id: number, shift: boolean) => void;
  open: (row: EinvoiceRow) => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const l = useEinvoiceLabels();
  const name = useDocumentName()(row);
  return (
    <tr
      {...measure}
      data-testid={`einvoice-row-${row.id}`}
      data-state={row.state}
      tabIndex={0}
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={selected ? "row-selected" : undefined}
      onClick={() => open(row)}
      onKeyDown={(e) => {
        if (e.key === " " && e.target === e.currentTarget) {
          e.preventDefault();
          onSelect(row.id, e.shiftKey);
          return;
        }
        onRowKeyDown(e, () => open(row));
      }}
    >
      <td className="col-select" onClick={(e) => e.stopPropagation()}>
        <input
          type="checkbox"
          checked={selected}
          onChange={() => undefined}
          onClick={(e) => onSelect(row.id, e.shiftKey)}
          aria-label={t("einvoices.selectRow", { name })}
          tabIndex={-1}
          data-testid={`select-${row.id}`}
        />
      </td>
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
    </tr>
  );
}

function PlaceholderTr({ measure }: { measure: { ref: (el: Element | null) => void; "data-index": number } }) {
  return (
    <tr {...measure} className="row-placeholder" aria-busy="true">
      <td colSpan={COLS}>
        <span className="skeleton" />
      </td>
    </tr>
  );
}

export function ListView({ state, update, open, onImport, selection, setSelection }: ListProps) {
  const { t } = useTranslation();
  const f = useFormat();
  const filter = useMemo(() => toFilter(state), [state]);
  const sort = state.sort;
  const scrollRef = useRef<HTMLDivElement>(null);

  const first = useQuery({ ...einvoicePageQuery(filter, sort, 0), placeholderData: (prev) => prev });
  const total = first.data?.total ?? 0;
  const virtualizer = useVirtualRows(total, scrollRef, 34);
  const items = virtualizer.getVirtualItems();

  const searchKey = JSON.stringify([filter, sort]);
  useEffect(() => {
    virtualizer.scrollToOffset(0);
  }, [searchKey, virtualizer]);

  // The pages the rows in view fall on (the first is always loaded).
  const pages = useMemo(() => {
    const set = new Set<number>();
    for (const it of items) set.add(Math.floor(it.index / EINVOICE_PAGE_SIZE));
    return [...set].filter((p) => p > 0).sort((a, b) => a - b);
  }, [items]);
  const more = useQueries({ queries: pages.map((p) => einvoicePageQuery(filter, sort, p)) });
  const byPage = new Map<number, EinvoiceRow[]>();
  if (first.data && !first.isPlaceholderData) byPage.set(0, first.data.rows);
  pages.forEach((p, i) => {
    const d = more[i]?.data;
    if (d) byPage.set(p, d.rows);
  });
  const rowAt = (i: number) => byPage.get(Math.floor(i / EINVOICE_PAGE_SIZE))?.[i % EINVOICE_PAGE_SIZE];
  const loadedRows = [...byPage.entries()].sort((a, b) => a[0] - b[0]).flatMap(([, rows]) => rows);

  // Every row seen since the search changed, for the selection bar's export.
  const seen = useRef(new Map<number, EinvoiceRow>());
  const anchor = useRef<number | null>(null);
  const filterKey = JSON.stringify(filter);
  useEffect(() => {
    seen.current = new Map();
  }, [filterKey]);
  for (const r of loadedRows) seen.current.set(r.id, r);
  const loadedIds = loadedRows.map((r) => r.id);
  const onSelect = (id: number, shift: boolean) => {
    const from = anchor.current;
    setSelection((s) => (shift ? selectRange(s, loadedIds, from, id) : toggle(s, id)));
    anchor.current = id;
  };
  const shownAll = loadedIds.length > 0 && loadedIds.every((id) => isSelected(selection, id));
  const shownSome = loadedIds.some((id) => isSelected(selection, id));
  const selectAll = { checked: shownAll, indeterminate: !shownAll && shownSome, onChange: () => setSelection((s) => toggleShown(s, loadedIds)) };

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
        <SelectionBar selection={selection} setSelection={setSelection} total={total} filter={filter} sort={sort} rowsById={seen.current} shownCount={loadedIds.length} />
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
          head={<HeaderRow sort={sort} onSort={(field) => update({ ...state, sort: nextSort(sort, field) })} selectAll={selectAll} />}
          renderRow={(index, measure) => {
            const row = rowAt(index);
            return row ? (
              <EinvoiceTr key={row.id} row={row} index={index} measure={measure} selected={isSelected(selection, row.id)} onSelect={onSelect} open={open} />
            ) : (
              <PlaceholderTr key={`p${index}`} measure={measure} />
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
