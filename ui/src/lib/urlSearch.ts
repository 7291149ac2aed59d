// What the permit and the e-invoice search models share: group-bys with date intervals, drill
// keys, sorts and multi-choice values, read from and written to the address's query. Each model
// (lib/permitSearch.ts, screens/einvoices/search.ts) keeps its own fields and defaults.
import type { DateInterval } from "../api/types";

export const DATE_INTERVALS: readonly DateInterval[] = ["month", "quarter", "year"];

/** A group-by of some field set: permits' GroupBy, e-invoices' EinvoiceGroupBy. */
export type AnyGroupBy<F extends string> = { field: F; interval: DateInterval | null };
export type AnyGroupKey<F extends string> = { group_by: AnyGroupBy<F>; key: string | null };
export type AnySort<F extends string> = { field: F; descending: boolean };

export function sameGroupBy<F extends string>(a: AnyGroupBy<F>, b: AnyGroupBy<F>): boolean {
  return a.field === b.field && (a.interval ?? null) === (b.interval ?? null);
}

/** The group-by helpers of one field set; `dateFields` are the ones grouped by an interval. */
export function groupByCodec<F extends string>(fields: readonly F[], dateFields: readonly F[]) {
  const isDateField = (field: F): boolean => dateFields.includes(field);

  /** A group-by with the interval normalised: dates default to month, other fields carry none. */
  const groupBy = (field: F, interval: DateInterval | null = null): AnyGroupBy<F> => ({
    field,
    interval: isDateField(field) ? (interval ?? "month") : null,
  });

  /** "status", "expiry_date:quarter". */
  const encodeGroupBy = (g: AnyGroupBy<F>): string => (g.interval && isDateField(g.field) ? `${g.field}:${g.interval}` : g.field);

  const decodeGroupBy = (s: string): AnyGroupBy<F> | null => {
    const [field, interval] = s.split(":");
    if (!field || !(fields as readonly string[]).includes(field)) return null;
    if (interval != null && !(DATE_INTERVALS as readonly string[]).includes(interval)) return null;
    return groupBy(field as F, (interval as DateInterval | undefined) ?? null);
  };

  // A drill key is "<group-by>~<key>"; a missing "~" is the "None" group (null key).
  const encodeGroupKey = (k: AnyGroupKey<F>): string => (k.key == null ? encodeGroupBy(k.group_by) : `${encodeGroupBy(k.group_by)}~${k.key}`);

  const decodeGroupKey = (s: string): AnyGroupKey<F> | null => {
    const i = s.indexOf("~");
    const g = decodeGroupBy(i < 0 ? s : s.slice(0, i));
    if (!g) return null;
    return { group_by: g, key: i < 0 ? null : s.slice(i + 1) };
  };

  /** The valid group-bys of repeated parameters, without repeats. */
  const decodeGroupBys = (values: string[]): AnyGroupBy<F>[] => {
    const out: AnyGroupBy<F>[] = [];
    for (const v of values) {
      const g = decodeGroupBy(v);
      if (g && !out.some((o) => sameGroupBy(o, g))) out.push(g);
    }
    return out;
  };

  const decodeGroupKeys = (values: string[]): AnyGroupKey<F>[] => values.map(decodeGroupKey).filter((k): k is AnyGroupKey<F> => k != null);

  return { isDateField, groupBy, encodeGroupBy, decodeGroupBy, encodeGroupKey, decodeGroupKey, decodeGroupBys, decodeGroupKeys };
}

/** The parameters of an address query, with or without its "?". */
export function queryParams(query: string): URLSearchParams {
  return new URLSearchParams(query.startsWith("?") ? query.slice(1) : query);
}

/** The allowed values among `values`, each once, in order. */
export function pick<T extends string>(values: string[], allowed: readonly T[]): T[] {
  const out: T[] = [];
  for (const v of values) if ((allowed as readonly string[]).includes(v) && !out.includes(v as T)) out.push(v as T);
  return out;
}

/** `value` when it is one of `allowed`, else `fallback`. */
export function oneOf<T extends string, D>(value: string | null | undefined, allowed: readonly T[], fallback: D): T | D {
  return (allowed as readonly string[]).includes(value ?? "") ? (value as T) : fallback;
}

/** "expiry_date:desc" → a sort over one of `fields`; anything else → `fallback`. */
export function parseSort<F extends string>(value: string | null, fields: readonly F[], fallback: AnySort<F>): AnySort<F> {
  if (!value) return fallback;
  const [field, dir] = value.split(":");
  if (!field || !(fields as readonly string[]).includes(field)) return fallback;
  return { field: field as F, descending: dir === "desc" };
}

/** The "sort" parameter, or null at the default sort (left out of the address). */
export function encodeSort<F extends string>(sort: AnySort<F>, fallback: AnySort<F>): string | null {
  if (sort.field === fallback.field && sort.descending === fallback.descending) return null;
  return `${sort.field}:${sort.descending ? "desc" : "asc"}`;
}

/**
 * A header click: the same column again flips the direction, another column starts in its own
 * first direction (ascending unless `startsDescending` says otherwise).
 */
export function nextSort<F extends string>(sort: AnySort<F>, field: F, startsDescending: (field: F) => boolean = () => false): AnySort<F> {
  return sort.field === field ? { field, descending: !sort.descending } : { field, descending: startsDescending(field) };
}

/** Adds a value to a multi-choice filter, or takes it out when it is there. */
export function toggleValue<T>(values: readonly T[], value: T): T[] {
  return values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
}

/** Adds a group-by at the end, or takes it out when it is there. */
export function toggleGroupBy<G extends AnyGroupBy<string>>(list: readonly G[], g: G): G[] {
  return list.some((o) => sameGroupBy(o, g)) ? list.filter((o) => !sameGroupBy(o, g)) : [...list, g];
}

/** The drill-down with `keys` added, each once. */
export function addDrill<K extends AnyGroupKey<string>>(drill: readonly K[], keys: readonly K[]): K[] {
  const out = [...drill];
  for (const k of keys) if (!out.some((d) => sameGroupBy(d.group_by, k.group_by) && d.key === k.key)) out.push(k);
  return out;
}

/** Group keys along a path of a grouping: [fields[0] = path[0], fields[1] = path[1], …]. */
export function pathKeys<G extends AnyGroupBy<string>>(fields: readonly G[], path: readonly (string | null)[]): { group_by: G; key: string | null }[] {
  return path.map((key, i) => ({ group_by: fields[i]!, key }));
}
