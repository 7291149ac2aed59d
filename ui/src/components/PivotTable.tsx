// The pivot view both the permit and the e-invoice screens show: row and column group-bys, the
// measures per cell, headers that expand and collapse (and group one level deeper from the
// deepest), totals, swap axes, a click on a cell opens its records in the list, and an export of
// exactly what is shown. Each screen passes what is its own: fields, labels, query, measures.
import { useMemo, useRef, useState, type ComponentType, type ReactNode } from "react";
import type { UseQueryResult } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useExportTable } from "../api/queries";
import type { DateInterval, ExportFormat } from "../api/types";
import {
  buildTree,
  cellValues,
  collapseAll,
  collapseForNewLevel,
  columnLayout,
  isExpanded,
  measureValue,
  shownTable,
  sumIndex,
  toggleCollapsed,
  visibleRows,
  type Comparator,
  type Key,
  type PivotCellOf,
  type PivotNode,
} from "../lib/pivot";
import { useFormat } from "../lib/useFormat";
import { ErrorBox, asApiError } from "./ErrorBox";
import { Icon } from "./Icon";
import { Menu, MenuGroup } from "./Menu";
import { useToast } from "./Toast";

type Axis = "row" | "col";
type AxisState = { key: string; collapsed: ReadonlySet<string> };
const NONE: ReadonlySet<string> = new Set();

export type PivotGroupBy<F extends string> = { field: F; interval: DateInterval | null };

/** What a screen's search model says about its group-by fields. */
export type PivotFieldSet<F extends string, G extends PivotGroupBy<F>> = {
  fields: readonly F[];
  isDateField: (field: F) => boolean;
  intervals: readonly DateInterval[];
  groupBy: (field: F, interval?: DateInterval | null) => G;
  encode: (g: G) => string;
  same: (a: G, b: G) => boolean;
  /** How the keys of a field are ordered along an axis. */
  compare: (field: F) => Comparator;
};

export type PivotLabels<F extends string, G extends PivotGroupBy<F>> = {
  field: (field: F) => string;
  groupBy: (g: G) => string;
  key: (g: G, key: Key) => string;
};

export type GroupByMenuProps<G> = { label: string; value: G[]; onChange: (next: G[]) => void; exclude?: G[]; testId?: string };

export type PivotData<M extends string> = { cells: readonly PivotCellOf<M>[]; too_many: boolean; total: number };

export type PivotTableProps<F extends string, G extends PivotGroupBy<F>, M extends string> = {
  /** The screen's translation namespace: its texts have the same keys in both. */
  ns: "permits" | "einvoices";
  fieldSet: PivotFieldSet<F, G>;
  labels: PivotLabels<F, G>;
  GroupByMenu: ComponentType<GroupByMenuProps<G>>;
  rows: G[];
  cols: G[];
  /** Writes new axes into the search. */
  onAxes: (rows: G[], cols: G[]) => void;
  pivot: UseQueryResult<PivotData<M>>;
  /** Every measure the cells carry (all are summed), and the ones shown, in order. */
  allMeasures: readonly M[];
  measures: readonly M[];
  measureLabel: (m: M) => string;
  formatValue: (m: M, value: number) => string;
  /** The toolbar's measure picker (or the one measure there is). */
  measureControl: ReactNode;
  /** A note under the toolbar. */
  note?: ReactNode;
  exportLabels: Record<ExportFormat, string>;
  exportFileName: string;
  /** The exported table's top-left cell. */
  exportCorner: string;
  /** Opens the records of a cell: the row header's keys, then the column header's. */
  onDrill: (keys: Array<{ group_by: G; key: Key }>) => void;
  /**
   * Count-only cells (permits) keep the ids they had before measures, "pivot-cell-<row>-<col>"
   * with data-count; other cells are "pivot-cell-<row>-<col>-<measure>" with data-value.
   */
  countOnly?: boolean;
};

