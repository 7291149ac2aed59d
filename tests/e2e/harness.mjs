// Shared helpers of the end-to-end suites: paths, child processes with captured logs and
// group cleanup, waiting with clear messages, free ports, screenshots under Xvfb.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const TARGET = process.env.CARGO_TARGET_DIR
  ? path.resolve(ROOT, process.env.CARGO_TARGET_DIR)
  : path.join(ROOT, "target");

/** Path of a binary of the dev build. */
export const bin = (name) => path.join(TARGET, "debug", name);

/** Throws a message that says how to get `file` when it is missing. */
export function requireFile(file, hint) {
  if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, file) || file} is missing: ${hint}`);
}

/** The first executable called `name` on PATH (or in ~/.cargo/bin), else null. */
export function which(name) {
  const dirs = (process.env.PATH ?? "").split(path.delimiter);
  dirs.push(path.join(process.env.CARGO_HOME ?? path.join(os.homedir(), ".cargo"), "bin"));
  for (const d of dirs) {
    const p = path.join(d, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

export function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** RUST_LOG for the app under test: its own crates in detail, the rest at info. */
export const LOG_FILTER =
  "info,loket=debug,loket_cli=debug,loket_engine=debug,loket_store=debug,loket_connect=debug,loket_desktop=debug";

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Polls `probe` (sync or async) until it returns a truthy value, which is returned.
 * On timeout throws `message` (a string or a function giving one) and the last probe error.
 */
export async function waitFor(probe, { timeout = 30_000, interval = 250, message = "condition" } = {}) {
  const deadline = Date.now() + timeout;
  let lastError;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const m = typeof message === "function" ? message() : message;
      const why = lastError ? ` (last error: ${lastError.message ?? lastError})` : "";
      throw new Error(`timed out after ${Math.round(timeout / 1000)} s waiting for ${m}${why}`);
    }
    await sleep(interval);
  }
}

const running = new Set();
// Last resort when the test process ends without its `after` hooks (a runner timeout, a crash):
// kill our own children's process groups. process.kill is synchronous, so it works in "exit".
process.on("exit", () => {
  for (const c of running) c.killNow("SIGKILL");
});
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.once(sig, () => {
    for (const c of running) c.killNow("SIGKILL");
    process.exit(128 + (sig === "SIGINT" ? 2 : 15));
  });
}

/** A child process in its own process group, its stdout and stderr kept line by line. */
export class Child {
  constructor(name, command, args = [], options = {}) {
    this.name = name;
    this.command = command;
    this.args = args;
    this.lines = [];
    this.exited = null;
    this.listeners = new Set();
    this.proc = spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    running.add(this);
    this.proc.on("error", (e) => {
      this.push("error", `failed to start ${command}: ${e.message}`);
      this.exited = { code: null, signal: null, error: e };
      running.delete(this);
      this.listeners.forEach((l) => l());
    });
    this.proc.on("exit", (code, signal) => {
      this.exited = { code, signal };
      running.delete(this);
      this.listeners.forEach((l) => l());
    });
    for (const [stream, label] of [
      [this.proc.stdout, "out"],
      [this.proc.stderr, "err"],
    ]) {
      let buf = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf("\n")) >= 0) {
          this.push(label, buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      });
      stream.on("end", () => {
        if (buf) this.push(label, buf);
      });
    }
    if (process.env.LOKET_E2E_VERBOSE) this.onLine((l) => process.stderr.write(`[${name}] ${l}\n`));
  }

  push(label, text) {
    this.lines.push(`${label}| ${text}`);
    if (this.lines.length > 5000) this.lines.splice(0, this.lines.length - 4000);
    this.listeners.forEach((l) => l(text));
  }

  onLine(fn) {
    const l = (text) => text !== undefined && fn(text);
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  get running() {
    return this.exited === null;
  }

  describeExit() {
    if (!this.exited) return "still running";
    if (this.exited.error) return `could not start (${this.exited.error.message})`;
    return this.exited.signal ? `killed by ${this.exited.signal}` : `exited with code ${this.exited.code}`;
  }

  /** The last `n` lines of output, labelled. */
  log(n = 120) {
    const tail = this.lines.slice(-n);
    const cut = this.lines.length > n ? `  … (${this.lines.length - n} earlier lines)\n` : "";
    return `--- ${this.name} (${this.describeExit()}): ${this.command} ${this.args.join(" ")}\n${cut}${tail
      .map((l) => `  ${l}`)
      .join("\n")}\n--- end of ${this.name}`;
  }

  /** Resolves with the match of the first output line matching `re` (also among earlier lines). */
  waitForLine(re, { timeout = 60_000, what = String(re) } = {}) {
    return new Promise((resolve, reject) => {
      const strip = (l) => l.replace(/^\w+\| /, "");
      for (const l of this.lines) {
        const m = strip(l).match(re);
        if (m) return resolve(m);
      }
      const check = (text) => {
        if (text !== undefined) {
          const m = text.match(re);
          if (m) return finish(resolve, m);
        } else if (!this.running) {
          finish(reject, new Error(`${this.name} ${this.describeExit()} before printing ${what}`));
        }
      };
      const finish = (fn, v) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        fn(v);
      };
      const timer = setTimeout(
        () => finish(reject, new Error(`${this.name} did not print ${what} within ${timeout / 1000} s`)),
        timeout,
      );
      this.listeners.add(check);
      check(undefined);
    });
  }

  killNow(signal = "SIGTERM") {
    if (!this.running || !this.proc.pid) return;
    try {
      process.kill(-this.proc.pid, signal); // the whole group: the child and what it started
    } catch {
      try {
        this.proc.kill(signal);
      } catch {
        /* gone */
      }
    }
  }

  /** SIGTERM to the group, then SIGKILL after `grace` ms. */
  async stop(grace = 5000) {
    if (!this.running) return;
    const exited = new Promise((r) => this.proc.once("exit", r));
    this.killNow("SIGTERM");
    const t = setTimeout(() => this.killNow("SIGKILL"), grace);
    await Promise.race([exited, sleep(grace + 2000)]);
    clearTimeout(t);
    // Grandchildren that ignored SIGTERM (same group) are not waited for by "exit": kill them too.
    try {
      process.kill(-this.proc.pid, "SIGKILL");
    } catch {
      /* group gone */
    }
  }
}

/**
 * Runs `fn`; if it throws, appends the logs of `children` (a function giving a list, or a list)
 * to the error so that the test report shows what the processes said.
 */
let failures = 0;
/** Whether a withLogs step has failed in this test file. */
export const anyFailed = () => failures > 0;

/** Removes a scratch folder after a clean run; keeps it (and says where) after a failure. */
export function cleanupDir(dir, what = "data folder") {
  if (!dir) return;
  if (anyFailed() || process.env.LOKET_E2E_KEEP) {
    process.stderr.write(`kept the ${what} for a look: ${dir}\n`);
    return;
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

export async function withLogs(children, fn) {
  try {
    return await fn();
  } catch (e) {
    failures++;
    const list = (typeof children === "function" ? children() : children).filter(Boolean);
    const logs = list.map((c) => c.log()).join("\n");
    if (e instanceof Error && logs) {
      const before = e.message;
      e.message = `${before}\n${logs}`;
      // Reporters print the stack, which was captured with the old message.
      if (typeof e.stack === "string") {
        e.stack = e.stack.includes(before) ? e.stack.replace(before, e.message) : `${e.stack}\n${logs}`;
      }
    }
    throw e;
  }
}

/** A screenshot of the whole X display (`import -window root`), as the reference advises under Xvfb. */
export function screenshotRoot(file) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!process.env.DISPLAY) throw new Error("no DISPLAY for a screenshot: run under tests/e2e/run-e2e.sh");
  const r = spawnSync("import", ["-window", "root", file], { encoding: "utf8", timeout: 30_000 });
  if (r.error || r.status !== 0) {
    throw new Error(`import -window root ${file} failed: ${r.error?.message ?? r.stderr}`);
  }
  return file;
}

/**
 * In the page: the http(s) address that an element of `row` shows (its title, or its whole text),
 * or null. Pass to page.evaluate, or as `return (${urlShownIn})(arguments[0])` to WebDriver.
 */
export function urlShownIn(row) {
  const isUrl = (t) => /^https?:\/\/\S+$/.test(t);
  const els = [row, ...row.querySelectorAll("*")];
  for (const el of els) {
    const t = (el.getAttribute("title") ?? "").trim();
    if (isUrl(t)) return t;
  }
  for (const el of els) {
    const t = (el.textContent ?? "").trim();
    if (isUrl(t)) return t;
  }
  return null;
}

/** Lines of a JSON-lines file, parsed; [] when it does not exist yet. */
export function readJsonLines(file) {
  let text;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        return { unparsed: l };
      }
    });
}
