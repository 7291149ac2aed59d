#!/usr/bin/env node
// Screenshots of the built UI against scripts/mock-backend.mjs, with Debian's chromium.
// Usage: node scripts/screenshot.mjs http://127.0.0.1:8787 out-dir [theme] [lang]
import { mkdir } from "node:fs/promises";
import { chromium } from "playwright-core";

const base = process.argv[2] ?? "http://127.0.0.1:8787";
const out = process.argv[3] ?? "screenshots";
const suffix = process.argv[4] ?? "";
await mkdir(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
page.on("console", (m) => m.type() === "error" && console.log("console:", m.text()));
page.on("pageerror", (e) => console.log("pageerror:", e.message));

const shot = async (name) => {
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${out}/${name}${suffix}.png` });
  console.log("saved", name);
};

await page.goto(`${base}/#/dashboard`);
await page.waitForSelector("[data-testid=nav-dashboard]");
await shot("01-dashboard");
await page.click("[data-testid=nav-connections]");
await page.waitForSelector("[data-testid^=connection-row-]").catch(() => undefined);
await shot("02-connections");
const testBtn = await page.$("[data-testid^=btn-test-]");
if (testBtn) {
  await testBtn.click();
  await page.waitForSelector("[data-testid=test-result]");
  await shot("03-connections-test");
}
const row = await page.$("[data-testid^=connection-row-Odoo]");
if (row) {
  await row.click();
  await page.waitForSelector("[data-testid=connection-form]");
  await shot("04-form-odoo");
}
await page.goto(`${base}/#/connections/new`);
await page.waitForSelector("[data-testid=connection-form]");
await page.selectOption("[data-testid=field-kind]", "odoo");
await page.fill("[data-testid=field-base_url]", "erp.kantor");
await page.click("[data-testid=btn-save]");
await shot("05-form-errors");
await page.click("[data-testid=nav-sync]");
await page.waitForSelector("[data-testid=dialog-unsaved]");
await shot("05b-unsaved-guard");
await page.click("[data-testid=btn-confirm]");
await page.waitForSelector("[data-testid^=job-row-]").catch(() => undefined);
const run = await page.$("[data-testid^=btn-run-]");
if (run) {
  await run.click();
  await page.waitForSelector("[data-testid^=progress-]");
  await page.waitForTimeout(1200);
  await shot("06-sync-jobs-running");
}
const sched = await page.$("[data-testid^=btn-schedule-]");
if (sched) {
  await sched.click();
  await page.waitForSelector("[data-testid=dialog-schedule]");
  await shot("07-schedule-dialog");
  await page.keyboard.press("Escape");
}
await page.click("[data-testid=tab-runs]");
await page.waitForTimeout(300);
await shot("08-sync-runs");
await page.click("[data-testid=tab-log]");
await page.waitForTimeout(300);
await shot("09-sync-log");
await page.click("[data-testid=nav-settings]");
await page.waitForSelector("[data-testid=settings-language]");
await shot("10-settings");
await page.click("[data-testid=nav-permits]");
await shot("11-permits-coming");
await browser.close();
