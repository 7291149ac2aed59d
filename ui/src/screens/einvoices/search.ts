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
} from "../../lib/urlSearch";

export const EINVOICE_VIEWS = ["list", "kanban", "pivot", "graph"] as const;
export type EinvoiceView = (typeof EINVOICE_VIEWS)[number];

/** The life of a document, in order. */
export const DOCUMENT_STATES: readonly DocumentState[] = ["draft", "generated", "signed", "submitted", "processing", "accepted", "rejected", "error"];
/** Document types: factura, nota de débito, nota de crédito, tiquete. */
export const DOC_TYPES: readonly string[] = ["01", "02", "03", "04"];
export const EINVOICE_FIELDS: readonly EinvoiceField[] = ["state", "doc_type", "receiver", "currency", "source", "issued_date", "created_date"];
export const DATE_FIELDS: readonly EinvoiceField[] = ["issued_date", "created_date"];
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

const codec = groupByCodec(EINVOICE_FIELDS, DATE_FIELDS);

export const isDateField: (field: EinvoiceField) => boolean = codec.isDateField;
/** A group-by with the interval normalised: dates default to month, other fields carry none. */
export const groupBy: (field: EinvoiceField, interval?: DateInterval | null) => EinvoiceGroupBy = codec.groupBy;
export const encodeGroupBy: (g: EinvoiceGroupBy) => string = codec.encodeGroupBy;
export const decodeGroupBy: (s: string) => EinvoiceGroupBy | null = codec.decodeGroupBy;
export { DATE_INTERVALS, sameGroupBy, toggleGroupBy, toggleValue, pathKeys };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = (v: string | null) => (v && DAY.test(v) ? v : null);

/** Reads the search from an address query; anything unknown is ignored. */
export function parseSearch(query: string): SearchState {
  const p = queryParams(query);
  const measures = pick(p.getAll("measure"), MEASURES);
  const gt = p.get("graph");
  const code = p.get("error_code")?.trim();
  return {
    view: oneOf(p.get("view"), EINVOICE_VIEWS, "list"),
    text: p.get("search") ?? "",
    states: pick(p.getAll("state"), DOCUMENT_STATES),
    types: pick(p.getAll("type"), DOC_TYPES),
    from: day(p.get("from")),
    to: day(p.get("to")),
    errorCode: code ? code : null,
    groupBy: codec.decodeGroupBys(p.getAll("group_by")),
    pivotCols: codec.decodeGroupBys(p.getAll("pivot_cols")),
    drill: codec.decodeGroupKeys(p.getAll("drill")),
    sort: parseSort(p.get("sort"), SORT_FIELDS, DEFAULT_SORT),
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
  s.drill.forEach((k) => p.append("drill", codec.encodeGroupKey(k)));
  const sort = encodeSort(s.sort, DEFAULT_SORT);
  if (sort) p.set("sort", sort);
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
  return { ...s, view: "list", drill: addDrill(s.drill, keys) };
}
