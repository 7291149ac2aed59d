// The pivot view: row and column group-bys, the count of permits per cell, headers that expand
// and collapse, totals, swap axes, a click on a cell opens its permits in the list, and an
// export of exactly what is shown.
import { useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { usePermitPivot, useExportTable } from "../../api/queries";
import type { ExportFormat, GroupBy, PivotResult } from "../../api/types";
import { ErrorBox, asApiError } from "../../components/ErrorBox";
import { Icon } from "../../components/Icon";
import { Menu, MenuGroup } from "../../components/Menu";
import { useToast } from "../../components/Toast";
import { DATE_INTERVALS, PERMIT_FIELDS, drillDown, encodeGroupBy, groupBy as makeGroupBy, isDateField, pathKeys, sameGroupBy, toFilter, type SearchState } from "../../lib/permitSearch";
import {
  buildTree,
  cellValue,
  collapseAll,
  collapseForNewLevel,
  columnLayout,
  isExpanded,
  shownTable,
  sumIndex,
  toggleCollapsed,
  visibleRows,
  type PivotNode,
} from "../../lib/pivot";
import { useFormat } from "../../lib/useFormat";
import { GroupByMenu, type SearchUpdate } from "./SearchPanel";
import { usePermitLabels } from "./labels";

type Axis = "row" | "col";
type AxisState = { key: string; collapsed: ReadonlySet<string> };
const NONE: ReadonlySet<string> = new Set();
const fieldsKey = (fields: readonly GroupBy[]) => fields.map(encodeGroupBy).join(",");

export function PivotView({ state, update }: { state: SearchState; update: SearchUpdate }) {
  const { t } = useTranslation();
  const f = useFormat();
  const l = usePermitLabels();
  const toast = useToast();
  const exporter = useExportTable();
  const rows = state.groupBy;
  const cols = state.pivotCols;
  const filter = useMemo(() => toFilter(state), [state]);
  const query = useMemo(() => ({ filter, rows, cols }), [filter, rows, cols]);
  const pivot = usePermitPivot(query);

  // What the data on screen was computed for (while a new grouping loads, the old one stays).
  const shown = useRef<{ result: PivotResult; rows: GroupBy[]; cols: GroupBy[] } | null>(null);
  if (pivot.data && !pivot.isPlaceholderData) shown.current = { result: pivot.data, rows, cols };
  const data = shown.current;

  const [rowState, setRowState] = useState<AxisState>({ key: fieldsKey(rows), collapsed: NONE });
  const [colState, setColState] = useState<AxisState>({ key: fieldsKey(cols), collapsed: NONE });
  const rowCollapsed = rowState.key === fieldsKey(data?.rows ?? rows) ? rowState.collapsed : NONE;
  const colCollapsed = colState.key === fieldsKey(data?.cols ?? cols) ? colState.collapsed : NONE;

  const model = useMemo(() => {
    if (!data || data.result.too_many) return null;
    const cells = data.result.cells;
    const rowRoot = buildTree(cells, "row", data.rows);
    const colRoot = buildTree(cells, "col", data.cols);
    return { rowRoot, colRoot, sums: sumIndex(cells, data.rows.length, data.cols.length) };
  }, [data]);

  const label = (axis: Axis, n: PivotNode): string => {
    if (n.depth === 0) return t("permits.total");
    const fields = axis === "row" ? (data?.rows ?? rows) : (data?.cols ?? cols);
    return l.key(fields[n.depth - 1]!, n.key);
  };

  const setFields = (axis: Axis, next: GroupBy[], collapsed: ReadonlySet<string> = NONE) => {
    if (axis === "row") {
      setRowState({ key: fieldsKey(next), collapsed });
      update({ ...state, groupBy: next });
    } else {
      setColState({ key: fieldsKey(next), collapsed });
      update({ ...state, pivotCols: next });
    }
  };

  const onHeader = (axis: Axis, node: PivotNode) => {
    const collapsed = axis === "row" ? rowCollapsed : colCollapsed;
    const set = axis === "row" ? setRowState : setColState;
    set({ key: fieldsKey(axis === "row" ? rows : cols), collapsed: toggleCollapsed(collapsed, node) });
  };

  const addLevel = (axis: Axis, node: PivotNode, root: PivotNode, g: GroupBy) => {
    const fields = axis === "row" ? rows : cols;
    const collapsed = axis === "row" ? rowCollapsed : colCollapsed;
    setFields(axis, [...fields, g], collapseForNewLevel(root, collapsed, node));
  };

  const swap = () => {
    setRowState({ key: fieldsKey(cols), collapsed: colCollapsed });
    setColState({ key: fieldsKey(rows), collapsed: rowCollapsed });
    update({ ...state, groupBy: cols, pivotCols: rows });
  };

  const expandAll = () => {
    setRowState({ key: fieldsKey(rows), collapsed: NONE });
    setColState({ key: fieldsKey(cols), collapsed: NONE });
  };
  const collapseEverything = () => {
    if (!model) return;
    setRowState({ key: fieldsKey(rows), collapsed: collapseAll(model.rowRoot) });
    setColState({ key: fieldsKey(cols), collapsed: collapseAll(model.colRoot) });
  };

  const shownRows = model ? visibleRows(model.rowRoot, rowCollapsed) : [];
  const layout = model ? columnLayout(model.colRoot, colCollapsed) : null;

  const onExport = async (format: ExportFormat) => {
    if (!model || !layout) return;
    const table = shownTable(shownRows, layout.columns, model.sums, label, t("permits.measureCount"));
    try {
      const path = await exporter.mutateAsync({ file_name: "permits-pivot", format, columns: table.columns, rows: table.rows });
      toast.show(t("permits.exported", { path }));
    } catch (e) {
      toast.show(t("permits.exportFailed", { reason: asApiError(e).message }), "critical");
    }
  };

  const drill = (r: PivotNode, c: PivotNode) => {
    if (!data) return;
    update(drillDown(state, [...pathKeys(data.rows, r.path), ...pathKeys(data.cols, c.path)]), { push: true });
  };

  const headerButton = (axis: Axis, node: PivotNode, root: PivotNode) => {
    const fields = axis === "row" ? rows : cols;
    const other = axis === "row" ? cols : rows;
    const expanded = isExpanded(node, axis === "row" ? rowCollapsed : colCollapsed);
    const name = label(axis, node);
    if (expanded || node.children.length > 0) {
      return (
        <button
          type="button"
          className="pivot-toggle"
          aria-expanded={expanded}
          aria-label={expanded ? t("permits.collapseHeader", { name }) : t("permits.expandHeader", { name })}
          onClick={() => onHeader(axis, node)}
          data-testid={`pivot-toggle-${axis}-${node.id}`}
        >
          <Icon name={expanded ? "minus" : "plus"} size={12} />
          <span>{name}</span>
        </button>
      );
    }
    if (node.depth < fields.length) return <span className="pivot-label">{name}</span>;
    return <AddLevel label={name} exclude={[...fields, ...other]} onPick={(g) => addLevel(axis, node, root, g)} testId={`pivot-add-${axis}-${node.id}`} />;
  };

  const allFields = [...rows.map((g) => ({ axis: "row" as const, g })), ...cols.map((g) => ({ axis: "col" as const, g }))];

  return (
    <div className="pivot-view">
      <div className="pivot-toolbar">
        <span className="pivot-measure">
          <span className="muted">{t("permits.measure")}</span> <strong>{t("permits.measureCount")}</strong>
        </span>
        <GroupByMenu label={t("permits.pivotRows")} value={rows} onChange={(next) => setFields("row", next)} exclude={cols} testId="pivot-rows" />
        <GroupByMenu label={t("permits.pivotCols")} value={cols} onChange={(next) => setFields("col", next)} exclude={rows} testId="pivot-cols" />
        <button type="button" className="btn btn-secondary btn-sm" onClick={swap} data-testid="pivot-swap" title={t("permits.swapAxes")}>
          <Icon name="swap" size={14} />
          {t("permits.swapAxes")}
        </button>
        <button type="button" className="btn btn-secondary btn-sm" onClick={expandAll} data-testid="pivot-expand-all">
          {t("permits.expandAll")}
        </button>
        <button type="button" className="btn btn-secondary btn-sm" onClick={collapseEverything} data-testid="pivot-collapse-all">
          {t("permits.collapseAll")}
        </button>
        <span className="toolbar-gap" />
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => void onExport("csv")} disabled={!model || exporter.isPending} data-testid="pivot-export-csv">
          <Icon name="download" size={14} />
          {t("permits.exportCsv")}
        </button>
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => void onExport("xlsx")} disabled={!model || exporter.isPending} data-testid="pivot-export-xlsx">
          <Icon name="download" size={14} />
          {t("permits.exportXlsx")}
        </button>
      </div>

      {pivot.isError ? <ErrorBox error={pivot.error} onRetry={() => void pivot.refetch()} /> : null}
      {pivot.isPending && !data ? <p className="muted">{t("common.loading")}</p> : null}

      {data?.result.too_many ? (
        <div className="alert alert-warning" role="alert" data-testid="pivot-too-many">
          <Icon name="alert" size={18} />
          <div className="alert-body">
            <strong>{t("permits.tooManyTitle")}</strong>
            <p>{t("permits.tooManyBody", { n: f.number(data.result.total) })}</p>
            <ul className="chip-list">
              {allFields.map(({ axis, g }) => (
                <li key={`${axis}-${encodeGroupBy(g)}`}>
                  <button
                    type="button"
                    className="chip"
                    onClick={() =>
                      axis === "row" ? setFields("row", rows.filter((x) => !sameGroupBy(x, g))) : setFields("col", cols.filter((x) => !sameGroupBy(x, g)))
                    }
                    aria-label={t("permits.removeGroupBy", { name: l.groupBy(g) })}
                  >
                    {axis === "row" ? t("permits.pivotRows") : t("permits.pivotCols")}: {l.groupBy(g)}
                    <Icon name="x" size={12} />
                  </button>
                </li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}

      {model && layout ? (
        <div className={`pivot-scroll${pivot.isFetching ? " is-loading" : ""}`}>
          <table className="pivot" data-testid="pivot-table" aria-busy={pivot.isFetching}>
            <thead>
              {layout.headerRows.map((cells, i) => (
                <tr key={i}>
                  {i === 0 ? <th className="pivot-corner" rowSpan={layout.headerRows.length + 1} /> : null}
                  {cells.map((h, j) => (
                    <th
                      key={`${h.node.id}-${j}`}
                      colSpan={h.colSpan}
                      rowSpan={h.rowSpan}
                      scope="col"
                      className={`pivot-col-head${h.node.depth === 0 && j > 0 ? " pivot-total-head" : ""}`}
                    >
                      {h.node.depth === 0 && j > 0 ? <span className="pivot-label">{t("permits.total")}</span> : headerButton("col", h.node, model.colRoot)}
                    </th>
                  ))}
                </tr>
              ))}
              <tr>
                {layout.columns.map((c, j) => (
                  <th key={`m${c.id}-${j}`} className="pivot-measure-head" scope="col">
                    {t("permits.measureCount")}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shownRows.map((r, ri) => (
                <tr key={r.id} className={r.depth === 0 ? "pivot-total-row" : undefined}>
                  <th scope="row" className="pivot-row-head" style={{ paddingLeft: 8 + r.depth * 18 }}>
                    {headerButton("row", r, model.rowRoot)}
                  </th>
                  {layout.columns.map((c, ci) => {
                    const v = cellValue(model.sums, r, c);
                    const total = c.depth === 0 || r.depth === 0;
                    return (
                      <td key={`${c.id}-${ci}`} className={`num${total ? " pivot-total" : ""}`} data-testid={`pivot-cell-${ri}-${ci}`} data-count={v}>
                        {v > 0 ? (
                          <button type="button" className="pivot-cell" onClick={() => drill(r, c)} aria-label={t("permits.openCell", { n: f.number(v), row: label("row", r), col: label("col", c) })}>
                            {f.number(v)}
                          </button>
                        ) : null}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

/** "+" on the deepest header: group that axis one level deeper by a chosen field. */
function AddLevel({ label, exclude, onPick, testId }: { label: string; exclude: GroupBy[]; onPick: (g: GroupBy) => void; testId?: string }) {
  const { t } = useTranslation();
  const l = usePermitLabels();
  const taken = (g: GroupBy) => exclude.some((e) => sameGroupBy(e, g));
  const item = (g: GroupBy, text: string, close: () => void) =>
    taken(g) ? null : (
      <button
        key={encodeGroupBy(g)}
        type="button"
        role="menuitem"
        className="menu-item"
        onClick={() => {
          close();
          onPick(g);
        }}
        data-testid={`pivot-pick-${encodeGroupBy(g)}`}
      >
        <span className="menu-tick" />
        <span className="menu-label">{text}</span>
      </button>
    );
  return (
    <span className="pivot-add">
      <Menu
        label={t("permits.groupHeaderBy", { name: label })}
        testId={testId}
        triggerClass="pivot-toggle"
        trigger={
          <>
            <Icon name="plus" size={12} />
            <span>{label}</span>
          </>
        }
      >
        {(close) => (
          <>
            <MenuGroup>{PERMIT_FIELDS.filter((f) => !isDateField(f)).map((f) => item(makeGroupBy(f), l.field(f), close))}</MenuGroup>
            {PERMIT_FIELDS.filter(isDateField).map((f) => (
              <MenuGroup key={f} label={l.field(f)}>
                {DATE_INTERVALS.map((iv) => item(makeGroupBy(f, iv), t(`permits.interval.${iv}`), close))}
              </MenuGroup>
            ))}
          </>
        )}
      </Menu>
    </span>
  );
}
