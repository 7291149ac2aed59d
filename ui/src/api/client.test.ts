import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn();
const tauriListen = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));
vi.mock("@tauri-apps/api/event", () => ({ listen: (...a: unknown[]) => tauriListen(...a) }));

import { ApiFailure, call, isTauri, listen, resetTransportForTests } from "./client";
import type { ApiError } from "./types";

const validationError: ApiError = {
  code: "validation",
  message: "Odoo needs the database name.",
  fields: [{ field: "database", message: "Odoo needs the database name." }],
  details: null,
};

function jsonResponse(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

class FakeEventSource {
  static instances: FakeEventSource[] = [];
  url: string;
  closed = false;
  listeners = new Map<string, Array<(e: Event) => void>>();
  constructor(url: string) {
    this.url = url;
    FakeEventSource.instances.push(this);
  }
  addEventListener(name: string, fn: (e: Event) => void) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), fn]);
  }
  close() {
    this.closed = true;
  }
  emit(name: string, data: string) {
    this.listeners.get(name)?.forEach((fn) => fn(new MessageEvent(name, { data })));
  }
}

beforeEach(() => {
  invoke.mockReset();
  tauriListen.mockReset();
  FakeEventSource.instances = [];
  vi.stubGlobal("EventSource", FakeEventSource);
  resetTransportForTests();
});

afterEach(() => {
  vi.unstubAllGlobals();
  delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__;
});

describe("in a plain browser", () => {
  it("posts {cmd, args} to /api and returns the ok value", async () => {
    const fetchMock = vi.fn().mockResolvedValue(jsonResponse(200, { ok: 42 }));
    vi.stubGlobal("fetch", fetchMock);
    expect(isTauri()).toBe(false);

    await expect(call("run_job", { id: 7 })).resolves.toBe(42);

    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe("/api");
    expect(init.method).toBe("POST");
    expect(JSON.parse(init.body as string)).toEqual({ cmd: "run_job", args: { id: 7 } });
    expect(invoke).not.toHaveBeenCalled();
  });

  it("returns a null ok value as null", async () => {
    vi.stubGlobal("fetch", vi.fn().mockResolvedValue(jsonResponse(200, { ok: null })));
    await expect(call("cancel_run", { run_id: 3 })).resolves.toBeNull();
  });

  it("throws an ApiFailure carrying the ApiError of a non-2xx answer", async () => {
    vi.stubGlobal("fetch", vi.fn().mockResolvedValue(jsonResponse(400, { error: validationError })));
    const err = await call("list_connections", {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiFailure);
    expect((err as ApiFailure).error).toEqual(validationError);
    expect((err as ApiFailure).code).toBe("validation");
    expect((err as ApiFailure).message).toBe("Odoo needs the database name.");
  });

  it("turns an answer without an ApiError into an internal ApiFailure with the body as details", async () => {
    vi.stubGlobal("fetch", vi.fn().mockResolvedValue(new Response("Bad gateway", { status: 502 })));
    const err = (await call("app_info", {}).catch((e: unknown) => e)) as ApiFailure;
    expect(err).toBeInstanceOf(ApiFailure);
    expect(err.code).toBe("internal");
    expect(err.message).toContain("502");
    expect(err.error.details).toBe("Bad gateway");
  });

  it("turns a network failure into an ApiFailure", async () => {
    vi.stubGlobal("fetch", vi.fn().mockRejectedValue(new TypeError("Failed to fetch")));
    const err = (await call("app_info", {}).catch((e: unknown) => e)) as ApiFailure;
    expect(err).toBeInstanceOf(ApiFailure);
    expect(err.code).toBe("internal");
    expect(err.error.details).toContain("Failed to fetch");
  });

  it("listens on one shared EventSource at /api/events and parses each message's JSON", () => {
    const progress = vi.fn();
    const changed = vi.fn();
    const offProgress = listen("progress", progress);
    const offChanged = listen("changed", changed);
    expect(FakeEventSource.instances).toHaveLength(1);
    const es = FakeEventSource.instances[0]!;
    expect(es.url).toBe("/api/events");

    es.emit("progress", JSON.stringify({ run_id: 1, done: 5, total: 10 }));
    es.emit("changed", JSON.stringify({ topics: ["connections"] }));
    es.emit("progress", "not json");
    expect(progress).toHaveBeenCalledTimes(1);
    expect(progress).toHaveBeenCalledWith({ run_id: 1, done: 5, total: 10 });
    expect(changed).toHaveBeenCalledWith({ topics: ["connections"] });

    offProgress();
    es.emit("progress", JSON.stringify({ run_id: 2 }));
    expect(progress).toHaveBeenCalledTimes(1);
    expect(es.closed).toBe(false);
    offChanged();
    expect(es.closed).toBe(true);
  });
});

describe("inside Tauri", () => {
  beforeEach(() => {
    (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {};
  });

  it("invokes the api command with {request: {cmd, args}}", async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal("fetch", fetchMock);
    invoke.mockResolvedValue({ version: "0.1.0" });
    expect(isTauri()).toBe(true);

    await expect(call("app_info", {})).resolves.toEqual({ version: "0.1.0" });
    expect(invoke).toHaveBeenCalledWith("api", { request: { cmd: "app_info", args: {} } });
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("throws an ApiFailure carrying the ApiError the command rejected with", async () => {
    invoke.mockRejectedValue({ ...validationError, code: "keyring", message: "No keyring" });
    const err = (await call("save_connection", {
      input: {
        id: null,
        name: "x",
        kind: "sicantik",
        base_url: "https://x.org",
        environment: "staging",
        database: null,
        username: null,
        protocol: null,
        timeout_ms: 30000,
        rate_limit_per_sec: 10,
        max_concurrent: 4,
        active: true,
        secret: null,
      },
    }).catch((e: unknown) => e)) as ApiFailure;
    expect(err).toBeInstanceOf(ApiFailure);
    expect(err.code).toBe("keyring");
    expect(err.message).toBe("No keyring");
  });

  it("wraps a plain string rejection", async () => {
    invoke.mockRejectedValue("command api not found");
    const err = (await call("app_info", {}).catch((e: unknown) => e)) as ApiFailure;
    expect(err.code).toBe("internal");
    expect(err.error.details).toBe("command api not found");
  });

  it("listens with Tauri's event API and hands over the payload", async () => {
    const unlisten = vi.fn();
    let deliver: ((e: { payload: unknown }) => void) | undefined;
    tauriListen.mockImplementation(async (_name: string, cb: (e: { payload: unknown }) => void) => {
      deliver = cb;
      return unlisten;
    });
    const handler = vi.fn();
    const off = listen("run_finished", handler);
    expect(tauriListen).toHaveBeenCalledWith("run_finished", expect.any(Function));
    deliver!({ payload: { id: 9, status: "succeeded" } });
    expect(handler).toHaveBeenCalledWith({ id: 9, status: "succeeded" });
    await Promise.resolve();
    await Promise.resolve();
    off();
    expect(unlisten).toHaveBeenCalled();
    expect(FakeEventSource.instances).toHaveLength(0);
  });
});
