// The pieces of a search panel that the permit and the e-invoice views share: the search box
// with the active filters as chips, the group-by menu (dates by month, quarter or year), the
// "clear" item at the foot of a menu and the view switcher. Each screen passes its own fields,
// labels and test ids; what it changes goes back through `update` / `onChange`.
import { useEffect, useRef, useState } from "react";
import type { DateInterval } from "../api/types";
import { DATE_INTERVALS, sameGroupBy, toggleGroupBy, type AnyGroupBy } from "../lib/urlSearch";
import { Icon, type IconName } from "./Icon";
import { Menu, MenuCheck, MenuGroup } from "./Menu";

/** One active filter shown as a chip; `remove` is the search without it. */
export type Facet<S> = { id: string; label: string; values: string; remove: () => S; icon?: IconName };

/** The search box: filter chips, then the text (committed after a short pause or on Enter). */
export function FacetSearchBox<S extends { text: string }>({
  state,
  update,
  facets,
  placeholder,
  facetsLabel,
  removeLabel,
  testId,
}: {
  state: S;
  update: (next: S) => void;
  facets: Facet<S>[];
  /** Also the input's accessible name. */
  placeholder: string;
  facetsLabel: string;
  removeLabel: (facet: string) => string;
  testId: string;
}) {
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
      <ul className="facets" aria-label={facetsLabel}>
        {facets.map((f) => (
          <li key={f.id} className="facet" data-testid={`facet-${f.id}`}>
            {f.icon ? <Icon name={f.icon} size={12} /> : null}
            <span className="facet-label">{f.label}</span>
            <span className="facet-values">{f.values}</span>
            <button type="button" className="facet-remove" onClick={() => update(f.remove())} aria-label={removeLabel(f.label)} data-testid={`facet-remove-${f.id}`}>
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
        placeholder={facets.length ? "" : placeholder}
        aria-label={placeholder}
        data-testid={testId}
      />
    </div>
  );
}

/** The "x" item at the foot of a menu: clear the filters, clear the grouping. */
export function MenuClearItem({ label, onClick, disabled }: { label: string; onClick: () => void; disabled?: boolean }) {
  return (
    <MenuGroup>
      <button type="button" role="menuitem" className="menu-item" onClick={onClick} disabled={disabled}>
        <span className="menu-tick" aria-hidden="true">
          <Icon name="x" size={13} />
        </span>
        <span className="menu-label">{label}</span>
      </button>
    </MenuGroup>
  );
}

/** A menu of group-by fields (dates by month, quarter or year), in the order they were chosen. */
export function GroupByFieldMenu<F extends string>({
  fields,
  isDateField,
  makeGroupBy,
  fieldLabel,
  intervalLabel,
  clearLabel,
  value,
  onChange,
  label,
  testId,
  exclude = [],
}: {
  fields: readonly F[];
  isDateField: (field: F) => boolean;
  makeGroupBy: (field: F, interval?: DateInterval | null) => AnyGroupBy<F>;
  fieldLabel: (field: F) => string;
  intervalLabel: (interval: DateInterval) => string;
  clearLabel: string;
  value: AnyGroupBy<F>[];
  onChange: (next: AnyGroupBy<F>[]) => void;
  label: string;
  testId?: string;
  exclude?: AnyGroupBy<F>[];
}) {
  const position = (g: AnyGroupBy<F>) => value.findIndex((v) => sameGroupBy(v, g));
  const order = (g: AnyGroupBy<F>) => {
    const i = position(g);
    return i >= 0 && value.length > 1 ? <span className="menu-order">{i + 1}</span> : null;
  };
  const taken = (g: AnyGroupBy<F>) => exclude.some((e) => sameGroupBy(e, g));
  return (
    <Menu label={label} icon="layers" count={value.length} testId={testId}>
      <MenuGroup>
        {fields
          .filter((f) => !isDateField(f) && !taken(makeGroupBy(f)))
          .map((f) => {
            const g = makeGroupBy(f);
            return (
              <MenuCheck key={f} checked={position(g) >= 0} onChange={() => onChange(toggleGroupBy(value, g))} badge={order(g)} testId={`groupby-${f}`}>
                {fieldLabel(f)}
              </MenuCheck>
            );
          })}
      </MenuGroup>
      {fields.filter(isDateField).map((f) => (
        <MenuGroup key={f} label={fieldLabel(f)}>
          {DATE_INTERVALS.map((iv) => {
            const g = makeGroupBy(f, iv);
            if (taken(g)) return null;
            return (
              <MenuCheck key={iv} checked={position(g) >= 0} onChange={() => onChange(toggleGroupBy(value, g))} badge={order(g)} testId={`groupby-${f}-${iv}`}>
                {intervalLabel(iv)}
              </MenuCheck>
            );
          })}
        </MenuGroup>
      ))}
      {value.length > 0 ? <MenuClearItem label={clearLabel} onClick={() => onChange([])} /> : null}
    </Menu>
  );
}

/** Icon buttons choosing one of a screen's views (list, kanban, pivot, graph). */
export function ViewButtons<V extends string>({
  views,
  icons,
  current,
  onChoose,
  viewLabel,
  groupLabel,
}: {
  views: readonly V[];
  icons: Record<V, IconName>;
  current: V;
  onChoose: (view: V) => void;
  viewLabel: (view: V) => string;
  groupLabel: string;
}) {
  return (
    <div className="view-switcher" role="group" aria-label={groupLabel}>
      {views.map((v) => (
        <button
          key={v}
          type="button"
          className={`btn-icon view-button${current === v ? " active" : ""}`}
          aria-pressed={current === v}
          title={viewLabel(v)}
          aria-label={viewLabel(v)}
          onClick={() => onChoose(v)}
          data-testid={`view-${v}`}
        >
          <Icon name={icons[v]} size={18} />
        </button>
      ))}
    </div>
  );
}

/** The icons of the list / kanban / pivot / graph views. */
export const VIEW_ICONS = { list: "viewList", kanban: "viewKanban", pivot: "viewPivot", graph: "viewGraph" } as const satisfies Record<string, IconName>;

/**
 * The chips every grouped search ends with: the drill-down from a pivot cell or graph point
 * ("Status: Active › …") and, where the view groups, the group-bys.
 */
export function groupingFacets<G, S extends { drill: { group_by: G; key: string | null }[]; groupBy: G[] }>(
  s: S,
  {
    selectionLabel,
    groupByLabel,
    showGroupBy,
    labelOf,
    keyOf,
  }: {
    selectionLabel: string;
    groupByLabel: string;
    showGroupBy: boolean;
    labelOf: (g: G) => string;
    keyOf: (g: G, key: string | null) => string;
  },
): Facet<S>[] {
  const facets: Facet<S>[] = [];
  if (s.drill.length) {
    facets.push({
      id: "drill",
      label: selectionLabel,
      values: s.drill.map((k) => `${labelOf(k.group_by)}: ${keyOf(k.group_by, k.key)}`).join(" › "),
      remove: () => ({ ...s, drill: [] }),
      icon: "viewPivot",
    });
  }
  if (s.groupBy.length && showGroupBy) {
    facets.push({ id: "groupby", label: groupByLabel, values: s.groupBy.map(labelOf).join(" › "), remove: () => ({ ...s, groupBy: [] }), icon: "layers" });
  }
  return facets;
}
