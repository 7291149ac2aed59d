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
import {
  DATE_INTERVALS,
  addDrill,
  encodeSort,
  groupByCodec,
  oneOf,
  parseSort,
  pathKeys,
  pick,
  queryParams,
  sameGroupBy,
  toggleGroupBy,
  toggleValue,
} from "./urlSearch";

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

const codec = groupByCodec(PERMIT_FIELDS, DATE_FIELDS);

export const isDateField: (field: PermitField) => boolean = codec.isDateField;
/** A group-by with the interval normalised: dates default to month, other fields carry none. */
export const groupBy: (field: PermitField, interval?: DateInterval | null) => GroupBy = codec.groupBy;
export const encodeGroupBy: (g: GroupBy) => string = codec.encodeGroupBy;
export const decodeGroupBy: (s: string) => GroupBy | null = codec.decodeGroupBy;
export { DATE_INTERVALS, sameGroupBy, toggleGroupBy, toggleValue, pathKeys };

/** Reads the search from an address query ("view=kanban&search=…"); anything unknown is ignored. */
export function parseSearch(query: string): SearchState {
  const p = queryParams(query);
  const category = p.get("category");
  const kb = p.get("kanban_by");
  const gt = p.get("graph");
  const within = Number.parseInt(p.get("expiring_within_days") ?? "", 10);
  return {
    view: oneOf(p.get("view"), PERMIT_VIEWS, "list"),
    text: p.get("search") ?? "",
    expiry: pick(p.getAll("expiry_status"), EXPIRY_STATUSES),
    status: pick(p.getAll("status"), PERMIT_STATUSES),
    types: [...new Set(p.getAll("type").filter((t) => t !== ""))],
    category: oneOf(category, PERMIT_CATEGORIES, null),
    expiringWithin: Number.isFinite(within) && within >= 0 ? within : null,
    groupBy: codec.decodeGroupBys(p.getAll("group_by")),
    pivotCols: codec.decodeGroupBys(p.getAll("pivot_cols")),
    drill: codec.decodeGroupKeys(p.getAll("drill")),
    sort: parseSort(p.get("sort"), SORT_FIELDS, DEFAULT_SORT),
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
  s.drill.forEach((k) => p.append("drill", codec.encodeGroupKey(k)));
  const sort = encodeSort(s.sort, DEFAULT_SORT);
  if (sort) p.set("sort", sort);
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
  return { ...s, view: "list", groupBy: [], drill: addDrill(s.drill, keys) };
}
