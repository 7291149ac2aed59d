#!/usr/bin/env node
// A stand-in for `loket serve` with in-memory data: serves ui/dist and answers POST /api and
// GET /api/events (SSE) with the same shapes as the real backend. For screenshots and for
// `npm run dev` without the Rust side. Usage: node scripts/mock-backend.mjs [port]
// Env: MOCK_EMPTY=1 starts with no connections; MOCK_KEYRING_BAD=1 reports a broken keyring.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { permitHandlers } from "./mock-permits.mjs";

const port = Number(process.argv[2] ?? process.env.PORT ?? 8787);
const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const now = () => new Date().toISOString();
const ago = (min) => new Date(Date.now() - min * 60_000).toISOString();
const later = (min) => new Date(Date.now() + min * 60_000).toISOString();

const empty = process.env.MOCK_EMPTY === "1";
let nextId = 10;
const connections = empty
  ? []
  : [
      conn(1, "DPMPTSP Kota Bandung", "sicantik", "http://127.0.0.1:18081/backoffice/api/", "production", { requests: 1284, errors: 3, last_sync_at: ago(12), last_duration_ms: 8423 }),
      conn(2, "Odoo kantor", "odoo", "http://127.0.0.1:18082", "staging", { requests: 311, errors: 41, last_sync_at: ago(95), last_duration_ms: 2210 }, { database: "kantor", username: "loket@example.com", protocol: "jsonrpc" }),
      conn(3, "Hacienda pruebas", "hacienda", "http://127.0.0.1:18083/recepcion/v1/", "staging", { requests: 0, errors: 0, last_sync_at: null, last_duration_ms: null }, { username: "cpf-01-0000-0000@stag.comprobanteselectronicos.go.cr" }, false),
    ];

function conn(id, name, kind, base_url, environment, stats, extra = {}, has_secret = true) {
  return {
    id, name, kind, base_url, environment,
    database: null, username: null, protocol: null,
    timeout_ms: 30000, rate_limit_per_sec: 10, max_concurrent: 4, active: true,
    has_secret, created_at: ago(60 * 24 * 20), updated_at: ago(60 * 24 * 2), stats, ...extra,
  };
}

const runs = empty
  ? []
  : [
      run(41, "new_permits", 1, ago(12), ago(11.8), "succeeded", [3, 1, 46, 0], null, "schedule"),
      run(40, "permit_types", 1, ago(60 * 9), ago(60 * 9 - 0.2), "partial", [0, 2, 118, 4], "4 permit types could not be read: malformed XML in jenisperizinanlist page 3", "catch_up"),
      run(39, "new_permits", 1, ago(27), ago(26.7), "failed", [0, 0, 0, 0], "DNS lookup failed for perizinan.example.go.id", "schedule"),
      run(38, "log_cleanup", null, ago(60 * 22), ago(60 * 22 - 0.05), "succeeded", [0, 0, 0, 0], null, "schedule"),
      run(37, "new_permits", 1, ago(60 * 26), ago(60 * 26 - 1), "cancelled", [12, 0, 3, 0], null, "manual"),
      run(36, "new_permits", 1, ago(60 * 30), ago(60 * 30 - 1), "interrupted", [20, 0, 0, 0], "Loket was closed while this run worked; it resumes from its checkpoint.", "schedule"),
    ];

function run(id, job, connection_id, started_at, finished_at, status, [created, updated, unchanged, failed], error, trigger) {
  const c = connections.find((x) => x.id === connection_id);
  return { id, job, connection_id, connection_name: c?.name ?? null, started_at, finished_at, status, counts: { created, updated, unchanged, failed }, error, trigger };
}

const jobs = empty
  ? []
  : [
      { id: 1, kind: "new_permits", connection_id: 1, schedule: { kind: "every", minutes: 15 }, enabled: true, next_due_at: later(3) },
      { id: 2, kind: "permit_types", connection_id: 1, schedule: { kind: "daily", at: "06:00" }, enabled: true, next_due_at: later(60 * 14) },
      { id: 3, kind: "log_cleanup", connection_id: null, schedule: { kind: "daily", at: "03:00" }, enabled: false, next_due_at: null },
    ];

const log = [];
if (!empty) {
  const endpoints = ["listpermohonanterbit?limit=50&offset=0", "cekperizinan?no_izin=***", "jenisperizinanlist", "/jsonrpc", "/xmlrpc/2/object"];
  for (let i = 0; i < 40; i++) {
    const bad = i % 9 === 4;
    const rl = i % 13 === 7;
    log.push({
      id: 500 - i, connection_id: i % 5 < 3 ? 1 : 2, at: ago(i * 1.7),
      method: i % 5 < 3 ? "GET" : "POST", endpoint: endpoints[i % 5],
      params: i % 5 >= 3 ? '{"model":"res.partner","method":"search_read","password":"***"}' : null,
      status: bad ? null : rl ? 429 : 200, duration_ms: 80 + ((i * 37) % 900), bytes: bad ? 0 : 512 + ((i * 7919) % 90000),
      error_category: bad ? "network" : rl ? "rate_limit" : null,
      error: bad ? "connection reset by peer" : rl ? "429 Too Many Requests (Retry-After: 2)" : null,
    });
  }
}

