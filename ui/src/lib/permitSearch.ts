// The permit views' one search model (Odoo's "search model"): text, filters, group-bys, sort and
// drill-down, serialised into the address's query so list, kanban, pivot and graph share it and
// a reload or the Back button brings it back. Other screens link here through lib/permitLinks.ts,
// which writes the same parameter names.
import type {
  DateInterval,
  ExpiryStatus,
  GroupBy,
  GroupKey,
  PermitCategory,
  PermitField,
  PermitFilter,
  PermitSort,
  PermitSortField,
  PermitStatus,
} from "../api/types";

export const PERMIT_VIEWS = ["list", "kanban", "pivot", "graph"] as const;
export type PermitView = (typeof PERMIT_VIEWS)[number];

export const EXPIRY_STATUSES: readonly ExpiryStatus[] = ["expired", "critical", "warning", "ok", "unknown"];
export const PERMIT_STATUSES: readonly PermitStatus[] = ["draft", "in_process", "active", "expired", "renewed", "cancelled"];
export const PERMIT_CATEGORIES: readonly PermitCategory[] = ["permit", "certificate"];
export const PERMIT_FIELDS: readonly PermitField[] = [
  "expiry_status",
  "status",
  "permit_type",
  "category",
  "connection",
  "received_date",
  "issue_date",
  "expiry_date",
];
export const DATE_FIELDS: readonly PermitField[] = ["received_date", "issue_date", "expiry_date"];
export const DATE_INTERVALS: readonly DateInterval[] = ["month", "quarter", "year"];
export const SORT_FIELDS: readonly PermitSortField[] = [
  "registration_id",
  "permit_number",
  "applicant",
  "permit_type",
  "received_date",
  "issue_date",
  "expiry_date",
  "status",
  "last_synced_at",
];
export type GraphType = "bar" | "line" | "pie";
export type KanbanField = "status" | "expiry_status";

/** Days ahead of the "expiring soon" filter. */
export const EXPIRING_SOON_DAYS = 30;

export type SearchState = {
  view: PermitView;
  /** Free text: registration id, permit number, applicant, company, type. */
  text: string;
  expiry: ExpiryStatus[];
  status: PermitStatus[];
  types: string[];
  category: PermitCategory | null;
  /** Only permits with 0..=N days left (not expired). */
  expiringWithin: number | null;
  /** The search's group-bys: list groups, graph axis (+ series), pivot rows. */
  groupBy: GroupBy[];
  /** Pivot column group-bys. */
  pivotCols: GroupBy[];
  /** Drill-down from a pivot cell, graph point or list group. */
  drill: GroupKey[];
  sort: PermitSort;
  kanbanBy: KanbanField;
  graph: GraphType;
};

export const DEFAULT_SORT: PermitSort = { field: "expiry_date", descending: false };

export const DEFAULT_SEARCH: SearchState = {
  view: "list",
  text: "",
  expiry: [],
  status: [],
  types: [],
  category: null,
  expiringWithin: null,
  groupBy: [],
  pivotCols: [],
  drill: [],
  sort: DEFAULT_SORT,
  kanbanBy: "status",
  graph: "bar",
};

export function isDateField(field: PermitField): boolean {
  return DATE_FIELDS.includes(field);
}

/** A group-by with the interval normalised: dates default to month, other fields carry none. */
export function groupBy(field: PermitField, interval: DateInterval | null = null): GroupBy {
  return { field, interval: isDateField(field) ? (interval ?? "month") : null };
}

export function sameGroupBy(a: GroupBy, b: GroupBy): boolean {
  return a.field === b.field && (a.interval ?? null) === (b.interval ?? null);
}

/** "status", "expiry_date:quarter". */
export function encodeGroupBy(g: GroupBy): string {
  return g.interval && isDateField(g.field) ? `${g.field}:${g.interval}` : g.field;
}

export function decodeGroupBy(s: string): GroupBy | null {
  const [field, interval] = s.split(":");
  if (!field || !(PERMIT_FIELDS as readonly string[]).includes(field)) return null;
  const f = field as PermitField;
  if (interval != null && !(DATE_INTERVALS as readonly string[]).includes(interval)) return null;
  return groupBy(f, (interval as DateInterval | undefined) ?? null);
}

// A drill key is "<group-by>~<key>"; a missing "~" is the "None" group (null key).
function encodeGroupKey(k: GroupKey): string {
  return k.key == null ? encodeGroupBy(k.group_by) : `${encodeGroupBy(k.group_by)}~${k.key}`;
}

function decodeGroupKey(s: string): GroupKey | null {
  const i = s.indexOf("~");
  const g = decodeGroupBy(i < 0 ? s : s.slice(0, i));
  if (!g) return null;
  return { group_by: g, key: i < 0 ? null : s.slice(i + 1) };
}

function pick<T extends string>(values: string[], allowed: readonly T[]): T[] {
  const out: T[] = [];
  for (const v of values) if ((allowed as readonly string[]).includes(v) && !out.includes(v as T)) out.push(v as T);
  return out;
}

function groupBys(values: string[]): GroupBy[] {
  const out: GroupBy[] = [];
  for (const v of values) {
    const g = decodeGroupBy(v);
    if (g && !out.some((o) => sameGroupBy(o, g))) out.push(g);
  }
  return out;
}

