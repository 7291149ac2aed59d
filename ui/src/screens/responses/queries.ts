// Queries of the Hacienda answers screens. Keys start with "einvoices": the backend's
// `changed {topics: ["einvoices"]}` refreshes them with every other e-invoice screen.
import { useQuery } from "@tanstack/react-query";
import { call } from "../../api/client";
import type { ResponseFilter } from "../../api/types";

export const responseKeys = {
  list: (filter: ResponseFilter) => ["einvoices", "responses", filter] as const,
  one: (id: number) => ["einvoices", "response", id] as const,
};

export function useResponses(filter: ResponseFilter) {
  return useQuery({
    queryKey: responseKeys.list(filter),
    queryFn: () => call("list_responses", { filter }),
    placeholderData: (prev) => prev,
  });
}

export function useResponse(id: number | null) {
  return useQuery({
    queryKey: responseKeys.one(id ?? 0),
    queryFn: () => call("get_response", { id: id! }),
    enabled: id != null,
  });
}
