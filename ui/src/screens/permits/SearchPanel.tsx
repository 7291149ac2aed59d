// The permit views' search: a search box with the active filters as chips, the Filters and
// Group by menus, and the view switcher. Everything it changes goes into the address.
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { usePermitTypes } from "../../api/queries";
import type { GroupBy } from "../../api/types";
import { FacetSearchBox, GroupByFieldMenu, groupingFacets, MenuClearItem, VIEW_ICONS, ViewButtons, type Facet } from "../../components/FacetSearch";
import { Menu, MenuCheck, MenuGroup } from "../../components/Menu";
import {
  EXPIRING_SOON_DAYS,
  EXPIRY_STATUSES,
  PERMIT_CATEGORIES,
  PERMIT_FIELDS,
  PERMIT_STATUSES,
  PERMIT_VIEWS,
  clearFilters,
  groupBy as makeGroupBy,
  isDateField,
  toggleValue,
  type SearchState,
} from "../../lib/permitSearch";
import { usePermitLabels } from "./labels";

export type SearchUpdate = (next: SearchState, opts?: { push?: boolean }) => void;

function useFacets(s: SearchState): Facet<SearchState>[] {
  const { t } = useTranslation();
  const l = usePermitLabels();
  const or = (values: string[]) => values.join(t("permits.or"));
  const facets: Facet<SearchState>[] = [];
  if (s.expiry.length) facets.push({ id: "expiry", label: l.field("expiry_status"), values: or(s.expiry.map(l.expiry)), remove: () => ({ ...s, expiry: [] }) });
  if (s.status.length) facets.push({ id: "status", label: l.field("status"), values: or(s.status.map(l.status)), remove: () => ({ ...s, status: [] }) });
  if (s.types.length) facets.push({ id: "type", label: l.field("permit_type"), values: or(s.types), remove: () => ({ ...s, types: [] }) });
  if (s.category) facets.push({ id: "category", label: l.field("category"), values: l.category(s.category), remove: () => ({ ...s, category: null }) });
  if (s.expiringWithin != null) {
    facets.push({
      id: "soon",
      label: t("permits.filterExpiring"),
      values: t("permits.withinDays", { n: s.expiringWithin }),
      remove: () => ({ ...s, expiringWithin: null }),
    });
  }
  facets.push(
    ...groupingFacets(s, {
      selectionLabel: t("permits.selection"),
      groupByLabel: t("permits.groupBy"),
      showGroupBy: s.view !== "kanban",
      labelOf: l.groupBy,
      keyOf: l.key,
    }),
  );
  return facets;
}

/** The search box: filter chips, then the text (committed after a short pause or on Enter). */
export function PermitSearchBox({ state, update }: { state: SearchState; update: SearchUpdate }) {
  const { t } = useTranslation();
  return (
    <FacetSearchBox
      state={state}
      update={update}
      facets={useFacets(state)}
      placeholder={t("permits.searchPlaceholder")}
      facetsLabel={t("permits.activeFilters")}
      removeLabel={(facet) => t("permits.removeFacet", { facet })}
      testId="permit-search"
    />
  );
}

