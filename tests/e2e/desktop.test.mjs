// The real Tauri window, driven through tauri-driver (W3C WebDriver, spoken with plain fetch):
// create a connection in the form, test it, send a test notification and see it arrive at the
// fake notification server (tests/support/notify_server.py) of this D-Bus session.
//
// Needs DISPLAY (Xvfb), a D-Bus session and LOKET_NOTIFY_LOG: run it with tests/e2e/run-e2e.sh.
// LOKET_DESKTOP_BIN=<path> drives another build of the app than target/debug/loket-desktop.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import {
  Child,
  LOG_FILTER,
  TARGET,
  bin,
  cleanupDir,
  freePort,
  readJsonLines,
  requireFile,
  screenshotRoot,
  sleep,
  tempDir,
  urlShownIn,
  waitFor,
  which,
  withLogs,
} from "./harness.mjs";
import { ELEMENT, WebDriver } from "./webdriver.mjs";

const SHOTS = path.join(TARGET, "screenshots", "desktop");
const SICANTIK_DEMO = "Permit office (sandbox)";
// The binary to drive: the dev build unless LOKET_DESKTOP_BIN names another (a release build, say).
const APP = process.env.LOKET_DESKTOP_BIN ? path.resolve(process.env.LOKET_DESKTOP_BIN) : bin("loket-desktop");
// A Tauri (wry) window calls itself "wry" to WebKitWebDriver; another WebKitGTK shell may not
// (LOKET_WEBDRIVER_BROWSER="" leaves the name out).
const BROWSER_NAME = process.env.LOKET_WEBDRIVER_BROWSER ?? "wry";
// With LOKET_DESKTOP_START_URL the window is first sent there (e.g. the UI of `loket serve` in
// another WebKitGTK shell such as MiniBrowser, which opens on about:blank under automation).
const START_URL = process.env.LOKET_DESKTOP_START_URL;

let driver;
let wd;
let dataDir;
const logs = () => [driver];
const step = (fn) => withLogs(logs, fn);

const css = (id) => `[data-testid="${id}"]`;

async function go(section) {
  await wd.click(await wd.find(css(`nav-${section}`), `the navigation link nav-${section}`));
  await waitFor(async () => (await wd.exec("return location.hash")).startsWith(`#/${section}`), {
    timeout: 10_000,
    message: `the window to show #/${section}`,
  });
}

/** The control of form field `name` (data-testid="field-<name>", else the control in data-field). */
async function field(name) {
  return wd.find(
    `input${css(`field-${name}`)}, select${css(`field-${name}`)}, textarea${css(`field-${name}`)}, ` +
      `${css(`field-${name}`)} input, ${css(`field-${name}`)} select, ` +
      `[data-field="${name}"] input, [data-field="${name}"] select, [data-field="${name}"] textarea`,
    `the form field "${name}"`,
  );
}

/** Replaces an input's text the way a person does: select all, type. */
async function replaceText(el, text) {
  await wd.click(el);
  await wd.type(el, `\uE009a\uE000${text}`); // Ctrl+A, release, then the text
  const now = await wd.exec("return arguments[0].value", [{ [ELEMENT]: el }]);
  if (now !== text) {
    // Fallback: clear, then type.
    await wd.clear(el);
    await wd.type(el, text);
  }
}

async function shot(name) {
  // A short pause so the last click has painted; WebKitWebDriver's own screenshots can be stale
  // under Xvfb, so the picture is of the X display.
  await sleep(500);
  return screenshotRoot(path.join(SHOTS, `${name}.png`));
}

