// What the permit and the e-invoice graph views share: the chart's data from grouped cells, the
// ECharts option for a bar, line or pie chart over it, the chart type switcher and the drill-down
// keys of a click.
import type { EChartsCoreOption } from "echarts/core";
import { useTranslation } from "react-i18next";
import { measureValue, type Comparator, type Key, type PivotCellOf } from "../lib/pivot";
import { cssVar } from "./Chart";
import { EmptyState } from "./EmptyState";
import { ErrorBox } from "./ErrorBox";
import { Icon, type IconName } from "./Icon";

export type GraphType = "bar" | "line" | "pie";

export const CHART_TYPES: Array<[GraphType, IconName]> = [
  ["bar", "viewGraph"],
  ["line", "chartLine"],
  ["pie", "chartPie"],
];

/** The graph's data: categories along the axis, and one row of values per series. */
export type GraphData = { categories: Key[]; series: Array<{ key: Key; values: number[] }> };

/**
 * Sums one measure of the cells by their first row key (the categories) and first column key
 * (the series; one series when there is no second group-by).
 */
export function graphData<F extends string, M extends string>(
  cells: readonly PivotCellOf<M>[],
  x: { field: F },
  s: { field: F } | null,
  compare: (field: F) => Comparator,
  measure: M | "count",
): GraphData {
  const categories = [...new Set(cells.map((c) => c.row[0] ?? null))].sort(compare(x.field));
  const seriesKeys = s ? [...new Set(cells.map((c) => c.col[0] ?? null))].sort(compare(s.field)) : [null];
  const series = seriesKeys.map((key) => ({
    key,
    values: categories.map((cat) => {
      const v = cells.filter((c) => (c.row[0] ?? null) === cat && (!s || (c.col[0] ?? null) === key)).reduce((n, c) => n + c[measure], 0);
      return measureValue({ [measure]: v } as Record<M | "count", number>, measure);
    }),
  }));
  return { categories, series };
}

/** A bar, point or slice's group keys: its category, and (but in a pie) its series. */
export function graphDrillKeys<G>(data: GraphData, x: G, s: G | null, type: GraphType, e: { seriesIndex: number; dataIndex: number }): Array<{ group_by: G; key: Key }> {
  const keys = [{ group_by: x, key: data.categories[e.dataIndex] ?? null }];
  if (s && type !== "pie") keys.push({ group_by: s, key: data.series[e.seriesIndex]?.key ?? null });
  return keys;
}

export type ChartSpec<G> = {
  data: GraphData;
  type: GraphType;
  x: G;
  s: G | null;
  keyLabel: (g: G, key: Key) => string;
  /** The colour a key has elsewhere (badges, kanban bars), if it has one. */
  colourOf: (g: G, key: Key) => string | undefined;
  /** The measure's name: the value axis, and the series when there is no second group-by. */
  valueName: string;
  pieName: string;
  /** The slices' label, in ECharts' template ("{b}: {d}%"). */
  pieLabel: string;
  /** Room above the plot when there is no legend. */
  gridTop: number;
  /** Whole numbers only on the value axis (counts). */
  wholeNumbers: boolean;
  /** How the tooltip and the value axis show values (ECharts' own when not given). */
  tooltipValue?: (v: number) => string;
  axisValue?: (v: number) => string;
};

