// The one way the UI talks to the backend. Inside the Tauri window: the "api" command and
// Tauri events. In a plain browser (end-to-end tests, `loket serve`): POST /api and an
// EventSource on /api/events. Both carry the same {cmd, args} request and ApiError shape.
import { invoke } from "@tauri-apps/api/core";
import { listen as tauriListen } from "@tauri-apps/api/event";
import type { ApiError, ApiErrorCode, Commands, Events } from "./types";

/** A failed backend call, carrying the backend's ApiError. */
export class ApiFailure extends Error {
  readonly error: ApiError;

  constructor(error: ApiError) {
    super(error.message);
    this.name = "ApiFailure";
    this.error = error;
  }

  get code(): ApiErrorCode {
    return this.error.code;
  }
}

/** Whether the page runs inside the Tauri window. */
export function isTauri(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

const CODES: readonly ApiErrorCode[] = [
  "validation",
  "not_found",
  "keyring",
  "remote",
  "busy",
  "storage",
  "internal",
];

function isApiError(value: unknown): value is ApiError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.code === "string" &&
    (CODES as readonly string[]).includes(v.code) &&
    typeof v.message === "string"
  );
}

function normalize(value: ApiError): ApiError {
  return {
    code: value.code,
    message: value.message,
    fields: Array.isArray(value.fields) ? value.fields : [],
    details: value.details ?? null,
  };
}

/** Turns whatever a transport threw into an ApiFailure. */
export function toFailure(thrown: unknown, fallbackMessage = "The request failed."): ApiFailure {
  if (thrown instanceof ApiFailure) return thrown;
  if (isApiError(thrown)) return new ApiFailure(normalize(thrown));
  const details =
    thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : thrown == null ? null : String(thrown);
  return new ApiFailure({ code: "internal", message: fallbackMessage, fields: [], details });
}

/** Calls a backend command and resolves with its result, or rejects with an ApiFailure. */
export async function call<K extends keyof Commands>(
  cmd: K,
  args: Commands[K]["args"],
): Promise<Commands[K]["result"]> {
  if (isTauri()) {
    try {
      return await invoke<Commands[K]["result"]>("api", { request: { cmd, args } });
    } catch (e) {
      throw toFailure(e);
    }
  }
  return callOverHttp(cmd, args);
}

async function callOverHttp<K extends keyof Commands>(
  cmd: K,
  args: Commands[K]["args"],
): Promise<Commands[K]["result"]> {
  let response: Response;
  try {
    response = await fetch("/api", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ cmd, args }),
    });
  } catch (e) {
    throw toFailure(e, "Loket's backend cannot be reached. Is the app still running?");
  }
  let body: unknown = null;
  const text = await response.text();
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  const envelope = (typeof body === "object" && body !== null ? body : {}) as {
    ok?: unknown;
    error?: unknown;
  };
  if (response.ok && "ok" in envelope) {
    return envelope.ok as Commands[K]["result"];
  }
  if (isApiError(envelope.error)) {
    throw new ApiFailure(normalize(envelope.error));
  }
  throw new ApiFailure({
    code: "internal",
    message: `The backend answered HTTP ${response.status} without an error description.`,
    fields: [],
    details: text ? text.slice(0, 2000) : null,
  });
}

type Handler = (payload: unknown) => void;

// One EventSource shared by every subscriber; closed when the last one leaves.
let source: EventSource | null = null;
const subscribers = new Map<string, Set<Handler>>();
const reconnectHandlers = new Set<() => void>();
let hadError = false;

function ensureSource(): EventSource {
  if (source) return source;
  const es = new EventSource("/api/events");
  es.addEventListener("open", () => {
    if (hadError) {
      hadError = false;
      // Events may have been missed while disconnected: let subscribers refetch.
      reconnectHandlers.forEach((h) => h());
    }
  });
  es.addEventListener("error", () => {
    hadError = true;
  });
  // The bridge dropped events it could not deliver in time: refetch as after a reconnect.
  es.addEventListener("missed", () => reconnectHandlers.forEach((h) => h()));
  for (const name of subscribers.keys()) attach(es, name);
  source = es;
  return es;
}

const attached = new WeakMap<EventSource, Set<string>>();

function attach(es: EventSource, name: string) {
  let names = attached.get(es);
  if (!names) {
    names = new Set();
    attached.set(es, names);
  }
  if (names.has(name)) return;
  names.add(name);
  es.addEventListener(name, (ev: Event) => {
    const data = (ev as MessageEvent<string>).data;
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    subscribers.get(name)?.forEach((h) => h(payload));
  });
}

function closeIfIdle() {
  const any = [...subscribers.values()].some((s) => s.size > 0) || reconnectHandlers.size > 0;
  if (!any && source) {
    source.close();
    source = null;
  }
}

/** Subscribes to a backend event; returns the function that unsubscribes. */
export function listen<E extends keyof Events>(
  event: E,
  handler: (payload: Events[E]) => void,
): () => void {
  if (isTauri()) {
    let stopped = false;
    let unlisten: (() => void) | null = null;
    tauriListen<Events[E]>(event, (e) => handler(e.payload))
      .then((fn) => {
        if (stopped) fn();
        else unlisten = fn;
      })
      .catch((e: unknown) => console.error(`cannot listen to ${event}`, e));
    return () => {
      stopped = true;
      unlisten?.();
    };
  }
  const h = handler as Handler;
  let set = subscribers.get(event);
  if (!set) {
    set = new Set();
    subscribers.set(event, set);
  }
  set.add(h);
  attach(ensureSource(), event);
  return () => {
    subscribers.get(event)?.delete(h);
    closeIfIdle();
  };
}

/** Runs `handler` when the browser event stream reconnects after a drop (no-op inside Tauri). */
export function onReconnect(handler: () => void): () => void {
  if (isTauri()) {
    // The desktop shell says when it dropped events for the window.
    let unlisten: (() => void) | null = null;
    let gone = false;
    void tauriListen("missed", () => handler()).then((u) => {
      if (gone) u();
      else unlisten = u;
    });
    return () => {
      gone = true;
      unlisten?.();
    };
  }
  reconnectHandlers.add(handler);
  ensureSource();
  return () => {
    reconnectHandlers.delete(handler);
    closeIfIdle();
  };
}

/** For tests: forget the shared EventSource. */
export function resetTransportForTests() {
  source?.close();
  source = null;
  subscribers.clear();
  reconnectHandlers.clear();
  hadError = false;
}
