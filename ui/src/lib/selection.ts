// Multi-select over a list that may be only partly loaded: explicit ids, or "all matching the
// search" minus the ones unticked since.
export type Selection = { all: false; ids: ReadonlySet<number> } | { all: true; except: ReadonlySet<number> };

export const EMPTY_SELECTION: Selection = { all: false, ids: new Set() };

export function isSelected(s: Selection, id: number): boolean {
  return s.all ? !s.except.has(id) : s.ids.has(id);
}

export function selectedCount(s: Selection, total: number): number {
  return s.all ? Math.max(0, total - s.except.size) : s.ids.size;
}

export function toggle(s: Selection, id: number): Selection {
  if (s.all) {
    const except = new Set(s.except);
    if (except.has(id)) except.delete(id);
    else except.add(id);
    return { all: true, except };
  }
  const ids = new Set(s.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { all: false, ids };
}

/**
 * Shift-click: sets every id between the anchor and `id` (in shown order) to the state `id` is
 * given, like a file manager. Without a shown anchor it toggles `id` alone.
 */
export function selectRange(s: Selection, order: readonly number[], anchor: number | null, id: number): Selection {
  const to = order.indexOf(id);
  const from = anchor == null ? -1 : order.indexOf(anchor);
  if (from < 0 || to < 0) return toggle(s, id);
  const on = !isSelected(s, id);
  const [a, b] = from <= to ? [from, to] : [to, from];
  let next = s;
  for (let i = a; i <= b; i++) {
    const x = order[i]!;
    if (isSelected(next, x) !== on) next = toggle(next, x);
  }
  return next;
}

/** Ticks (or unticks, when all are ticked) every shown id. */
export function toggleShown(s: Selection, shown: readonly number[]): Selection {
  const allOn = shown.length > 0 && shown.every((id) => isSelected(s, id));
  let next = s;
  for (const id of shown) if (isSelected(next, id) === allOn) next = toggle(next, id);
  return next;
}

export function selectAllMatching(): Selection {
  return { all: true, except: new Set() };
}

/** The ids the selection covers among `known` rows (all matching: every known row not unticked). */
export function selectedIds(s: Selection, known: readonly number[]): number[] {
  return known.filter((id) => isSelected(s, id));
}
