// The e-invoice pivot's model, adapted from lib/pivot.ts (the permit pivot): header trees built
// from the full-depth cells, where every measure (count, total, tax) is additive, so a header's
// values are the sums of the cells under it and a collapsed header shows those sums.
import type { EinvoiceField, EinvoiceGroupBy, EinvoicePivotCell } from "../../api/types";
import { DOC_TYPES, DOCUMENT_STATES, type Measure } from "./search";

export type Key = string | null;
export type Values = { count: number; total: number; tax: number };
export const ZERO: Values = { count: 0, total: 0, tax: 0 };

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

const ENUM_ORDER: Partial<Record<EinvoiceField, readonly string[]>> = {
  state: DOCUMENT_STATES,
  doc_type: DOC_TYPES,
};

/** Orders the keys of one field: workflow order for states, else text order; "None" last. */
export function keyComparator(field: EinvoiceField): (a: Key, b: Key) => number {
  const order = ENUM_ORDER[field];
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

export function sortGroups<T extends { key: Key }>(groups: readonly T[], field: EinvoiceField): T[] {
  const cmp = keyComparator(field);
  return [...groups].sort((a, b) => cmp(a.key, b.key));
}

/** One axis' header tree, `fields.length` levels deep, from the cells' row or column keys. */
export function buildTree(cells: readonly EinvoicePivotCell[], axis: "row" | "col", fields: readonly EinvoiceGroupBy[]): PivotNode {
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
      const cmp = keyComparator(field);
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

/** The sums of every (row header, column header) pair, by "rowId|colId". */
export function sumIndex(cells: readonly EinvoicePivotCell[], rowDepth: number, colDepth: number): Map<string, Values> {
  const sums = new Map<string, Values>();
  for (const cell of cells) {
    for (let r = 0; r <= rowDepth; r++) {
      for (let c = 0; c <= colDepth; c++) {
        const k = `${pathId(padded(cell.row, r))}|${pathId(padded(cell.col, c))}`;
        const v = sums.get(k) ?? { ...ZERO };
        v.count += cell.count;
        v.total += cell.total;
        v.tax += cell.tax;
        sums.set(k, v);
      }
    }
  }
  return sums;
}

export function cellValues(sums: Map<string, Values>, row: PivotNode, col: PivotNode): Values {
  return sums.get(`${row.id}|${col.id}`) ?? ZERO;
}

export function isExpanded(node: PivotNode, collapsed: ReadonlySet<string>): boolean {
  return node.children.length > 0 && !collapsed.has(node.id);
}

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
export type ColumnLayout = { headerRows: HeaderCell[][]; columns: PivotNode[] };

/** Column headers as shown: nested headers over the visible leaves, then the total column.
 * `colSpan` counts value columns, so multiply by the number of measures when drawing. */
export function columnLayout(root: PivotNode, collapsed: ReadonlySet<string>): ColumnLayout {
  const leaves = (n: PivotNode): PivotNode[] => (isExpanded(n, collapsed) ? n.children.flatMap(leaves) : [n]);
  const depthOf = (n: PivotNode): number => (isExpanded(n, collapsed) ? Math.max(...n.children.map(depthOf)) : n.depth);
  const maxDepth = depthOf(root);
  const headerRows: HeaderCell[][] = Array.from({ length: maxDepth + 1 }, () => []);
  const walk = (n: PivotNode) => {
    const expanded = isExpanded(n, collapsed);
    headerRows[n.depth]!.push({ node: n, colSpan: leaves(n).length, rowSpan: expanded ? 1 : maxDepth - n.depth + 1, expanded });
    if (expanded) n.children.forEach(walk);
  };
  walk(root);
  const columns = leaves(root);
  if (isExpanded(root, collapsed)) {
    columns.push(root);
    headerRows[0]!.push({ node: root, colSpan: 1, rowSpan: maxDepth + 1, expanded: false });
  }
  return { headerRows, columns };
}

export function nodesAtDepth(root: PivotNode, depth: number): PivotNode[] {
  if (root.depth === depth) return [root];
  return root.children.flatMap((c) => nodesAtDepth(c, depth));
}

export function toggleCollapsed(collapsed: ReadonlySet<string>, node: PivotNode): Set<string> {
  const next = new Set(collapsed);
  if (next.has(node.id)) next.delete(node.id);
  else next.add(node.id);
  return next;
}

/** Before grouping one level deeper from a deepest header, the others of its depth stay closed. */
export function collapseForNewLevel(root: PivotNode, collapsed: ReadonlySet<string>, node: PivotNode): Set<string> {
  const next = new Set(collapsed);
  for (const n of nodesAtDepth(root, node.depth)) if (n.id !== node.id) next.add(n.id);
  next.delete(node.id);
  return next;
}

export function collapseAll(root: PivotNode): Set<string> {
  const out = new Set<string>();
  const walk = (n: PivotNode) => {
    if (n.depth >= 1 && n.children.length > 0) out.add(n.id);
    n.children.forEach(walk);
  };
  walk(root);
  return out;
}

/** Money sums rounded to cents (the cells are sums of floats). */
export function measureValue(v: Values, m: Measure): number {
  return m === "count" ? v.count : Math.round(v[m] * 100) / 100;
}

/**
 * Exactly what the table shows, as a plain table for CSV / XLSX: the row header (indented by
 * depth), then one column per value column and measure ("Accepted / Total").
 */
export function shownTable(
  rows: readonly PivotNode[],
  columns: readonly PivotNode[],
  measures: readonly Measure[],
  sums: Map<string, Values>,
  label: (axis: "row" | "col", node: PivotNode) => string,
  measureLabel: (m: Measure) => string,
  corner: string,
): { columns: string[]; rows: Array<Array<string | number>> } {
  const colLabel = (n: PivotNode) => {
    if (n.depth === 0) return label("col", n);
    const parts: string[] = [];
    for (let d = 1; d <= n.depth; d++) parts.push(label("col", { ...n, path: n.path.slice(0, d), key: n.path[d - 1] ?? null, depth: d }));
    return parts.join(" / ");
  };
  return {
    columns: [corner, ...columns.flatMap((c) => measures.map((m) => (measures.length > 1 ? `${colLabel(c)} / ${measureLabel(m)}` : colLabel(c))))],
    rows: rows.map((r) => [`${"  ".repeat(r.depth)}${label("row", r)}`, ...columns.flatMap((c) => measures.map((m) => measureValue(cellValues(sums, r, c), m)))]),
  };
}