/** Filters and Group by menus. */
export function SearchMenus({ state, update, showGroupBy }: { state: SearchState; update: SearchUpdate; showGroupBy: boolean }) {
  const { t } = useTranslation();
  const l = usePermitLabels();
  const types = usePermitTypes();
  const [typeQuery, setTypeQuery] = useState("");
  const typeNames = useMemo(() => [...new Set((types.data ?? []).map((x) => x.name))].sort((a, b) => a.localeCompare(b)), [types.data]);
  const shownTypes = typeNames.filter((n) => n.toLowerCase().includes(typeQuery.trim().toLowerCase())).slice(0, 60);
  const filterCount =
    state.expiry.length + state.status.length + state.types.length + (state.category ? 1 : 0) + (state.expiringWithin != null ? 1 : 0);

  return (
    <div className="search-menus">
      <Menu label={t("permits.filters")} icon="filter" count={filterCount} testId="menu-filters">
        <MenuGroup>
          <MenuCheck
            checked={state.expiringWithin === EXPIRING_SOON_DAYS}
            onChange={() => update({ ...state, expiringWithin: state.expiringWithin === EXPIRING_SOON_DAYS ? null : EXPIRING_SOON_DAYS })}
            testId="filter-expiring-soon"
          >
            {t("permits.expiringSoon", { n: EXPIRING_SOON_DAYS })}
          </MenuCheck>
        </MenuGroup>
        <MenuGroup label={l.field("expiry_status")}>
          {EXPIRY_STATUSES.map((s) => (
            <MenuCheck key={s} checked={state.expiry.includes(s)} onChange={() => update({ ...state, expiry: toggleValue(state.expiry, s) })} testId={`filter-expiry-${s}`}>
              {l.expiry(s)}
            </MenuCheck>
          ))}
        </MenuGroup>
        <MenuGroup label={l.field("status")}>
          {PERMIT_STATUSES.map((s) => (
            <MenuCheck key={s} checked={state.status.includes(s)} onChange={() => update({ ...state, status: toggleValue(state.status, s) })} testId={`filter-status-${s}`}>
              {l.status(s)}
            </MenuCheck>
          ))}
        </MenuGroup>
        <MenuGroup label={l.field("category")}>
          {PERMIT_CATEGORIES.map((c) => (
            <MenuCheck
              key={c}
              radio
              checked={state.category === c}
              onChange={() => update({ ...state, category: state.category === c ? null : c })}
              testId={`filter-category-${c}`}
            >
              {l.category(c)}
            </MenuCheck>
          ))}
        </MenuGroup>
        <MenuGroup label={l.field("permit_type")}>
          {typeNames.length > 8 ? (
            <input
              type="text"
              className="menu-filter"
              value={typeQuery}
              onChange={(e) => setTypeQuery(e.target.value)}
              placeholder={t("permits.findType")}
              aria-label={t("permits.findType")}
            />
          ) : null}
          {types.isPending ? <div className="menu-note muted">{t("common.loading")}</div> : null}
          {!types.isPending && typeNames.length === 0 ? <div className="menu-note muted">{t("permits.noTypes")}</div> : null}
          {shownTypes.map((n) => (
            <MenuCheck key={n} checked={state.types.includes(n)} onChange={() => update({ ...state, types: toggleValue(state.types, n) })}>
              {n}
            </MenuCheck>
          ))}
        </MenuGroup>
        <MenuClearItem label={t("permits.clearFilters")} onClick={() => update(clearFilters(state))} disabled={filterCount === 0 && state.drill.length === 0} />
      </Menu>
      {showGroupBy ? <GroupByMenu value={state.groupBy} onChange={(groupBy) => update({ ...state, groupBy })} testId="menu-groupby" label={t("permits.groupBy")} /> : null}
    </div>
  );
}

/** A menu of group-by fields (dates by month, quarter or year), in the order they were chosen. */
export function GroupByMenu({
  value,
  onChange,
  label,
  testId,
  exclude = [],
}: {
  value: GroupBy[];
  onChange: (next: GroupBy[]) => void;
  label: string;
  testId?: string;
  exclude?: GroupBy[];
}) {
  const { t } = useTranslation();
  const l = usePermitLabels();
  return (
    <GroupByFieldMenu
      fields={PERMIT_FIELDS}
      isDateField={isDateField}
      makeGroupBy={makeGroupBy}
      fieldLabel={l.field}
      intervalLabel={(iv) => t(`permits.interval.${iv}`)}
      clearLabel={t("permits.clearGrouping")}
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
      views={PERMIT_VIEWS}
      icons={VIEW_ICONS}
      current={state.view}
      onChoose={(v) => update({ ...state, view: v }, { push: true })}
      viewLabel={(v) => t(`permits.views.${v}`)}
      groupLabel={t("permits.viewSwitcher")}
    />
  );
}
