// The permit views' search: a search box with the active filters as chips, the Filters and
// Group by menus, and the view switcher. Everything it changes goes into the address.
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { usePermitTypes } from "../../api/queries";
import type { GroupBy, PermitField } from "../../api/types";
import { Icon, type IconName } from "../../components/Icon";
import { Menu, MenuCheck, MenuGroup } from "../../components/Menu";
import {
  DATE_INTERVALS,
  EXPIRING_SOON_DAYS,
  EXPIRY_STATUSES,
  PERMIT_CATEGORIES,
  PERMIT_FIELDS,
  PERMIT_STATUSES,
  PERMIT_VIEWS,
  clearFilters,
  groupBy as makeGroupBy,
  isDateField,
  sameGroupBy,
  toggleGroupBy,
  toggleValue,
  type PermitView,
  type SearchState,
} from "../../lib/permitSearch";
import { usePermitLabels } from "./labels";

export type SearchUpdate = (next: SearchState, opts?: { push?: boolean }) => void;

const VIEW_ICON: Record<PermitView, IconName> = { list: "viewList", kanban: "viewKanban", pivot: "viewPivot", graph: "viewGraph" };

type Facet = { id: string; label: string; values: string; remove: () => SearchState; icon?: IconName };

function useFacets(s: SearchState): Facet[] {
  const { t } = useTranslation();
  const l = usePermitLabels();
  const or = (values: string[]) => values.join(t("permits.or"));
  const facets: Facet[] = [];
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
  if (s.drill.length) {
    facets.push({
      id: "drill",
      label: t("permits.selection"),
      values: s.drill.map((k) => `${l.groupBy(k.group_by)}: ${l.key(k.group_by, k.key)}`).join(" › "),
      remove: () => ({ ...s, drill: [] }),
      icon: "viewPivot",
    });
  }
  if (s.groupBy.length && s.view !== "kanban") {
    facets.push({
      id: "groupby",
      label: t("permits.groupBy"),
      values: s.groupBy.map(l.groupBy).join(" › "),
      remove: () => ({ ...s, groupBy: [] }),
      icon: "layers",
    });
  }
  return facets;
}

/** The search box: filter chips, then the text (committed after a short pause or on Enter). */
export function PermitSearchBox({ state, update }: { state: SearchState; update: SearchUpdate }) {
  const { t } = useTranslation();
  const facets = useFacets(state);
  const [text, setText] = useState(state.text);
  const committed = useRef(state.text);
  const stateRef = useRef(state);
  stateRef.current = state;

  // Follow the address when it changes from elsewhere (Back, a link, "clear").
  useEffect(() => {
    if (state.text !== committed.current) {
      committed.current = state.text;
      setText(state.text);
    }
  }, [state.text]);

  useEffect(() => {
    if (text === committed.current) return;
    const timer = window.setTimeout(() => {
      committed.current = text;
      update({ ...stateRef.current, text });
    }, 300);
    return () => window.clearTimeout(timer);
  }, [text, update]);

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter") {
      committed.current = text;
      update({ ...state, text });
    } else if (e.key === "Backspace" && text === "" && facets.length > 0) {
      update(facets[facets.length - 1]!.remove());
    } else if (e.key === "Escape" && text !== "") {
      e.stopPropagation();
      setText("");
    }
  };

  return (
    <div className="cp-search facet-search">
      <Icon name="search" />
      <ul className="facets" aria-label={t("permits.activeFilters")}>
        {facets.map((f) => (
          <li key={f.id} className="facet" data-testid={`facet-${f.id}`}>
            {f.icon ? <Icon name={f.icon} size={12} /> : null}
            <span className="facet-label">{f.label}</span>
            <span className="facet-values">{f.values}</span>
            <button
              type="button"
              className="facet-remove"
              onClick={() => update(f.remove())}
              aria-label={t("permits.removeFacet", { facet: f.label })}
              data-testid={`facet-remove-${f.id}`}
            >
              <Icon name="x" size={12} />
            </button>
          </li>
        ))}
      </ul>
      <input
        type="search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        placeholder={facets.length ? "" : t("permits.searchPlaceholder")}
        aria-label={t("permits.searchPlaceholder")}
        data-testid="permit-search"
      />
    </div>
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
        <MenuGroup>
          <button type="button" role="menuitem" className="menu-item" onClick={() => update(clearFilters(state))} disabled={filterCount === 0 && state.drill.length === 0}>
            <span className="menu-tick" aria-hidden="true">
              <Icon name="x" size={13} />
            </span>
            <span className="menu-label">{t("permits.clearFilters")}</span>
          </button>
        </MenuGroup>
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
  const position = (g: GroupBy) => value.findIndex((v) => sameGroupBy(v, g));
  const order = (g: GroupBy) => {
    const i = position(g);
    return i >= 0 && value.length > 1 ? <span className="menu-order">{i + 1}</span> : null;
  };
  const taken = (g: GroupBy) => exclude.some((e) => sameGroupBy(e, g));
  return (
    <Menu label={label} icon="layers" count={value.length} testId={testId}>
      <MenuGroup>
        {PERMIT_FIELDS.filter((f) => !isDateField(f) && !taken(makeGroupBy(f))).map((f: PermitField) => {
          const g = makeGroupBy(f);
          return (
            <MenuCheck key={f} checked={position(g) >= 0} onChange={() => onChange(toggleGroupBy(value, g))} badge={order(g)} testId={`groupby-${f}`}>
              {l.field(f)}
            </MenuCheck>
          );
        })}
      </MenuGroup>
      {PERMIT_FIELDS.filter(isDateField).map((f) => (
        <MenuGroup key={f} label={l.field(f)}>
          {DATE_INTERVALS.map((iv) => {
            const g = makeGroupBy(f, iv);
            if (taken(g)) return null;
            return (
              <MenuCheck key={iv} checked={position(g) >= 0} onChange={() => onChange(toggleGroupBy(value, g))} badge={order(g)} testId={`groupby-${f}-${iv}`}>
                {t(`permits.interval.${iv}`)}
              </MenuCheck>
            );
          })}
        </MenuGroup>
      ))}
      {value.length > 0 ? (
        <MenuGroup>
          <button type="button" role="menuitem" className="menu-item" onClick={() => onChange([])}>
            <span className="menu-tick" aria-hidden="true">
              <Icon name="x" size={13} />
            </span>
            <span className="menu-label">{t("permits.clearGrouping")}</span>
          </button>
        </MenuGroup>
      ) : null}
    </Menu>
  );
}

/** List / kanban / pivot / graph. */
export function ViewSwitcher({ state, update }: { state: SearchState; update: SearchUpdate }) {
  const { t } = useTranslation();
  return (
    <div className="view-switcher" role="group" aria-label={t("permits.viewSwitcher")}>
      {PERMIT_VIEWS.map((v) => (
        <button
          key={v}
          type="button"
          className={`btn-icon view-button${state.view === v ? " active" : ""}`}
          aria-pressed={state.view === v}
          title={t(`permits.views.${v}`)}
          aria-label={t(`permits.views.${v}`)}
          onClick={() => update({ ...state, view: v }, { push: true })}
          data-testid={`view-${v}`}
        >
          <Icon name={VIEW_ICON[v]} size={18} />
        </button>
      ))}
    </div>
  );
}
