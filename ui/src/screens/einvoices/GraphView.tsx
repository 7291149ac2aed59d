// The graph view: bar, line or pie chart of the document count or summed total over the
// search's first group-by (state when none), with the second group-by (if any) as series.
// A click on a bar, point or slice opens its documents in the list.
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { EChartsCoreOption } from "echarts/core";
import type { EinvoiceGroupBy } from "../../api/types";
import { Chart, cssVar, useThemeVersion } from "../../components/Chart";
import { ChartTypeSwitcher, GraphBody, GraphCaption, chartOption, graphData, graphDrillKeys, type GraphData } from "../../components/GraphChart";
import { Icon } from "../../components/Icon";
import { useFormat } from "../../lib/useFormat";
import { STATE_COLOUR, TYPE_COLOUR, isDocumentState, useEinvoiceLabels } from "./labels";
import { keyComparator, type Key } from "./pivot";
import { useEinvoiceGroups, useEinvoicePivot } from "./queries";
import type { SearchUpdate } from "./SearchPanel";
import { drillDown, groupBy as makeGroupBy, toFilter, type GraphMeasure, type SearchState } from "./search";

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
    if (s) return pivot.data && !pivot.data.too_many ? graphData(pivot.data.cells, x, s, keyComparator, measure) : null;
    if (!groups.data) return null;
    return graphData(groups.data.map((g) => ({ row: [g.key], col: [], count: g.count, total: g.total })), x, null, keyComparator, measure);
  }, [s, x, pivot.data, groups.data, measure]);

  const measureName = t(`einvoices.measure.${measure}`);
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
      valueName: measureName,
      pieName: measureName,
      pieLabel: "{b}: {d}%",
      gridTop: 24,
      wholeNumbers: measure === "count",
      tooltipValue: (v) => (measure === "count" ? f.number(v) : l.sum(v)),
      axisValue: (v) => f.number(v),
    });
  }, [data, state.graph, x, s, l, f, measure, measureName, themeVersion]);

  const onClick = (e: { seriesIndex: number; dataIndex: number }) => {
    if (data) update(drillDown(state, graphDrillKeys(data, x, s, state.graph, e)), { push: true });
  };

  const total = data ? data.series.reduce((n, se) => n + se.values.reduce((a, b) => a + b, 0), 0) : 0;
  const count = s ? (pivot.data?.total ?? 0) : (groups.data ?? []).reduce((n, g) => n + g.count, 0);

  return (
    <div className="graph-view">
      <div className="pivot-toolbar">
        <ChartTypeSwitcher ns="einvoices" value={state.graph} onChange={(graph) => update({ ...state, graph })} />
        <label className="stack-h">
          <span className="muted">{t("einvoices.graphMeasure")}</span>
          <select value={measure} onChange={(e) => update({ ...state, graphMeasure: e.target.value as GraphMeasure })} data-testid="graph-measure">
            <option value="count">{t("einvoices.measure.count")}</option>
            <option value="total">{t("einvoices.measure.total")}</option>
          </select>
        </label>
        <GraphCaption ns="einvoices" x={l.groupBy(x)} s={s ? l.groupBy(s) : null} hint={state.groupBy.length === 0} />
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
      <GraphBody ns="einvoices" query={query} tooMany={s != null && pivot.data?.too_many === true} empty={data != null && count === 0}>
        {option && count > 0 ? (
          <div className="graph-card" data-testid="einvoice-graph" data-chart={state.graph} data-measure={measure}>
            <Chart option={option} height={420} ariaLabel={t("einvoices.graphLabel", { x: l.groupBy(x), measure: measureName })} onClick={onClick} />
          </div>
        ) : null}
      </GraphBody>
    </div>
  );
}
