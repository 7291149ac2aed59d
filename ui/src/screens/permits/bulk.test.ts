import { describe, expect, it } from "vitest";
import { chunks } from "./bulk";

describe("chunks", () => {
  it("slices in order, the last slice holding the rest", () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([], 2)).toEqual([]);
    expect(chunks([1, 2], 5)).toEqual([[1, 2]]);
  });
});
