// Bulk work over a selection: resolving "all matching" to rows, and running writes a few at a time.
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

/** Runs `work` on every item, `concurrency` at a time; returns the failures with their errors. */
export async function runLimited<T>(
  items: readonly T[],
  work: (item: T) => Promise<unknown>,
  concurrency = 4,
  onProgress?: (done: number) => void,
): Promise<Array<{ item: T; error: unknown }>> {
  const failures: Array<{ item: T; error: unknown }> = [];
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failures.push({ item, error });
      }
      onProgress?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return failures;
}
