// The pivot table's shape, computed from the backend's full-depth cells. Every measure (a
// count, money sums) is additive, so a header's values are the sums of the cells under it, and a
// collapsed header shows those sums. Generic over the measures: a permit cell is count-only, an
// e-invoice cell adds total and tax (screens/einvoices/pivot.ts).
import type { PermitField } from "../api/types";
import { EXPIRY_STATUSES, PERMIT_CATEGORIES, PERMIT_STATUSES } from "./permitSearch";

export type Key = string | null;
export type Comparator = (a: Key, b: Key) => number;

/** One full-depth cell: its row and column keys and a value per measure (always a count). */
export type PivotCellOf<M extends string> = { row: readonly Key[]; col: readonly Key[] } & Record<M | "count", number>;

/** One header of an axis: the group reached by `path` (the root, "Total", has an empty path). */
export type PivotNode = {
  id: string;
  path: Key[];
  key: Key;
  depth: number;
  count: number;
  children: PivotNode[];
};

export function pathId(path: readonly Key[]): string {
  return JSON.stringify(path);
}

/** Orders keys: by `order` (a workflow's states) where given, else text order; "None" last. */
export function compareKeys(order?: readonly string[]): Comparator {
  return (a, b) => {
    if (a === b) return 0;
    if (a == null) return 1;
    if (b == null) return -1;
    if (order) {
      const ia = order.indexOf(a);
      const ib = order.indexOf(b);
      if (ia !== ib) return (ia < 0 ? order.length : ia) - (ib < 0 ? order.length : ib);
    }
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" }) || (a < b ? -1 : 1);
  };
}

const PERMIT_ORDER: Partial<Record<PermitField, readonly string[]>> = {
  expiry_status: EXPIRY_STATUSES,
  status: PERMIT_STATUSES,
  category: PERMIT_CATEGORIES,
};

/** Orders the keys of one permit field: workflow order for states, else text order; "None" last. */
export function keyComparator(field: PermitField): Comparator {
  return compareKeys(PERMIT_ORDER[field]);
}

/** Sorts group counts the way headers are ordered (for lists, kanban and graphs too). */
export function sortGroups<T extends { key: Key }>(groups: readonly T[], field: PermitField): T[] {
  const cmp = keyComparator(field);
  return [...groups].sort((a, b) => cmp(a.key, b.key));
}

/** Builds one axis' header tree, `fields.length` levels deep, from the cells' row or column keys. */
export function buildTree<F extends string>(
  cells: readonly PivotCellOf<never>[],
  axis: "row" | "col",
  fields: readonly { field: F }[],
  compare: (field: F) => Comparator,
): PivotNode {
  const root: PivotNode = { id: pathId([]), path: [], key: null, depth: 0, count: 0, children: [] };
  const byId = new Map<string, PivotNode>([[root.id, root]]);
  for (const cell of cells) {
    const keys = axis === "row" ? cell.row : cell.col;
    root.count += cell.count;
    let parent = root;
    for (let d = 0; d < fields.length; d++) {
      const path = padded(keys, d + 1);
      const id = pathId(path);
      let node = byId.get(id);
      if (!node) {
        node = { id, path, key: path[d] ?? null, depth: d + 1, count: 0, children: [] };
        byId.set(id, node);
        parent.children.push(node);
      }
      node.count += cell.count;
      parent = node;
    }
  }
  const sort = (node: PivotNode) => {
    const field = fields[node.depth]?.field;
    if (field) {
      const cmp = compare(field);
      node.children.sort((a, b) => cmp(a.key, b.key));
    }
    node.children.forEach(sort);
  };
  sort(root);
  return root;
}

function padded(keys: readonly Key[], d: number): Key[] {
  const out = keys.slice(0, d).map((k) => k ?? null);
  while (out.length < d) out.push(null);
  return out;
}

export type Values<M extends string> = Record<M, number>;

/** The sums of every (row header, column header) pair and measure. */
export type PivotSums<M extends string> = { byPair: Map<string, Values<M>>; zero: Readonly<Values<M>> };

/** Sums every measure of the cells for every (row header, column header) pair. */
export function sumIndex<M extends string>(cells: readonly PivotCellOf<M>[], rowDepth: number, colDepth: number, measures: readonly M[]): PivotSums<M> {
  const zero = Object.fromEntries(measures.map((m) => [m, 0])) as Values<M>;
  const byPair = new Map<string, Values<M>>();
  for (const cell of cells) {
    for (let r = 0; r <= rowDepth; r++) {
      for (let c = 0; c <= colDepth; c++) {
        const k = `${pathId(padded(cell.row, r))}|${pathId(padded(cell.col, c))}`;
        const v = byPair.get(k) ?? { ...zero };
        for (const m of measures) v[m] += cell[m];
        byPair.set(k, v);
      }
    }
  }
  return { byPair, zero };
}

export function cellValues<M extends string>(sums: PivotSums<M>, row: PivotNode, col: PivotNode): Readonly<Values<M>> {
  return sums.byPair.get(`${row.id}|${col.id}`) ?? sums.zero;
}

/** One measure of a cell as shown: counts as they are, money sums rounded to cents (sums of floats). */
export function measureValue<M extends string>(v: Readonly<Values<M>>, m: M): number {
  return m === "count" ? v[m] : Math.round(v[m] * 100) / 100;
}

