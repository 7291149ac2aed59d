// The graph view: bar, line or pie chart of the permit count over the search's first group-by,
// with the second group-by (if any) as series. A click on a bar, point or slice opens its permits.
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { EChartsCoreOption } from "echarts/core";
import { usePermitGroups, usePermitPivot } from "../../api/queries";
import type { GroupBy, GroupKey } from "../../api/types";
import { Chart, cssVar, useThemeVersion } from "../../components/Chart";
import { EmptyState } from "../../components/EmptyState";
import { ErrorBox } from "../../components/ErrorBox";
import { Icon, type IconName } from "../../components/Icon";
import { drillDown, groupBy as makeGroupBy, toFilter, type GraphType, type SearchState } from "../../lib/permitSearch";
import { keyComparator, type Key } from "../../lib/pivot";
import { useFormat } from "../../lib/useFormat";
import type { SearchUpdate } from "./SearchPanel";
import { usePermitLabels } from "./labels";

const TYPES: Array<[GraphType, IconName]> = [
  ["bar", "viewGraph"],
  ["line", "chartLine"],
  ["pie", "chartPie"],
];

const EXPIRY_COLOUR: Record<string, string> = {
  ok: "--ok-fg",
  warning: "--warning-fg",
  critical: "--critical-fg",
  expired: "--muted-fg",
  unknown: "--border-strong",
};

/** The graph's data: categories along the axis, and one row of counts per series. */
export type GraphData = { categories: Key[]; series: Array<{ key: Key; values: number[] }> };

export function graphData(cells: Array<{ row: Key[]; col: Key[]; count: number }>, x: GroupBy, s: GroupBy | null): GraphData {
  const cx = keyComparator(x.field);
  const categories = [...new Set(cells.map((c) => c.row[0] ?? null))].sort(cx);
  const seriesKeys = s ? [...new Set(cells.map((c) => c.col[0] ?? null))].sort(keyComparator(s.field)) : [null];
  const series = seriesKeys.map((key) => ({
    key,
    values: categories.map((cat) =>
      cells.filter((c) => (c.row[0] ?? null) === cat && (!s || (c.col[0] ?? null) === key)).reduce((n, c) => n + c.count, 0),
    ),
  }));
  return { categories, series };
}

