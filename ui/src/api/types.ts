// One import point for the backend's shapes: the generated bindings (see "@bindings").
export type * from "@bindings";
import type { Progress, SyncRun } from "@bindings";

/** Topics named by the backend's "changed" event. */
export type Topic = "connections" | "jobs" | "runs" | "log" | "settings";

/** Backend events and their payloads. */
export type Events = {
  progress: Progress;
  run_finished: SyncRun;
  changed: { topics: string[] };
  /** A desktop notification; the Tauri shell shows it natively, a browser shows it as a toast. */
  notify: { title: string; body: string };
};
