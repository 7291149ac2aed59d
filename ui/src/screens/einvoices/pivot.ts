// The e-invoice pivot's model: lib/pivot.ts over the e-invoice fields, with every measure
// (count, total, tax) summed up the headers.
import type { EinvoiceField, EinvoiceGroupBy, EinvoicePivotCell } from "../../api/types";
import { buildTree as buildTreeOf, compareKeys, sumIndex as sumIndexOf, type Comparator, type PivotNode, type PivotSums } from "../../lib/pivot";
import { DOC_TYPES, DOCUMENT_STATES, MEASURES, type Measure } from "./search";

export { cellValues, visibleRows, type Key } from "../../lib/pivot";

const EINVOICE_ORDER: Partial<Record<EinvoiceField, readonly string[]>> = {
  state: DOCUMENT_STATES,
  doc_type: DOC_TYPES,
};

/** Orders the keys of one field: workflow order for states, else text order; "None" last. */
export function keyComparator(field: EinvoiceField): Comparator {
  return compareKeys(EINVOICE_ORDER[field]);
}

/** One axis' header tree, `fields.length` levels deep, from the cells' row or column keys. */
export function buildTree(cells: readonly EinvoicePivotCell[], axis: "row" | "col", fields: readonly EinvoiceGroupBy[]): PivotNode {
  return buildTreeOf(cells, axis, fields, keyComparator);
}

/** The sums of every (row header, column header) pair, for every measure. */
export function sumIndex(cells: readonly EinvoicePivotCell[], rowDepth: number, colDepth: number): PivotSums<Measure> {
  return sumIndexOf(cells, rowDepth, colDepth, MEASURES);
}
