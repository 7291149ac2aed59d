import { describe, expect, it } from "vitest";
import { buildTree, cellValues, sumIndex, visibleRows } from "./pivot";
import { DEFAULT_SEARCH, drillDown, groupBy, parseSearch, serializeSearch, toFilter } from "./search";

describe("e-invoice search", () => {
  it("round-trips through the address and drops what is unknown", () => {
    const s = {
      ...DEFAULT_SEARCH,
      view: "pivot" as const,
      text: "café",
      states: ["accepted" as const, "rejected" as const],
      types: ["01"],
      from: "2025-03-01",
      to: "2025-03-31",
      errorCode: "-53",
      groupBy: [groupBy("issued_date", "quarter")],
      pivotCols: [groupBy("doc_type")],
      drill: [{ group_by: groupBy("currency"), key: "USD" }],
      measures: ["count" as const, "tax" as const],
      graphMeasure: "total" as const,
    };
    expect(parseSearch(serializeSearch(s))).toEqual(s);
    expect(serializeSearch(DEFAULT_SEARCH)).toBe("");
    expect(parseSearch("state=bogus&type=09&from=yesterday&view=table")).toEqual(DEFAULT_SEARCH);
  });

  it("makes the backend filter, and drills down into the list", () => {
    const s = { ...DEFAULT_SEARCH, view: "pivot" as const, text: "  x ", states: ["draft" as const] };
    expect(toFilter(s)).toEqual({ search: "x", state: ["draft"], doc_type: [], connection_id: null, from: null, to: null, error_code: null, groups: [] });
    const d = drillDown(s, [{ group_by: groupBy("state"), key: "draft" }]);
    expect(d.view).toBe("list");
    expect(toFilter(d).groups).toEqual([{ group_by: { field: "state", interval: null }, key: "draft" }]);
  });
});

describe("e-invoice pivot model", () => {
  it("orders states by their life and sums every measure up the headers", () => {
    const cells = [
      { row: ["accepted"], col: ["01"], count: 2, total: 100.5, tax: 13 },
      { row: ["draft"], col: ["01"], count: 1, total: 10, tax: 1 },
      { row: ["draft"], col: ["04"], count: 3, total: 30, tax: 3 },
    ];
    const rows = buildTree(cells, "row", [groupBy("state")]);
    const cols = buildTree(cells, "col", [groupBy("doc_type")]);
    expect(visibleRows(rows, new Set()).map((n) => n.key)).toEqual([null, "draft", "accepted"]);
    const sums = sumIndex(cells, 1, 1);
    expect(cellValues(sums, rows, cols)).toEqual({ count: 6, total: 140.5, tax: 17 });
    expect(cellValues(sums, rows.children[0]!, cols)).toEqual({ count: 4, total: 40, tax: 4 });
  });
});