export function GraphView({ state, update }: { state: SearchState; update: SearchUpdate }) {
  const { t } = useTranslation();
  const f = useFormat();
  const l = usePermitLabels();
  const themeVersion = useThemeVersion();
  const filter = useMemo(() => toFilter(state), [state]);
  const x = state.groupBy[0] ?? makeGroupBy("expiry_status");
  const s = state.groupBy[1] ?? null;
  const groups = usePermitGroups(filter, x, s == null);
  const pivot = usePermitPivot({ filter, rows: [x], cols: s ? [s] : [] }, s != null);
  const query = s ? pivot : groups;

  const data = useMemo<GraphData | null>(() => {
    if (s) return pivot.data && !pivot.data.too_many ? graphData(pivot.data.cells, x, s) : null;
    if (!groups.data) return null;
    return graphData(groups.data.map((g) => ({ row: [g.key], col: [], count: g.count })), x, null);
  }, [s, x, pivot.data, groups.data]);

  const option = useMemo<EChartsCoreOption | null>(() => {
    if (!data) return null;
    void themeVersion;
    const names = data.categories.map((k) => l.key(x, k));
    const seriesName = (k: Key) => (s ? l.key(s, k) : t("permits.measureCount"));
    const colourOf = (g: GroupBy, k: Key) => (g.field === "expiry_status" ? cssVar(EXPIRY_COLOUR[k ?? "unknown"] ?? "--border-strong") : undefined);
    const base = { aria: { enabled: true }, tooltip: { trigger: state.graph === "pie" ? "item" : "axis" }, animationDuration: 300 };
    if (state.graph === "pie") {
      const totals = data.categories.map((_, i) => data.series.reduce((n, se) => n + (se.values[i] ?? 0), 0));
      return {
        ...base,
        legend: { type: "scroll", bottom: 0 },
        series: [
          {
            type: "pie",
            radius: ["35%", "68%"],
            name: l.groupBy(x),
            data: names.map((name, i) => ({ name, value: totals[i], itemStyle: colourOf(x, data.categories[i] ?? null) ? { color: colourOf(x, data.categories[i] ?? null) } : undefined })),
            label: { formatter: "{b}: {c} ({d}%)", color: cssVar("--text"), textBorderWidth: 0 },
          },
        ],
      };
    }
    return {
      ...base,
      legend: s ? { type: "scroll", top: 0 } : undefined,
      grid: { left: 8, right: 16, top: s ? 36 : 16, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: names, axisLabel: { interval: 0, hideOverlap: true } },
      yAxis: { type: "value", minInterval: 1, name: t("permits.measureCount") },
      series: data.series.map((se) => ({
        type: state.graph,
        name: seriesName(se.key),
        stack: state.graph === "bar" && s ? "total" : undefined,
        data: se.values.map((v, i) => {
          const colour = s ? colourOf(s, se.key) : colourOf(x, data.categories[i] ?? null);
          return colour && state.graph === "bar" ? { value: v, itemStyle: { color: colour } } : v;
        }),
        itemStyle: s && colourOf(s, se.key) ? { color: colourOf(s, se.key) } : undefined,
        emphasis: { focus: "series" },
      })),
    };
  }, [data, state.graph, x, s, l, t, themeVersion]);

  const onClick = (e: { seriesIndex: number; dataIndex: number }) => {
    if (!data) return;
    const keys: GroupKey[] = [{ group_by: x, key: data.categories[e.dataIndex] ?? null }];
    if (s && state.graph !== "pie") keys.push({ group_by: s, key: data.series[e.seriesIndex]?.key ?? null });
    update(drillDown(state, keys), { push: true });
  };

  const total = data ? data.series.reduce((n, se) => n + se.values.reduce((a, b) => a + b, 0), 0) : 0;

  return (
    <div className="graph-view">
      <div className="pivot-toolbar">
        <div className="view-switcher" role="group" aria-label={t("permits.chartType")}>
          {TYPES.map(([type, icon]) => (
            <button
              key={type}
              type="button"
              className={`btn-icon view-button${state.graph === type ? " active" : ""}`}
              aria-pressed={state.graph === type}
              aria-label={t(`permits.chart.${type}`)}
              title={t(`permits.chart.${type}`)}
              onClick={() => update({ ...state, graph: type })}
              data-testid={`graph-type-${type}`}
            >
              <Icon name={icon} size={18} />
            </button>
          ))}
        </div>
        <span className="muted">
          {t("permits.graphOver", { x: l.groupBy(x) })}
          {s ? ` · ${t("permits.graphSeries", { s: l.groupBy(s) })}` : ""}
        </span>
        {state.groupBy.length === 0 ? <span className="muted small">{t("permits.graphHint")}</span> : null}
        <span className="toolbar-gap" />
        <span className="muted" data-testid="graph-total">
          {t("permits.total")}: {f.number(total)}
        </span>
      </div>
      {query.isError ? <ErrorBox error={query.error} onRetry={() => void query.refetch()} /> : null}
      {s && pivot.data?.too_many ? (
        <div className="alert alert-warning" role="alert">
          <Icon name="alert" size={18} />
          <div className="alert-body">
            <strong>{t("permits.tooManyTitle")}</strong>
          </div>
        </div>
      ) : null}
      {query.isPending ? <p className="muted">{t("common.loading")}</p> : null}
      {data && total === 0 ? <EmptyState icon="viewGraph" title={t("permits.noMatchTitle")} body={t("permits.noMatchBody")} /> : null}
      {option && total > 0 ? (
        <div className="graph-card" data-testid="permit-graph" data-chart={state.graph}>
          <Chart option={option} height={420} ariaLabel={t("permits.graphLabel", { x: l.groupBy(x) })} onClick={onClick} />
        </div>
      ) : null}
    </div>
  );
}
