// The e-invoice views' search: a search box with the active filters as chips, the Filters and
// Group by menus, and the view switcher. Everything they change goes into the address.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { EinvoiceGroupBy } from "../../api/types";
import { FacetSearchBox, GroupByFieldMenu, groupingFacets, MenuClearItem, VIEW_ICONS, ViewButtons, type Facet } from "../../components/FacetSearch";
import { Menu, MenuCheck, MenuGroup } from "../../components/Menu";
import { useEinvoiceLabels } from "./labels";
import {
  DOC_TYPES,
  DOCUMENT_STATES,
  EINVOICE_FIELDS,
  EINVOICE_VIEWS,
  clearFilters,
  groupBy as makeGroupBy,
  isDateField,
  toggleValue,
  type SearchState,
} from "./search";

export type SearchUpdate = (next: SearchState, opts?: { push?: boolean }) => void;

function useFacets(s: SearchState): Facet<SearchState>[] {
  const { t } = useTranslation();
  const l = useEinvoiceLabels();
  const or = (values: string[]) => values.join(t("einvoices.or"));
  const facets: Facet<SearchState>[] = [];
  if (s.states.length) facets.push({ id: "state", label: l.field("state"), values: or(s.states.map(l.state)), remove: () => ({ ...s, states: [] }) });
  if (s.types.length) facets.push({ id: "type", label: l.field("doc_type"), values: or(s.types.map(l.docType)), remove: () => ({ ...s, types: [] }) });
  if (s.from || s.to) {
    const values = s.from && s.to ? `${l.date(s.from)} – ${l.date(s.to)}` : s.from ? t("einvoices.sinceDate", { date: l.date(s.from) }) : t("einvoices.untilDate", { date: l.date(s.to) });
    facets.push({ id: "dates", label: t("einvoices.filterDates"), values, remove: () => ({ ...s, from: null, to: null }) });
  }
  if (s.errorCode) facets.push({ id: "error", label: t("einvoices.filterErrorCode"), values: s.errorCode, remove: () => ({ ...s, errorCode: null }) });
  facets.push(
    ...groupingFacets(s, {
      selectionLabel: t("einvoices.selection"),
      groupByLabel: t("einvoices.groupBy"),
      showGroupBy: s.view === "pivot" || s.view === "graph",
      labelOf: l.groupBy,
      keyOf: l.key,
    }),
  );
  return facets;
}

/** The search box: filter chips, then the text (committed after a short pause or on Enter). */
export function EinvoiceSearchBox({ state, update }: { state: SearchState; update: SearchUpdate }) {
  const { t } = useTranslation();
  return (
    <FacetSearchBox
      state={state}
      update={update}
      facets={useFacets(state)}
      placeholder={t("einvoices.searchPlaceholder")}
      facetsLabel={t("einvoices.activeFilters")}
      removeLabel={(facet) => t("einvoices.removeFacet", { facet })}
      testId="einvoice-search"
    />
  );
}

/** A text field inside a menu that commits on Enter or when it loses focus. */
function CommitInput({ value, onCommit, label, testId, placeholder }: { value: string; onCommit: (v: string) => void; label: string; testId?: string; placeholder?: string }) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  return (
    <input
      type="text"
      className="menu-filter"
      value={draft}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={() => draft.trim() !== value && onCommit(draft.trim())}
      onKeyDown={(e) => {
        if (e.key === "Enter") {
          e.preventDefault();
          onCommit(draft.trim());
        }
      }}
      aria-label={label}
      placeholder={placeholder}
      data-testid={testId}
    />
  );
}