/** Reads the search from an address query ("view=kanban&search=…"); anything unknown is ignored. */
export function parseSearch(query: string): SearchState {
  const p = new URLSearchParams(query.startsWith("?") ? query.slice(1) : query);
  const view = p.get("view");
  const sort = p.get("sort");
  let parsedSort = DEFAULT_SORT;
  if (sort) {
    const [field, dir] = sort.split(":");
    if (field && (SORT_FIELDS as readonly string[]).includes(field)) {
      parsedSort = { field: field as PermitSortField, descending: dir === "desc" };
    }
  }
  const category = p.get("category");
  const kb = p.get("kanban_by");
  const gt = p.get("graph");
  const within = Number.parseInt(p.get("expiring_within_days") ?? "", 10);
  return {
    view: (PERMIT_VIEWS as readonly string[]).includes(view ?? "") ? (view as PermitView) : "list",
    text: p.get("search") ?? "",
    expiry: pick(p.getAll("expiry_status"), EXPIRY_STATUSES),
    status: pick(p.getAll("status"), PERMIT_STATUSES),
    types: [...new Set(p.getAll("type").filter((t) => t !== ""))],
    category: (PERMIT_CATEGORIES as readonly string[]).includes(category ?? "") ? (category as PermitCategory) : null,
    expiringWithin: Number.isFinite(within) && within >= 0 ? within : null,
    groupBy: groupBys(p.getAll("group_by")),
    pivotCols: groupBys(p.getAll("pivot_cols")),
    drill: p.getAll("drill").map(decodeGroupKey).filter((k): k is GroupKey => k != null),
    sort: parsedSort,
    kanbanBy: kb === "expiry_status" ? "expiry_status" : "status",
    graph: gt === "line" || gt === "pie" ? gt : "bar",
  };
}

/** Writes the search as an address query, leaving out what is at its default. */
export function serializeSearch(s: SearchState): string {
  const p = new URLSearchParams();
  if (s.view !== "list") p.set("view", s.view);
  if (s.text.trim()) p.set("search", s.text);
  s.expiry.forEach((v) => p.append("expiry_status", v));
  s.status.forEach((v) => p.append("status", v));
  s.types.forEach((v) => p.append("type", v));
  if (s.category) p.set("category", s.category);
  if (s.expiringWithin != null) p.set("expiring_within_days", String(s.expiringWithin));
  s.groupBy.forEach((g) => p.append("group_by", encodeGroupBy(g)));
  s.pivotCols.forEach((g) => p.append("pivot_cols", encodeGroupBy(g)));
  s.drill.forEach((k) => p.append("drill", encodeGroupKey(k)));
  if (s.sort.field !== DEFAULT_SORT.field || s.sort.descending !== DEFAULT_SORT.descending) {
    p.set("sort", `${s.sort.field}:${s.sort.descending ? "desc" : "asc"}`);
  }
  if (s.kanbanBy !== "status") p.set("kanban_by", s.kanbanBy);
  if (s.graph !== "bar") p.set("graph", s.graph);
  return p.toString();
}

/** The backend filter of a search (the view, group-bys and sort are not part of it). */
export function toFilter(s: SearchState, extraGroups: GroupKey[] = []): PermitFilter {
  const text = s.text.trim();
  return {
    search: text ? text : null,
    expiry_status: [...s.expiry],
    status: [...s.status],
    permit_type: [...s.types],
    category: s.category,
    connection_id: null,
    expiring_within_days: s.expiringWithin,
    groups: [...s.drill, ...extraGroups],
  };
}

/** Adds a value to a multi-choice filter, or takes it out when it is there. */
export function toggleValue<T>(values: readonly T[], value: T): T[] {
  return values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
}

/** Adds a group-by at the end, or takes it out when it is there. */
export function toggleGroupBy(list: readonly GroupBy[], g: GroupBy): GroupBy[] {
  return list.some((o) => sameGroupBy(o, g)) ? list.filter((o) => !sameGroupBy(o, g)) : [...list, g];
}

/** Whether the search filters anything (for "clear all" and empty-state wording). */
export function hasFilters(s: SearchState): boolean {
  return (
    s.text.trim() !== "" ||
    s.expiry.length > 0 ||
    s.status.length > 0 ||
    s.types.length > 0 ||
    s.category != null ||
    s.expiringWithin != null ||
    s.drill.length > 0
  );
}

/** The search without any filter (keeps view, group-bys and sort). */
export function clearFilters(s: SearchState): SearchState {
  return { ...s, text: "", expiry: [], status: [], types: [], category: null, expiringWithin: null, drill: [] };
}

/** The list search that opens the records behind a pivot cell or a graph point. */
export function drillDown(s: SearchState, keys: GroupKey[]): SearchState {
  const drill = [...s.drill];
  for (const k of keys) if (!drill.some((d) => sameGroupBy(d.group_by, k.group_by) && d.key === k.key)) drill.push(k);
  return { ...s, view: "list", groupBy: [], drill };
}

/** Group keys along a path of a grouping: [fields[0] = path[0], fields[1] = path[1], …]. */
export function pathKeys(fields: readonly GroupBy[], path: readonly (string | null)[]): GroupKey[] {
  return path.map((key, i) => ({ group_by: fields[i]!, key }));
}
