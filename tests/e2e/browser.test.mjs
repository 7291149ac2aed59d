// The UI in a real browser (Debian's Chromium through playwright-core) against the real
// backend, `loket serve --demo`, used as a person would: read the screens, click, type.
//
// Run it with tests/e2e/run-e2e.sh (which builds nothing: build first, see scripts/test).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";
import { Child, LOG_FILTER, ROOT, TARGET, bin, cleanupDir, requireFile, tempDir, urlShownIn, waitFor, withLogs } from "./harness.mjs";

const CHROMIUM = process.env.LOKET_CHROMIUM ?? "/usr/bin/chromium";
const SHOTS = path.join(TARGET, "screenshots", "browser");
const UI_DIST = path.join(ROOT, "ui", "dist");

const DEMO_CONNECTIONS = ["Permit office (sandbox)", "Odoo (sandbox)", "Hacienda (sandbox)"];
const NAV_TEXT = {
  en: { dashboard: "Dashboard", sync: "Sync", connections: "Connections", settings: "Settings" },
  id: { dashboard: "Dasbor", sync: "Sinkronisasi", connections: "Koneksi", settings: "Pengaturan" },
  es: { dashboard: "Tablero", sync: "Sincronización", connections: "Conexiones", settings: "Configuración" },
};
const SCREENS = ["connections", "sync", "settings", "dashboard", "einvoices", "responses", "retry-queue"];
// Sub-parts of the progress bar that share the "progress-" prefix with progress-<run id>.
const PROGRESS_PARTS = ["progress-counts", "progress-rate", "progress-eta", "progress-stage"];

let server;
let browser;
let page;
let baseUrl;
let dataDir;
const pageErrors = [];
const consoleLines = [];
// The page's calls to the backend: what it asked and whether an answer came.
const apiCalls = [];

function trackApiCalls(p) {
  const started = new Map();
  p.on("request", (r) => {
    if (!r.url().includes("/api")) return;
    let cmd = "events";
    try {
      cmd = JSON.parse(r.postData() ?? "{}").cmd ?? cmd;
    } catch {
      /* not JSON */
    }
    const entry = { cmd, at: new Date().toISOString().slice(11, 23), end: "pending" };
    started.set(r, entry);
    apiCalls.push(entry);
  });
  const finish = (r, end) => {
    const entry = started.get(r);
    if (entry) entry.end = `${end} ${new Date().toISOString().slice(11, 23)}`;
  };
  p.on("requestfinished", (r) => finish(r, "answered"));
  p.on("requestfailed", (r) => finish(r, `failed (${r.failure()?.errorText})`));
}

/** The browser's side of the story, for failure reports. */
const browserLog = {
  log: () =>
    `--- browser console (last 60 lines)\n${consoleLines
      .slice(-60)
      .map((l) => `  ${l}`)
      .join("\n")}\n--- page errors\n${pageErrors.map((l) => `  ${l}`).join("\n")}\n--- backend calls (last 40)\n${apiCalls
      .slice(-40)
      .map((c) => `  ${c.at} ${c.cmd}: ${c.end}`)
      .join("\n")}\n--- end of browser`,
};
const logs = () => [server, browserLog];
const step = (fn) => withLogs(logs, fn);

const byTestId = (id) => page.locator(`[data-testid="${id}"]`);

async function visible(locator, what, timeout = 20_000) {
  try {
    await locator.first().waitFor({ state: "visible", timeout });
  } catch {
    throw new Error(`${what} did not show within ${timeout / 1000} s (page: ${page.url()})`);
  }
  return locator.first();
}

async function go(section) {
  const link = await visible(byTestId(`nav-${section}`), `the navigation link nav-${section}`);
  await link.click();
  await waitFor(() => page.url().includes(`#/${section}`), {
    timeout: 10_000,
    message: `the address to change to #/${section} after clicking nav-${section}`,
  });
}

/** The form control for field `name`: data-testid="field-<name>", else the control inside data-field. */
async function field(name) {
  const direct = page.locator(`[data-testid="field-${name}"]`);
  const inside = page.locator(
    `[data-field="${name}"] input, [data-field="${name}"] select, [data-field="${name}"] textarea`,
  );
  const loc = await visible(direct.or(inside), `the form field "${name}"`);
  const tag = await loc.evaluate((el) => el.tagName.toLowerCase());
  return ["input", "select", "textarea"].includes(tag) ? loc : loc.locator("input, select, textarea").first();
}

/** The Test button of a connection row: btn-test, btn-test-<id>, inside the row. */
async function testButton(row) {
  return visible(row.locator('[data-testid="btn-test"], [data-testid^="btn-test-"]'), "the row's Test button");
}

/**
 * Clicks Test on the row of connection `name` and waits for its answer, shown in the row or in
 * the detail row right below it. Returns {reachable, authenticated, text}.
 */
