// A minimal W3C WebDriver client over fetch: enough to drive the Tauri window through
// tauri-driver (which forwards to WebKitWebDriver). No client library needed.
import { waitFor } from "./harness.mjs";

export const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

/** A W3C WebDriver session, spoken over plain fetch. */
export class WebDriver {
  constructor(base) {
    this.base = base;
    this.session = null;
  }

  async cmd(method, route, body, timeout = 60_000) {
    const url = `${this.base}${route.replace(":session", this.session ?? "")}`;
    let res;
    try {
      res = await fetch(url, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json; charset=utf-8" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeout),
      });
    } catch (e) {
      throw new Error(`WebDriver ${method} ${route}: ${e.name === "TimeoutError" ? `no answer in ${timeout / 1000} s` : e.message}`);
    }
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`WebDriver ${method} ${route}: HTTP ${res.status}, not JSON: ${text.slice(0, 300)}`);
    }
    const v = json.value;
    if (!res.ok || (v && typeof v === "object" && "error" in v && v.error)) {
      const err = new Error(`WebDriver ${method} ${route}: ${v?.error ?? res.status}: ${v?.message ?? text.slice(0, 300)}`);
      err.wdError = v?.error;
      throw err;
    }
    return v;
  }

  async newSession(capabilities) {
    const v = await this.cmd("POST", "/session", { capabilities }, 180_000);
    this.session = v.sessionId;
    return v;
  }

  async deleteSession() {
    if (!this.session) return;
    await this.cmd("DELETE", "/session/:session", undefined, 30_000).catch(() => {});
    this.session = null;
  }

  async findAll(css) {
    const v = await this.cmd("POST", "/session/:session/elements", { using: "css selector", value: css });
    return v.map((e) => e[ELEMENT]);
  }

  /** The first element matching `css`, waiting up to `timeout` for one to exist and be displayed. */
  async find(css, what = css, timeout = 30_000) {
    return waitFor(
      async () => {
        for (const el of await this.findAll(css)) {
          if (await this.displayed(el).catch(() => false)) return el;
        }
        return null;
      },
      { timeout, interval: 300, message: what },
    );
  }

  displayed(el) {
    return this.cmd("GET", `/session/:session/element/${el}/displayed`);
  }

  click(el) {
    return this.cmd("POST", `/session/:session/element/${el}/click`, {});
  }

  type(el, text) {
    return this.cmd("POST", `/session/:session/element/${el}/value`, { text });
  }

  clear(el) {
    return this.cmd("POST", `/session/:session/element/${el}/clear`, {});
  }

  attr(el, name) {
    return this.cmd("GET", `/session/:session/element/${el}/attribute/${encodeURIComponent(name)}`);
  }

  text(el) {
    return this.cmd("GET", `/session/:session/element/${el}/text`);
  }

  exec(script, args = []) {
    return this.cmd("POST", "/session/:session/execute/sync", { script, args });
  }

  url() {
    return this.cmd("GET", "/session/:session/url");
  }
}