before(async () => {
  requireFile(APP, "build it first: cargo build --bin loket-desktop (after npm run build in ui/)");
  assert.ok(process.env.DISPLAY, "no DISPLAY: run this suite with tests/e2e/run-e2e.sh (it starts Xvfb)");
  assert.ok(process.env.DBUS_SESSION_BUS_ADDRESS, "no D-Bus session: run this suite with tests/e2e/run-e2e.sh");
  assert.ok(process.env.LOKET_NOTIFY_LOG, "no LOKET_NOTIFY_LOG (fake notification server): run tests/e2e/run-e2e.sh");
  const tauriDriver = process.env.TAURI_DRIVER ?? which("tauri-driver");
  assert.ok(tauriDriver, "tauri-driver is not installed: scripts/setup installs it (cargo install tauri-driver --locked --version ^2)");
  requireFile("/usr/bin/WebKitWebDriver", "install webkit2gtk-driver: scripts/setup");
  fs.mkdirSync(SHOTS, { recursive: true });

  dataDir = tempDir("loket-e2e-desktop-");
  const port = await freePort();
  let nativePort = await freePort();
  while (nativePort === port) nativePort = await freePort();
  driver = new Child("tauri-driver", tauriDriver, ["--port", String(port), "--native-port", String(nativePort)], {
    env: {
      ...process.env,
      // The app is started by WebKitWebDriver, a child of tauri-driver: it inherits these.
      LOKET_DEMO: "1",
      LOKET_DATA_DIR: dataDir,
      WEBKIT_DISABLE_DMABUF_RENDERER: process.env.WEBKIT_DISABLE_DMABUF_RENDERER ?? "1",
      RUST_LOG: process.env.RUST_LOG ?? LOG_FILTER,
      NO_COLOR: "1",
      RUST_BACKTRACE: "1",
    },
  });
  wd = new WebDriver(`http://127.0.0.1:${port}`);
  await step(async () => {
    await waitFor(
      async () => {
        if (!driver.running) throw new Error(`tauri-driver ${driver.describeExit()}`);
        const v = await wd.cmd("GET", "/status", undefined, 2_000);
        return v?.ready !== false;
      },
      { timeout: 30_000, interval: 300, message: `tauri-driver to answer on port ${port}` },
    );
    // The app is a grandchild of tauri-driver and writes to its stderr: a crash at start shows
    // there long before WebKitWebDriver gives up on the session.
    const crashed = driver
      .waitForLine(/panicked at|error while running tauri application|Gtk-ERROR|cannot open display/, {
        timeout: 180_000,
        what: "a crash",
      })
      .then(
        (m) => {
          throw new Error(`the app crashed while starting (${m[0]}): see its output below`);
        },
        () => new Promise(() => {}), // no crash seen: let the session request decide
      );
    const session = wd.newSession({
      alwaysMatch: {
        ...(BROWSER_NAME ? { browserName: BROWSER_NAME } : {}),
        "tauri:options": {
          application: APP,
          args: ["--demo", "--data-dir", dataDir],
        },
      },
    });
    session.catch(() => {}); // raced below; keeps a late failure after a crash from going unhandled
    await Promise.race([session, crashed]);
    if (START_URL) await wd.cmd("POST", "/session/:session/url", { url: START_URL });
    await wd.find(css("nav-connections"), "the app's navigation in the window (did the UI load?)", 90_000);
  });
});

after(async () => {
  await wd?.deleteSession();
  await driver?.stop();
  cleanupDir(dataDir, "app's data folder");
});

test("the window opens on the app", { timeout: 60_000 }, () =>
  step(async () => {
    const title = await wd.cmd("GET", "/session/:session/title");
    assert.match(String(title), /Loket/i, `the window's title is "${title}"`);
    await shot("start");
  }),
);

test("create a SICANTIK connection in the form and test it: reachable", { timeout: 180_000 }, () =>
  step(async () => {
    const name = "Desktop E2E permit office";
    await go("connections");
    const demoRow = await wd.find(css(`connection-row-${SICANTIK_DEMO}`), `the demo connection "${SICANTIK_DEMO}"`);
    // Its address, as the row shows it.
    const url = await wd.exec(`return (${urlShownIn})(arguments[0]);`, [{ [ELEMENT]: demoRow }]);
    assert.ok(url, `the demo SICANTIK row shows no URL: "${await wd.text(demoRow)}"`);

    await wd.click(await wd.find(css("btn-new-connection"), "the New connection button"));
    await wd.type(await field("name"), name);
    const kind = await field("kind");
    const kindTag = await wd.exec("return arguments[0].tagName.toLowerCase()", [{ [ELEMENT]: kind }]);
    if (kindTag === "select" && (await wd.exec("return arguments[0].value", [{ [ELEMENT]: kind }])) !== "sicantik") {
      await wd.click(kind);
      await wd.click(await wd.find(`${css("field-kind")} option[value="sicantik"], [data-field="kind"] option[value="sicantik"]`, "the SICANTIK option"));
    }
    await replaceText(await field("base_url"), url);
    await shot("connection-form");
    await wd.click(await wd.find(css("btn-save"), "the Save button"));

    await waitFor(
      async () => {
        if ((await wd.findAll(css(`connection-row-${name}`))).length) return true;
        const hash = await wd.exec("return location.hash");
        if (!hash.includes("/connections/new") && hash !== "#/connections") await go("connections");
        const errors = await wd.findAll('[data-testid^="error-"], [data-testid="error-box"]');
        if (errors.length) throw new Error(`the form shows: ${await wd.text(errors[0])}`);
        return false;
      },
      { timeout: 30_000, interval: 500, message: `"${name}" in the connection list after Save` },
    );
    if ((await wd.exec("return location.hash")) !== "#/connections") await go("connections");

    const row = await wd.find(css(`connection-row-${name}`), `the row of "${name}"`);
    const rowTestId = `connection-row-${name}`;
    const button = (await wd.findAll(`${css(rowTestId)} [data-testid="btn-test"], ${css(rowTestId)} [data-testid^="btn-test-"]`))[0];
    assert.ok(button, `no Test button in the row of "${name}"`);
    await wd.click(button);
    const result = await waitFor(
      () =>
        wd.exec(
          `const row = arguments[0];
           for (const s of [row, row.nextElementSibling]) {
             if (!s) continue;
             const r = s.querySelector('[data-testid="test-result"]');
             if (r) return { reachable: r.getAttribute("data-reachable"), authenticated: r.getAttribute("data-authenticated"), text: r.innerText };
             const e = s.querySelector('[data-testid="error-box"]');
             if (e) return { error: e.innerText };
           }
           return null;`,
          [{ [ELEMENT]: row }],
        ),
      { timeout: 60_000, interval: 500, message: `a test result for "${name}"` },
    );
    await shot("connection-tested");
    assert.ok(!result.error, `testing "${name}" showed an error: ${result.error}`);
    assert.equal(result.reachable, "true", `"${name}" is not reachable: ${result.text}`);
  }),
);