let settings = { office_timezone: "Asia/Jakarta", language: process.env.MOCK_LANG ?? "en", theme: process.env.MOCK_THEME ?? "light", log_retention_days: 30, close_to_tray: true };
const timezones = ["UTC", "America/Costa_Rica", "America/Mexico_City", "Asia/Jakarta", "Asia/Jayapura", "Asia/Makassar", "Europe/Amsterdam", "Europe/Madrid"];

const keyringBad = process.env.MOCK_KEYRING_BAD === "1";
const appInfo = {
  version: "0.1.0", data_dir: "/home/kantor/.local/share/loket", demo: true,
  keyring: keyringBad
    ? { ok: false, backend: "secret-service", problem: "No Secret Service provider is running on the session bus.", advice: "Install and unlock GNOME Keyring (or KWallet), then restart Loket." }
    : { ok: true, backend: "secret-service", problem: null, advice: null },
  sandbox: { sicantik_url: "http://127.0.0.1:18081/backoffice/api/", odoo_url: "http://127.0.0.1:18082", hacienda_url: "http://127.0.0.1:18083/recepcion/v1/" },
};

const clients = new Set();
function emit(event, payload) {
  const msg = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
  for (const res of clients) res.write(msg);
}

class ApiErr extends Error {
  constructor(code, message, fields = [], details = null) {
    super(message);
    this.body = { code, message, fields, details };
  }
}

function validate(input) {
  const fields = [];
  if (!input.name?.trim()) fields.push({ field: "name", message: "Give the connection a name." });
  try {
    const u = new URL(input.base_url);
    if (!/^https?:$/.test(u.protocol)) fields.push({ field: "base_url", message: "Use an http:// or https:// address." });
  } catch {
    fields.push({ field: "base_url", message: "Enter a full address, for example https://example.org/" });
  }
  if (input.kind === "odoo" && input.protocol !== "json2" && !input.database) fields.push({ field: "database", message: "Odoo needs the database name." });
  if (connections.some((c) => c.name === input.name?.trim() && c.id !== input.id)) fields.push({ field: "name", message: "Another connection already has this name." });
  if (fields.length) throw new ApiErr("validation", fields.length === 1 ? fields[0].message : `${fields.length} fields need attention`, fields);
}

function jobInfo(j) {
  const c = connections.find((x) => x.id === j.connection_id);
  const last = runs.filter((r) => r.job === j.kind && r.connection_id === j.connection_id).sort((a, b) => b.id - a.id)[0] ?? null;
  return { ...j, connection_name: c?.name ?? null, running: last?.status === "running", last_run: last };
}

function startRun(job, trigger = "manual") {
  const id = Math.max(0, ...runs.map((r) => r.id)) + 1;
  const r = run(id, job.kind, job.connection_id, now(), null, "running", [0, 0, 0, 0], null, trigger);
  runs.unshift(r);
  emit("changed", { topics: ["runs", "jobs"] });
  const total = job.kind === "log_cleanup" ? null : 240;
  let done = 0;
  const timer = setInterval(() => {
    if (r.status !== "running") return clearInterval(timer);
    done += 6;
    emit("progress", { run_id: id, job: job.kind, connection_id: job.connection_id, done, total, rate_per_sec: 12.3, eta_seconds: total ? (total - done) / 12.3 : null, stage: `Reading page ${Math.ceil(done / 50)} of permits` });
    if (total && done >= total) finish(r, "succeeded", [12, 3, 225, 0]);
  }, 500);
  timers.set(id, timer);
  return id;
}

const timers = new Map();

function finish(r, status, counts) {
  clearInterval(timers.get(r.id));
  timers.delete(r.id);
  r.status = status;
  r.finished_at = now();
  if (counts) r.counts = { created: counts[0], updated: counts[1], unchanged: counts[2], failed: counts[3] };
  emit("run_finished", r);
  emit("changed", { topics: ["runs", "jobs", "connections"] });
}

