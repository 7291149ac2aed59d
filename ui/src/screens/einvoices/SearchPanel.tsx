// The e-invoice views' search: a search box with the active filters as chips, the Filters and
// Group by menus, and the view switcher. Everything they change goes into the address.
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { EinvoiceGroupBy } from "../../api/types";
import { Icon, type IconName } from "../../components/Icon";
import { Menu, MenuCheck, MenuGroup } from "../../components/Menu";
import { useEinvoiceLabels } from "./labels";
import {
  DATE_INTERVALS,
  DOC_TYPES,
  DOCUMENT_STATES,
  EINVOICE_FIELDS,
  EINVOICE_VIEWS,
  clearFilters,
  groupBy as makeGroupBy,
  isDateField,
  sameGroupBy,
  toggleGroupBy,
  toggleValue,
  type EinvoiceView,
  type SearchState,
} from "./search";

export type SearchUpdate = (next: SearchState, opts?: { push?: boolean }) => void;

const VIEW_ICON: Record<EinvoiceView, IconName> = { list: "viewList", kanban: "viewKanban", pivot: "viewPivot", graph: "viewGraph" };

type Facet = { id: string; label: string; values: string; remove: () => SearchState; icon?: IconName };

function useFacets(s: SearchState): Facet[] {
  const { t } = useTranslation();
  const l = useEinvoiceLabels();
  const or = (values: string[]) => values.join(t("einvoices.or"));
  const facets: Facet[] = [];
  if (s.states.length) facets.push({ id: "state", label: l.field("state"), values: or(s.states.map(l.state)), remove: () => ({ ...s, states: [] }) });
  if (s.types.length) facets.push({ id: "type", label: l.field("doc_type"), values: or(s.types.map(l.docType)), remove: () => ({ ...s, types: [] }) });
  if (s.from || s.to) {
    const values = s.from && s.to ? `${l.date(s.from)} – ${l.date(s.to)}` : s.from ? t("einvoices.sinceDate", { date: l.date(s.from) }) : t("einvoices.untilDate", { date: l.date(s.to) });
    facets.push({ id: "dates", label: t("einvoices.filterDates"), values, remove: () => ({ ...s, from: null, to: null }) });
  }
  if (s.errorCode) facets.push({ id: "error", label: t("einvoices.filterErrorCode"), values: s.errorCode, remove: () => ({ ...s, errorCode: null }) });
  if (s.drill.length) {
    facets.push({
      id: "drill",
      label: t("einvoices.selection"),
      values: s.drill.map((k) => `${l.groupBy(k.group_by)}: ${l.key(k.group_by, k.key)}`).join(" › "),
      remove: () => ({ ...s, drill: [] }),
      icon: "viewPivot",
    });
  }
  if (s.groupBy.length && (s.view === "pivot" || s.view === "graph")) {
    facets.push({ id: "groupby", label: t("einvoices.groupBy"), values: s.groupBy.map(l.groupBy).join(" › "), remove: () => ({ ...s, groupBy: [] }), icon: "layers" });
  }
  return facets;
}

/** The search box: filter chips, then the text (committed after a short pause or on Enter). */
export function EinvoiceSearchBox({ state, update }: { state: SearchState; update: SearchUpdate }) {
  const { t } = useTranslation();
  const facets = useFacets(state);
  const [text, setText] = useState(state.text);
  const committed = useRef(state.text);
  const stateRef = useRef(state);
  stateRef.current = state;

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
      <ul className="facets" aria-label={t("einvoices.activeFilters")}>
        {facets.map((f) => (
          <li key={f.id} className="facet" data-testid={`facet-${f.id}`}>
            {f.icon ? <Icon name={f.icon} size={12} /> : null}
            <span className="facet-label">{f.label}</span>
            <span className="facet-values">{f.values}</span>
            <button type="button" className="facet-remove" onClick={() => update(f.remove())} aria-label={t("einvoices.removeFacet", { facet: f.label })} data-testid={`facet-remove-${f.id}`}>
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
        placeholder={facets.length ? "" : t("einvoices.searchPlaceholder")}
        aria-label={t("einvoices.searchPlaceholder")}
        data-testid="einvoice-search"
      />
    </div>
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
        <MenuGroup>
          <button type="button" role="menuitem" className="menu-item" onClick={() => update(clearFilters(state))} disabled={filterCount === 0 && state.drill.length === 0 && !state.text}>
            <span className="menu-tick" aria-hidden="true">
              <Icon name="x" size={13} />
            </span>
            <span className="menu-label">{t("einvoices.clearFilters")}</span>
          </button>
        </MenuGroup>
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
  const position = (g: EinvoiceGroupBy) => value.findIndex((v) => sameGroupBy(v, g));
  const order = (g: EinvoiceGroupBy) => {
    const i = position(g);
    return i >= 0 && value.length > 1 ? <span className="menu-order">{i + 1}</span> : null;
  };
  const taken = (g: EinvoiceGroupBy) => exclude.some((e) => sameGroupBy(e, g));
  return (
    <Menu label={label} icon="layers" count={value.length} testId={testId}>
      <MenuGroup>
        {EINVOICE_FIELDS.filter((f) => !isDateField(f) && !taken(makeGroupBy(f))).map((f) => {
          const g = makeGroupBy(f);
          return (
            <MenuCheck key={f} checked={position(g) >= 0} onChange={() => onChange(toggleGroupBy(value, g))} badge={order(g)} testId={`groupby-${f}`}>
              {l.field(f)}
            </MenuCheck>
          );
        })}
      </MenuGroup>
      {EINVOICE_FIELDS.filter(isDateField).map((f) => (
        <MenuGroup key={f} label={l.field(f)}>
          {DATE_INTERVALS.map((iv) => {
            const g = makeGroupBy(f, iv);
            if (taken(g)) return null;
            return (
              <MenuCheck key={iv} checked={position(g) >= 0} onChange={() => onChange(toggleGroupBy(value, g))} badge={order(g)} testId={`groupby-${f}-${iv}`}>
                {t(`einvoices.interval.${iv}`)}
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
            <span className="menu-label">{t("einvoices.clearGrouping")}</span>
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
    <div className="view-switcher" role="group" aria-label={t("einvoices.viewSwitcher")}>
      {EINVOICE_VIEWS.map((v) => (
        <button
          key={v}
          type="button"
          className={`btn-icon view-button${state.view === v ? " active" : ""}`}
          aria-pressed={state.view === v}
          title={t(`einvoices.views.${v}`)}
          aria-label={t(`einvoices.views.${v}`)}
          onClick={() => update({ ...state, view: v }, { push: true })}
          data-testid={`view-${v}`}
        >
          <Icon name={VIEW_ICON[v]} size={18} />
        </button>
      ))}
    </div>
  );
}
