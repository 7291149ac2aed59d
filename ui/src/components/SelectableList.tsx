// The pieces of a virtualised, multi-select record list that the permit and the e-invoice lists
// share: pages loaded as they scroll into view, the selection over the rows loaded so far
// (click, shift-click range, select-all of the shown rows), the sortable header with its
// select-all box, a selectable row and the placeholder of a row still loading.
import { useEffect, useMemo, useRef } from "react";
import { useQueries, useQuery } from "@tanstack/react-query";
import type { AnySort } from "../lib/urlSearch";
import { onRowKeyDown } from "../lib/rowKeys";
import { isSelected, selectRange, toggle, toggleShown, type Selection } from "../lib/selection";
import { Icon } from "./Icon";
import { useVirtualRows } from "./VirtualTable";

/** What VirtualTable hands each row to spread on its <tr>. */
export type RowMeasure = { ref: (el: Element | null) => void; "data-index": number };

type Page<R> = { rows: R[]; total: number };
/** The query of one page of the list (page 0 is the first). */
export type PageQuery<R> = (page: number) => { queryKey: readonly unknown[]; queryFn: () => Promise<Page<R>> };

/**
 * The rows of a list fetched a page at a time as they scroll into view: the first page always
 * (keeping the last answer while a new search loads), then the pages under the visible rows.
 * `resetKey` changes with the search or sort, which scrolls back to the top.
 */
export function usePagedRows<R>({
  pageQuery,
  pageSize,
  scrollRef,
  rowHeight,
  resetKey,
}: {
  pageQuery: PageQuery<R>;
  pageSize: number;
  scrollRef: React.RefObject<HTMLDivElement | null>;
  rowHeight?: number;
  resetKey: string;
}) {
  const first = useQuery({ ...pageQuery(0), placeholderData: (prev: Page<R> | undefined) => prev });
  const total = first.data?.total ?? 0;
  const virtualizer = useVirtualRows(total, scrollRef, rowHeight);
  const items = virtualizer.getVirtualItems();

  // Back to the top when the search or the sort changes.
  useEffect(() => {
    virtualizer.scrollToOffset(0);
  }, [resetKey, virtualizer]);

  // The pages the rows in view fall on (the first is always loaded).
  const pages = useMemo(() => {
    const set = new Set<number>();
    for (const it of items) set.add(Math.floor(it.index / pageSize));
    return [...set].filter((p) => p > 0).sort((a, b) => a - b);
  }, [items, pageSize]);
  const more = useQueries({ queries: pages.map((p) => pageQuery(p)) });
  const byPage = new Map<number, R[]>();
  if (first.data && !first.isPlaceholderData) byPage.set(0, first.data.rows);
  pages.forEach((p, i) => {
    const d = more[i]?.data;
    if (d) byPage.set(p, d.rows);
  });
  const rowAt = (i: number) => byPage.get(Math.floor(i / pageSize))?.[i % pageSize];
  const loadedRows = [...byPage.entries()].sort((a, b) => a[0] - b[0]).flatMap(([, rows]) => rows);
  return { first, total, virtualizer, rowAt, loadedRows };
}

export type SelectAll = { checked: boolean; indeterminate: boolean; onChange: () => void };

/**
 * The selection over the rows loaded so far: a click toggles a row, a shift-click selects the
 * range from the last row clicked, the header box selects or clears every row shown. Remembers
 * every row seen since `resetKey` (the search) changed, for the selection bar's bulk actions.
 */
export function useRowSelection<R extends { id: number }>(
  selection: Selection,
  setSelection: (next: (s: Selection) => Selection) => void,
  rows: readonly R[],
  resetKey: string,
) {
  const seen = useRef(new Map<number, R>());
  const anchor = useRef<number | null>(null);
  useEffect(() => {
    seen.current = new Map();
  }, [resetKey]);
  for (const r of rows) seen.current.set(r.id, r);

  const loadedIds = rows.map((r) => r.id);
  const onSelect = (id: number, shift: boolean) => {
    const from = anchor.current;
    setSelection((s) => (shift ? selectRange(s, loadedIds, from, id) : toggle(s, id)));
    anchor.current = id;
  };
  const shownAll = loadedIds.length > 0 && loadedIds.every((id) => isSelected(selection, id));
  const shownSome = loadedIds.some((id) => isSelected(selection, id));
  const selectAll: SelectAll = { checked: shownAll, indeterminate: !shownAll && shownSome, onChange: () => setSelection((s) => toggleShown(s, loadedIds)) };
  return { rowsById: seen.current, loadedIds, onSelect, selectAll };
}

export type SortColumn<F extends string> = { id: string; sort?: F; label: string; className?: string };

/** The header: the select-all box (indeterminate when some are ticked), then sortable columns. */
export function SortHeaderRow<F extends string>({
  columns,
  sort,
  onSort,
  selectAll,
  selectAllLabel,
  selectAllTestId,
}: {
  columns: SortColumn<F>[];
  sort: AnySort<F>;
  onSort: (field: F) => void;
  selectAll: SelectAll;
  selectAllLabel: string;
  selectAllTestId: string;
}) {
  const box = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (box.current) box.current.indeterminate = selectAll.indeterminate;
  }, [selectAll.indeterminate]);
  return (
    <tr>
      <th className="col-select">
        <input ref={box} type="checkbox" checked={selectAll.checked} onChange={selectAll.onChange} aria-label={selectAllLabel} data-testid={selectAllTestId} />
      </th>
      {columns.map((c) => {
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

/** Left padding of a row's first cell under `indent` levels of groups. */
const indentStyle = (indent: number) => (indent ? { paddingLeft: 8 + indent * 16 } : undefined);

/**
 * A record's row: a click opens it, Space ticks it (Shift+Space a range), arrows move, Enter
 * opens; the first cell is its tick box. `children` are the record's own cells.
 */
export function SelectableRow({
  id,
  index,
  measure,
  selected,
  onSelect,
  onOpen,
  indent = 0,
  selectLabel,
  selectTestId,
  children,
  ...data
}: {
  id: number;
  index: number;
  measure: RowMeasure;
  selected: boolean;
  onSelect: (id: number, shift: boolean) => void;
  onOpen: () => void;
  indent?: number;
  selectLabel: string;
  selectTestId?: string;
  children: React.ReactNode;
  "data-testid": string;
  "data-state"?: string;
}) {
  return (
    <tr
      {...measure}
      {...data}
      tabIndex={0}
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={selected ? "row-selected" : undefined}
      onClick={onOpen}
      onKeyDown={(e) => {
        if (e.key === " " && e.target === e.currentTarget) {
          e.preventDefault();
          onSelect(id, e.shiftKey);
          return;
        }
        onRowKeyDown(e, onOpen);
      }}
    >
      <td className="col-select" onClick={(e) => e.stopPropagation()} style={indentStyle(indent)}>
        <input
          type="checkbox"
          checked={selected}
          onChange={() => undefined}
          onClick={(e) => onSelect(id, e.shiftKey)}
          aria-label={selectLabel}
          tabIndex={-1}
          data-testid={selectTestId}
        />
      </td>
      {children}
    </tr>
  );
}

/** A row whose record is still loading. */
export function PlaceholderRow({ measure, colSpan, indent = 0 }: { measure: RowMeasure; colSpan: number; indent?: number }) {
  return (
    <tr {...measure} className="row-placeholder" aria-busy="true">
      <td colSpan={colSpan} style={indentStyle(indent)}>
        <span className="skeleton" />
      </td>
    </tr>
  );
}