export function chartOption<G>({ data, type, x, s, keyLabel, colourOf, valueName, pieName, pieLabel, gridTop, wholeNumbers, tooltipValue, axisValue }: ChartSpec<G>): EChartsCoreOption {
  const names = data.categories.map((k) => keyLabel(x, k));
  const base = {
    aria: { enabled: true },
    tooltip: { trigger: type === "pie" ? "item" : "axis", ...(tooltipValue ? { valueFormatter: tooltipValue } : {}) },
    animationDuration: 300,
  };
  if (type === "pie") {
    const totals = data.categories.map((_, i) => data.series.reduce((n, se) => n + (se.values[i] ?? 0), 0));
    return {
      ...base,
      legend: { type: "scroll", bottom: 0 },
      series: [
        {
          type: "pie",
          radius: ["35%", "68%"],
          name: pieName,
          data: names.map((name, i) => {
            const colour = colourOf(x, data.categories[i] ?? null);
            return { name, value: totals[i], itemStyle: colour ? { color: colour } : undefined };
          }),
          label: { formatter: pieLabel, color: cssVar("--text"), textBorderWidth: 0 },
        },
      ],
    };
  }
  return {
    ...base,
    legend: s ? { type: "scroll", top: 0 } : undefined,
    grid: { left: 8, right: 16, top: s ? 36 : gridTop, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: names, axisLabel: { interval: 0, hideOverlap: true } },
    yAxis: { type: "value", minInterval: wholeNumbers ? 1 : undefined, name: valueName, ...(axisValue ? { axisLabel: { formatter: axisValue } } : {}) },
    series: data.series.map((se) => ({
      type,
      name: s ? keyLabel(s, se.key) : valueName,
      stack: type === "bar" && s ? "total" : undefined,
      data: se.values.map((v, i) => {
        const colour = s ? colourOf(s, se.key) : colourOf(x, data.categories[i] ?? null);
        return colour && type === "bar" ? { value: v, itemStyle: { color: colour } } : v;
      }),
      itemStyle: s && colourOf(s, se.key) ? { color: colourOf(s, se.key) } : undefined,
      emphasis: { focus: "series" },
    })),
  };
}

/** Bar, line or pie: the graph views' switcher (ns: the screen's translation namespace). */
export function ChartTypeSwitcher({ ns, value, onChange }: { ns: "permits" | "einvoices"; value: GraphType; onChange: (type: GraphType) => void }) {
  const { t } = useTranslation();
  return (
    <div className="view-switcher" role="group" aria-label={t(`${ns}.chartType`)}>
      {CHART_TYPES.map(([type, icon]) => (
        <button
          key={type}
          type="button"
          className={`btn-icon view-button${value === type ? " active" : ""}`}
          aria-pressed={value === type}
          aria-label={t(`${ns}.chart.${type}`)}
          title={t(`${ns}.chart.${type}`)}
          onClick={() => onChange(type)}
          data-testid={`graph-type-${type}`}
        >
          <Icon name={icon} size={18} />
        </button>
      ))}
    </div>
  );
}


/** "By state · series by type", and the hint when the search groups by nothing. */
export function GraphCaption({ ns, x, s, hint }: { ns: "permits" | "einvoices"; x: string; s: string | null; hint: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <span className="muted">
        {t(`${ns}.graphOver`, { x })}
        {s ? ` · ${t(`${ns}.graphSeries`, { s })}` : ""}
      </span>
      {hint ? <span className="muted small">{t(`${ns}.graphHint`)}</span> : null}
    </>
  );
}

/** What stands where the chart goes: an error, the too-many warning, loading, no match, or the chart. */
export function GraphBody({
  ns,
  query,
  tooMany,
  empty,
  children,
}: {
  ns: "permits" | "einvoices";
  query: { isError: boolean; error: unknown; isPending: boolean; refetch: () => unknown };
  tooMany: boolean;
  empty: boolean;
  /** The chart, when there is something to chart. */
  children: React.ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <>
      {query.isError ? <ErrorBox error={query.error} onRetry={() => void query.refetch()} /> : null}
      {tooMany ? (
        <div className="alert alert-warning" role="alert">
          <Icon name="alert" size={18} />
          <div className="alert-body">
            <strong>{t(`${ns}.tooManyTitle`)}</strong>
          </div>
        </div>
      ) : null}
      {query.isPending ? <p className="muted">{t("common.loading")}</p> : null}
      {empty ? <EmptyState icon="viewGraph" title={t(`${ns}.noMatchTitle`)} body={t(`${ns}.noMatchBody`)} /> : null}
      {children}
    </>
  );
}
