// The list view: a virtualised table fetched 200 rows at a time as it scrolls, sortable headers,
// multi-select with a selection bar, and collapsible groups when the search groups by fields.
import { useEffect, useMemo, useRef, useState } from "react";
import { useQueries } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { PERMIT_PAGE_SIZE, permitPageQuery } from "../../api/queries";
import type { GroupBy, GroupCount, GroupKey, PermitFilter, PermitRow, PermitSort, PermitSortField } from "../../api/types";
import { call } from "../../api/client";
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
import { VirtualTable, useVirtualRows } from "../../components/VirtualTable";
import { hasFilters, clearFilters, pathKeys, toFilter, type SearchState } from "../../lib/permitSearch";
import { pathId, sortGroups, type Key } from "../../lib/pivot";
import { onRowKeyDown } from "../../lib/rowKeys";
import { EMPTY_SELECTION, isSelected, selectedCount, type Selection } from "../../lib/selection";
import { nextSort } from "../../lib/urlSearch";
import { useFormat } from "../../lib/useFormat";
import { SelectionBar } from "./SelectionBar";
import { ExpiryBadge, StatusBadge } from "./PermitBadges";
import { usePermitLabels } from "./labels";
import type { SearchUpdate } from "./SearchPanel";

// The select box and the seven columns of usePermitColumns.
const COLS = 8;

export type Column = SortColumn<PermitSortField>;

export function usePermitColumns(): Column[] {
  const { t } = useTranslation();
  return useMemo(
    () => [
      { id: "permit_number", sort: "permit_number", label: t("permits.col.number") },
      { id: "applicant", sort: "applicant", label: t("permits.col.applicant") },
      { id: "permit_type", sort: "permit_type", label: t("permits.col.type") },
      { id: "received_date", sort: "received_date", label: t("permits.col.received") },
      { id: "expiry_date", sort: "expiry_date", label: t("permits.col.expiryDate") },
      { id: "expiry_status", label: t("permits.col.expiryStatus") },
      { id: "status", sort: "status", label: t("permits.col.status") },
    ],
    [t],
  );
}

type ListProps = { state: SearchState; update: SearchUpdate; open: (row: PermitRow) => void };

export function ListView(props: ListProps) {
  return props.state.groupBy.length > 0 ? <GroupedList {...props} /> : <FlatList {...props} />;
}

// ---- shared pieces -------------------------------------------------------------------------

function HeaderRow({ sort, onSort, selectAll }: { sort: PermitSort; onSort: (field: PermitSortField) => void; selectAll: SelectAll }) {
  const { t } = useTranslation();
  return <SortHeaderRow columns={usePermitColumns()} sort={sort} onSort={onSort} selectAll={selectAll} selectAllLabel={t("permits.selectShown")} selectAllTestId="select-shown" />;
}

