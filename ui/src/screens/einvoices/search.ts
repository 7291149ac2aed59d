// The e-invoice views' one search model, as the permit views have theirs: text, filters,
// group-bys, sort, drill-down and the view's own choices, kept in the address's query so the
// list, kanban, pivot and graph share it and a reload or Back brings it back.
import type {
  DateInterval,
  DocumentState,
  EinvoiceField,
  EinvoiceFilter,
  EinvoiceGroupBy,
  EinvoiceGroupKey,
  EinvoiceSort,
  EinvoiceSortField,
} from "../../api/types";

export const EINVOICE_VIEWS = ["list", "kanban", "pivot", "graph"] as const;
export type EinvoiceView = (typeof EINVOICE_VIEWS)[number];

/** The life of a document, in order. */
export const DOCUMENT_STATES: readonly DocumentState[] = ["draft", "generated", "signed", "submitted", "processing", "accepted", "rejected", "error"];
/** Document types: factura, nota de débito, nota de crédito, tiquete. */
export const DOC_TYPES: readonly string[] = ["01", "02", "03", "04"];
export const EINVOICE_FIELDS: readonly EinvoiceField[] = ["state", "doc_type", "receiver", "currency", "source", "issued_date", "created_date"];
export const DATE_FIELDS: readonly EinvoiceField[] = ["issued_date", "created_date"];
export const DATE_INTERVALS: readonly DateInterval[] = ["month", "quarter", "year"];
export const SORT_FIELDS: readonly EinvoiceSortField[] = ["consecutivo", "issued_at", "receiver", "total", "state", "created_at", "updated_at"];
export const MEASURES = ["count", "total", "tax"] as const;
export type Measure = (typeof MEASURES)[number];
export type GraphType = "bar" | "line" | "pie";
export type GraphMeasure = "count" | "total";

export type SearchState = {
  view: EinvoiceView;
  /** Free text: number, clave, receiver name or id, reference. */
  text: string;
  states: DocumentState[];
  types: string[];
  /** Issued (or created) on or after / before these days ("2025-03-01"). */
  from: string | null;
  to: string | null;
  /** Documents whose Hacienda answers carry this error code. */
  errorCode: string | null;
  /** Pivot rows; the graph's axis (and series). */
  groupBy: EinvoiceGroupBy[];
  pivotCols: EinvoiceGroupBy[];
  /** Drill-down from a pivot cell or a graph point. */
  drill: EinvoiceGroupKey[];
  sort: EinvoiceSort;
  measures: Measure[];
  graph: GraphType;
  graphMeasure: GraphMeasure;
};

export const DEFAULT_SORT: EinvoiceSort = { field: "issued_at", descending: true };
const DEFAULT_MEASURES: Measure[] = ["count", "total"];

export const DEFAULT_SEARCH: SearchState = {
  view: "list",
  text: "",
  states: [],
  types: [],
  from: null,
  to: null,
  errorCode: null,
  groupBy: [],
  pivotCols: [],
  drill: [],
  sort: DEFAULT_SORT,
  measures: DEFAULT_MEASURES,
  graph: "bar",
  graphMeasure: "count",
};

export function isDateField(field: EinvoiceField): boolean {
  return DATE_FIELDS.includes(field);
}

/** A group-by with the interval normalised: dates default to month, other fields carry none. */
export function groupBy(field: EinvoiceField, interval: DateInterval | null = null): EinvoiceGroupBy {
  return { field, interval: isDateField(field) ? (interval ?? "month") : null };
}

export function sameGroupBy(a: EinvoiceGroupBy, b: EinvoiceGroupBy): boolean {
  return a.field === b.field && (a.interval ?? null) === (b.interval ?? null);
}

/** "state", "issued_date:quarter". */
export function encodeGroupBy(g: EinvoiceGroupBy): string {
  return g.interval && isDateField(g.field) ? `${g.field}:${g.interval}` : g.field;
}

export function decodeGroupBy(s: string): EinvoiceGroupBy | null {
  const [field, interval] = s.split(":");
  if (!field || !(EINVOICE_FIELDS as readonly string[]).includes(field)) return null;
  if (interval != null && !(DATE_INTERVALS as readonly string[]).includes(interval)) return null;
  return groupBy(field as EinvoiceField, (interval as DateInterval | undefined) ?? null);
}

// A drill key is "<group-by>~<key>"; without "~" it is the "None" group (null key).
function encodeGroupKey(k: EinvoiceGroupKey): string {
  return k.key == null ? encodeGroupBy(k.group_by) : `${encodeGroupBy(k.group_by)}~${k.key}`;
}

