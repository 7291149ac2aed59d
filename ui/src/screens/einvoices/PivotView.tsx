// The pivot view: row and column group-bys, the chosen measures (count, total, tax) per cell,
// headers that expand and collapse, totals, swap axes, a click on a cell opens its documents in
// the list, and an export of exactly what is shown. Adapted from the permit pivot.
import { useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useExportTable } from "../../api/queries";
import type { EinvoiceGroupBy, EinvoicePivotResult, ExportFormat } from "../../api/types";
import { ErrorBox, asApiError } from "../../components/ErrorBox";
import { Icon } from "../../components/Icon";
import { Menu, MenuCheck, MenuGroup } from "../../components/Menu";
import { useToast } from "../../components/Toast";
import { useFormat } from "../../lib/useFormat";
import { useEinvoiceLabels } from "./labels";
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
  type PivotNode,
} from "./pivot";
import { useEinvoicePivot } from "./queries";
import { GroupByMenu, type SearchUpdate } from "./SearchPanel";
import {
  DATE_INTERVALS,
  EINVOICE_FIELDS,
  MEASURES,
  drillDown,
  encodeGroupBy,
  groupBy as makeGroupBy,
  isDateField,
  pathKeys,
  sameGroupBy,
  toFilter,
  type Measure,
  type SearchState,
} from "./search";

type Axis = "row" | "col";
type AxisState = { key: string; collapsed: ReadonlySet<string> };
const NONE: ReadonlySet<string> = new Set();
const fieldsKey = (fields: readonly EinvoiceGroupBy[]) => fields.map(encodeGroupBy).join(",");
/** Rows by state when the search groups by nothing: the question asked most. */
const DEFAULT_ROWS: EinvoiceGroupBy[] = [makeGroupBy("state")];