async function testConnection(name) {
  const rowId = `connection-row-${name}`;
  const row = await visible(byTestId(rowId), `the row of connection "${name}"`);
  await (await testButton(row)).click();
  const handle = await page
    .waitForFunction(
      (id) => {
        const row = document.querySelector(`[data-testid="${CSS.escape(id)}"]`);
        if (!row) return null;
        const scopes = [row, row.nextElementSibling].filter(Boolean);
        for (const s of scopes) {
          const r = s.querySelector('[data-testid="test-result"]');
          if (r)
            return {
              reachable: r.getAttribute("data-reachable"),
              authenticated: r.getAttribute("data-authenticated"),
              text: r.innerText,
            };
          const err = s.querySelector('[data-testid="error-box"]');
          if (err) return { error: err.innerText };
        }
        return null;
      },
      rowId,
      { timeout: 60_000, polling: 200 },
    )
    .catch(() => {
      throw new Error(`no test result for "${name}" within 60 s after clicking Test`);
    });
  const result = await handle.jsonValue();
  assert.ok(!result.error, `testing "${name}" showed an error instead of a result: ${result.error}`);
  return result;
}

before(async () => {
  requireFile(bin("loket"), "build it first: cargo build -p loket-cli");
  requireFile(path.join(UI_DIST, "index.html"), "build the UI first: (cd ui && npm run build)");
  requireFile(CHROMIUM, "install Debian's chromium: scripts/setup");
  fs.mkdirSync(SHOTS, { recursive: true });
  dataDir = tempDir("loket-e2e-browser-");
  server = new Child(
    "loket serve",
    bin("loket"),
    ["serve", "--demo", "--data-dir", dataDir, "--port", "0", "--ui-dir", UI_DIST],
    { env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? LOG_FILTER, NO_COLOR: "1", RUST_BACKTRACE: "1" } },
  );
  await step(async () => {
    const m = await server.waitForLine(/LOKET_SERVE_URL=(\S+)/, { timeout: 90_000, what: "LOKET_SERVE_URL=…" });
    baseUrl = m[1].replace(/\/$/, "");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      timeout: 60_000,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
    context.setDefaultTimeout(20_000);
    page = await context.newPage();
    page.on("console", (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    trackApiCalls(page);
    const res = await page.goto(`${baseUrl}/#/connections`, { waitUntil: "domcontentloaded" });
    assert.ok(res?.ok(), `GET ${baseUrl}/ answered ${res?.status()}: does --ui-dir serve ui/dist?`);
    await visible(byTestId("nav-connections"), "the app's navigation (the UI did not render)", 30_000);
  });
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
  cleanupDir(dataDir, "app's data folder");
});

test("the Connections screen lists the three demo connections", { timeout: 60_000 }, () =>
  step(async () => {
    await go("connections");
    for (const name of DEMO_CONNECTIONS) {
      await visible(byTestId(`connection-row-${name}`), `the demo connection "${name}"`);
    }
    const names = await page
      .locator('[data-testid^="connection-row-"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-testid").replace(/^connection-row-/, "")));
    for (const name of DEMO_CONNECTIONS) assert.ok(names.includes(name), `"${name}" is not listed: ${names}`);
  }),
);

test("Test connection on each demo connection: reachable and authenticated", { timeout: 180_000 }, () =>
  step(async () => {
    await go("connections");
    for (const name of DEMO_CONNECTIONS) {
      const r = await testConnection(name);
      assert.equal(r.reachable, "true", `"${name}" is not reachable: ${r.text}`);
      assert.notEqual(r.authenticated, "false", `"${name}" did not authenticate: ${r.text}`);
    }
    await page.screenshot({ path: path.join(SHOTS, "connections-tested.png"), fullPage: true });
  }),
);

test("a new SICANTIK connection: a bad URL is refused at the field, a good one saves", { timeout: 120_000 }, () =>
  step(async () => {
    const name = "E2E permit office";
    await go("connections");
    // The sandbox SICANTIK address, as the demo connection shows it.
    const demoRow = await visible(byTestId("connection-row-Permit office (sandbox)"), "the demo SICANTIK row");
    const goodUrl = await demoRow.evaluate(urlShownIn);
    assert.ok(goodUrl, "the demo SICANTIK row shows no URL to reuse");

    await (await visible(byTestId("btn-new-connection"), "the New connection button")).click();
    await (await field("name")).fill(name);
    const kind = await field("kind");
    if ((await kind.evaluate((el) => el.tagName.toLowerCase())) === "select") await kind.selectOption("sicantik");
    const url = await field("base_url");
    await url.fill("not a url");
    await (await visible(byTestId("btn-save"), "the Save button")).click();
    const msg = await visible(
      page.locator('[data-testid="error-base_url"], [data-field="base_url"] .field-error'),
      "a message at the URL field after saving a bad URL",
    );
    assert.ok((await msg.innerText()).trim().length > 0, "the URL field's message is empty");
    await page.screenshot({ path: path.join(SHOTS, "connection-form-bad-url.png"), fullPage: true });

    await url.fill(goodUrl);
    await byTestId("btn-save").first().click();
    await waitFor(async () => (await page.locator('[data-testid="error-base_url"]').count()) === 0, {
      timeout: 10_000,
      message: "the URL field's message to go away after a good URL",
    });
    // Saved: the list (directly, or after going back to it) has the new row.
    await waitFor(
      async () => {
        if (await byTestId(`connection-row-${name}`).count()) return true;
        if (!page.url().includes("/connections/new") && !page.url().endsWith("#/connections")) await go("connections");
        return (await byTestId(`connection-row-${name}`).count()) > 0;
      },
      { timeout: 20_000, message: `the new connection "${name}" in the list after Save` },
    );
    if (!page.url().endsWith("#/connections")) await go("connections");
    const r = await testConnection(name);
    assert.equal(r.reachable, "true", `the new connection is not reachable: ${r.text}`);
  }),
);

/** Goes to tab `name` (tab-<name>) of the current screen, waiting for the screen to draw it. */
async function tab(name) {
  await (await visible(byTestId(`tab-${name}`), `the ${name} tab (tab-${name})`)).click();
  await waitFor(() => page.url().includes(`/${name}`), {
    timeout: 10_000,
    message: `the address to change to …/${name} after clicking tab-${name}`,
  });
}

test("Sync: Run now on new_permits shows progress, then a succeeded run", { timeout: 240_000 }, () =>
  step(async () => {
    await go("sync");
    // The runs already listed, to tell the new one apart.
    await tab("runs");
    await visible(page.locator('[data-testid^="run-row-"], .empty'), "the runs list");
    const known = await page
      .locator('[data-testid^="run-row-"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-testid")));
    await tab("jobs");

    // The demo SICANTIK connection's job (other connections, such as one made above, have their own).
    const jobs = page.locator('[data-testid^="job-row-new_permits-"]');
    await visible(jobs, "a new_permits job row", 30_000);
    const demoJob = jobs.filter({ hasText: "Permit office (sandbox)" });
    const job = (await demoJob.count()) ? demoJob.first() : jobs.first();
    const runButton = await visible(
      job.locator('[data-testid^="btn-run-"]'),
      "the Run now button (btn-run-<job id>) in the new_permits row",
    );
    // Record every progress-<run id> that appears, however briefly.
    await page.evaluate((parts) => {
      const seen = new Set();
      const scan = () =>
        document.querySelectorAll('[data-testid^="progress-"]').forEach((el) => {
          const id = el.getAttribute("data-testid");
          if (!parts.includes(id)) seen.add(id.slice("progress-".length));
        });
      window.__loketProgressSeen = seen;
      new MutationObserver(scan).observe(document.body, { subtree: true, childList: true, attributes: true });
      scan();
    }, PROGRESS_PARTS);
    await runButton.click();

    await waitFor(() => page.evaluate(() => window.__loketProgressSeen.size > 0), {
      timeout: 30_000,
      message: "a progress element [data-testid^=progress-] after Run now",
    });
    await page.screenshot({ path: path.join(SHOTS, "sync-running.png"), fullPage: true });
    const progressIds = await page.evaluate(() => [...window.__loketProgressSeen]);

    await tab("runs");
    let lastSeen = "nothing";
    const run = await waitFor(
      () =>
        page.evaluate(
          ({ known, ids }) => {
            const rows = [...document.querySelectorAll('[data-testid^="run-row-"]')];
            const mine =
              rows.find((r) => ids.includes(r.getAttribute("data-testid").slice("run-row-".length))) ??
              rows.find((r) => !known.includes(r.getAttribute("data-testid")));
            const shown = rows.map((r) => `${r.getAttribute("data-testid")}=${r.getAttribute("data-status")}`);
            if (!mine) return { pending: `no new row; rows: ${shown.join(", ") || "none"}; url ${location.hash}` };
            const status = mine.getAttribute("data-status");
            if (!status || ["queued", "pending", "running", "cancelling"].includes(status))
              return { pending: `rows: ${shown.join(", ")}` };
            return { id: mine.getAttribute("data-testid"), status, text: mine.innerText };
          },
          { known, ids: progressIds },
        ).then((r) => {
          if (r.pending) lastSeen = r.pending;
          return r.pending ? null : r;
        }),
      {
        timeout: 180_000,
        interval: 500,
        message: () => `the run's row (run-row-${progressIds.join("|")}) to reach a final status (last seen: ${lastSeen})`,
      },
    );
    await page.screenshot({ path: path.join(SHOTS, "sync-finished.png"), fullPage: true });
    assert.equal(run.status, "succeeded", `run ${run.id} ended ${run.status}: ${run.text}`);
  }),
);

test("expiry-sync wizard: test with 10 permits shows progress, then a summary", { timeout: 240_000 }, () =>
  step(async () => {
    const office = "Permit office (sandbox)";
    // The wizard opens from the expiry-sync job row on the Sync screen (and the Permits toolbar).
    await go("sync");
    await tab("jobs");
    const jobs = page.locator('[data-testid^="job-row-expiry_sync-"]');
    await visible(jobs, "an expiry_sync job row on the Sync screen", 30_000);
    const demoJob = jobs.filter({ hasText: office });
    const job = (await demoJob.count()) ? demoJob.first() : jobs.first();
    await (await visible(job.locator('[data-testid="btn-expiry-sync"]'), "the wizard button (btn-expiry-sync) in the expiry_sync row")).click();
    const wizard = await visible(byTestId("wizard-expiry-sync"), "the expiry-sync wizard dialog");

    // Step 1: the demo permit office, test with 10 permits.
    const select = await visible(wizard.locator('[data-testid="wizard-connection"]'), "the wizard's connection select");
    await select.selectOption({ label: office });
    await wizard.locator('[data-testid="wizard-scope-test"]').check();
    await page.screenshot({ path: path.join(SHOTS, "wizard-choose.png") });
    await wizard.locator('[data-testid="btn-wizard-next"]').click();

    // Step 2: how many permits need it, and the time estimate. The "New permits" run above filled
    // the store; if every permit has its date already, refresh them all instead.
    const count = await visible(wizard.locator('[data-testid="wizard-count"]'), "the number of permits (wizard-count)", 30_000);
    let permits = Number(await count.getAttribute("data-count"));
    if (permits === 0) {
      await wizard.locator('[data-testid="btn-wizard-back"]').click();
      await wizard.locator('[data-testid="wizard-refresh-all"]').check();
      await wizard.locator('[data-testid="btn-wizard-next"]').click();
      const again = await visible(wizard.locator('[data-testid="wizard-count"]'), "wizard-count after ticking refresh all", 30_000);
      permits = Number(await again.getAttribute("data-count"));
    }
    assert.ok(permits > 0, "the wizard finds no permit to look up: did the new_permits run fill the store?");
    const runCount = Number(await wizard.locator('[data-testid="wizard-count"]').getAttribute("data-run-count"));
    assert.equal(runCount, Math.min(10, permits), `a test run should look up ${Math.min(10, permits)} permits, the wizard says ${runCount}`);
    const estimate = await (await visible(wizard.locator('[data-testid="wizard-estimate"]'), "the time estimate (wizard-estimate)")).innerText();
    assert.match(estimate, /\d/, `the estimate names no time: "${estimate}"`);
    await page.screenshot({ path: path.join(SHOTS, "wizard-review.png") });

    // Step 3: progress. A test of 10 is quick: record that the progress step showed at all.
    await page.evaluate(() => {
      window.__loketWizardProgress = false;
      const scan = () => {
        if (document.querySelector('[data-testid="wizard-progress"]')) window.__loketWizardProgress = true;
      };
      new MutationObserver(scan).observe(document.body, { subtree: true, childList: true });
    });
    await wizard.locator('[data-testid="btn-wizard-start"]').click();
    await waitFor(() => page.evaluate(() => window.__loketWizardProgress), {
      timeout: 30_000,
      message: "the wizard's progress step (wizard-progress) after Start",
    });
    if (await byTestId("wizard-progress").count()) await page.screenshot({ path: path.join(SHOTS, "wizard-running.png") });

    // Step 4: the summary with the run's counts.
    const summary = await visible(byTestId("wizard-summary"), "the wizard's summary (wizard-summary)", 120_000);
    const status = await summary.getAttribute("data-status");
    assert.ok(["succeeded", "partial"].includes(status), `the test run ended ${status}: ${await summary.innerText()}`);
    const figure = async (id) => Number((await summary.locator(`[data-testid="${id}"] dd`).innerText()).replace(/\D/g, "") || "0");
    const handled = (await figure("wizard-created")) + (await figure("wizard-updated")) + (await figure("wizard-unchanged")) + (await figure("wizard-failed"));
    assert.ok(handled > 0 && handled <= 10, `a test with 10 permits handled ${handled} permits`);
    if ((await figure("wizard-failed")) > 0) await visible(summary.locator('[data-testid="wizard-failures"]'), "the table of failed permits");
    await page.screenshot({ path: path.join(SHOTS, "wizard-summary.png") });
    await byTestId("btn-wizard-close").first().click();
    await waitFor(async () => (await byTestId("wizard-expiry-sync").count()) === 0, {
      timeout: 10_000,
      message: "the wizard to close after btn-wizard-close",
    });
  }),
);

test("languages: Bahasa Indonesia and Español change the navigation; screenshots of each screen", { timeout: 240_000 }, () =>
  step(async () => {
    for (const lang of ["en", "id", "es"]) {
      await go("settings");
      const select = await visible(byTestId("settings-language"), "the language select (settings-language)");
      if ((await select.inputValue()) !== lang) {
        await select.selectOption(lang);
        const applied = async () => (await byTestId("nav-connections").innerText()).trim() === NAV_TEXT[lang].connections;
        // Applied at once, or after Save on a settings form that has one.
        await waitFor(applied, { timeout: 3_000 }).catch(async () => {
          if (await byTestId("btn-save").count()) await byTestId("btn-save").first().click();
        });
      }
      for (const [section, text] of Object.entries(NAV_TEXT[lang])) {
        await waitFor(async () => (await byTestId(`nav-${section}`).innerText()).trim() === text, {
          timeout: 10_000,
          message: `nav-${section} to read "${text}" (${lang})`,
        }).catch(async (e) => {
          const now = (await byTestId(`nav-${section}`).innerText()).trim();
          throw new Error(`${e.message}: it reads "${now}" after choosing ${lang} in settings-language`);
        });
      }
      const htmlLang = await page.evaluate(() => document.documentElement.lang);
      if (htmlLang) assert.ok(htmlLang.startsWith(lang), `<html lang> is "${htmlLang}" after choosing ${lang}`);
      for (const screen of SCREENS) {
        await go(screen);
        await page.waitForTimeout(400); // let queries settle: the screenshot is for people
        await page.screenshot({ path: path.join(SHOTS, `${screen}-${lang}.png`), fullPage: false });
      }
    }
    // Back to English for anything after.
    await go("settings");
    await byTestId("settings-language").first().selectOption("en");
    for (const lang of ["en", "id", "es"])
      for (const screen of SCREENS)
        assert.ok(fs.existsSync(path.join(SHOTS, `${screen}-${lang}.png`)), `screenshot ${screen}-${lang}.png missing`);
  }),
);

/** The count shown in kanban column `key` (kanban-count-<key>, data-count). */
async function kanbanCount(key) {
  const el = await visible(byTestId(`kanban-count-${key}`), `the count of kanban column ${key}`);
  return Number(await el.getAttribute("data-count"));
}

/** Waits until the permits search box holds `text` and the address carries it. */
async function searchPermits(text) {
  const box = await visible(byTestId("permit-search"), "the permits search box (permit-search)");
  await box.fill(text);
  await box.press("Enter");
  await waitFor(() => decodeURIComponent(page.url().replace(/\+/g, " ")).includes(`search=${text}`), {
    timeout: 10_000,
    message: `the address to carry search=${text}`,
  });
}

test("permits kanban: drag a card to another status column; the move is saved", { timeout: 120_000 }, () =>
  step(async () => {
    const applicant = `E2E Kanban ${Date.now()}`;
    await go("permits");
    await (await visible(byTestId("view-kanban"), "the kanban view button (view-kanban)")).click();
    const groupBy = await visible(byTestId("kanban-groupby"), "the kanban column select (kanban-groupby)");
    if ((await groupBy.inputValue()) !== "status") await groupBy.selectOption("status");
    // Only this test's permit on the board: counts are exact whatever else the demo holds.
    await searchPermits(applicant);
    await waitFor(async () => (await kanbanCount("draft")) === 0, { timeout: 15_000, message: "an empty draft column for a new applicant" });

    // Quick create at the top of the draft column.
    await (await visible(byTestId("kanban-add-draft"), "the + of the draft column (kanban-add-draft)")).click();
    await (await visible(byTestId("qc-applicant"), "the quick-create applicant")).fill(applicant);
    await byTestId("qc-type").fill("SIUP");
    await byTestId("qc-number").fill(`E2E/${Date.now()}`);
    await byTestId("qc-number").press("Enter");
    const card = byTestId("kanban-column-draft").locator('[data-testid^="kanban-card-"]', { hasText: applicant });
    await visible(card, "the new card in the draft column", 20_000);
    const cardId = await card.first().getAttribute("data-testid");
    await waitFor(async () => (await kanbanCount("draft")) === 1, { timeout: 15_000, message: "kanban-count-draft to be 1 after quick create" });
    await page.keyboard.press("Escape");
    const before = await kanbanCount("in_process");

    // Drag it with the mouse to "In process".
    const from = await card.first().boundingBox();
    const target = await visible(byTestId("kanban-column-in_process"), "the in_process column");
    const to = await target.boundingBox();
    assert.ok(from && to, "the card and the target column have no box on screen");
    const [x0, y0] = [from.x + from.width / 2, from.y + from.height / 2];
    const [x1, y1] = [to.x + to.width / 2, to.y + Math.min(200, to.height / 2)];
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    for (let i = 1; i <= 15; i++) await page.mouse.move(x0 + ((x1 - x0) * i) / 15, y0 + ((y1 - y0) * i) / 15);
    await page.mouse.up();

    await waitFor(async () => (await kanbanCount("in_process")) === before + 1 && (await kanbanCount("draft")) === 0, {
      timeout: 15_000,
      message: `the counts to move: in_process ${before} → ${before + 1}, draft 1 → 0`,
    });
    await visible(byTestId("kanban-column-in_process").locator(`[data-testid="${cardId}"]`), `${cardId} in the in_process column`);
    await page.screenshot({ path: path.join(SHOTS, "permits-kanban-moved.png") });

    // Saved: after a reload it is still there.
    await page.reload({ waitUntil: "domcontentloaded" });
    await visible(byTestId("kanban-column-in_process").locator(`[data-testid="${cardId}"]`), `${cardId} in the in_process column after a reload`, 30_000);
    assert.equal(await kanbanCount("draft"), 0, "the draft column still counts the moved permit after a reload");
    assert.equal(await byTestId("kanban-column-draft").locator(`[data-testid="${cardId}"]`).count(), 0, "the card is back in draft after a reload");
  }),
);

test("permits pivot: a cell opens exactly its permits in the list", { timeout: 120_000 }, () =>
  step(async () => {
    await go("permits");
    await (await visible(byTestId("view-pivot"), "the pivot view button (view-pivot)")).click();
    // Rows by status, columns by expiry status, chosen from the pivot's menus.
    for (const [menu, item] of [
      ["pivot-rows", "groupby-status"],
      ["pivot-cols", "groupby-expiry_status"],
    ]) {
      await (await visible(byTestId(menu), `the pivot menu ${menu}`)).click();
      const option = await visible(byTestId(item), `${item} in ${menu}`);
      if ((await option.getAttribute("aria-checked")) !== "true") await option.click();
      await page.keyboard.press("Escape");
    }
    await visible(byTestId("pivot-table"), "the pivot table (pivot-table)", 30_000);
    await waitFor(() => page.url().includes("group_by=status") && page.url().includes("pivot_cols=expiry_status"), {
      timeout: 10_000,
      message: "the pivot's group-bys in the address",
    });
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(SHOTS, "permits-pivot.png") });

    // The first non-empty cell below the total row and left of the total column.
    const cells = await page.$$eval('[data-testid^="pivot-cell-"]', (els) =>
      els.map((e) => ({ id: e.getAttribute("data-testid"), count: Number(e.getAttribute("data-count")), last: e === e.parentElement.lastElementChild })),
    );
    const pick = cells.find((c) => c.count > 0 && !c.id.startsWith("pivot-cell-0-") && !c.last);
    assert.ok(pick, `no non-empty cell in the pivot (is the demo store empty?): ${JSON.stringify(cells.slice(0, 12))}`);
    await byTestId(pick.id).locator("button").click();

    const total = await visible(byTestId("permit-list-total"), "the list's total after clicking a pivot cell", 20_000);
    await waitFor(async () => Number(await total.getAttribute("data-total")) === pick.count, {
      timeout: 15_000,
      message: `the list to show ${pick.count} permits (cell ${pick.id})`,
    }).catch(async (e) => {
      throw new Error(`${e.message}: it shows ${await total.getAttribute("data-total")} (${page.url()})`);
    });
    assert.ok(page.url().includes("drill="), `the list's address carries no drill-down: ${page.url()}`);
    if (pick.count <= 15) {
      await waitFor(async () => (await page.locator('[data-testid^="permit-row-"]').count()) === pick.count, {
        timeout: 10_000,
        message: `${pick.count} permit rows in the list`,
      });
    }
    await page.screenshot({ path: path.join(SHOTS, "permits-drilldown.png") });
    // Back returns to the same pivot.
    await page.goBack();
    await visible(byTestId("pivot-table"), "the pivot table after going back", 20_000);
  }),
);

/** `n` documents for the import, refs E2E-1 … E2E-n: tiquetes and facturas alternating. */
function documentsCsv(n) {
  const lines = ["ref,type,receiver_name,receiver_id_type,receiver_id,cabys_code,description,quantity,unit,unit_price,iva_rate"];
  for (let i = 1; i <= n; i++) {
    lines.push(
      i % 2
        ? `E2E-${i},04,,,,2399900000000,Café americano,${1 + (i % 3)},Unid,1500,08`
        : `E2E-${i},01,Cliente ${i} S.A.,02,3101538252,8315100000100,Consultoría,1,Sp,${10000 + i},08`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Opens the bulk wizard with `button`, goes to review and returns the dialog. */
async function openWizard(button, kind) {
  await (await visible(byTestId(button), `the ${button} button`)).click();
  const wizard = await visible(page.locator(`[data-testid="wizard-bulk"][data-kind="${kind}"]`), `the ${kind} wizard`);
  return wizard;
}

/** Waits for the wizard's step. */
async function wizardStep(wizard, step, timeout = 30_000) {
  await waitFor(async () => (await wizard.getAttribute("data-step")) === step, {
    timeout,
    message: () => `the wizard's ${step} step`,
  });
}

/** Clicks Next until the review step, then Start; returns the numbers the review showed. */
async function reviewAndStart(wizard) {
  await wizard.locator('[data-testid="btn-wizard-next"]').click();
  await wizardStep(wizard, "review");
  const eligible = Number((await wizard.locator('[data-testid="review-eligible"]').innerText()).replace(/\D/g, ""));
  await wizard.locator('[data-testid="btn-wizard-start"]').click();
  return eligible;
}

async function summaryCount(wizard, id) {
  return Number((await wizard.locator(`[data-testid="${id}"]`).innerText()).replace(/\D/g, ""));
}

const E2E_DOCS = 100;

/** Chooses the UI language in Settings and waits for the navigation to speak it. */
async function setLanguage(lang) {
  await go("settings");
  await byTestId("settings-language").first().selectOption(lang);
  await waitFor(async () => (await byTestId("nav-connections").innerText()).trim() === NAV_TEXT[lang].connections, {
    timeout: 10_000,
    message: `the navigation in ${lang}`,
  });
}

/** Searches the e-invoice list (Enter commits the words) and waits for `total` matches. */
async function searchEinvoices(words, total) {
  const search = await visible(byTestId("einvoice-search"), "the e-invoice search box");
  await search.fill(words);
  await search.press("Enter");
  const shown = byTestId("einvoice-list-total");
  await waitFor(async () => Number(await shown.getAttribute("data-total").catch(() => -1)) === total, {
    timeout: 20_000,
    message: () => `the list to show ${total} documents for "${words}"`,
  });
}

// The e-invoice day runs in Spanish, the language of the offices that use it.
test("e-invoices: import 100, sign them all, send them with a cancel half-way and a resume", { timeout: 600_000 }, () =>
  step(async () => {
    await setLanguage("es");
    await go("einvoices");
    // Import: the demo's drafts are there; add 100 of our own.
    const csv = path.join(dataDir, "e2e-documents.csv");
    fs.writeFileSync(csv, documentsCsv(E2E_DOCS));
    await (await visible(byTestId("btn-import"), "the Import button")).click();
    const dialog = await visible(byTestId("import-dialog"), "the import dialog");
    await dialog.locator('[data-testid="import-file"]').setInputFiles(csv);
    await dialog.locator('[data-testid="btn-import-run"]').click();
    const result = await visible(byTestId("import-result"), "the import result", 30_000);
    assert.match(await result.innerText(), /100/, "the import result does not say 100 documents");
    await page.keyboard.press("Escape");

    // Only ours from here on: the search narrows the list and is the wizards' selection.
    await searchEinvoices("E2E-", E2E_DOCS);
    await page.screenshot({ path: path.join(SHOTS, "einvoices-list.png") });

    // Sign all 100 (the demo's PIN is in the keyring: no PIN asked).
    let wizard = await openWizard("btn-bulk-sign", "sign");
    assert.equal(await wizard.locator('[data-testid="field-pin"]').count(), 0, "the PIN is asked although stored");
    assert.equal(await reviewAndStart(wizard), E2E_DOCS);
    await wizardStep(wizard, "summary", 120_000);
    assert.equal(await summaryCount(wizard, "summary-done"), E2E_DOCS);
    await wizard.locator('[data-testid="btn-wizard-close"]').click();

    // Send: small batches two seconds apart, so there is time to cancel half-way.
    wizard = await openWizard("btn-bulk-submit", "submit");
    await wizard.locator('[data-testid="field-batch_size"]').fill("10");
    await wizard.locator('[data-testid="field-batch_delay_seconds"]').fill("2");
    await wizard.locator('[data-testid="field-max_concurrent_batches"]').fill("1");
    assert.equal(await reviewAndStart(wizard), E2E_DOCS);
    await wizardStep(wizard, "run");
    await page.screenshot({ path: path.join(SHOTS, "einvoices-submit-running.png") });
    await waitFor(
      async () => {
        const t = await wizard.locator('[data-testid="progress-counts"]').innerText().catch(() => "");
        const done = Number((t.match(/\d[\d.,]*/) ?? ["0"])[0].replace(/\D/g, ""));
        return done >= 30;
      },
      { timeout: 120_000, message: "30 documents sent before cancelling" },
    );
    await wizard.locator('[data-testid="btn-wizard-cancel"]').click();
    await wizardStep(wizard, "summary", 60_000);
    const summary = wizard.locator('[data-testid="wizard-summary"]');
    assert.equal(await summary.getAttribute("data-status"), "cancelled");
    const first = await summaryCount(wizard, "summary-done");
    assert.ok(first >= 30 && first < E2E_DOCS, `the cancelled run sent ${first} documents`);
    await page.screenshot({ path: path.join(SHOTS, "einvoices-submit-cancelled.png") });

    // Resume: only what is still signed is sent; nothing twice.
    await wizard.locator('[data-testid="btn-wizard-resume"]').click();
    await wizardStep(wizard, "review").catch(() => {});
    if ((await wizard.getAttribute("data-step")) === "review") {
      const left = Number((await wizard.locator('[data-testid="review-eligible"]').innerText()).replace(/\D/g, ""));
      assert.equal(left, E2E_DOCS - first, "the resume does not plan exactly the documents left");
      await wizard.locator('[data-testid="btn-wizard-start"]').click();
    }
    await wizardStep(wizard, "summary", 180_000);
    await waitFor(async () => (await summary.getAttribute("data-status")) === "succeeded", {
      timeout: 10_000,
      message: "the resumed run to succeed",
    });
    const second = await summaryCount(wizard, "summary-done");
    assert.equal(first + second, E2E_DOCS, `sent ${first} then ${second}`);
    await wizard.locator('[data-testid="btn-wizard-close"]').click();
  }),
);

test("e-invoices: a status check shows Hacienda's decisions and a rejection's error codes", { timeout: 300_000 }, () =>
  step(async () => {
    await go("einvoices");
    await searchEinvoices("E2E-", E2E_DOCS);
    // The sandbox decides 5 s after receipt.
    await page.waitForTimeout(6_000);
    const wizard = await openWizard("btn-bulk-status", "status");
    assert.equal(await reviewAndStart(wizard), E2E_DOCS);
    await wizardStep(wizard, "summary", 120_000);
    // About one in ten is rejected (by the clave, which is random): 100 documents bring some.
    const rejected = wizard.locator('[data-testid^="result-row-"]').filter({ has: page.locator('[data-testid^="error-code-"]') });
    await waitFor(async () => (await rejected.count()) >= 1, {
      timeout: 15_000,
      message: "a result row with a rejection's error codes",
    });
    await page.screenshot({ path: path.join(SHOTS, "einvoices-status-summary.png") });
    await wizard.locator('[data-testid="btn-wizard-close"]').click();

    // Open a rejected one and read its error codes in the form.
    await (await visible(byTestId("menu-filters"), "the Filters menu")).click();
    await (await visible(byTestId("filter-state-rejected"), "the rejected state filter")).click();
    await page.keyboard.press("Escape");
    const row = await visible(page.locator('[data-testid^="einvoice-row-"][data-state="rejected"]'), "a rejected document", 20_000);
    await row.click();
    const form = await visible(byTestId("einvoice-form"), "the e-invoice form");
    assert.equal(await form.getAttribute("data-state"), "rejected");
    await (await visible(byTestId("tab-responses"), "the Responses tab")).click();
    const code = await visible(page.locator('[data-testid^="error-code-"]'), "an error code in the responses", 10_000);
    assert.match(await code.innerText(), /-?\d+/, "the error code line has no code");
    await page.screenshot({ path: path.join(SHOTS, "einvoice-rejected.png") });

    // Handled by issuing it again: a new draft with the same lines opens.
    const rejectedId = await form.getAttribute("data-id");
    await (await visible(byTestId("btn-reissue"), "the Issue again button")).click();
    await waitFor(async () => {
      const f = byTestId("einvoice-form");
      return (await f.getAttribute("data-state")) === "draft" && (await f.getAttribute("data-id")) !== rejectedId;
    }, { timeout: 15_000, message: "the new draft's form after Issue again" });
  }),
);

/** Calls the backend as the page does. */
async function api(cmd, args = {}) {
  const res = await fetch(`${baseUrl}/api`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ cmd, args }),
  });
  const body = await res.json();
  if (!("ok" in body)) throw new Error(`${cmd} failed: ${JSON.stringify(body.error)}`);
  return body.ok;
}

/** Sets the demo sandbox's faults (its admin endpoint; the demo runs with 120 ms latency). */
async function sandboxFaults(faults) {
  const info = await api("app_info");
  const res = await fetch(new URL("/__sim/faults", info.sandbox.hacienda_url), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ latency_ms: 120, ...faults }),
  });
  assert.ok(res.ok, `the sandbox refused the faults: ${res.status} ${await res.text()}`);
}