/** Whether a header shows its children: it has some and the user has not collapsed it. */
export function isExpanded(node: PivotNode, collapsed: ReadonlySet<string>): boolean {
  return node.children.length > 0 && !collapsed.has(node.id);
}

/** The row headers as shown, top to bottom: each group, then (when expanded) its sub-groups. */
export function visibleRows(root: PivotNode, collapsed: ReadonlySet<string>): PivotNode[] {
  const out: PivotNode[] = [];
  const walk = (n: PivotNode) => {
    out.push(n);
    if (isExpanded(n, collapsed)) n.children.forEach(walk);
  };
  walk(root);
  return out;
}

export type HeaderCell = { node: PivotNode; colSpan: number; rowSpan: number; expanded: boolean };

export type ColumnLayout = {
  /** Header rows, top to bottom. */
  headerRows: HeaderCell[][];
  /** The value columns, left to right; the last one is the root ("Total") when it is expanded. */
  columns: PivotNode[];
};

/**
 * The column headers as shown: nested headers over the visible leaves, then the total column.
 * `colSpan` counts value columns: multiply it by the number of measures shown when drawing.
 */
export function columnLayout(root: PivotNode, collapsed: ReadonlySet<string>): ColumnLayout {
  const leaves = (n: PivotNode): PivotNode[] => (isExpanded(n, collapsed) ? n.children.flatMap(leaves) : [n]);
  const depthOf = (n: PivotNode): number =>
    isExpanded(n, collapsed) ? Math.max(...n.children.map(depthOf)) : n.depth;
  const maxDepth = depthOf(root);
  const headerRows: HeaderCell[][] = Array.from({ length: maxDepth + 1 }, () => []);
  const walk = (n: PivotNode) => {
    const expanded = isExpanded(n, collapsed);
    headerRows[n.depth]!.push({
      node: n,
      colSpan: leaves(n).length,
      rowSpan: expanded ? 1 : maxDepth - n.depth + 1,
      expanded,
    });
    if (expanded) n.children.forEach(walk);
  };
  walk(root);
  const columns = leaves(root);
  if (isExpanded(root, collapsed)) {
    columns.push(root);
    // The total column's header stands beside the nested ones, over all header rows.
    headerRows[0]!.push({ node: root, colSpan: 1, rowSpan: maxDepth + 1, expanded: false });
  }
  return { headerRows, columns };
}

/** All headers of a tree at one depth (shown or not). */
export function nodesAtDepth(root: PivotNode, depth: number): PivotNode[] {
  if (root.depth === depth) return [root];
  return root.children.flatMap((c) => nodesAtDepth(c, depth));
}

/** Collapses or expands one header. */
export function toggleCollapsed(collapsed: ReadonlySet<string>, node: PivotNode): Set<string> {
  const next = new Set(collapsed);
  if (next.has(node.id)) next.delete(node.id);
  else next.add(node.id);
  return next;
}

/**
 * Before grouping one more level from a header at the deepest level: every other header of that
 * depth stays collapsed, so only the header clicked opens (as in Odoo).
 */
export function collapseForNewLevel(root: PivotNode, collapsed: ReadonlySet<string>, node: PivotNode): Set<string> {
  const next = new Set(collapsed);
  for (const n of nodesAtDepth(root, node.depth)) if (n.id !== node.id) next.add(n.id);
  next.delete(node.id);
  return next;
}

/** Every header collapsed below the root (the axis shows its first level only) or none. */
export function collapseAll(root: PivotNode): Set<string> {
  const out = new Set<string>();
  const walk = (n: PivotNode) => {
    if (n.depth >= 1 && n.children.length > 0) out.add(n.id);
    n.children.forEach(walk);
  };
  walk(root);
  return out;
}

export type ShownPivot = { columns: string[]; rows: Array<Array<string | number>> };

/**
 * Exactly what the table shows, as a plain table for CSV / XLSX: one label column (the row
 * header, indented by depth), then a column per value column (its header path) and measure
 * ("Accepted / Total"; the measure is left out when only one is shown).
 */
export function shownTable<M extends string>(
  rows: readonly PivotNode[],
  columns: readonly PivotNode[],
  measures: readonly M[],
  sums: PivotSums<M>,
  label: (axis: "row" | "col", node: PivotNode) => string,
  measureLabel: (m: M) => string,
  corner: string,
): ShownPivot {
  const colLabel = (n: PivotNode) => {
    if (n.depth === 0) return label("col", n);
    const parts: string[] = [];
    for (let d = 1; d <= n.depth; d++) {
      parts.push(label("col", { ...n, path: n.path.slice(0, d), key: n.path[d - 1] ?? null, depth: d }));
    }
    return parts.join(" / ");
  };
  const headOf = (c: PivotNode, m: M) => (measures.length > 1 ? `${colLabel(c)} / ${measureLabel(m)}` : colLabel(c));
  return {
    columns: [corner, ...columns.flatMap((c) => measures.map((m) => headOf(c, m)))],
    rows: rows.map((r) => [`${"  ".repeat(r.depth)}${label("row", r)}`, ...columns.flatMap((c) => measures.map((m) => measureValue(cellValues(sums, r, c), m)))]),
  };
}