export function PivotTable<F extends string, G extends PivotGroupBy<F>, M extends string>(props: PivotTableProps<F, G, M>) {
  const { ns, fieldSet, labels: l, GroupByMenu, rows, cols, onAxes, pivot, allMeasures, measures, measureLabel, formatValue, countOnly } = props;
  const { t } = useTranslation();
  const f = useFormat();
  const toast = useToast();
  const exporter = useExportTable();
  const fieldsKey = (fields: readonly G[]) => fields.map(fieldSet.encode).join(",");

  // What the data on screen was computed for (while a new grouping loads, the old one stays).
  const shown = useRef<{ result: PivotData<M>; rows: G[]; cols: G[] } | null>(null);
  if (pivot.data && !pivot.isPlaceholderData) shown.current = { result: pivot.data, rows, cols };
  const data = shown.current;

  const [rowState, setRowState] = useState<AxisState>({ key: fieldsKey(rows), collapsed: NONE });
  const [colState, setColState] = useState<AxisState>({ key: fieldsKey(cols), collapsed: NONE });
  const rowCollapsed = rowState.key === fieldsKey(data?.rows ?? rows) ? rowState.collapsed : NONE;
  const colCollapsed = colState.key === fieldsKey(data?.cols ?? cols) ? colState.collapsed : NONE;

  const model = useMemo(() => {
    if (!data || data.result.too_many) return null;
    const cells = data.result.cells;
    return {
      rowRoot: buildTree(cells, "row", data.rows, fieldSet.compare),
      colRoot: buildTree(cells, "col", data.cols, fieldSet.compare),
      sums: sumIndex(cells, data.rows.length, data.cols.length, allMeasures),
    };
  }, [data, fieldSet.compare, allMeasures]);

  const label = (axis: Axis, n: PivotNode): string => {
    if (n.depth === 0) return t(`${ns}.total`);
    const fields = axis === "row" ? (data?.rows ?? rows) : (data?.cols ?? cols);
    return l.key(fields[n.depth - 1]!, n.key);
  };

  const setFields = (axis: Axis, next: G[], collapsed: ReadonlySet<string> = NONE) => {
    if (axis === "row") {
      setRowState({ key: fieldsKey(next), collapsed });
      onAxes(next, cols);
    } else {
      setColState({ key: fieldsKey(next), collapsed });
      onAxes(rows, next);
    }
  };

  const onHeader = (axis: Axis, node: PivotNode) => {
    const collapsed = axis === "row" ? rowCollapsed : colCollapsed;
    (axis === "row" ? setRowState : setColState)({ key: fieldsKey(axis === "row" ? rows : cols), collapsed: toggleCollapsed(collapsed, node) });
  };

  const addLevel = (axis: Axis, node: PivotNode, root: PivotNode, g: G) => {
    const fields = axis === "row" ? rows : cols;
    setFields(axis, [...fields, g], collapseForNewLevel(root, axis === "row" ? rowCollapsed : colCollapsed, node));
  };

  const swap = () => {
    setRowState({ key: fieldsKey(cols), collapsed: colCollapsed });
    setColState({ key: fieldsKey(rows), collapsed: rowCollapsed });
    onAxes(cols, rows);
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
    const table = shownTable(shownRows, layout.columns, measures, model.sums, label, measureLabel, props.exportCorner);
    try {
      const path = await exporter.mutateAsync({ file_name: props.exportFileName, format, columns: table.columns, rows: table.rows });
      toast.show(t(`${ns}.exported`, { path }));
    } catch (e) {
      toast.show(t(`${ns}.exportFailed`, { reason: asApiError(e).message }), "critical");
    }
  };

  const drill = (r: PivotNode, c: PivotNode) => {
    if (!data) return;
    const keysOf = (fields: G[], path: Key[]) => path.map((key, i) => ({ group_by: fields[i]!, key }));
    props.onDrill([...keysOf(data.rows, r.path), ...keysOf(data.cols, c.path)]);
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
          aria-label={expanded ? t(`${ns}.collapseHeader`, { name }) : t(`${ns}.expandHeader`, { name })}
          onClick={() => onHeader(axis, node)}
          data-testid={`pivot-toggle-${axis}-${node.id}`}
        >
          <Icon name={expanded ? "minus" : "plus"} size={12} />
          <span>{name}</span>
        </button>
      );
    }
    if (node.depth < fields.length) return <span className="pivot-label">{name}</span>;
    return (
      <AddLevel
        ns={ns}
        fieldSet={fieldSet}
        labels={l}
        label={name}
        exclude={[...fields, ...other]}
        onPick={(g) => addLevel(axis, node, root, g)}
        testId={`pivot-add-${axis}-${node.id}`}
      />
    );
  };

  const allFields = [...rows.map((g) => ({ axis: "row" as const, g })), ...cols.map((g) => ({ axis: "col" as const, g }))];
  const exportButton = (format: ExportFormat) => (
    <button type="button" className="btn btn-secondary btn-sm" onClick={() => void onExport(format)} disabled={!model || exporter.isPending} data-testid={`pivot-export-${format}`}>
      <Icon name="download" size={14} />
      {props.exportLabels[format]}
    </button>
  );

  return (
    <div className="pivot-view">
      <div className="pivot-toolbar">
        {props.measureControl}
        <GroupByMenu label={t(`${ns}.pivotRows`)} value={rows} onChange={(next) => setFields("row", next)} exclude={cols} testId="pivot-rows" />
        <GroupByMenu label={t(`${ns}.pivotCols`)} value={cols} onChange={(next) => setFields("col", next)} exclude={rows} testId="pivot-cols" />
        <button type="button" className="btn btn-secondary btn-sm" onClick={swap} data-testid="pivot-swap" title={t(`${ns}.swapAxes`)}>
          <Icon name="swap" size={14} />
          {t(`${ns}.swapAxes`)}
        </button>
        <button type="button" className="btn btn-secondary btn-sm" onClick={expandAll} data-testid="pivot-expand-all">
          {t(`${ns}.expandAll`)}
        </button>
        <button type="button" className="btn btn-secondary btn-sm" onClick={collapseEverything} data-testid="pivot-collapse-all">
          {t(`${ns}.collapseAll`)}
        </button>
        <span className="toolbar-gap" />
        {exportButton("csv")}
        {exportButton("xlsx")}
      </div>
      {props.note}

      {pivot.isError ? <ErrorBox error={pivot.error} onRetry={() => void pivot.refetch()} /> : null}
      {pivot.isPending && !data ? <p className="muted">{t("common.loading")}</p> : null}

      {data?.result.too_many ? (
        <div className="alert alert-warning" role="alert" data-testid="pivot-too-many">
          <Icon name="alert" size={18} />
          <div className="alert-body">
            <strong>{t(`${ns}.tooManyTitle`)}</strong>
            <p>{t(`${ns}.tooManyBody`, { n: f.number(data.result.total) })}</p>
            <ul className="chip-list">
              {allFields.map(({ axis, g }) => (
                <li key={`${axis}-${fieldSet.encode(g)}`}>
                  <button
                    type="button"
                    className="chip"
                    onClick={() => setFields(axis, (axis === "row" ? rows : cols).filter((x) => !fieldSet.same(x, g)))}
                    aria-label={t(`${ns}.removeGroupBy`, { name: l.groupBy(g) })}
                  >
                    {axis === "row" ? t(`${ns}.pivotRows`) : t(`${ns}.pivotCols`)}: {l.groupBy(g)}
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
                      colSpan={h.colSpan * measures.length}
                      rowSpan={h.rowSpan}
                      scope="col"
                      className={`pivot-col-head${h.node.depth === 0 && j > 0 ? " pivot-total-head" : ""}`}
                    >
                      {h.node.depth === 0 && j > 0 ? <span className="pivot-label">{t(`${ns}.total`)}</span> : headerButton("col", h.node, model.colRoot)}
                    </th>
                  ))}
                </tr>
              ))}
              <tr>
                {layout.columns.flatMap((c, j) =>
                  measures.map((m) => (
                    <th key={`m${c.id}-${j}-${m}`} className="pivot-measure-head" scope="col">
                      {measureLabel(m)}
                    </th>
                  )),
                )}
              </tr>
            </thead>
            <tbody>
              {shownRows.map((r, ri) => (
                <tr key={r.id} className={r.depth === 0 ? "pivot-total-row" : undefined}>
                  <th scope="row" className="pivot-row-head" style={{ paddingLeft: 8 + r.depth * 18 }}>
                    {headerButton("row", r, model.rowRoot)}
                  </th>
                  {layout.columns.flatMap((c, ci) => {
                    const v = cellValues(model.sums, r, c);
                    // Every pivot counts: a cell with no records has nothing to open.
                    const count = v["count" as M];
                    const total = c.depth === 0 || r.depth === 0;
                    return measures.map((m) => {
                      const value = measureValue(v, m);
                      const ids = countOnly ? { "data-testid": `pivot-cell-${ri}-${ci}`, "data-count": value } : { "data-testid": `pivot-cell-${ri}-${ci}-${m}`, "data-value": value };
                      return (
                        <td key={`${c.id}-${ci}-${m}`} className={`num${total ? " pivot-total" : ""}`} {...ids}>
                          {count > 0 ? (
                            <button
                              type="button"
                              className="pivot-cell"
                              onClick={() => drill(r, c)}
                              aria-label={t(`${ns}.openCell`, { n: f.number(count), row: label("row", r), col: label("col", c) })}
                            >
                              {formatValue(m, value)}
                            </button>
                          ) : null}
                        </td>
                      );
                    });
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
function AddLevel<F extends string, G extends PivotGroupBy<F>>({
  ns,
  fieldSet,
  labels: l,
  label,
  exclude,
  onPick,
  testId,
}: {
  ns: PivotTableProps<F, G, string>["ns"];
  fieldSet: PivotFieldSet<F, G>;
  labels: PivotLabels<F, G>;
  label: string;
  exclude: G[];
  onPick: (g: G) => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const { fields, isDateField, groupBy } = fieldSet;
  const taken = (g: G) => exclude.some((e) => fieldSet.same(e, g));
  const item = (g: G, text: string, close: () => void) =>
    taken(g) ? null : (
      <button
        key={fieldSet.encode(g)}
        type="button"
        role="menuitem"
        className="menu-item"
        onClick={() => {
          close();
          onPick(g);
        }}
        data-testid={`pivot-pick-${fieldSet.encode(g)}`}
      >
        <span className="menu-tick" />
        <span className="menu-label">{text}</span>
      </button>
    );
  return (
    <span className="pivot-add">
      <Menu
        label={t(`${ns}.groupHeaderBy`, { name: label })}
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
            <MenuGroup>{fields.filter((x) => !isDateField(x)).map((x) => item(groupBy(x), l.field(x), close))}</MenuGroup>
            {fields.filter(isDateField).map((x) => (
              <MenuGroup key={x} label={l.field(x)}>
                {fieldSet.intervals.map((iv) => item(groupBy(x, iv), t(`${ns}.interval.${iv}`), close))}
              </MenuGroup>
            ))}
          </>
        )}
      </Menu>
    </span>
  );
}
