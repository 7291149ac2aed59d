// The graph view: bar, line or pie chart of the permit count over the search's first group-by,
// with the second group-by (if any) as series. A click on a bar, point or slice opens its permits.
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { EChartsCoreOption } from "echarts/core";
import { usePermitGroups, usePermitPivot } from "../../api/queries";
import type { GroupBy } from "../../api/types";
import { Chart, cssVar, useThemeVersion } from "../../components/Chart";
import { ChartTypeSwitcher, GraphBody, GraphCaption, chartOption, graphData, graphDrillKeys, type GraphData } from "../../components/GraphChart";
import { drillDown, groupBy as makeGroupBy, toFilter, type SearchState } from "../../lib/permitSearch";
import { keyComparator, type Key } from "../../lib/pivot";
import { useFormat } from "../../lib/useFormat";
import type { SearchUpdate } from "./SearchPanel";
import { usePermitLabels } from "./labels";

const EXPIRY_COLOUR: Record<string, string> = {
  ok: "--ok-fg",
  warning: "--warning-fg",
  critical: "--critical-fg",
  expired: "--muted-fg",
  unknown: "--border-strong",
};

const colourOf = (g: GroupBy, k: Key) => (g.field === "expiry_status" ? cssVar(EXPIRY_COLOUR[k ?? "unknown"] ?? "--border-strong") : undefined);

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
    if (s) return pivot.data && !pivot.data.too_many ? graphData(pivot.data.cells, x, s, keyComparator, "count") : null;
    if (!groups.data) return null;
    return graphData(groups.data.map((g) => ({ row: [g.key], col: [], count: g.count })), x, null, keyComparator, "count");
  }, [s, x, pivot.data, groups.data]);

  const option = useMemo<EChartsCoreOption | null>(() => {
    if (!data) return null;
    void themeVersion;
    return chartOption({
      data,
      type: state.graph,
      x,
      s,
      keyLabel: l.key,
      colourOf,
      valueName: t("permits.measureCount"),
      pieName: l.groupBy(x),
      pieLabel: "{b}: {c} ({d}%)",
      gridTop: 16,
      wholeNumbers: true,
    });
  }, [data, state.graph, x, s, l, t, themeVersion]);

  const onClick = (e: { seriesIndex: number; dataIndex: number }) => {
    if (data) update(drillDown(state, graphDrillKeys(data, x, s, state.graph, e)), { push: true });
  };

  const total = data ? data.series.reduce((n, se) => n + se.values.reduce((a, b) => a + b, 0), 0) : 0;

  return (
    <div className="graph-view">
      <div className="pivot-toolbar">
        <ChartTypeSwitcher ns="permits" value={state.graph} onChange={(graph) => update({ ...state, graph })} />
        <GraphCaption ns="permits" x={l.groupBy(x)} s={s ? l.groupBy(s) : null} hint={state.groupBy.length === 0} />
        <span className="toolbar-gap" />
        <span className="muted" data-testid="graph-total">
          {t("permits.total")}: {f.number(total)}
        </span>
      </div>
      <GraphBody ns="permits" query={query} tooMany={s != null && pivot.data?.too_many === true} empty={data != null && total === 0}>
        {option && total > 0 ? (
          <div className="graph-card" data-testid="permit-graph" data-chart={state.graph}>
            <Chart option={option} height={420} ariaLabel={t("permits.graphLabel", { x: l.groupBy(x) })} onClick={onClick} />
          </div>
        ) : null}
      </GraphBody>
    </div>
  );
}
