// The graph view: bar, line or pie chart of the document count or summed total over the
// search's first group-by (state when none), with the second group-by (if any) as series.
// A click on a bar, point or slice opens its documents in the list.
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { EChartsCoreOption } from "echarts/core";
import type { EinvoiceGroupBy, EinvoiceGroupKey } from "../../api/types";
import { Chart, cssVar, useThemeVersion } from "../../components/Chart";
import { EmptyState } from "../../components/EmptyState";
import { ErrorBox } from "../../components/ErrorBox";
import { Icon, type IconName } from "../../components/Icon";
import { useFormat } from "../../lib/useFormat";
import { STATE_COLOUR, TYPE_COLOUR, isDocumentState, useEinvoiceLabels } from "./labels";
import { keyComparator, type Key } from "./pivot";
import { useEinvoiceGroups, useEinvoicePivot } from "./queries";
import type { SearchUpdate } from "./SearchPanel";
import { drillDown, groupBy as makeGroupBy, toFilter, type GraphMeasure, type GraphType, type SearchState } from "./search";

const TYPES: Array<[GraphType, IconName]> = [
  ["bar", "viewGraph"],
  ["line", "chartLine"],
  ["pie", "chartPie"],
];

type Cell = { row: Key[]; col: Key[]; count: number; total: number };
export type GraphData = { categories: Key[]; series: Array<{ key: Key; values: number[] }> };

export function graphData(cells: readonly Cell[], x: EinvoiceGroupBy, s: EinvoiceGroupBy | null, measure: GraphMeasure): GraphData {
  const categories = [...new Set(cells.map((c) => c.row[0] ?? null))].sort(keyComparator(x.field));
  const seriesKeys = s ? [...new Set(cells.map((c) => c.col[0] ?? null))].sort(keyComparator(s.field)) : [null];
  const value = (c: Cell) => (measure === "count" ? c.count : c.total);
  const series = seriesKeys.map((key) => ({
    key,
    values: categories.map((cat) => {
      const v = cells.filter((c) => (c.row[0] ?? null) === cat && (!s || (c.col[0] ?? null) === key)).reduce((n, c) => n + value(c), 0);
      return measure === "count" ? v : Math.round(v * 100) / 100;
    }),
  }));
  return { categories, series };
}

/** The colour a group key has elsewhere (state badges, kanban bars), if it has one. */
function colourOf(g: EinvoiceGroupBy, k: Key): string | undefined {
  if (g.field === "state" && k && isDocumentState(k)) return cssVar(STATE_COLOUR[k]);
  if (g.field === "doc_type" && k && TYPE_COLOUR[k]) return cssVar(TYPE_COLOUR[k]);
  return undefined;
}

