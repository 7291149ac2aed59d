// TanStack Query hooks over the backend commands, and the event wiring that keeps them fresh.
import { useEffect, useSyncExternalStore } from "react";
import {
  QueryClient,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryKey,
} from "@tanstack/react-query";
import { call, listen, onReconnect } from "./client";
import type {
  Connection,
  GroupBy,
  NewPermit,
  PermitEdit,
  PermitFilter,
  PermitList,
  PermitSort,
  PivotQuery,
  ConnectionInput,
  ExportRequest,
  LogFilter,
  PartnerEdit,
  PartnerRow,
  PermitTypeEdit,
  PermitTypeRow,
  Progress,
  ReminderItem,
  RunFilter,
  Schedule,
  Settings,
  SyncRun,
} from "./types";

export const keys = {
  appInfo: ["app_info"] as const,
  connections: ["connections"] as const,
  jobs: ["jobs"] as const,
  runs: (filter: RunFilter) => ["runs", filter] as const,
  log: (filter: LogFilter) => ["log", filter] as const,
  settings: ["settings"] as const,
  timezones: ["timezones"] as const,
};

/** Which cached queries each "changed" topic makes stale. */
export const topicKeys: Record<string, QueryKey[]> = {
  // Jobs and runs carry connection names; the dashboard shows connection stats.
  connections: [["connections"], ["jobs"], ["runs"]],
  jobs: [["jobs"]],
  runs: [["runs"], ["jobs"]],
  log: [["log"], ["connections"]],
  settings: [["settings"]],
  // Permit views keep their queries under ["permits", …]: "permits" (the fallback) refreshes
  // them all; these narrower topics come from single saves.
  partners: [["permits", "partners"]],
  reminders: [["permits", "reminders"], ["permits", "dashboard"]],
  permit_types: [["permits", "types"]],
  // Every e-invoice screen (documents, answers, retry queue, dashboard cards) keeps its
  // queries under ["einvoices", …].
  einvoices: [["einvoices"]],
};

export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: 1, refetchOnWindowFocus: false, staleTime: 30_000 },
      mutations: { retry: false },
    },
  });
}

export function useAppInfo() {
  return useQuery({ queryKey: keys.appInfo, queryFn: () => call("app_info", {}), staleTime: Infinity });
}

export function useConnections() {
  return useQuery({ queryKey: keys.connections, queryFn: () => call("list_connections", {}) });
}

export function useJobs() {
  return useQuery({ queryKey: keys.jobs, queryFn: () => call("list_jobs", {}) });
}

/** How often a list showing a running run asks again: events keep it current, this mends a
 * missed one (a busy event stream may drop some) so a finished run never looks stuck. */
export const RUNNING_REFRESH_MS = 3000;

export function useRuns(filter: RunFilter) {
  return useQuery({
    queryKey: keys.runs(filter),
    queryFn: () => call("list_runs", { filter }),
    placeholderData: (prev) => prev,
    // Opening the list always asks again (cheap), so a run that ended while it was closed
    // shows its end even if that event was missed.
    refetchOnMount: "always",
    refetchInterval: (query) =>
      query.state.data?.some((r) => r.status === "running") ? RUNNING_REFRESH_MS : false,
  });
}

export function useLog(filter: LogFilter) {
  return useQuery({
    queryKey: keys.log(filter),
    queryFn: () => call("list_log", { filter }),
    placeholderData: (prev) => prev,
  });
}

export function useSettings() {
  return useQuery({ queryKey: keys.settings, queryFn: () => call("get_settings", {}) });
}

export function useTimezones() {
  return useQuery({
    queryKey: keys.timezones,
    queryFn: () => call("list_timezones", {}),
    staleTime: Infinity,
  });
}

export function useSaveConnection() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: ConnectionInput) => call("save_connection", { input }),
    onSuccess: (saved) => {
      // Put the saved row in the cache first so the form reopened on its id finds it at once.
      qc.setQueryData<Connection[]>(keys.connections, (old) =>
        old ? (old.some((c) => c.id === saved.id) ? old.map((c) => (c.id === saved.id ? saved : c)) : [...old, saved]) : old,
      );
      void qc.invalidateQueries({ queryKey: keys.connections });
    },
  });
}

export function useDeleteConnection() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => call("delete_connection", { id }),
    onSuccess: (_r, id) => {
      qc.setQueryData<Connection[]>(keys.connections, (old) => old?.filter((c) => c.id !== id));
      void qc.invalidateQueries({ queryKey: keys.connections });
      void qc.invalidateQueries({ queryKey: keys.jobs });
    },
  });
}

export function useSaveJob() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: number; schedule: Schedule; enabled: boolean }) => call("save_job", v),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.jobs }),
  });
}

export function useRunJob() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => call("run_job", { id }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.jobs });
      void qc.invalidateQueries({ queryKey: ["runs"] });
    },
  });
}

