// TanStack Query hooks of the e-invoice views. Every key starts with "einvoices", so the
// backend's `changed {topics: ["einvoices"]}` refreshes them all (see topicKeys).
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { call } from "../../api/client";
import type { EinvoiceFilter, EinvoiceGroupBy, EinvoiceList, EinvoicePivotQuery, EinvoiceRow, EinvoiceSort } from "../../api/types";
import { NO_FILTER } from "./search";

export const EINVOICE_PAGE_SIZE = 200;
export const EINVOICE_CARDS_PAGE = 50;

export const einvoiceKeys = {
  all: ["einvoices"] as const,
  page: (filter: EinvoiceFilter, sort: EinvoiceSort, page: number) => ["einvoices", "list", filter, sort, page] as const,
  any: ["einvoices", "any"] as const,
  groups: (filter: EinvoiceFilter, groupBy: EinvoiceGroupBy) => ["einvoices", "groups", filter, groupBy] as const,
  pivot: (query: EinvoicePivotQuery) => ["einvoices", "pivot", query] as const,
  cards: (filter: EinvoiceFilter, sort: EinvoiceSort) => ["einvoices", "cards", filter, sort] as const,
  one: (id: number) => ["einvoices", "one", id] as const,
};

/** One page of the list (the list asks for the pages it scrolls to). */
export function einvoicePageQuery(filter: EinvoiceFilter, sort: EinvoiceSort, page: number, size = EINVOICE_PAGE_SIZE) {
  return {
    queryKey: einvoiceKeys.page(filter, sort, page),
    queryFn: () => call("list_einvoices", { query: { filter, sort, offset: page * size, limit: size } }),
  };
}

/** Whether there is any document at all (for the "nothing here yet" state). */
export function useAnyEinvoice() {
  return useQuery({
    queryKey: einvoiceKeys.any,
    queryFn: () => call("list_einvoices", { query: { filter: NO_FILTER, sort: { field: "updated_at", descending: true }, offset: 0, limit: 1 } }),
  });
}

export function useEinvoiceGroups(filter: EinvoiceFilter, groupBy: EinvoiceGroupBy, enabled = true) {
  return useQuery({
    queryKey: einvoiceKeys.groups(filter, groupBy),
    queryFn: () => call("einvoice_groups", { filter, group_by: groupBy }),
    placeholderData: (prev) => prev,
    enabled,
  });
}

export function useEinvoicePivot(query: EinvoicePivotQuery, enabled = true) {
  return useQuery({
    queryKey: einvoiceKeys.pivot(query),
    queryFn: () => call("einvoice_pivot", { query }),
    placeholderData: (prev) => prev,
    enabled,
  });
}

/** The cards of one kanban column, 50 at a time. */
export function useEinvoiceCards(filter: EinvoiceFilter, sort: EinvoiceSort) {
  return useInfiniteQuery({
    queryKey: einvoiceKeys.cards(filter, sort),
    queryFn: ({ pageParam }) => call("list_einvoices", { query: { filter, sort, offset: pageParam, limit: EINVOICE_CARDS_PAGE } }),
    initialPageParam: 0,
    getNextPageParam: (last: EinvoiceList, pages: EinvoiceList[]) => {
      const loaded = pages.reduce((n, p) => n + p.rows.length, 0);
      return loaded < last.total && last.rows.length > 0 ? loaded : undefined;
    },
  });
}

export function useEinvoice(id: number | null) {
  return useQuery({
    queryKey: einvoiceKeys.one(id ?? 0),
    queryFn: () => call("get_einvoice", { id: id! }),
    enabled: id != null,
  });
}

/** Issues a rejected document again as a new draft (same lines, its own number once signed). */
export function useReissueEinvoice() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => call("reissue_einvoice", { id }),
    onSuccess: () => qc.invalidateQueries({ queryKey: einvoiceKeys.all }),
  });
}

export function useImportEinvoices() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { connection_id: number; file_name: string; content: string }) => call("import_einvoice_file", v),
    onSuccess: () => qc.invalidateQueries({ queryKey: einvoiceKeys.all }),
  });
}

const FETCH_LIMIT = 1000;

/** Every document of a search, 1000 per call. */
export async function fetchAllRows(filter: EinvoiceFilter, sort: EinvoiceSort, onProgress?: (done: number, total: number) => void): Promise<EinvoiceRow[]> {
  const out: EinvoiceRow[] = [];
  let total = Infinity;
  while (out.length < total) {
    const page = await call("list_einvoices", { query: { filter, sort, offset: out.length, limit: FETCH_LIMIT } });
    total = page.total;
    out.push(...page.rows);
    onProgress?.(out.length, total);
    if (page.rows.length === 0) break;
  }
  return out;
}
