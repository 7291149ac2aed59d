import { describe, expect, it } from "vitest";
import {
  EMPTY_SELECTION,
  isSelected,
  selectAllMatching,
  selectRange,
  selectedCount,
  selectedIds,
  toggle,
  toggleShown,
} from "./selection";

const order = [10, 11, 12, 13, 14];

describe("list selection", () => {
  it("toggles single rows", () => {
    const s = toggle(toggle(EMPTY_SELECTION, 11), 13);
    expect(selectedIds(s, order)).toEqual([11, 13]);
    expect(selectedIds(toggle(s, 11), order)).toEqual([13]);
  });

  it("shift-click selects the range from the anchor, both directions", () => {
    const s = selectRange(toggle(EMPTY_SELECTION, 11), order, 11, 13);
    expect(selectedIds(s, order)).toEqual([11, 12, 13]);
    const back = selectRange(toggle(EMPTY_SELECTION, 14), order, 14, 12);
    expect(selectedIds(back, order)).toEqual([12, 13, 14]);
  });

  it("shift-click on a ticked row unticks the range", () => {
    const s = toggleShown(EMPTY_SELECTION, order);
    expect(selectedIds(selectRange(s, order, 10, 12), order)).toEqual([13, 14]);
  });

  it("without an anchor a shift-click is a plain toggle", () => {
    expect(selectedIds(selectRange(EMPTY_SELECTION, order, null, 12), order)).toEqual([12]);
    expect(selectedIds(selectRange(EMPTY_SELECTION, order, 99, 12), order)).toEqual([12]);
  });

  it("the header box ticks all shown rows, then unticks them", () => {
    const on = toggleShown(toggle(EMPTY_SELECTION, 10), order);
    expect(selectedIds(on, order)).toEqual(order);
    expect(selectedIds(toggleShown(on, order), order)).toEqual([]);
  });

  it("all matching counts the total minus the rows unticked since", () => {
    let s = selectAllMatching();
    expect(selectedCount(s, 12345)).toBe(12345);
    expect(isSelected(s, 999_999)).toBe(true);
    s = toggle(s, 12);
    expect(selectedCount(s, 12345)).toBe(12344);
    expect(isSelected(s, 12)).toBe(false);
    expect(selectedIds(s, order)).toEqual([10, 11, 13, 14]);
    expect(selectedCount(toggle(s, 12), 12345)).toBe(12345);
  });
});