export function PivotView({ state, update }: { state: SearchState; update: SearchUpdate }) {
  const { t } = useTranslation();
  const f = useFormat();
  const l = useEinvoiceLabels();
  const toast = useToast();
  const exporter = useExportTable();
  const rows = state.groupBy.length || state.pivotCols.length ? state.groupBy : DEFAULT_ROWS;
  const cols = state.pivotCols;
  const measures = state.measures;
  const filter = useMemo(() => toFilter(state), [state]);
  const query = useMemo(() => ({ filter, rows, cols }), [filter, rows, cols]);
  const pivot = useEinvoicePivot(query);

  const shown = useRef<{ result: EinvoicePivotResult; rows: EinvoiceGroupBy[]; cols: EinvoiceGroupBy[] } | null>(null);
  if (pivot.data && !pivot.isPlaceholderData) shown.current = { result: pivot.data, rows, cols };
  const data = shown.current;

  const [rowState, setRowState] = useState<AxisState>({ key: fieldsKey(rows), collapsed: NONE });
  const [colState, setColState] = useState<AxisState>({ key: fieldsKey(cols), collapsed: NONE });
  const rowCollapsed = rowState.key === fieldsKey(data?.rows ?? rows) ? rowState.collapsed : NONE;
  const colCollapsed = colState.key === fieldsKey(data?.cols ?? cols) ? colState.collapsed : NONE;

  const model = useMemo(() => {
    if (!data || data.result.too_many) return null;
    const cells = data.result.cells;
    return { rowRoot: buildTree(cells, "row", data.rows), colRoot: buildTree(cells, "col", data.cols), sums: sumIndex(cells, data.rows.length, data.cols.length) };
  }, [data]);

  const label = (axis: Axis, n: PivotNode): string => {
    if (n.depth === 0) return t("einvoices.total");
    const fields = axis === "row" ? (data?.rows ?? rows) : (data?.cols ?? cols);
    return l.key(fields[n.depth - 1]!, n.key);
  };
  const measureLabel = (m: Measure) => t(`einvoices.measure.${m}`);

  const setFields = (axis: Axis, next: EinvoiceGroupBy[], collapsed: ReadonlySet<string> = NONE) => {
    if (axis === "row") {
      setRowState({ key: fieldsKey(next), collapsed });
      update({ ...state, groupBy: next, pivotCols: cols });
    } else {
      setColState({ key: fieldsKey(next), collapsed });
      update({ ...state, groupBy: rows, pivotCols: next });
    }
  };

  const onHeader = (axis: Axis, node: PivotNode) => {
    const collapsed = axis === "row" ? rowCollapsed : colCollapsed;
    (axis === "row" ? setRowState : setColState)({ key: fieldsKey(axis === "row" ? rows : cols), collapsed: toggleCollapsed(collapsed, node) });
  };

  const addLevel = (axis: Axis, node: PivotNode, root: PivotNode, g: EinvoiceGroupBy) => {
    const fields = axis === "row" ? rows : cols;
    setFields(axis, [...fields, g], collapseForNewLevel(root, axis === "row" ? rowCollapsed : colCollapsed, node));
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
    const table = shownTable(shownRows, layout.columns, measures, model.sums, label, measureLabel, t("einvoices.pivotCorner"));
    try {
      const path = await exporter.mutateAsync({ file_name: "e-invoices-pivot", format, columns: table.columns, rows: table.rows });
      toast.show(t("einvoices.exported", { path }));
    } catch (e) {
      toast.show(t("einvoices.exportFailed", { reason: asApiError(e).message }), "critical");
    }
  };

  const drill = (r: PivotNode, c: PivotNode) => {
    if (!data) return;
    update(drillDown({ ...state, groupBy: rows, pivotCols: cols }, [...pathKeys(data.rows, r.path), ...pathKeys(data.cols, c.path)]), { push: true });
  };

  const fmt = (m: Measure, v: number) => (m === "count" ? f.number(v) : l.sum(v));

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
          aria-label={expanded ? t("einvoices.collapseHeader", { name }) : t("einvoices.expandHeader", { name })}
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
  const mixedCurrencies = measures.some((m) => m !== "count") && ![...rows, ...cols].some((g) => g.field === "currency");

  return (
    <div className="pivot-view">
      <div className="pivot-toolbar">
        <Menu label={t("einvoices.measures")} icon="viewGraph" count={measures.length} testId="pivot-measures">
          <MenuGroup>
            {MEASURES.map((m) => (
              <MenuCheck
                key={m}
                checked={measures.includes(m)}
                onChange={() => {
                  const next = MEASURES.filter((x) => (x === m ? !measures.includes(m) : measures.includes(x)));
                  if (next.length) update({ ...state, measures: next });
                }}
                testId={`pivot-measure-${m}`}
              >
                {measureLabel(m)}
              </MenuCheck>
            ))}
          </MenuGroup>
        </Menu>
        <GroupByMenu label={t("einvoices.pivotRows")} value={rows} onChange={(next) => setFields("row", next)} exclude={cols} testId="pivot-rows" />
        <GroupByMenu label={t("einvoices.pivotCols")} value={cols} onChange={(next) => setFields("col", next)} exclude={rows} testId="pivot-cols" />
        <button type="button" className="btn btn-secondary btn-sm" onClick={swap} data-testid="pivot-swap" title={t("einvoices.swapAxes")}>
          <Icon name="swap" size={14} />
          {t("einvoices.swapAxes")}
        </button>
        <button type="button" className="btn btn-secondary btn-sm" onClick={expandAll} data-testid="pivot-expand-all">
          {t("einvoices.expandAll")}
        </button>
        <button type="button" className="btn btn-secondary btn-sm" onClick={collapseEverything} data-testid="pivot-collapse-all">
          {t("einvoices.collapseAll")}
        </button>
        <span className="toolbar-gap" />
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => void onExport("csv")} disabled={!model || exporter.isPending} data-testid="pivot-export-csv">
          <Icon name="download" size={14} />
          CSV
        </button>
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => void onExport("xlsx")} disabled={!model || exporter.isPending} data-testid="pivot-export-xlsx">
          <Icon name="download" size={14} />
          XLSX
        </button>
      </div>
      {mixedCurrencies ? (
        <p className="muted small pivot-note" data-testid="pivot-currency-note">
          <Icon name="info" size={13} /> {t("einvoices.sumHint")}
        </p>
      ) : null}

      {pivot.isError ? <ErrorBox error={pivot.error} onRetry={() => void pivot.refetch()} /> : null}
      {pivot.isPending && !data ? <p className="muted">{t("common.loading")}</p> : null}

      {data?.result.too_many ? (
        <div className="alert alert-warning" role="alert" data-testid="pivot-too-many">
          <Icon name="alert" size={18} />
          <div className="alert-body">
            <strong>{t("einvoices.tooManyTitle")}</strong>
            <p>{t("einvoices.tooManyBody", { n: f.number(data.result.total) })}</p>
            <ul className="chip-list">
              {allFields.map(({ axis, g }) => (
                <li key={`${axis}-${encodeGroupBy(g)}`}>
                  <button
                    type="button"
                    className="chip"
                    onClick={() => (axis === "row" ? setFields("row", rows.filter((x) => !sameGroupBy(x, g))) : setFields("col", cols.filter((x) => !sameGroupBy(x, g))))}
                    aria-label={t("einvoices.removeGroupBy", { name: l.groupBy(g) })}
                  >
                    {axis === "row" ? t("einvoices.pivotRows") : t("einvoices.pivotCols")}: {l.groupBy(g)}
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
                      {h.node.depth === 0 && j > 0 ? <span className="pivot-label">{t("einvoices.total")}</span> : headerButton("col", h.node, model.colRoot)}
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
                    const total = c.depth === 0 || r.depth === 0;
                    return measures.map((m) => {
                      const value = measureValue(v, m);
                      return (
                        <td key={`${c.id}-${ci}-${m}`} className={`num${total ? " pivot-total" : ""}`} data-testid={`pivot-cell-${ri}-${ci}-${m}`} data-value={value}>
                          {v.count > 0 ? (
                            <button
                              type="button"
                              className="pivot-cell"
                              onClick={() => drill(r, c)}
                              aria-label={t("einvoices.openCell", { n: f.number(v.count), row: label("row", r), col: label("col", c) })}
                            >
                              {fmt(m, value)}
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
function AddLevel({ label, exclude, onPick, testId }: { label: string; exclude: EinvoiceGroupBy[]; onPick: (g: EinvoiceGroupBy) => void; testId?: string }) {
  const { t } = useTranslation();
  const l = useEinvoiceLabels();
  const taken = (g: EinvoiceGroupBy) => exclude.some((e) => sameGroupBy(e, g));
  const item = (g: EinvoiceGroupBy, text: string, close: () => void) =>
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
        label={t("einvoices.groupHeaderBy", { name: label })}
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
            <MenuGroup>{EINVOICE_FIELDS.filter((x) => !isDateField(x)).map((x) => item(makeGroupBy(x), l.field(x), close))}</MenuGroup>
            {EINVOICE_FIELDS.filter(isDateField).map((x) => (
              <MenuGroup key={x} label={l.field(x)}>
                {DATE_INTERVALS.map((iv) => item(makeGroupBy(x, iv), t(`einvoices.interval.${iv}`), close))}
              </MenuGroup>
            ))}
          </>
        )}
      </Menu>
    </span>
  );
}
