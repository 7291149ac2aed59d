import { describe, expect, it } from "vitest";
import { addDrill, encodeSort, groupByCodec, nextSort, oneOf, parseSort, pathKeys, pick, toggleGroupBy, toggleValue } from "./urlSearch";

const codec = groupByCodec(["status", "due_date"] as const, ["due_date"] as const);

describe("url search helpers", () => {
  it("normalises, writes and reads group-bys and drill keys", () => {
    expect(codec.groupBy("status", "year")).toEqual({ field: "status", interval: null });
    expect(codec.groupBy("due_date")).toEqual({ field: "due_date", interval: "month" });
    expect(codec.encodeGroupBy(codec.groupBy("due_date", "quarter"))).toBe("due_date:quarter");
    expect(codec.decodeGroupBy("due_date:week")).toBeNull();
    expect(codec.decodeGroupBy("nope")).toBeNull();
    expect(codec.decodeGroupBys(["status", "status", "due_date:year", "x"])).toEqual([
      { field: "status", interval: null },
      { field: "due_date", interval: "year" },
    ]);
    const k = { group_by: codec.groupBy("status"), key: "a~b" };
    expect(codec.decodeGroupKey(codec.encodeGroupKey(k))).toEqual(k);
    expect(codec.decodeGroupKeys(["status", "bad~x"])).toEqual([{ group_by: { field: "status", interval: null }, key: null }]);
  });

  it("reads and writes sorts, leaving the default out", () => {
    const def = { field: "a", descending: false } as const;
    expect(parseSort("b:desc", ["a", "b"], def)).toEqual({ field: "b", descending: true });
    expect(parseSort("c:desc", ["a", "b"], def)).toBe(def);
    expect(encodeSort(def, def)).toBeNull();
    expect(encodeSort({ field: "a", descending: true }, def)).toBe("a:desc");
  });

  it("cycles a header's sort, a new column in its own first direction", () => {
    const s = { field: "a", descending: false };
    expect(nextSort(s, "a")).toEqual({ field: "a", descending: true });
    expect(nextSort(s, "b")).toEqual({ field: "b", descending: false });
    expect(nextSort(s, "b", (f) => f === "b")).toEqual({ field: "b", descending: true });
  });

  it("toggles values and group-bys, picks allowed values, adds drill keys once", () => {
    expect(toggleValue(["a", "b"], "a")).toEqual(["b"]);
    expect(toggleValue(["a"], "b")).toEqual(["a", "b"]);
    const g = codec.groupBy("status");
    expect(toggleGroupBy([g], codec.groupBy("status"))).toEqual([]);
    expect(pick(["x", "a", "a", "b"], ["a", "b"] as const)).toEqual(["a", "b"]);
    expect(oneOf("kanban", ["list", "kanban"] as const, "list")).toBe("kanban");
    expect(oneOf(null, ["list", "kanban"] as const, "list")).toBe("list");
    const k = { group_by: g, key: "x" };
    expect(addDrill([k], [{ ...k }, { group_by: g, key: null }])).toEqual([k, { group_by: g, key: null }]);
    expect(pathKeys([g], ["x"])).toEqual([k]);
  });
});
