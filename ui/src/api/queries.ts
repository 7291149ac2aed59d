// TanStack Query hooks over the backend commands, and the event wiring that keeps them fresh.
import { useEffect, useSyncExternalStore } from "react";
import {
  QueryClient,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryKey,
} from "@tanstack/react-query";
import { call, listen, onReconnect } from "./client";
import type {
  Connection,
  ConnectionInput,
  LogFilter,
  Progress,
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

export function useRuns(filter: RunFilter) {
  return useQuery({
    queryKey: keys.runs(filter),
    queryFn: () => call("list_runs", { filter }),
    placeholderData: (prev) => prev,
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