export function GraphView({ state, update }: { state: SearchState; update: SearchUpdate }) {
  const { t } = useTranslation();
  const f = useFormat();
  const l = useEinvoiceLabels();
  const themeVersion = useThemeVersion();
  const filter = useMemo(() => toFilter(state), [state]);
  const x = state.groupBy[0] ?? makeGroupBy("state");
  const s = state.groupBy[1] ?? null;
  const measure = state.graphMeasure;
  const groups = useEinvoiceGroups(filter, x, s == null);
  const pivot = useEinvoicePivot({ filter, rows: [x], cols: s ? [s] : [] }, s != null);
  const query = s ? pivot : groups;

  const data = useMemo<GraphData | null>(() => {
    if (s) return pivot.data && !pivot.data.too_many ? graphData(pivot.data.cells, x, s, measure) : null;
    if (!groups.data) return null;
    return graphData(groups.data.map((g) => ({ row: [g.key], col: [], count: g.count, total: g.total })), x, null, measure);
  }, [s, x, pivot.data, groups.data, measure]);

  const measureName = t(`einvoices.measure.${measure}`);
  const option = useMemo<EChartsCoreOption | null>(() => {
    if (!data) return null;
    void themeVersion;
    const names = data.categories.map((k) => l.key(x, k));
    const valueFmt = (v: number) => (measure === "count" ? f.number(v) : l.sum(v));
    const base = {
      aria: { enabled: true },
      tooltip: { trigger: state.graph === "pie" ? "item" : "axis", valueFormatter: (v: number) => valueFmt(v) },
      animationDuration: 300,
    };
    if (state.graph === "pie") {
      const totals = data.categories.map((_, i) => data.series.reduce((n, se) => n + (se.values[i] ?? 0), 0));
      return {
        ...base,
        legend: { type: "scroll", bottom: 0 },
        series: [
          {
            type: "pie",
            radius: ["35%", "68%"],
            name: measureName,
            data: names.map((name, i) => {
              const colour = colourOf(x, data.categories[i] ?? null);
              return { name, value: totals[i], itemStyle: colour ? { color: colour } : undefined };
            }),
            label: { formatter: "{b}: {d}%", color: cssVar("--text"), textBorderWidth: 0 },
          },
        ],
      };
    }
    return {
      ...base,
      legend: s ? { type: "scroll", top: 0 } : undefined,
      grid: { left: 8, right: 16, top: s ? 36 : 24, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: names, axisLabel: { interval: 0, hideOverlap: true } },
      yAxis: { type: "value", minInterval: measure === "count" ? 1 : undefined, name: measureName, axisLabel: { formatter: (v: number) => (measure === "count" ? f.number(v) : f.number(v)) } },
      series: data.series.map((se) => ({
        type: state.graph,
        name: s ? l.key(s, se.key) : measureName,
        stack: state.graph === "bar" && s ? "total" : undefined,
        data: se.values.map((v, i) => {
          const colour = s ? colourOf(s, se.key) : colourOf(x, data.categories[i] ?? null);
          return colour && state.graph === "bar" ? { value: v, itemStyle: { color: colour } } : v;
        }),
        itemStyle: s && colourOf(s, se.key) ? { color: colourOf(s, se.key) } : undefined,
        emphasis: { focus: "series" },
      })),
    };
  }, [data, state.graph, x, s, l, f, measure, measureName, themeVersion]);

  const onClick = (e: { seriesIndex: number; dataIndex: number }) => {
    if (!data) return;
    const keys: EinvoiceGroupKey[] = [{ group_by: x, key: data.categories[e.dataIndex] ?? null }];
    if (s && state.graph !== "pie") keys.push({ group_by: s, key: data.series[e.seriesIndex]?.key ?? null });
    update(drillDown(state, keys), { push: true });
  };

  const total = data ? data.series.reduce((n, se) => n + se.values.reduce((a, b) => a + b, 0), 0) : 0;
  const count = s ? (pivot.data?.total ?? 0) : (groups.data ?? []).reduce((n, g) => n + g.count, 0);

  return (
    <div className="graph-view">
      <div className="pivot-toolbar">
        <div className="view-switcher" role="group" aria-label={t("einvoices.chartType")}>
          {TYPES.map(([type, icon]) => (
            <button
              key={type}
              type="button"
              className={`btn-icon view-button${state.graph === type ? " active" : ""}`}
              aria-pressed={state.graph === type}
              aria-label={t(`einvoices.chart.${type}`)}
              title={t(`einvoices.chart.${type}`)}
              onClick={() => update({ ...state, graph: type })}
              data-testid={`graph-type-${type}`}
            >
              <Icon name={icon} size={18} />
            </button>
          ))}
        </div>
        <label className="stack-h">
          <span className="muted">{t("einvoices.graphMeasure")}</span>
          <select value={measure} onChange={(e) => update({ ...state, graphMeasure: e.target.value as GraphMeasure })} data-testid="graph-measure">
            <option value="count">{t("einvoices.measure.count")}</option>
            <option value="total">{t("einvoices.measure.total")}</option>
          </select>
        </label>
        <span className="muted">
          {t("einvoices.graphOver", { x: l.groupBy(x) })}
          {s ? ` · ${t("einvoices.graphSeries", { s: l.groupBy(s) })}` : ""}
        </span>
        {state.groupBy.length === 0 ? <span className="muted small">{t("einvoices.graphHint")}</span> : null}
        <span className="toolbar-gap" />
        <span className="muted" data-testid="graph-total">
          {t("einvoices.total")}: {measure === "count" ? f.number(total) : l.sum(total)}
        </span>
      </div>
      {measure === "total" && x.field !== "currency" && s?.field !== "currency" ? (
        <p className="muted small pivot-note">
          <Icon name="info" size={13} /> {t("einvoices.sumHint")}
        </p>
      ) : null}
      {query.isError ? <ErrorBox error={query.error} onRetry={() => void query.refetch()} /> : null}
      {s && pivot.data?.too_many ? (
        <div className="alert alert-warning" role="alert">
          <Icon name="alert" size={18} />
          <div className="alert-body">
            <strong>{t("einvoices.tooManyTitle")}</strong>
          </div>
        </div>
      ) : null}
      {query.isPending ? <p className="muted">{t("common.loading")}</p> : null}
      {data && count === 0 ? <EmptyState icon="viewGraph" title={t("einvoices.noMatchTitle")} body={t("einvoices.noMatchBody")} /> : null}
      {option && count > 0 ? (
        <div className="graph-card" data-testid="einvoice-graph" data-chart={state.graph} data-measure={measure}>
          <Chart option={option} height={420} ariaLabel={t("einvoices.graphLabel", { x: l.groupBy(x), measure: measureName })} onClick={onClick} />
        </div>
      ) : null}
    </div>
  );
}