test("Settings → Send a test notification arrives at the notification server", { timeout: 120_000 }, () =>
  step(async () => {
    const log = process.env.LOKET_NOTIFY_LOG;
    const already = readJsonLines(log).length;
    await go("settings");
    await shot("settings");
    await wd.click(await wd.find(css("btn-test-notification"), "the Send a test notification button"));
    const got = await waitFor(
      () => readJsonLines(log).slice(already).find((n) => String(n.summary ?? "").includes("Loket")),
      {
        timeout: 20_000,
        interval: 250,
        message: () =>
          `a Notify whose summary contains "Loket" at the fake notification server (${log} has: ${JSON.stringify(
            readJsonLines(log).slice(already),
          )})`,
      },
    );
    await shot("notification-sent");
    assert.ok(got.summary.includes("Loket"));
  }),
);

test("demo mode: permits arrive by themselves and due reminders reach the desktop", { timeout: 240_000 }, () =>
  step(async () => {
    const log = process.env.LOKET_NOTIFY_LOG;
    // A first start in demo mode syncs permits, looks up their expiry dates, then sends the
    // reminders that are due: one notification per tier, e.g. "12 permits reach 30 days…".
    const reminders = await waitFor(
      () => {
        const got = readJsonLines(log).filter((n) => /reach(es)? \d+ days before expiry/.test(String(n.summary ?? "")));
        return got.length > 0 ? got : null;
      },
      {
        timeout: 200_000,
        interval: 1_000,
        message: () => `reminder notifications at the fake notification server (${log} has: ${JSON.stringify(readJsonLines(log))})`,
      },
    );
    const tiers = reminders.map((n) => Number(/(\d+) days/.exec(n.summary)[1]));
    assert.equal(new Set(tiers).size, tiers.length, `one notification per tier: ${JSON.stringify(reminders)}`);
    await go("permits");
    const total = await waitFor(
      async () => {
        const text = await wd.exec(`return document.querySelector('[data-testid="permit-list-total"]')?.textContent ?? ""`);
        const n = Number(String(text).replace(/[^0-9]/g, ""));
        return n > 0 ? n : null;
      },
      { timeout: 30_000, interval: 500, message: "the permit list to show its permits" },
    );
    assert.ok(total > 1000, `the demo office lists over 1,000 permits; the list shows ${total}`);
    await shot("demo-permits");
  }),
);

test("e-invoices in the window: bulk signing the demo drafts ends with a desktop notification", { timeout: 180_000 }, () =>
  step(async () => {
    const log = process.env.LOKET_NOTIFY_LOG;
    const already = readJsonLines(log).length;
    await go("einvoices");
    await wd.find('[data-testid^="einvoice-row-"]', "the demo's draft e-invoices in the list", 30_000);
    await shot("einvoices");
    await wd.click(await wd.find(css("btn-bulk-sign"), "the Sign button"));
    await wd.find(css("wizard-bulk"), "the bulk sign wizard");
    await wd.click(await wd.find(css("btn-wizard-next"), "the wizard's Next button"));
    await wd.click(await wd.find(css("btn-wizard-start"), "the wizard's Start button", 30_000));
    await waitFor(async () => (await wd.exec(`return document.querySelector('[data-testid="wizard-bulk"]')?.dataset.step`)) === "summary", {
      timeout: 120_000,
      interval: 500,
      message: "the wizard's summary",
    });
    await shot("einvoices-signed");
    const done = await waitFor(
      () => readJsonLines(log).slice(already).find((n) => /Sign e-invoices finished/.test(String(n.summary ?? ""))),
      {
        timeout: 20_000,
        interval: 250,
        message: () => `the bulk run's notification at the fake notification server (${log} has: ${JSON.stringify(readJsonLines(log).slice(already))})`,
      },
    );
    assert.match(String(done.body), /^\d+ done, 0 failed/, `the notification's body: ${done.body}`);
  }),
);