/** The Filters menu, and the Group by menu where a view groups (pivot rows, graph axis). */
export function SearchMenus({ state, update, showGroupBy }: { state: SearchState; update: SearchUpdate; showGroupBy: boolean }) {
  const { t } = useTranslation();
  const l = useEinvoiceLabels();
  const filterCount = state.states.length + state.types.length + (state.from || state.to ? 1 : 0) + (state.errorCode ? 1 : 0);
  return (
    <div className="search-menus">
      <Menu label={t("einvoices.filters")} icon="filter" count={filterCount} testId="menu-filters">
        <MenuGroup label={l.field("state")}>
          {DOCUMENT_STATES.map((s) => (
            <MenuCheck key={s} checked={state.states.includes(s)} onChange={() => update({ ...state, states: toggleValue(state.states, s) })} testId={`filter-state-${s}`}>
              {l.state(s)}
            </MenuCheck>
          ))}
        </MenuGroup>
        <MenuGroup label={l.field("doc_type")}>
          {DOC_TYPES.map((d) => (
            <MenuCheck key={d} checked={state.types.includes(d)} onChange={() => update({ ...state, types: toggleValue(state.types, d) })} testId={`filter-type-${d}`}>
              {l.docTypeLong(d)}
            </MenuCheck>
          ))}
        </MenuGroup>
        <MenuGroup label={t("einvoices.filterDates")}>
          <div className="menu-dates">
            <label>
              <span className="muted small">{t("einvoices.dateFrom")}</span>
              <input type="date" value={state.from ?? ""} max={state.to ?? undefined} onChange={(e) => update({ ...state, from: e.target.value || null })} data-testid="filter-from" />
            </label>
            <label>
              <span className="muted small">{t("einvoices.dateTo")}</span>
              <input type="date" value={state.to ?? ""} min={state.from ?? undefined} onChange={(e) => update({ ...state, to: e.target.value || null })} data-testid="filter-to" />
            </label>
          </div>
        </MenuGroup>
        <MenuGroup label={t("einvoices.filterErrorCode")}>
          <CommitInput
            value={state.errorCode ?? ""}
            onCommit={(v) => update({ ...state, errorCode: v || null })}
            label={t("einvoices.filterErrorCode")}
            placeholder={t("einvoices.errorCodePlaceholder")}
            testId="filter-error-code"
          />
        </MenuGroup>
        <MenuClearItem label={t("einvoices.clearFilters")} onClick={() => update(clearFilters(state))} disabled={filterCount === 0 && state.drill.length === 0 && !state.text} />
      </Menu>
      {showGroupBy ? <GroupByMenu value={state.groupBy} onChange={(groupBy) => update({ ...state, groupBy })} testId="menu-groupby" label={t("einvoices.groupBy")} /> : null}
    </div>
  );
}

/** A menu of group-by fields (dates by month, quarter or year), in the order chosen. */
export function GroupByMenu({
  value,
  onChange,
  label,
  testId,
  exclude = [],
}: {
  value: EinvoiceGroupBy[];
  onChange: (next: EinvoiceGroupBy[]) => void;
  label: string;
  testId?: string;
  exclude?: EinvoiceGroupBy[];
}) {
  const { t } = useTranslation();
  const l = useEinvoiceLabels();
  return (
    <GroupByFieldMenu
      fields={EINVOICE_FIELDS}
      isDateField={isDateField}
      makeGroupBy={makeGroupBy}
      fieldLabel={l.field}
      intervalLabel={(iv) => t(`einvoices.interval.${iv}`)}
      clearLabel={t("einvoices.clearGrouping")}
      value={value}
      onChange={onChange}
      label={label}
      testId={testId}
      exclude={exclude}
    />
  );
}

/** List / kanban / pivot / graph. */
export function ViewSwitcher({ state, update }: { state: SearchState; update: SearchUpdate }) {
  const { t } = useTranslation();
  return (
    <ViewButtons
      views={EINVOICE_VIEWS}
      icons={VIEW_ICONS}
      current={state.view}
      onChoose={(v) => update({ ...state, view: v }, { push: true })}
      viewLabel={(v) => t(`einvoices.views.${v}`)}
      groupLabel={t("einvoices.viewSwitcher")}
    />
  );
}