test("e-invoices: a send that fails for a passing reason waits in the retry queue; Retry now sends it", { timeout: 300_000 }, () =>
  step(async () => {
    await go("einvoices");
    const csv = path.join(dataDir, "retry-documents.csv");
    fs.writeFileSync(csv, documentsCsv(3).replaceAll("E2E-", "RETRY-"));
    await (await visible(byTestId("btn-import"), "the Import button")).click();
    const dialog = await visible(byTestId("import-dialog"), "the import dialog");
    await dialog.locator('[data-testid="import-file"]').setInputFiles(csv);
    await dialog.locator('[data-testid="btn-import-run"]').click();
    await visible(byTestId("import-result"), "the import result", 30_000);
    await page.keyboard.press("Escape");
    await searchEinvoices("RETRY-", 3);

    let wizard = await openWizard("btn-bulk-sign", "sign");
    await reviewAndStart(wizard);
    await wizardStep(wizard, "summary", 60_000);
    await wizard.locator('[data-testid="btn-wizard-close"]').click();

    // Hacienda fails every request for a while: the sends wait on the retry queue.
    await sandboxFaults({ error_rate: 1 });
    try {
      wizard = await openWizard("btn-bulk-submit", "submit");
      await reviewAndStart(wizard);
      await wizardStep(wizard, "summary", 120_000);
      await waitFor(async () => (await summaryCount(wizard, "summary-retrying")) === 3, {
        timeout: 15_000,
        message: "3 documents waiting for a retry in the summary",
      });
      await page.screenshot({ path: path.join(SHOTS, "einvoices-submit-retrying.png") });
      await wizard.locator('[data-testid="btn-wizard-close"]').click();
    } finally {
      await sandboxFaults({});
    }

    // Hacienda is back: Retry now on each entry sends it at once.
    await go("retry-queue");
    const pending = page.locator('[data-testid^="retry-row-"][data-state="pending"]');
    await waitFor(async () => (await pending.count()) >= 3, { timeout: 20_000, message: "3 waiting entries in the retry queue" });
    await page.screenshot({ path: path.join(SHOTS, "retry-queue-pending.png") });
    const ids = await pending.evaluateAll((els) => els.map((e) => e.getAttribute("data-testid").slice("retry-row-".length)));
    for (const id of ids) await byTestId(`btn-retry-now-${id}`).click();
    for (const id of ids) {
      await waitFor(async () => (await byTestId(`retry-row-${id}`).getAttribute("data-state")) === "done", {
        timeout: 60_000,
        message: `retry entry ${id} to be done after Retry now`,
      });
    }
    await go("einvoices");
    await searchEinvoices("RETRY-", 3);
    // The list may first show what it had cached for this search; it refetches.
    let states = [];
    await waitFor(
      async () => {
        states = await page
          .locator('[data-testid^="einvoice-row-"]')
          .evaluateAll((els) => els.map((e) => e.getAttribute("data-state")));
        return states.length === 3 && states.every((s) => s !== "signed");
      },
      { timeout: 20_000, message: () => `the 3 documents to be sent after Retry now (they show ${states})` },
    );
  }),
);

