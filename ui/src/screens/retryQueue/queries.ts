// Queries of the retry queue. Keys start with "einvoices": the backend's
// `changed {topics: ["einvoices"]}` refreshes them with every other e-invoice screen.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { call } from "../../api/client";
import type { RetryFilter } from "../../api/types";

export const retryKeys = {
  all: ["einvoices", "retry_queue"] as const,
  list: (filter: RetryFilter) => ["einvoices", "retry_queue", filter] as const,
};

/** How often an open queue asks again: entries fall due and change state on their own. */
export const RETRY_REFRESH_MS = 15_000;

export function useRetryQueue(filter: RetryFilter) {
  return useQuery({
    queryKey: retryKeys.list(filter),
    queryFn: () => call("list_retry_queue", { filter }),
    placeholderData: (prev) => prev,
    refetchOnMount: "always",
    refetchInterval: (query) => (query.state.data?.rows.some((r) => r.state === "pending" || r.state === "processing") ? RETRY_REFRESH_MS : false),
  });
}

export function useRetryAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: number; action: "retry" | "cancel" }) =>
      action === "retry" ? call("retry_now", { id }) : call("cancel_retry", { id }),
    onSettled: () => qc.invalidateQueries({ queryKey: ["einvoices"] }),
  });
}