export function useCancelRun() {
  return useMutation({ mutationFn: (runId: number) => call("cancel_run", { run_id: runId }) });
}

export function useSaveSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (settings: Settings) => call("save_settings", { settings }),
    onSuccess: (saved) => qc.setQueryData(keys.settings, saved),
  });
}

// ---- live progress of running jobs, fed by "progress" events -------------------------------

type ProgressMap = ReadonlyMap<number, Progress>;
let progressMap: ProgressMap = new Map();
const progressListeners = new Set<() => void>();

function setProgress(next: ProgressMap) {
  progressMap = next;
  progressListeners.forEach((l) => l());
}

export const progressStore = {
  get: (): ProgressMap => progressMap,
  subscribe(listener: () => void) {
    progressListeners.add(listener);
    return () => progressListeners.delete(listener);
  },
  update(p: Progress) {
    const next = new Map(progressMap);
    next.set(p.run_id, p);
    setProgress(next);
  },
  finish(runId: number) {
    if (!progressMap.has(runId)) return;
    const next = new Map(progressMap);
    next.delete(runId);
    setProgress(next);
  },
  clear() {
    setProgress(new Map());
  },
};

/** Live progress of all running jobs, by run id. */
export function useProgressMap(): ProgressMap {
  return useSyncExternalStore(progressStore.subscribe, progressStore.get, progressStore.get);
}

/** Subscribes to backend events for the lifetime of the app and invalidates queries by topic. */
export function useBackendEvents(onRunFinished?: (run: SyncRun) => void) {
  const qc = useQueryClient();
  useEffect(() => {
    const offs = [
      listen("changed", ({ topics }) => {
        for (const topic of topics) {
          for (const queryKey of topicKeys[topic] ?? [[topic]]) {
            void qc.invalidateQueries({ queryKey });
          }
        }
      }),
      listen("progress", (p) => progressStore.update(p)),
      listen("run_finished", (run) => {
        progressStore.finish(run.id);
        void qc.invalidateQueries({ queryKey: ["runs"] });
        void qc.invalidateQueries({ queryKey: keys.jobs });
        void qc.invalidateQueries({ queryKey: keys.connections });
        onRunFinished?.(run);
      }),
      onReconnect(() => void qc.invalidateQueries()),
    ];
    return () => offs.forEach((off) => off());
  }, [qc, onRunFinished]);
}

// ---- permit types, partners, reminders, permit dashboard, expiry-sync wizard ----------------
// Every key starts with "permits" so the backend's `changed {topics: ["permits"]}` refreshes them.

export const permitViewKeys = {
  dashboard: ["permits", "dashboard"] as const,
  permitTypes: ["permits", "types"] as const,
  partners: (search: string | null) => ["permits", "partners", search] as const,
  reminders: (unreadOnly: boolean) => ["permits", "reminders", unreadOnly] as const,
  failures: (runId: number) => ["permits", "failures", runId] as const,
  expiryPlan: (connectionId: number, refreshAll: boolean) => ["permits", "expiry_plan", connectionId, refreshAll] as const,
};

export function usePermitDashboard(enabled = true) {
  return useQuery({ queryKey: permitViewKeys.dashboard, queryFn: () => call("permit_dashboard", {}), enabled });
}

export function usePermitTypes() {
  return useQuery({ queryKey: permitViewKeys.permitTypes, queryFn: () => call("list_permit_types", {}) });
}

export function useSavePermitType() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: number; edit: PermitTypeEdit }) => call("save_permit_type", v),
    onSuccess: (saved) => {
      qc.setQueryData<PermitTypeRow[]>(permitViewKeys.permitTypes, (old) => old?.map((r) => (r.id === saved.id ? saved : r)));
      void qc.invalidateQueries({ queryKey: permitViewKeys.permitTypes });
    },
  });
}

export function usePartners(search: string | null, enabled = true) {
  return useQuery({
    queryKey: permitViewKeys.partners(search),
    queryFn: () => call("list_partners", { search }),
    placeholderData: (prev) => prev,
    enabled,
  });
}

export function useSavePartner() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: number; edit: PartnerEdit }) => call("save_partner", v),
    onSuccess: (saved) => {
      qc.setQueriesData<PartnerRow[]>({ queryKey: ["permits", "partners"] }, (old) =>
        old?.map((r) => (r.id === saved.id ? saved : r)),
      );
      void qc.invalidateQueries({ queryKey: ["permits", "partners"] });
    },
  });
}

export function useReminders(unreadOnly: boolean) {
  return useQuery({
    queryKey: permitViewKeys.reminders(unreadOnly),
    queryFn: () => call("list_reminders", { unread_only: unreadOnly }),
    placeholderData: (prev) => prev,
  });
}

