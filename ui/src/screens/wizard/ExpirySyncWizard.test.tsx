import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Commands, Connection, ExpirySyncPlan, SyncRun } from "../../api/types";

const call = vi.fn();
const handlers = new Map<string, Set<(payload: unknown) => void>>();
vi.mock("../../api/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../api/client")>();
  return {
    ...real,
    call: (...a: unknown[]) => call(...a),
    listen: (event: string, h: (payload: unknown) => void) => {
      if (!handlers.has(event)) handlers.set(event, new Set());
      handlers.get(event)!.add(h);
      return () => handlers.get(event)?.delete(h);
    },
    onReconnect: () => () => undefined,
  };
});

import { progressStore } from "../../api/queries";
import { renderWithProviders } from "../../test/render";
import { ExpirySyncButton, estimate } from "./ExpirySyncWizard";

function emit(event: string, payload: unknown) {
  act(() => handlers.get(event)?.forEach((h) => h(payload)));
}

const settings = { office_timezone: "Asia/Jakarta", language: "en", theme: "light", log_retention_days: 30, close_to_tray: false };

function connection(id: number, name: string, kind: Connection["kind"]): Connection {
  return {
    id,
    name,
    kind,
    base_url: "http://127.0.0.1:1/",
    environment: "production",
    database: null,
    username: null,
    protocol: null,
    timeout_ms: 30000,
    rate_limit_per_sec: 10,
    max_concurrent: 4,
    active: true,
    has_secret: false,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    stats: { requests: 0, errors: 0, last_sync_at: null, last_duration_ms: null },
  };
}

const plan = (refresh: boolean): ExpirySyncPlan => ({
  permits: refresh ? 1200 : 500,
  rate_per_sec: 10,
  max_concurrent: 4,
  estimated_seconds: refresh ? 120 : 50,
});

function finishedRun(id: number, status: SyncRun["status"], counts: Partial<SyncRun["counts"]>): SyncRun {
  return {
    id,
    job: "expiry_sync",
    connection_id: 4,
    connection_name: "DPMPTSP Bandung",
    started_at: "2026-03-01T02:00:00Z",
    finished_at: "2026-03-01T02:01:00Z",
    status,
    counts: { created: 0, updated: 0, unchanged: 0, failed: 0, ...counts },
    error: null,
    trigger: "manual",
  };
}

let nextRunId = 91;
let onStart: ((runId: number) => void) | null = null;
const TWO_FAILURES = [
  { permit_id: 301, permit_number: "503/IMB/2025/0007", reason: "The permit office answered 500 Internal Server Error" },
  { permit_id: 302, permit_number: null, reason: "Malformed XML: unexpected end of document" },
];
let failures: typeof TWO_FAILURES = TWO_FAILURES;

beforeEach(() => {
  progressStore.clear();
  handlers.clear();
  nextRunId = 91;
  onStart = null;
  failures = TWO_FAILURES;
  call.mockReset();
  call.mockImplementation(async (cmd: keyof Commands, args: unknown) => {
    switch (cmd) {
      case "get_settings":
        return settings;
      case "list_connections":
        return [connection(4, "DPMPTSP Bandung", "sicantik"), connection(5, "Odoo kantor", "odoo")];
      case "expiry_sync_plan":
        return plan((args as { refresh_all: boolean }).refresh_all);
      case "start_expiry_sync": {
        const id = nextRunId++;
        onStart?.(id);
        return id;
      }
      case "cancel_run":
      case "list_runs":
        return cmd === "list_runs" ? [] : null;
      case "list_permit_failures":
        return failures;
      case "export_table":
        return "/home/clerk/Downloads/expiry-sync-failures-run-91.csv";
      default:
        throw new Error(`unexpected ${cmd}`);
    }
  });
});