const handlers = {
  app_info: () => appInfo,
  list_connections: () => connections,
  save_connection: ({ input }) => {
    validate(input);
    if (keyringBad && input.secret) throw new ApiErr("keyring", "The system keyring refused to store the secret.", [], "org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files");
    const existing = connections.find((c) => c.id === input.id);
    const { secret, id, ...rest } = input;
    const has_secret = secret === null ? (existing?.has_secret ?? false) : secret !== "";
    if (existing) {
      Object.assign(existing, rest, { has_secret, updated_at: now() });
      emit("changed", { topics: ["connections"] });
      return existing;
    }
    const c = { ...conn(nextId++, rest.name, rest.kind, rest.base_url, rest.environment, { requests: 0, errors: 0, last_sync_at: null, last_duration_ms: null }), ...rest, has_secret, created_at: now(), updated_at: now() };
    connections.push(c);
    emit("changed", { topics: ["connections", "jobs"] });
    return c;
  },
  delete_connection: ({ id }) => {
    const i = connections.findIndex((c) => c.id === id);
    if (i < 0) throw new ApiErr("not_found", "This connection no longer exists.");
    connections.splice(i, 1);
    emit("changed", { topics: ["connections", "jobs"] });
    return null;
  },
  test_connection: ({ id }) => testOutcome(connections.find((c) => c.id === id)),
  test_connection_draft: ({ input }) => {
    validate(input);
    return testOutcome(input);
  },
  list_jobs: () => jobs.map(jobInfo),
  save_job: ({ id, schedule, enabled }) => {
    const j = jobs.find((x) => x.id === id);
    if (!j) throw new ApiErr("not_found", "This job no longer exists.");
    Object.assign(j, { schedule, enabled, next_due_at: enabled && schedule.kind !== "manual" ? later(schedule.kind === "every" ? schedule.minutes : 60 * 5) : null });
    emit("changed", { topics: ["jobs"] });
    return jobInfo(j);
  },
  run_job: ({ id }) => {
    const j = jobs.find((x) => x.id === id);
    if (!j) throw new ApiErr("not_found", "This job no longer exists.");
    if (jobInfo(j).running) throw new ApiErr("busy", "This job is already running.");
    return startRun(j);
  },
  cancel_run: ({ run_id }) => {
    const r = runs.find((x) => x.id === run_id);
    if (r?.status === "running") setTimeout(() => finish(r, "cancelled"), 300);
    return null;
  },
  list_runs: ({ filter }) =>
    runs
      .filter((r) => (filter.connection_id == null || r.connection_id === filter.connection_id) && (filter.job == null || r.job === filter.job))
      .slice(0, filter.limit ?? 100),
  list_log: ({ filter }) =>
    log
      .filter((e) => (filter.connection_id == null || e.connection_id === filter.connection_id) && (!filter.only_errors || e.error_category) && (!filter.endpoint_contains || e.endpoint.includes(filter.endpoint_contains)))
      .slice(0, filter.limit ?? 200),
  get_settings: () => settings,
  save_settings: ({ settings: s }) => {
    if (!timezones.includes(s.office_timezone)) throw new ApiErr("validation", "Unknown time zone.", [{ field: "office_timezone", message: "Unknown time zone." }]);
    settings = s;
    emit("changed", { topics: ["settings"] });
    return settings;
  },
  list_timezones: () => timezones,
  send_test_notification: () => {
    emit("notify", { title: "Loket", body: "Notifications work: reminders and sync results will appear like this." });
    return null;
  },
};

// Permit commands (not already answered above) come from mock-permits.mjs.
for (const [cmd, h] of Object.entries(permitHandlers({ ApiErr, emit }))) if (!(cmd in handlers)) handlers[cmd] = h;

function testOutcome(c) {
  if (!c) throw new ApiErr("not_found", "This connection no longer exists.");
  if (c.base_url.includes("invalid") || c.base_url.includes("example")) {
    return { reachable: false, server_version: null, authenticated: null, latency_ms: 0, failed_step: "dns", reason: "The name could not be found (DNS). Check the address for typos.", details: "failed to lookup address information: Name or service not known" };
  }
  if (c.kind === "odoo") return { reachable: true, server_version: "17.0-20240501", authenticated: false, latency_ms: 143, failed_step: "auth", reason: "Odoo refused the login: wrong user name or password/API key.", details: "odoo.exceptions.AccessDenied: Access Denied" };
  return { reachable: true, server_version: c.kind === "sicantik" ? "SICANTIK 2.3" : null, authenticated: c.kind === "sicantik" ? null : true, latency_ms: 87, failed_step: null, reason: null, details: null };
}

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png" };

createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname === "/api/events") {
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache", Connection: "keep-alive" });
    res.write(": hello\n\n");
    clients.add(res);
    req.on("close", () => clients.delete(res));
    return;
  }
  if (url.pathname === "/api" && req.method === "POST") {
    let body = "";
    for await (const chunk of req) body += chunk;
    res.setHeader("Content-Type", "application/json");
    try {
      const { cmd, args } = JSON.parse(body);
      const h = handlers[cmd];
      if (!h) throw new ApiErr("validation", `Unknown command ${cmd}`);
      const text = JSON.stringify({ ok: (await h(args ?? {})) ?? null });
      res.writeHead(200).end(text);
    } catch (e) {
      const err = e instanceof ApiErr ? e.body : { code: "internal", message: String(e), fields: [], details: e?.stack ?? null };
      res.writeHead(err.code === "not_found" ? 404 : err.code === "validation" ? 400 : 500).end(JSON.stringify({ error: err }));
    }
    return;
  }
  const path = normalize(join(dist, url.pathname === "/" ? "index.html" : url.pathname));
  if (!path.startsWith(dist)) return res.writeHead(403).end();
  try {
    const data = await readFile(path);
    res.writeHead(200, { "Content-Type": TYPES[extname(path)] ?? "application/octet-stream" }).end(data);
  } catch {
    const data = await readFile(join(dist, "index.html"));
    res.writeHead(200, { "Content-Type": TYPES[".html"] }).end(data);
  }
}).listen(port, "127.0.0.1", () => console.log(`mock backend on http://127.0.0.1:${port}/`));