export function useMarkRemindersRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (ids: number[]) => call("mark_reminders_read", { ids }),
    onSuccess: (_r, ids) => {
      const read = new Set(ids);
      qc.setQueriesData<ReminderItem[]>({ queryKey: ["permits", "reminders"] }, (old) =>
        old?.map((r) => (read.has(r.id) ? { ...r, read: true } : r)),
      );
      void qc.invalidateQueries({ queryKey: ["permits", "reminders"] });
      void qc.invalidateQueries({ queryKey: permitViewKeys.dashboard });
    },
  });
}

export function useExpirySyncPlan(connectionId: number | null, refreshAll: boolean) {
  return useQuery({
    queryKey: permitViewKeys.expiryPlan(connectionId ?? 0, refreshAll),
    queryFn: () => call("expiry_sync_plan", { connection_id: connectionId!, refresh_all: refreshAll }),
    enabled: connectionId != null,
    // The plan counts what is missing right now: always ask again when the wizard reaches review.
    staleTime: 0,
  });
}

export function usePermitFailures(runId: number | null) {
  return useQuery({
    queryKey: permitViewKeys.failures(runId ?? 0),
    queryFn: () => call("list_permit_failures", { run_id: runId! }),
    enabled: runId != null,
  });
}

export function useExportTable() {
  return useMutation({ mutationFn: (request: ExportRequest) => call("export_table", { request }) });
}

// ---- permit views: list, kanban, pivot, graph and the permit form ----------------------------
// Keys start with "permits" too: one `changed {topics: ["permits"]}` refreshes every view.

export const PERMIT_PAGE_SIZE = 200;
export const KANBAN_PAGE_SIZE = 50;

export const permitKeys = {
  page: (filter: PermitFilter, sort: PermitSort, page: number) => ["permits", "list", filter, sort, page] as const,
  groups: (filter: PermitFilter, groupBy: GroupBy) => ["permits", "groups", filter, groupBy] as const,
  pivot: (query: PivotQuery) => ["permits", "pivot", query] as const,
  cards: (filter: PermitFilter, sort: PermitSort) => ["permits", "cards", filter, sort] as const,
  one: (id: number) => ["permits", "one", id] as const,
  pick: (text: string) => ["permits", "pick", text] as const,
};

/** One page of the permit list (the list view asks for the pages it scrolls to). */
export function permitPageQuery(filter: PermitFilter, sort: PermitSort, page: number, size = PERMIT_PAGE_SIZE) {
  return {
    queryKey: permitKeys.page(filter, sort, page),
    queryFn: () => call("list_permits", { query: { filter, sort, offset: page * size, limit: size } }),
  };
}

export function usePermitGroups(filter: PermitFilter, groupBy: GroupBy, enabled = true) {
  return useQuery({
    queryKey: permitKeys.groups(filter, groupBy),
    queryFn: () => call("permit_groups", { filter, group_by: groupBy }),
    placeholderData: (prev) => prev,
    enabled,
  });
}

export function usePermitPivot(query: PivotQuery, enabled = true) {
  return useQuery({
    queryKey: permitKeys.pivot(query),
    queryFn: () => call("permit_pivot", { query }),
    placeholderData: (prev) => prev,
    enabled,
  });
}

/** The cards of one kanban column (its filter carries the column's group key), 50 at a time. */
export function usePermitCards(filter: PermitFilter, sort: PermitSort) {
  return useInfiniteQuery({
    queryKey: permitKeys.cards(filter, sort),
    queryFn: ({ pageParam }) => call("list_permits", { query: { filter, sort, offset: pageParam, limit: KANBAN_PAGE_SIZE } }),
    initialPageParam: 0,
    getNextPageParam: (last: PermitList, pages: PermitList[]) => {
      const loaded = pages.reduce((n, p) => n + p.rows.length, 0);
      return loaded < last.total && last.rows.length > 0 ? loaded : undefined;
    },
  });
}

export function usePermit(id: number | null) {
  return useQuery({
    queryKey: permitKeys.one(id ?? 0),
    queryFn: () => call("get_permit", { id: id! }),
    enabled: id != null,
  });
}

/** Permits whose number, registration id or applicant matches `text` (the renewal-of picker). */
export function usePermitPick(text: string, enabled = true) {
  return useQuery({
    queryKey: permitKeys.pick(text),
    queryFn: () =>
      call("list_permits", {
        query: {
          filter: { search: text || null, expiry_status: [], status: [], permit_type: [], category: null, connection_id: null, expiring_within_days: null, groups: [] },
          sort: { field: "expiry_date", descending: true },
          offset: 0,
          limit: 10,
        },
      }),
    placeholderData: (prev) => prev,
    enabled,
  });
}

export function useSavePermit() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: number; edit: PermitEdit }) => call("save_permit", v),
    onSuccess: (saved) => {
      qc.setQueryData(permitKeys.one(saved.permit.id), saved);
      void qc.invalidateQueries({ queryKey: ["permits"], predicate: (q) => q.queryKey[1] !== "one" || q.queryKey[2] !== saved.permit.id });
    },
  });
}

export function useCreatePermit() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: NewPermit) => call("create_permit", { input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["permits"] }),
  });
}