describe("expiry-sync wizard", () => {
  it("walks from choosing to a summary with the failed permits, and exports them", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<ExpirySyncButton />);
    await user.click(screen.getByTestId("btn-expiry-sync"));
    const wizard = await screen.findByTestId("wizard-expiry-sync");

    // Step 1: the only permit office is chosen already; the Odoo connection is not offered.
    const select = await within(wizard).findByTestId("wizard-connection");
    await waitFor(() => expect(select).toHaveValue("4"));
    expect(within(select as HTMLElement).queryByText("Odoo kantor")).toBeNull();
    expect(within(wizard).getByTestId("wizard-scope-test")).toBeChecked();
    await user.click(within(wizard).getByTestId("wizard-scope-all"));
    await user.click(within(wizard).getByTestId("btn-wizard-next"));

    // Step 2: how many, and how long at the connection's rate.
    const count = await within(wizard).findByTestId("wizard-count");
    expect(count).toHaveAttribute("data-count", "500");
    expect(count).toHaveTextContent("500 issued permits need an expiry date.");
    expect(within(wizard).getByTestId("wizard-estimate")).toHaveTextContent("About 50 s at 10 requests per second.");
    await user.click(within(wizard).getByTestId("btn-wizard-start"));
    await waitFor(() =>
      expect(call).toHaveBeenCalledWith("start_expiry_sync", { connection_id: 4, options: { limit: null, refresh_all: false, selection: [], batching: null } }),
    );

    // Step 3: live progress from "progress" events.
    const progress = await within(wizard).findByTestId("wizard-progress");
    act(() =>
      progressStore.update({
        run_id: 91,
        job: "expiry_sync",
        connection_id: 4,
        done: 120,
        total: 500,
        rate_per_sec: 9.94,
        eta_seconds: 38,
        stage: "cekperizinan",
      }),
    );
    const bar = within(progress).getByTestId("progress-91");
    expect(bar).toHaveAttribute("data-done", "120");
    expect(bar).toHaveAttribute("data-total", "500");
    expect(bar).toHaveTextContent("120 / 500");
    expect(bar).toHaveTextContent("9.9 /s");
    expect(bar).toHaveTextContent("about 40 s left");

    // Another run's end does not end this one.
    emit("run_finished", finishedRun(90, "succeeded", {}));
    expect(within(wizard).getByTestId("wizard-progress")).toBeInTheDocument();

    // Step 4: counts from run_finished and the failures with their reasons.
    emit("run_finished", finishedRun(91, "partial", { updated: 498, failed: 2 }));
    const summary = await within(wizard).findByTestId("wizard-summary");
    expect(summary).toHaveTextContent("Partly done");
    expect(within(summary).getByTestId("wizard-updated")).toHaveTextContent("498");
    expect(within(summary).getByTestId("wizard-failed")).toHaveTextContent("2");
    const failures = await within(summary).findByTestId("wizard-failures");
    expect(within(failures).getByText("503/IMB/2025/0007")).toBeInTheDocument();
    expect(within(failures).getByText("The permit office answered 500 Internal Server Error")).toBeInTheDocument();
    expect(within(failures).getByText("#302")).toBeInTheDocument();
    expect(call).toHaveBeenCalledWith("list_permit_failures", { run_id: 91 });

    await user.click(within(summary).getByTestId("btn-wizard-export"));
    await waitFor(() =>
      expect(call).toHaveBeenCalledWith("export_table", {
        request: {
          file_name: "expiry-sync-failures-run-91.csv",
          format: "csv",
          columns: ["Permit id", "Permit number", "Reason"],
          rows: [
            [301, "503/IMB/2025/0007", "The permit office answered 500 Internal Server Error"],
            [302, null, "Malformed XML: unexpected end of document"],
          ],
        },
      }),
    );
    expect(await screen.findByText("Saved to /home/clerk/Downloads/expiry-sync-failures-run-91.csv")).toBeInTheDocument();

    await user.click(within(wizard).getByTestId("btn-wizard-close"));
    expect(screen.queryByTestId("wizard-expiry-sync")).toBeNull();
  });

  it("tests with 10 permits, refreshing all, and cancels the run", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<ExpirySyncButton />);
    await user.click(screen.getByTestId("btn-expiry-sync"));
    const wizard = await screen.findByTestId("wizard-expiry-sync");
    await waitFor(() => expect(within(wizard).getByTestId("wizard-connection")).toHaveValue("4"));
    await user.click(within(wizard).getByTestId("wizard-refresh-all"));
    await user.click(within(wizard).getByTestId("btn-wizard-next"));

    const count = await within(wizard).findByTestId("wizard-count");
    expect(count).toHaveAttribute("data-count", "1200");
    expect(count).toHaveAttribute("data-run-count", "10");
    expect(count).toHaveTextContent("1,200 issued permits will be looked up again. This test looks up 10 of them.");
    expect(within(wizard).getByTestId("wizard-estimate")).toHaveTextContent("About 1 s at 10 requests per second.");

    // Back keeps the choices.
    await user.click(within(wizard).getByTestId("btn-wizard-back"));
    expect(within(wizard).getByTestId("wizard-refresh-all")).toBeChecked();
    await user.click(within(wizard).getByTestId("btn-wizard-next"));
    await user.click(await within(wizard).findByTestId("btn-wizard-start"));
    await waitFor(() =>
      expect(call).toHaveBeenCalledWith("start_expiry_sync", { connection_id: 4, options: { limit: 10, refresh_all: true, selection: [], batching: null } }),
    );

    // Closing while it runs asks first; staying keeps the wizard.
    await user.click(await within(wizard).findByTestId("btn-wizard-background"));
    const confirm = await screen.findByTestId("dialog-wizard-close");
    await user.click(within(confirm).getByText("Stay here"));
    expect(screen.queryByTestId("dialog-wizard-close")).toBeNull();
    expect(within(wizard).getByTestId("wizard-progress")).toBeInTheDocument();

    await user.click(within(wizard).getByTestId("btn-wizard-cancel"));
    await waitFor(() => expect(call).toHaveBeenCalledWith("cancel_run", { run_id: 91 }));
    expect(within(wizard).getByTestId("btn-wizard-cancel")).toBeDisabled();
    expect(within(wizard).getByTestId("btn-wizard-cancel")).toHaveTextContent("Cancelling…");

    emit("run_finished", finishedRun(91, "cancelled", { updated: 4 }));
    const summary = await within(wizard).findByTestId("wizard-summary");
    expect(summary).toHaveAttribute("data-status", "cancelled");
    expect(summary).toHaveTextContent("The run was cancelled.");
    expect(within(summary).getByTestId("wizard-updated")).toHaveTextContent("4");
  });

  it("closing while running leaves the run going in the background", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<ExpirySyncButton />);
    await user.click(screen.getByTestId("btn-expiry-sync"));
    const wizard = await screen.findByTestId("wizard-expiry-sync");
    await waitFor(() => expect(within(wizard).getByTestId("btn-wizard-next")).toBeEnabled());
    await user.click(within(wizard).getByTestId("btn-wizard-next"));
    await user.click(await within(wizard).findByTestId("btn-wizard-start"));
    await within(wizard).findByTestId("wizard-progress");

    await user.keyboard("{Escape}");
    const confirm = await screen.findByTestId("dialog-wizard-close");
    await user.click(within(confirm).getByTestId("btn-confirm"));
    expect(screen.queryByTestId("wizard-expiry-sync")).toBeNull();
    expect(call.mock.calls.some((c) => c[0] === "cancel_run")).toBe(false);
    expect(await screen.findByText("The expiry sync keeps running in the background.")).toBeInTheDocument();
  });

  it("reaches the summary when the run ends before start_expiry_sync answers", async () => {
    const user = userEvent.setup({ delay: null });
    onStart = (id) => emit("run_finished", finishedRun(id, "succeeded", { updated: 10 }));
    failures = [];
    renderWithProviders(<ExpirySyncButton />);
    await user.click(screen.getByTestId("btn-expiry-sync"));
    const wizard = await screen.findByTestId("wizard-expiry-sync");
    await waitFor(() => expect(within(wizard).getByTestId("btn-wizard-next")).toBeEnabled());
    await user.click(within(wizard).getByTestId("btn-wizard-next"));
    await user.click(await within(wizard).findByTestId("btn-wizard-start"));
    const summary = await within(wizard).findByTestId("wizard-summary");
    expect(summary).toHaveTextContent("The test run is done.");
    expect(await within(summary).findByTestId("wizard-no-failures")).toBeInTheDocument();
    // After a good test, the full run is one click away.
    await user.click(within(wizard).getByTestId("btn-wizard-run-all"));
    expect(await within(wizard).findByTestId("wizard-count")).toHaveAttribute("data-run-count", "500");
  });
});

describe("estimate", () => {
  it("counts the test's permits at the connection's rate, and scales the plan without a rate", () => {
    expect(estimate(plan(false), "all")).toEqual({ permits: 500, seconds: 50 });
    expect(estimate(plan(false), "test")).toEqual({ permits: 10, seconds: 1 });
    expect(estimate({ permits: 4, rate_per_sec: 10, max_concurrent: 4, estimated_seconds: 0.4 }, "test")).toEqual({ permits: 4, seconds: 0.4 });
    expect(estimate({ permits: 1000, rate_per_sec: 0, max_concurrent: 16, estimated_seconds: 3 }, "test").seconds).toBeCloseTo(0.03);
  });
});