function decodeGroupKey(s: string): EinvoiceGroupKey | null {
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

function groupBys(values: string[]): EinvoiceGroupBy[] {
  const out: EinvoiceGroupBy[] = [];
  for (const v of values) {
    const g = decodeGroupBy(v);
    if (g && !out.some((o) => sameGroupBy(o, g))) out.push(g);
  }
  return out;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = (v: string | null) => (v && DAY.test(v) ? v : null);

/** Reads the search from an address query; anything unknown is ignored. */
export function parseSearch(query: string): SearchState {
  const p = new URLSearchParams(query.startsWith("?") ? query.slice(1) : query);
  const view = p.get("view");
  let sort = DEFAULT_SORT;
  const s = p.get("sort");
  if (s) {
    const [field, dir] = s.split(":");
    if (field && (SORT_FIELDS as readonly string[]).includes(field)) sort = { field: field as EinvoiceSortField, descending: dir === "desc" };
  }
  const measures = pick(p.getAll("measure"), MEASURES);
  const gt = p.get("graph");
  const code = p.get("error_code")?.trim();
  return {
    view: (EINVOICE_VIEWS as readonly string[]).includes(view ?? "") ? (view as EinvoiceView) : "list",
    text: p.get("search") ?? "",
    states: pick(p.getAll("state"), DOCUMENT_STATES),
    types: pick(p.getAll("type"), DOC_TYPES),
    from: day(p.get("from")),
    to: day(p.get("to")),
    errorCode: code ? code : null,
    groupBy: groupBys(p.getAll("group_by")),
    pivotCols: groupBys(p.getAll("pivot_cols")),
    drill: p.getAll("drill").map(decodeGroupKey).filter((k): k is EinvoiceGroupKey => k != null),
    sort,
    measures: measures.length ? measures : DEFAULT_MEASURES,
    graph: gt === "line" || gt === "pie" ? gt : "bar",
    graphMeasure: p.get("graph_measure") === "total" ? "total" : "count",
  };
}

/** Writes the search as an address query, leaving out what is at its default. */
export function serializeSearch(s: SearchState): string {
  const p = new URLSearchParams();
  if (s.view !== "list") p.set("view", s.view);
  if (s.text.trim()) p.set("search", s.text);
  s.states.forEach((v) => p.append("state", v));
  s.types.forEach((v) => p.append("type", v));
  if (s.from) p.set("from", s.from);
  if (s.to) p.set("to", s.to);
  if (s.errorCode) p.set("error_code", s.errorCode);
  s.groupBy.forEach((g) => p.append("group_by", encodeGroupBy(g)));
  s.pivotCols.forEach((g) => p.append("pivot_cols", encodeGroupBy(g)));
  s.drill.forEach((k) => p.append("drill", encodeGroupKey(k)));
  if (s.sort.field !== DEFAULT_SORT.field || s.sort.descending !== DEFAULT_SORT.descending) p.set("sort", `${s.sort.field}:${s.sort.descending ? "desc" : "asc"}`);
  if (s.measures.join() !== DEFAULT_MEASURES.join()) s.measures.forEach((m) => p.append("measure", m));
  if (s.graph !== "bar") p.set("graph", s.graph);
  if (s.graphMeasure !== "count") p.set("graph_measure", s.graphMeasure);
  return p.toString();
}

/** The backend filter of a search (view, group-bys and sort are not part of it). */
export function toFilter(s: SearchState, extraGroups: EinvoiceGroupKey[] = []): EinvoiceFilter {
  const text = s.text.trim();
  return {
    search: text ? text : null,
    state: [...s.states],
    doc_type: [...s.types],
    connection_id: null,
    from: s.from,
    to: s.to,
    error_code: s.errorCode,
    groups: [...s.drill, ...extraGroups],
  };
}

/** The filter that matches every document. */
export const NO_FILTER: EinvoiceFilter = toFilter(DEFAULT_SEARCH);

export function toggleValue<T>(values: readonly T[], value: T): T[] {
  return values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
}

export function toggleGroupBy(list: readonly EinvoiceGroupBy[], g: EinvoiceGroupBy): EinvoiceGroupBy[] {
  return list.some((o) => sameGroupBy(o, g)) ? list.filter((o) => !sameGroupBy(o, g)) : [...list, g];
}

/** Whether the search filters anything. */
export function hasFilters(s: SearchState): boolean {
  return s.text.trim() !== "" || s.states.length > 0 || s.types.length > 0 || s.from != null || s.to != null || s.errorCode != null || s.drill.length > 0;
}

/** The search without any filter (keeps the view, group-bys, sort and measures). */
export function clearFilters(s: SearchState): SearchState {
  return { ...s, text: "", states: [], types: [], from: null, to: null, errorCode: null, drill: [] };
}

/** The list search that opens the documents behind a pivot cell or a graph point. */
export function drillDown(s: SearchState, keys: EinvoiceGroupKey[]): SearchState {
  const drill = [...s.drill];
  for (const k of keys) if (!drill.some((d) => sameGroupBy(d.group_by, k.group_by) && d.key === k.key)) drill.push(k);
  return { ...s, view: "list", drill };
}

/** Group keys along a path of a grouping. */
export function pathKeys(fields: readonly EinvoiceGroupBy[], path: readonly (string | null)[]): EinvoiceGroupKey[] {
  return path.map((key, i) => ({ group_by: fields[i]!, key }));
}
