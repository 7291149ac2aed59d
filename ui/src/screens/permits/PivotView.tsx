// The permit pivot: the shared pivot table over the permit fields, counting permits per cell; a
// click on a cell opens its permits in the list.
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { usePermitPivot } from "../../api/queries";
import type { GroupBy, PermitField } from "../../api/types";
import { PivotTable, type PivotFieldSet } from "../../components/PivotTable";
import { DATE_INTERVALS, PERMIT_FIELDS, drillDown, encodeGroupBy, groupBy, isDateField, sameGroupBy, toFilter, type SearchState } from "../../lib/permitSearch";
import { keyComparator } from "../../lib/pivot";
import { useFormat } from "../../lib/useFormat";
import { GroupByMenu, type SearchUpdate } from "./SearchPanel";
import { usePermitLabels } from "./labels";

const FIELD_SET: PivotFieldSet<PermitField, GroupBy> = {
  fields: PERMIT_FIELDS,
  isDateField,
  intervals: DATE_INTERVALS,
  groupBy,
  encode: encodeGroupBy,
  same: sameGroupBy,
  compare: keyComparator,
};
/** A permit cell is count-only. */
const COUNT = ["count"] as const;

export function PivotView({ state, update }: { state: SearchState; update: SearchUpdate }) {
  const { t } = useTranslation();
  const f = useFormat();
  const l = usePermitLabels();
  const rows = state.groupBy;
  const cols = state.pivotCols;
  const filter = useMemo(() => toFilter(state), [state]);
  const query = useMemo(() => ({ filter, rows, cols }), [filter, rows, cols]);
  const pivot = usePermitPivot(query);
  const countLabel = t("permits.measureCount");

  return (
    <PivotTable
      ns="permits"
      fieldSet={FIELD_SET}
      labels={l}
      GroupByMenu={GroupByMenu}
      rows={rows}
      cols={cols}
      onAxes={(groupBy, pivotCols) => update({ ...state, groupBy, pivotCols })}
      pivot={pivot}
      allMeasures={COUNT}
      measures={COUNT}
      measureLabel={() => countLabel}
      formatValue={(_, v) => f.number(v)}
      measureControl={
        <span className="pivot-measure">
          <span className="muted">{t("permits.measure")}</span> <strong>{countLabel}</strong>
        </span>
      }
      exportLabels={{ csv: t("permits.exportCsv"), xlsx: t("permits.exportXlsx") }}
      exportFileName="permits-pivot"
      exportCorner={countLabel}
      onDrill={(keys) => update(drillDown(state, keys), { push: true })}
      countOnly
    />
  );
}