function PermitTr({
  row,
  index,
  measure,
  selected,
  onSelect,
  open,
  indent = 0,
}: {
  row: PermitRow;
  index: number;
  measure: RowMeasure;
  selected: boolean;
  onSelect: (id: number, shift: boolean) => void;
  open: (row: PermitRow) => void;
  indent?: number;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const l = usePermitLabels();
  return (
    <SelectableRow
      id={row.id}
      index={index}
      measure={measure}
      selected={selected}
      onSelect={onSelect}
      onOpen={() => open(row)}
      indent={indent}
      selectLabel={t("permits.selectRow", { name: row.permit_number ?? row.registration_id })}
      data-testid={`permit-row-${row.id}`}
    >
      <td className="mono ellipsis cell-number" title={row.permit_number ?? undefined}>
        {row.permit_number ? <strong>{row.permit_number}</strong> : <span className="muted small no-number">{t("permits.noNumber")}</span>}
      </td>
      <td className="ellipsis cell-applicant" title={row.company ? `${row.applicant} — ${row.company}` : row.applicant}>
        {row.applicant}
        {row.company ? <span className="muted"> · {row.company}</span> : null}
      </td>
      <td className="ellipsis cell-type" title={row.permit_type_name}>
        {row.permit_type_name}
      </td>
      <td>{l.date(row.received_date)}</td>
      <td>{l.date(row.expiry_date)}</td>
      <td>
        <ExpiryBadge status={row.expiry_status} daysLeft={row.days_left} days="short" />
      </td>
      <td title={t("permits.syncedAt", { at: f.dateTime(row.last_synced_at) })}>
        <StatusBadge status={row.status} />
      </td>
    </SelectableRow>
  );
}

function ListEmpty({ state, update }: { state: SearchState; update: SearchUpdate }) {
  const { t } = useTranslation();
  if (hasFilters(state)) {
    return (
      <EmptyState icon="search" title={t("permits.noMatchTitle")} body={t("permits.noMatchBody")} testId="permits-no-match">
        <button type="button" className="btn btn-secondary" onClick={() => update(clearFilters(state))}>
          {t("permits.clearFilters")}
        </button>
      </EmptyState>
    );
  }
  return <PermitsEmpty />;
}

export function PermitsEmpty() {
  const { t } = useTranslation();
  return (
    <EmptyState icon="permit" title={t("permits.emptyTitle")} body={t("permits.emptyBody")} testId="permits-empty">
      <div className="stack-h">
        <a className="btn btn-primary" href="#/permits/new">
          <Icon name="plus" />
          {t("permits.newPermit")}
        </a>
        <a className="btn btn-secondary" href="#/sync/jobs">
          {t("permits.openJobs")}
        </a>
      </div>
    </EmptyState>
  );
}

/** The selection of a permit list: owned here, and cleared when the search changes. */
function useSelectionState(filter: PermitFilter, rows: readonly PermitRow[]) {
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const key = JSON.stringify(filter);
  useEffect(() => {
    setSelection(EMPTY_SELECTION);
  }, [key]);
  return { selection, setSelection, ...useRowSelection(selection, setSelection, rows, key) };
}

/** What the flat and the grouped list share around their rows: the count line, the selection
 * bar, and the empty state or the table under its sortable, select-all header. */
function ListFrame({
  state,
  update,
  filter,
  total,
  selection: sel,
  top,
  virtualizer,
  scrollRef,
  ariaRowCount,
  className,
  renderRow,
}: {
  state: SearchState;
  update: SearchUpdate;
  filter: PermitFilter;
  total: number;
  selection: ReturnType<typeof useSelectionState>;
  /** More in the count line: loading, group count, collapse all. */
  top: React.ReactNode;
  virtualizer: Parameters<typeof VirtualTable>[0]["virtualizer"];
  scrollRef: React.RefObject<HTMLDivElement | null>;
  ariaRowCount?: number;
  className?: string;
  renderRow: Parameters<typeof VirtualTable>[0]["renderRow"];
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const sort = state.sort;
  return (
    <div className="list-view">
      <div className="list-top">
        <span className="muted" data-testid="permit-list-total" data-total={total}>
          {t("permits.listTotal", { count: total, n: f.number(total) })}
        </span>
        {top}
      </div>
      {selectedCount(sel.selection, total) > 0 ? (
        <SelectionBar
          selection={sel.selection}
          setSelection={sel.setSelection}
          total={total}
          filter={filter}
          sort={sort}
          rowsById={sel.rowsById}
          shownCount={sel.loadedIds.length}
        />
      ) : null}
      {total === 0 ? (
        <ListEmpty state={state} update={update} />
      ) : (
        <VirtualTable
          virtualizer={virtualizer}
          scrollRef={scrollRef}
          colCount={COLS}
          ariaLabel={t("permits.title")}
          ariaRowCount={ariaRowCount}
          testId="permit-list"
          className={className}
          head={<HeaderRow sort={sort} onSort={(field) => update({ ...state, sort: nextSort(sort, field) })} selectAll={sel.selectAll} />}
          renderRow={renderRow}
        />
      )}
    </div>
  );
}

// ---- flat list -------------------------------------------------------------------------------

function FlatList({ state, update, open }: ListProps) {
  const { t } = useTranslation();
  const filter = useMemo(() => toFilter(state), [state]);
  const sort = state.sort;
  const scrollRef = useRef<HTMLDivElement>(null);

  const { first, total, virtualizer, rowAt, loadedRows } = usePagedRows({
    pageQuery: (page) => permitPageQuery(filter, sort, page),
    pageSize: PERMIT_PAGE_SIZE,
    scrollRef,
    resetKey: JSON.stringify([filter, sort]),
  });
  const sel = useSelectionState(filter, loadedRows);

  if (first.isError) return <ErrorBox error={first.error} onRetry={() => void first.refetch()} />;
  if (first.isPending) return <p className="muted">{t("common.loading")}</p>;

  return (
    <ListFrame
      state={state}
      update={update}
      filter={filter}
      total={total}
      selection={sel}
      top={first.isFetching ? <span className="muted small">{t("common.loading")}</span> : null}
      virtualizer={virtualizer}
      scrollRef={scrollRef}
      ariaRowCount={total + 1}
      renderRow={(index, measure) => {
        const row = rowAt(index);
        return row ? (
          <PermitTr key={row.id} row={row} index={index} measure={measure} selected={isSelected(sel.selection, row.id)} onSelect={sel.onSelect} open={open} />
        ) : (
          <PlaceholderRow key={`p${index}`} measure={measure} colSpan={COLS} />
        );
      }}
    />
  );
}

// ---- grouped list ----------------------------------------------------------------------------

type Item =
  | { kind: "group"; path: Key[]; depth: number; count: number; groupBy: GroupBy; leaf: boolean; expanded: boolean }
  | { kind: "row"; row: PermitRow; depth: number }
  | { kind: "pending"; depth: number; id: string }
  | { kind: "more"; path: Key[]; depth: number; loaded: number; count: number };

function groupFilter(filter: PermitFilter, keys: GroupKey[]): PermitFilter {
  return { ...filter, groups: [...filter.groups, ...keys] };
}

function GroupedList({ state, update, open }: ListProps) {
  const { t } = useTranslation();
  const f = useFormat();
  const l = usePermitLabels();
  const filter = useMemo(() => toFilter(state), [state]);
  const fields = state.groupBy;
  const sort = state.sort;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [pagesLoaded, setPagesLoaded] = useState<Record<string, number>>({});

  // A new grouping starts closed.
  const fieldsKey = JSON.stringify(fields);
  useEffect(() => {
    setExpanded(new Set());
    setPagesLoaded({});
  }, [fieldsKey]);

  // Group lists to load: the top level, and the sub-groups of every open non-leaf group.
  const openPaths = [...expanded].map((id) => JSON.parse(id) as Key[]);
  const groupPaths: Key[][] = [[], ...openPaths.filter((p) => p.length < fields.length)];
  const groupQueries = useQueries({
    queries: groupPaths.map((path) => {
      const f2 = groupFilter(filter, pathKeys(fields, path));
      const g = fields[path.length]!;
      return {
        queryKey: ["permits", "groups", f2, g] as const,
        queryFn: () => call("permit_groups", { filter: f2, group_by: g }),
      };
    }),
  });
  const groupsOf = new Map<string, GroupCount[] | undefined>();
  groupPaths.forEach((p, i) => groupsOf.set(pathId(p), groupQueries[i]?.data ? sortGroups(groupQueries[i]!.data!, fields[p.length]!.field) : undefined));

  // Row pages of every open leaf group.
  const leafPaths = openPaths.filter((p) => p.length === fields.length);
  const rowRequests = leafPaths.flatMap((path) => Array.from({ length: pagesLoaded[pathId(path)] ?? 1 }, (_, page) => ({ path, page })));
  const rowQueries = useQueries({
    queries: rowRequests.map(({ path, page }) => permitPageQuery(groupFilter(filter, pathKeys(fields, path)), sort, page)),
  });
  const rowsOf = new Map<string, PermitRow[] | undefined>();
  let at = 0;
  for (const path of leafPaths) {
    const n = pagesLoaded[pathId(path)] ?? 1;
    let rows: PermitRow[] | undefined;
    let gap = false;
    for (let page = 0; page < n; page++, at++) {
      const data = rowQueries[at]?.data;
      if (!data) gap = true;
      else if (!gap) rows = [...(rows ?? []), ...data.rows];
    }
    rowsOf.set(pathId(path), rows);
  }

  const items: Item[] = [];
  const walk = (path: Key[]) => {
    const groups = groupsOf.get(pathId(path));
    const depth = path.length;
    if (!groups) {
      items.push({ kind: "pending", depth, id: `g${pathId(path)}` });
      return;
    }
    for (const g of groups) {
      const p = [...path, g.key];
      const id = pathId(p);
      const leaf = p.length === fields.length;
      const isOpen = expanded.has(id);
      items.push({ kind: "group", path: p, depth, count: g.count, groupBy: fields[depth]!, leaf, expanded: isOpen });
      if (!isOpen) continue;
      if (!leaf) walk(p);
      else {
        const rows = rowsOf.get(id);
        if (!rows) items.push({ kind: "pending", depth: depth + 1, id: `r${id}` });
        else {
          rows.forEach((row) => items.push({ kind: "row", row, depth: depth + 1 }));
          if (rows.length < g.count) items.push({ kind: "more", path: p, depth: depth + 1, loaded: rows.length, count: g.count });
        }
      }
    }
  };
  walk([]);

  const top = groupsOf.get(pathId([]));
  const total = top?.reduce((n, g) => n + g.count, 0) ?? 0;
  const loadedRows = items.flatMap((it) => (it.kind === "row" ? [it.row] : []));
  const sel = useSelectionState(filter, loadedRows);
  const virtualizer = useVirtualRows(items.length, scrollRef);

  const toggleGroup = (path: Key[]) =>
    setExpanded((s) => {
      const next = new Set(s);
      const id = pathId(path);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const topQuery = groupQueries[0];

  if (topQuery?.isError) return <ErrorBox error={topQuery.error} onRetry={() => void topQuery.refetch()} />;
  if (!top) return <p className="muted">{t("common.loading")}</p>;

  return (
    <ListFrame
      state={state}
      update={update}
      filter={filter}
      total={total}
      selection={sel}
      top={
        <>
          <span className="muted">{t("permits.groupCount", { count: top.length, n: f.number(top.length) })}</span>
          {expanded.size > 0 ? (
            <button type="button" className="btn-link small" onClick={() => setExpanded(new Set())}>
              {t("permits.collapseAll")}
            </button>
          ) : null}
        </>
      }
      virtualizer={virtualizer}
      scrollRef={scrollRef}
      className="grouped"
      renderRow={(index, measure) => {
        const it = items[index];
        if (!it) return null;
        switch (it.kind) {
          case "group": {
            const id = pathId(it.path);
            return (
              <tr
                key={`g${id}`}
                {...measure}
                className={`group-row depth-${it.depth}`}
                tabIndex={0}
                aria-expanded={it.expanded}
                aria-level={it.depth + 1}
                data-testid="permit-group"
                data-key={it.path[it.path.length - 1] ?? ""}
                onClick={() => toggleGroup(it.path)}
                onKeyDown={(e) => {
                  if ((e.key === "ArrowRight" && !it.expanded) || (e.key === "ArrowLeft" && it.expanded) || e.key === " ") {
                    e.preventDefault();
                    toggleGroup(it.path);
                    return;
                  }
                  onRowKeyDown(e, () => toggleGroup(it.path));
                }}
              >
                <td colSpan={COLS} style={{ paddingLeft: 10 + it.depth * 18 }}>
                  <span className="group-caret" aria-hidden="true">
                    <Icon name={it.expanded ? "chevronDown" : "chevronRight"} size={14} />
                  </span>
                  <span className="group-label">{l.key(it.groupBy, it.path[it.path.length - 1] ?? null)}</span>
                  <span className="group-count">{f.number(it.count)}</span>
                </td>
              </tr>
            );
          }
          case "row":
            return (
              <PermitTr key={`r${it.row.id}`} row={it.row} index={index} measure={measure} selected={isSelected(sel.selection, it.row.id)} onSelect={sel.onSelect} open={open} indent={it.depth} />
            );
          case "pending":
            return <PlaceholderRow key={it.id} measure={measure} colSpan={COLS} indent={it.depth} />;
          case "more":
            return (
              <tr key={`m${pathId(it.path)}`} {...measure} className="row-more">
                <td colSpan={COLS} style={{ paddingLeft: 10 + it.depth * 18 }}>
                  <button
                    type="button"
                    className="btn-link small"
                    onClick={() => setPagesLoaded((p) => ({ ...p, [pathId(it.path)]: (p[pathId(it.path)] ?? 1) + 1 }))}
                  >
                    {t("permits.loadMoreOf", { shown: f.number(it.loaded), total: f.number(it.count) })}
                  </button>
                </td>
              </tr>
            );
        }
      }}
    />
  );
}
