import { describe, expect, it } from "vitest";
import type { PivotResult } from "../api/types";
import { permitRow } from "../test/permits";
import { columnSummary, dropDecision, insertCard, optimisticMove, removeCard, type BoardCache, type ColumnPages } from "./kanban";

function mapCache(entries: Array<[readonly unknown[], unknown]>): BoardCache & { map: Map<string, unknown> } {
  const map = new Map(entries.map(([k, v]) => [JSON.stringify(k), v]));
  return {
    map,
    get: (k) => map.get(JSON.stringify(k)),
    set: (k, v) => {
      map.set(JSON.stringify(k), v);
    },
  };
}

describe("dropping a card", () => {
  it("writes the status when the board is grouped by status", () => {
    expect(dropDecision("status", "active", "renewed")).toEqual({ kind: "move", status: "renewed" });
  });

  it("does nothing on the same column or outside any column", () => {
    expect(dropDecision("status", "active", "active")).toEqual({ kind: "none" });
    expect(dropDecision("status", "active", null)).toEqual({ kind: "none" });
    expect(dropDecision("status", "active", "bogus")).toEqual({ kind: "none" });
  });

  it("refuses to write a computed field (expiry status follows the expiry date)", () => {
    expect(dropDecision("expiry_status", "ok", "expired")).toEqual({ kind: "refused", reason: "computed" });
  });
});

describe("optimistic move", () => {
  const card = permitRow(7, { status: "active", expiry_status: "critical" });
  const other = permitRow(8, { status: "active", expiry_status: "ok" });
  const renewed = permitRow(9, { status: "renewed", expiry_status: "ok" });
  const from: ColumnPages = { pages: [{ rows: [card, other], total: 2 }], pageParams: [0] };
  const to: ColumnPages = { pages: [{ rows: [renewed], total: 1 }], pageParams: [0] };
  const summary: PivotResult = {
    cells: [
      { row: ["active"], col: ["critical"], count: 1 },
      { row: ["active"], col: ["ok"], count: 1 },
      { row: ["renewed"], col: ["ok"], count: 1 },
    ],
    too_many: false,
    total: 3,
  };
  const keys = { from: ["cards", "active"], to: ["cards", "renewed"], summary: ["summary"] };

  it("moves the card, its count and its colour segment at once", () => {
    const cache = mapCache([
      [keys.from, from],
      [keys.to, to],
      [keys.summary, summary],
    ]);
    optimisticMove(cache, keys, card, "active", "renewed", "renewed");
    const f = cache.get(keys.from) as ColumnPages;
    const t = cache.get(keys.to) as ColumnPages;
    expect(f.pages[0]!.rows.map((r) => r.id)).toEqual([8]);
    expect(f.pages[0]!.total).toBe(1);
    expect(t.pages[0]!.rows.map((r) => [r.id, r.status])).toEqual([
      [7, "renewed"],
      [9, "renewed"],
    ]);
    const s = cache.get(keys.summary) as PivotResult;
    expect(columnSummary(s, "active")).toEqual({ count: 1, segments: new Map([["ok", 1]]) });
    expect(columnSummary(s, "renewed")).toEqual({
      count: 2,
      segments: new Map([
        ["ok", 1],
        ["critical", 1],
      ]),
    });
  });

  it("undo puts back exactly what was cached, and the inputs were never mutated", () => {
    const cache = mapCache([
      [keys.from, from],
      [keys.to, to],
      [keys.summary, summary],
    ]);
    const snapshot = JSON.stringify([from, to, summary]);
    const undo = optimisticMove(cache, keys, card, "active", "renewed", "renewed");
    expect(JSON.stringify([from, to, summary])).toBe(snapshot);
    undo();
    expect(cache.get(keys.from)).toBe(from);
    expect(cache.get(keys.to)).toBe(to);
    expect(cache.get(keys.summary)).toBe(summary);
  });

  it("works when a column was never loaded", () => {
    const cache = mapCache([[keys.from, from]]);
    const undo = optimisticMove(cache, keys, card, "active", "renewed", "renewed");
    expect(cache.get(keys.to)).toBeUndefined();
    undo();
    expect(cache.get(keys.from)).toBe(from);
  });

  it("inserts and removes across pages", () => {
    const two: ColumnPages = { pages: [{ rows: [other], total: 2 }, { rows: [renewed], total: 2 }], pageParams: [0, 50] };
    expect(removeCard(two, 9).pages.map((p) => [p.rows.length, p.total])).toEqual([
      [1, 2],
      [0, 1],
    ]);
    expect(insertCard(two, card).pages.map((p) => [p.rows.map((r) => r.id), p.total])).toEqual([
      [[7, 8], 3],
      [[9], 3],
    ]);
    expect(insertCard({ pages: [], pageParams: [] }, card).pages[0]!.rows).toHaveLength(1);
  });
});
