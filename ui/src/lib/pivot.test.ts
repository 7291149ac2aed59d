import { describe, expect, it } from "vitest";
import type { PivotCell } from "../api/types";
import {
  buildTree,
  cellValues,
  collapseAll,
  collapseForNewLevel,
  columnLayout,
  keyComparator,
  measureValue,
  shownTable,
  sumIndex,
  toggleCollapsed,
  visibleRows,
  type PivotNode,
} from "./pivot";
import { groupBy } from "./permitSearch";

const rowFields = [groupBy("status"), groupBy("permit_type")];
const colFields = [groupBy("expiry_status")];

// status × type  →  expiry status
const cells: PivotCell[] = [
  { row: ["active", "SIUP"], col: ["ok"], count: 5 },
  { row: ["active", "SIUP"], col: ["critical"], count: 2 },
  { row: ["active", "IMB"], col: ["ok"], count: 1 },
  { row: ["draft", null], col: ["unknown"], count: 3 },
  { row: ["active", "IMB"], col: ["expired"], count: 4 },
];

const COUNT = ["count"] as const;
const label = (_axis: "row" | "col", n: PivotNode) => (n.depth === 0 ? "Total" : (n.key ?? "None"));

describe("pivot headers", () => {
  it("builds a tree whose headers sum their children, ordered by workflow, None last", () => {
    const rows = buildTree(cells, "row", rowFields, keyComparator);
    expect(rows.count).toBe(15);
    expect(rows.children.map((c) => [c.key, c.count])).toEqual([
      ["draft", 3],
      ["active", 12],
    ]);
    const active = rows.children[1]!;
    expect(active.children.map((c) => [c.key, c.count, c.path])).toEqual([
      ["IMB", 5, ["active", "IMB"]],
      ["SIUP", 7, ["active", "SIUP"]],
    ]);
    const cols = buildTree(cells, "col", colFields, keyComparator);
    expect(cols.children.map((c) => c.key)).toEqual(["expired", "critical", "ok", "unknown"]);
    expect(keyComparator("permit_type")(null, "A")).toBeGreaterThan(0);
  });

  it("sums every row × column header pair", () => {
    const rows = buildTree(cells, "row", rowFields, keyComparator);
    const cols = buildTree(cells, "col", colFields, keyComparator);
    const sums = sumIndex(cells, 2, 1, COUNT);
    const active = rows.children[1]!;
    const ok = cols.children.find((c) => c.key === "ok")!;
    expect(cellValues(sums, rows, cols).count).toBe(15);
    expect(cellValues(sums, active, ok).count).toBe(6);
    expect(cellValues(sums, active, cols).count).toBe(12);
    expect(cellValues(sums, active.children[1]!, ok).count).toBe(5);
    expect(cellValues(sums, rows.children[0]!, ok).count).toBe(0);
  });

  it("shows each row header above its sub-groups; a collapsed header hides them and keeps the sum", () => {
    const rows = buildTree(cells, "row", rowFields, keyComparator);
    expect(visibleRows(rows, new Set()).map((n) => n.path)).toEqual([
      [],
      ["draft"],
      ["draft", null],
      ["active"],
      ["active", "IMB"],
      ["active", "SIUP"],
    ]);
    const collapsed = toggleCollapsed(new Set(), rows.children[1]!);
    const shown = visibleRows(rows, collapsed);
    expect(shown.map((n) => n.path)).toEqual([[], ["draft"], ["draft", null], ["active"]]);
    expect(shown[3]!.count).toBe(12);
    expect(visibleRows(rows, toggleCollapsed(collapsed, rows.children[1]!))).toHaveLength(6);
    expect(visibleRows(rows, new Set([rows.id]))).toEqual([rows]);
    expect(visibleRows(rows, collapseAll(rows)).map((n) => n.path)).toEqual([[], ["draft"], ["active"]]);
  });

  it("lays out nested column headers with spans, then the total column", () => {
    const twoLevel: PivotCell[] = [
      { row: [], col: ["2026", "ok"], count: 1 },
      { row: [], col: ["2026", "critical"], count: 2 },
      { row: [], col: ["2027", "ok"], count: 3 },
    ];
    const cols = buildTree(twoLevel, "col", [groupBy("expiry_date", "year"), groupBy("expiry_status")], keyComparator);
    const layout = columnLayout(cols, new Set());
    expect(layout.columns.map((c) => c.path)).toEqual([["2026", "critical"], ["2026", "ok"], ["2027", "ok"], []]);
    expect(layout.headerRows.map((r) => r.map((h) => [h.node.key ?? "T", h.colSpan, h.rowSpan]))).toEqual([
      [["T", 3, 1], ["T", 1, 3]],
      [["2026", 2, 1], ["2027", 1, 1]],
      [["critical", 1, 1], ["ok", 1, 1], ["ok", 1, 1]],
    ]);
    const collapsed = columnLayout(cols, new Set([cols.children[0]!.id]));
    expect(collapsed.columns.map((c) => c.path)).toEqual([["2026"], ["2027", "ok"], []]);
    expect(collapsed.headerRows[1]!.map((h) => [h.node.key, h.colSpan, h.rowSpan])).toEqual([
      ["2026", 1, 2],
      ["2027", 1, 1],
    ]);
  });

  it("without column group-bys has one value column, the total", () => {
    const cols = buildTree([{ row: ["a"], col: [], count: 2 }], "col", [], keyComparator);
    const layout = columnLayout(cols, new Set());
    expect(layout.columns).toEqual([cols]);
    expect(layout.headerRows).toEqual([[{ node: cols, colSpan: 1, rowSpan: 1, expanded: false }]]);
  });

  it("keeps only the header clicked open when a level is added from it", () => {
    const rows = buildTree(cells, "row", [groupBy("status")], keyComparator);
    const draft = rows.children[0]!;
    const next = collapseForNewLevel(rows, new Set([draft.id]), draft);
    expect([...next]).toEqual([rows.children[1]!.id]);
    // Once the deeper cells arrive, the other header stays closed.
    const deeper = buildTree(cells, "row", rowFields, keyComparator);
    expect(visibleRows(deeper, next).map((n) => n.path)).toEqual([[], ["draft"], ["draft", null], ["active"]]);
  });

  it("exports exactly the shown rows and columns", () => {
    const rows = buildTree(cells, "row", rowFields, keyComparator);
    const cols = buildTree(cells, "col", colFields, keyComparator);
    const collapsed = new Set([rows.children[1]!.id]);
    const shownRows = visibleRows(rows, collapsed);
    const { columns } = columnLayout(cols, new Set());
    const table = shownTable(shownRows, columns, COUNT, sumIndex(cells, 2, 1, COUNT), label, () => "Count", "Count");
    expect(table.columns).toEqual(["Count", "expired", "critical", "ok", "unknown", "Total"]);
    expect(table.rows).toEqual([
      ["Total", 4, 2, 6, 3, 15],
      ["  draft", 0, 0, 0, 3, 3],
      ["    None", 0, 0, 0, 3, 3],
      ["  active", 4, 2, 6, 0, 12],
    ]);
  });

  it("sums every measure of cells that carry more than a count, and names the measure in exports", () => {
    const money = [
      { row: ["active"], col: ["ok"], count: 2, total: 10.1, tax: 1 },
      { row: ["active"], col: ["critical"], count: 1, total: 0.2, tax: 0.03 },
    ];
    const measures = ["count", "total", "tax"] as const;
    const rows = buildTree(money, "row", [groupBy("status")], keyComparator);
    const cols = buildTree(money, "col", colFields, keyComparator);
    const sums = sumIndex(money, 1, 1, measures);
    expect(cellValues(sums, rows, cols)).toEqual({ count: 3, total: 10.1 + 0.2, tax: 1.03 });
    expect(cellValues(sums, rows, cols.children[0]!)).toEqual({ count: 1, total: 0.2, tax: 0.03 });
    expect(cellValues(sums, rows, { ...cols, id: "missing" })).toEqual({ count: 0, total: 0, tax: 0 });
    // Money sums are shown to the cent; counts as they are.
    expect(measureValue({ total: 10.1 + 0.2 }, "total")).toBe(10.3);
    const table = shownTable(visibleRows(rows, new Set()), [cols], ["count", "total"], sums, label, (m) => m.toUpperCase(), "Corner");
    expect(table.columns).toEqual(["Corner", "Total / COUNT", "Total / TOTAL"]);
    expect(table.rows).toEqual([
      ["Total", 3, 10.3],
      ["  active", 3, 10.3],
    ]);
  });
});