test("e-invoices in Spanish: list, kanban, form, responses, retry queue and dashboard", { timeout: 240_000 }, () =>
  step(async () => {
    await setLanguage("es");
    await go("einvoices");
    await visible(page.locator('[data-testid^="einvoice-row-"]'), "e-invoice rows", 20_000);
    await page.screenshot({ path: path.join(SHOTS, "einvoices-list-es.png") });
    await byTestId("view-kanban").click();
    await visible(byTestId("kanban-col-accepted"), "the accepted column of the kanban", 20_000);
    await page.screenshot({ path: path.join(SHOTS, "einvoices-kanban-es.png") });
    await byTestId("view-pivot").click();
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(SHOTS, "einvoices-pivot-es.png") });
    await go("responses");
    await visible(page.locator('[data-testid^="response-row-"]'), "answers in the responses list", 20_000);
    await page.screenshot({ path: path.join(SHOTS, "responses-es.png") });
    await go("retry-queue");
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(SHOTS, "retry-queue-es.png") });
    await go("dashboard");
    await visible(byTestId("einvoice-dashboard"), "the e-invoice cards on the dashboard", 20_000);
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(SHOTS, "dashboard-einvoices-es.png"), fullPage: true });
    await setLanguage("en");
  }),
);

test("no uncaught errors in the page", () => {
  assert.deepEqual(pageErrors, [], `the page threw:\n${pageErrors.join("\n")}`);
});
