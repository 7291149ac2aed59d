// The e-invoice pivot: the shared pivot table over the e-invoice fields, with the chosen measures
// (count, total, tax) per cell; a click on a cell opens its documents in the list.
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { EinvoiceField, EinvoiceGroupBy } from "../../api/types";
import { Icon } from "../../components/Icon";
import { Menu, MenuCheck, MenuGroup } from "../../components/Menu";
import { PivotTable, type PivotFieldSet } from "../../components/PivotTable";
import { useFormat } from "../../lib/useFormat";
import { useEinvoiceLabels } from "./labels";
import { keyComparator } from "./pivot";
import { useEinvoicePivot } from "./queries";
import { GroupByMenu, type SearchUpdate } from "./SearchPanel";
import { DATE_INTERVALS, EINVOICE_FIELDS, MEASURES, drillDown, encodeGroupBy, groupBy, isDateField, sameGroupBy, toFilter, type Measure, type SearchState } from "./search";

const FIELD_SET: PivotFieldSet<EinvoiceField, EinvoiceGroupBy> = {
  fields: EINVOICE_FIELDS,
  isDateField,
  intervals: DATE_INTERVALS,
  groupBy,
  encode: encodeGroupBy,
  same: sameGroupBy,
  compare: keyComparator,
};
/** Rows by state when the search groups by nothing: the question asked most. */
const DEFAULT_ROWS: EinvoiceGroupBy[] = [groupBy("state")];

export function PivotView({ state, update }: { state: SearchState; update: SearchUpdate }) {
  const { t } = useTranslation();
  const f = useFormat();
  const l = useEinvoiceLabels();
  const rows = state.groupBy.length || state.pivotCols.length ? state.groupBy : DEFAULT_ROWS;
  const cols = state.pivotCols;
  const measures = state.measures;
  const filter = useMemo(() => toFilter(state), [state]);
  const query = useMemo(() => ({ filter, rows, cols }), [filter, rows, cols]);
  const pivot = useEinvoicePivot(query);
  const measureLabel = (m: Measure) => t(`einvoices.measure.${m}`);
  const mixedCurrencies = measures.some((m) => m !== "count") && ![...rows, ...cols].some((g) => g.field === "currency");

  return (
    <PivotTable
      ns="einvoices"
      fieldSet={FIELD_SET}
      labels={l}
      GroupByMenu={GroupByMenu}
      rows={rows}
      cols={cols}
      onAxes={(groupBy, pivotCols) => update({ ...state, groupBy, pivotCols })}
      pivot={pivot}
      allMeasures={MEASURES}
      measures={measures}
      measureLabel={measureLabel}
      formatValue={(m, v) => (m === "count" ? f.number(v) : l.sum(v))}
      measureControl={
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
      }
      note={
        mixedCurrencies ? (
          <p className="muted small pivot-note" data-testid="pivot-currency-note">
            <Icon name="info" size={13} /> {t("einvoices.sumHint")}
          </p>
        ) : null
      }
      exportLabels={{ csv: "CSV", xlsx: "XLSX" }}
      exportFileName="e-invoices-pivot"
      exportCorner={t("einvoices.pivotCorner")}
      onDrill={(keys) => update(drillDown({ ...state, groupBy: rows, pivotCols: cols }, keys), { push: true })}
    />
  );
}
