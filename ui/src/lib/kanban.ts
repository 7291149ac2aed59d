// Kanban moves: whether a drop writes anything, and the optimistic change of the cached columns
// that is undone when the backend refuses the write.
import type { PermitList, PermitRow, PermitStatus, PivotResult } from "../api/types";
import { PERMIT_STATUSES, type KanbanField } from "./permitSearch";

export type DropDecision =
  | { kind: "none" }
  /** The column field is computed (expiry status follows the expiry date): nothing to write. */
  | { kind: "refused"; reason: "computed" }
  | { kind: "move"; status: PermitStatus };

/** What dropping a card from column `from` on column `to` means. */
export function dropDecision(by: KanbanField, from: string, to: string | null | undefined): DropDecision {
  if (to == null || to === from) return { kind: "none" };
  if (by !== "status") return { kind: "refused", reason: "computed" };
  if (!(PERMIT_STATUSES as readonly string[]).includes(to)) return { kind: "none" };
  return { kind: "move", status: to as PermitStatus };
}

/** The cached pages of one column (TanStack's infinite-query data). */
export type ColumnPages = { pages: PermitList[]; pageParams: unknown[] };

/** The query cache as the move sees it. */
export interface BoardCache {
  get(key: readonly unknown[]): unknown;
  set(key: readonly unknown[], value: unknown): void;
}

export type MoveKeys = {
  /** Cards of the column the card leaves, and of the one it joins. */
  from: readonly unknown[];
  to: readonly unknown[];
  /** Column counts and colour bars: a pivot of [column field] × [expiry status]. */
  summary: readonly unknown[];
};

export function removeCard(data: ColumnPages, id: number): ColumnPages {
  return {
    ...data,
    pages: data.pages.map((p) => {
      const rows = p.rows.filter((r) => r.id !== id);
      return { rows, total: rows.length === p.rows.length ? p.total : Math.max(0, p.total - 1) };
    }),
  };
}

export function insertCard(data: ColumnPages, card: PermitRow): ColumnPages {
  const [first, ...rest] = data.pages;
  if (!first) return { ...data, pages: [{ rows: [card], total: 1 }] };
  return {
    ...data,
    pages: [{ rows: [card, ...first.rows.filter((r) => r.id !== card.id)], total: first.total + 1 }, ...rest.map((p) => ({ ...p, total: p.total + 1 }))],
  };
}

/** Moves one card's count from column `from` to `to` in the summary, in its expiry segment. */
export function moveInSummary(summary: PivotResult, card: PermitRow, from: string, to: string): PivotResult {
  const cells = summary.cells.map((c) => ({ ...c }));
  const seg = card.expiry_status;
  const source = cells.find((c) => c.row[0] === from && c.col[0] === seg);
  if (source) source.count = Math.max(0, source.count - 1);
  const target = cells.find((c) => c.row[0] === to && c.col[0] === seg);
  if (target) target.count += 1;
  else cells.push({ row: [to], col: [seg], count: 1 });
  return { ...summary, cells: cells.filter((c) => c.count > 0) };
}

/**
 * Moves `card` to column `to` in the cache at once, before the backend answers. Returns the undo,
 * which puts back exactly what was cached before.
 */
export function optimisticMove(cache: BoardCache, keys: MoveKeys, card: PermitRow, from: string, to: string, status: PermitStatus): () => void {
  const before = {
    from: cache.get(keys.from) as ColumnPages | undefined,
    to: cache.get(keys.to) as ColumnPages | undefined,
    summary: cache.get(keys.summary) as PivotResult | undefined,
  };
  if (before.from) cache.set(keys.from, removeCard(before.from, card.id));
  if (before.to) cache.set(keys.to, insertCard(before.to, { ...card, status }));
  if (before.summary) cache.set(keys.summary, moveInSummary(before.summary, card, from, to));
  return () => {
    cache.set(keys.from, before.from);
    cache.set(keys.to, before.to);
    cache.set(keys.summary, before.summary);
  };
}

/** Column counts and expiry segments from the summary pivot. */
export function columnSummary(summary: PivotResult | undefined, column: string): { count: number; segments: Map<string, number> } {
  const segments = new Map<string, number>();
  let count = 0;
  for (const c of summary?.cells ?? []) {
    if (c.row[0] !== column) continue;
    count += c.count;
    const seg = c.col[0] ?? "unknown";
    segments.set(seg, (segments.get(seg) ?? 0) + c.count);
  }
  return { count, segments };
}
