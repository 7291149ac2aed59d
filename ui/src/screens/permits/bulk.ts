// Bulk work over a selection: resolving "all matching" to rows, and slicing writes into chunks.
import { call } from "../../api/client";
import type { PermitFilter, PermitRow, PermitSort } from "../../api/types";

const FETCH_LIMIT = 1000;

/** Every row of a search, fetched 1000 at a time (the backend's page limit). */
export async function fetchAllRows(filter: PermitFilter, sort: PermitSort, onProgress?: (done: number, total: number) => void): Promise<PermitRow[]> {
  const out: PermitRow[] = [];
  let total = Infinity;
  while (out.length < total) {
    const page = await call("list_permits", { query: { filter, sort, offset: out.length, limit: FETCH_LIMIT } });
    total = page.total;
    out.push(...page.rows);
    onProgress?.(out.length, total);
    if (page.rows.length === 0) break;
  }
  return out;
}

/** Permits changed per call of a bulk status change. */
export const BULK_CHUNK = 2000;

/** `items` in slices of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
