import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { BulkKind, BulkPlan, BulkResult, BulkSelection, Commands, SyncRun } from "../../../api/types";

const call = vi.fn();
const handlers = new Map<string, Set<(payload: unknown) => void>>();
vi.mock("../../../api/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../../api/client")>();
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

import { ApiFailure } from "../../../api/client";
import { progressStore } from "../../../api/queries";
import { renderWithProviders } from "../../../test/render";
import { BulkWizard } from "./BulkWizard";

function emit(event: string, payload: unknown) {
  act(() => handlers.get(event)?.forEach((h) => h(payload)));
}

const settings = { office_timezone: "America/Costa_Rica", language: "en", theme: "light", log_retention_days: 30, close_to_tray: false };

function makePlan(kind: BulkKind, over: Partial<BulkPlan> = {}): BulkPlan {
  const eligible = over.eligible ?? 3;
  return {
    kind,
    connection_id: 7,
    connection_name: "Hacienda sandbox",
    by_state:
      kind === "sign"
        ? [
            { state: "draft", count: eligible },
            { state: "accepted", count: 1 },
          ]
        : kind === "submit"
          ? [
              { state: "signed", count: eligible },
              { state: "draft", count: 1 },
            ]
          : [
              { state: "submitted", count: eligible },
              { state: "accepted", count: 1 },
            ],
    eligible,
    skipped: 1,
    other_connections: 0,
    batching: { batch_size: 25, batch_delay_seconds: 2, max_concurrent_batches: 2 },
    estimate: {
      documents: eligible,
      batches: eligible > 0 ? 1 : 0,
      delay_bound_secs: 0,
      rate_bound_secs: eligible > 0 ? eligible / 10 + 0.25 : 0,
      latency_bound_secs: eligible * 0.25,
      bound_secs: 95,
      estimated_secs: eligible > 0 ? 95 : 0,
    },
    pin_stored: true,
    certificate: null,
    ...over,
  };
}

function finishedRun(id: number, kind: BulkKind, status: SyncRun["status"], counts: Partial<SyncRun["counts"]>): SyncRun {
  return {
    id,
    job: kind === "sign" ? "einvoice_sign" : kind === "submit" ? "einvoice_submit" : "einvoice_status",
    connection_id: 7,
    connection_name: "Hacienda sandbox",
    started_at: "2026-03-01T14:00:00Z",
    finished_at: "2026-03-01T14:01:00Z",
    status,
    counts: { created: 0, updated: 0, unchanged: 0, failed: 0, ...counts },
    error: null,
    trigger: "manual",
  };
}

const RESULTS: BulkResult[] = [
  {
    einvoice_id: 11,
    consecutivo: "00100001010000000011",
    clave: "50601032600310123456700100001010000000011199999999",
    receiver_name: "Ferretería El Clavo",
    outcome: "done",
    state: "submitted",
    message: null,
    error_codes: [],
  },
  {
    einvoice_id: 12,
    consecutivo: "00100001010000000012",
    clave: null,
    receiver_name: "Soda La Esquina",
    outcome: "failed",
    state: "rejected",
    message: "Hacienda rejected the document",
    error_codes: [
      { code: "-53", message: "La identificación del receptor no es válida", row: 12, column: 4 },
      { code: "-99", message: "Total incorrecto", row: null, column: null },
    ],
  },
  {
    einvoice_id: 13,
    consecutivo: null,
    clave: null,
    receiver_name: "Pulpería Doña Ana",
    outcome: "retrying",
    state: "signed",
    message: "Hacienda answered 503 Service Unavailable",
    error_codes: [],
  },
];

const IDS: BulkSelection = { by: "ids", ids: [11, 12, 13, 14] };

let nextRunId = 41;
let plans: Record<string, BulkPlan[]> = {};
let startError: unknown = null;

beforeEach(() => {
  progressStore.clear();
  handlers.clear();
  nextRunId = 41;
  plans = {};
  startError = null;
  call.mockReset();
  call.mockImplementation(async (cmd: keyof Commands, args: unknown) => {
    switch (cmd) {
      case "get_settings":
        return settings;
      case "bulk_plan": {
        const kind = (args as { kind: BulkKind }).kind;
        const queue = plans[kind];
        if (queue && queue.length > 1) return queue.shift();
        return queue?.[0] ?? makePlan(kind);
      }
      case "start_bulk_run": {
        if (startError) {
          const e = startError;
          startError = null;
          throw e;
        }
        return nextRunId++;
      }
      case "cancel_run":
        return null;
      case "list_runs":
        return [];
      case "bulk_results":
        return RESULTS;
      case "export_table":
        return `/home/clerk/Downloads/einvoice-run.${(args as { request: { format: string } }).request.format}`;
      default:
        throw new Error(`unexpected ${cmd}`);
    }
  });
});

function open(kind: BulkKind, selection: BulkSelection = IDS) {
  const onClose = vi.fn();
  renderWithProviders(<BulkWizard kind={kind} selection={selection} onClose={onClose} />);
  return onClose;
}

describe("bulk e-invoice wizard", () => {
  it("sends with adjusted batching, follows progress and shows the results, failures first, with export", async () => {
    const user = userEvent.setup({ delay: null });
    const onClose = open("submit");
    const wizard = await screen.findByTestId("wizard-bulk");
    expect(wizard).toHaveAttribute("data-kind", "submit");
    expect(wizard).toHaveAttribute("data-step", "choose");
    expect(within(wizard).getByTestId("wizard-selection")).toHaveTextContent("The 4 chosen documents");

    // Step 1: batching prefilled from the plan, checked before going on.
    const size = await within(wizard).findByTestId("field-batch_size");
    expect(size).toHaveValue(25);
    expect(within(wizard).getByTestId("field-batch_delay_seconds")).toHaveValue(2);
    expect(within(wizard).getByTestId("field-max_concurrent_batches")).toHaveValue(2);
    await user.clear(size);
    await user.type(size, "900");
    await user.clear(within(wizard).getByTestId("field-max_concurrent_batches"));
    await user.type(within(wizard).getByTestId("field-max_concurrent_batches"), "0");
    await user.click(within(wizard).getByTestId("btn-wizard-next"));
    expect(wizard).toHaveAttribute("data-step", "choose");
    expect(within(wizard).getByTestId("error-batch_size")).toHaveTextContent("Enter a number from 1 to 500.");
    expect(within(wizard).getByTestId("error-max_concurrent_batches")).toHaveTextContent("Enter a number from 1 to 16.");
    await user.clear(size);
    await user.type(size, "50");
    await user.clear(within(wizard).getByTestId("field-max_concurrent_batches"));
    await user.type(within(wizard).getByTestId("field-max_concurrent_batches"), "3");
    expect(within(wizard).queryByTestId("error-batch_size")).toBeNull();
    // Enter in a field goes on, like Next.
    await user.type(size, "{Enter}");

    // Step 2: counts, what is left alone and why, connection, time.
    await waitFor(() => expect(wizard).toHaveAttribute("data-step", "review"));
    expect(within(wizard).getByTestId("review-eligible")).toHaveAttribute("data-count", "3");
    expect(within(wizard).getByTestId("review-eligible")).toHaveTextContent("3 documents will be sent to Hacienda.");
    const skipped = within(wizard).getByTestId("review-skipped");
    expect(skipped).toHaveAttribute("data-count", "1");
    expect(skipped).toHaveTextContent("1 document is left alone.");
    expect(skipped).toHaveTextContent("1 in another state: only signed documents can be sent.");
    expect(within(wizard).getByTestId("review-connection")).toHaveTextContent("Hacienda sandbox");
    expect(within(wizard).getByTestId("review-batching")).toHaveTextContent("50 per batch, 2 seconds apart, 3 at once");
    expect(within(wizard).getByTestId("review-state-signed")).toHaveAttribute("data-eligible", "true");
    expect(within(wizard).getByTestId("review-state-draft")).toHaveAttribute("data-eligible", "false");
    // Changed batching: the estimate is worked out again (3 documents in one batch).
    expect(within(wizard).getByTestId("review-estimate")).toHaveTextContent("Less than a second · 1 batch");

    // Back keeps the batching.
    await user.click(within(wizard).getByTestId("btn-wizard-back"));
    expect(within(wizard).getByTestId("field-batch_size")).toHaveValue(50);
    await user.click(within(wizard).getByTestId("btn-wizard-next"));
    await user.click(await within(wizard).findByTestId("btn-wizard-start"));
    await waitFor(() =>
      expect(call).toHaveBeenCalledWith("start_bulk_run", {
        kind: "submit",
        selection: IDS,
        batching: { batch_size: 50, batch_delay_seconds: 2, max_concurrent_batches: 3 },
        pin: null,
      }),
    );

    // Step 3: live progress.
    await waitFor(() => expect(wizard).toHaveAttribute("data-step", "run"));
    act(() =>
      progressStore.update({ run_id: 41, job: "einvoice_submit", connection_id: 7, done: 2, total: 3, rate_per_sec: 4.04, eta_seconds: 1, stage: "batch 1" }),
    );
    const bar = within(wizard).getByTestId("progress-41");
    expect(bar).toHaveAttribute("data-done", "2");
    expect(bar).toHaveTextContent("2 / 3");
    expect(bar).toHaveTextContent("4 /s");

    // Another run's end does not end this one.
    emit("run_finished", finishedRun(40, "submit", "succeeded", {}));
    expect(wizard).toHaveAttribute("data-step", "run");

    // Step 4: counts and results, failures first.
    emit("run_finished", finishedRun(41, "submit", "partial", { updated: 1, failed: 1 }));
    const summary = await within(wizard).findByTestId("wizard-summary");
    expect(wizard).toHaveAttribute("data-step", "summary");
    expect(summary).toHaveAttribute("data-status", "partial");
    expect(within(summary).getByTestId("summary-done")).toHaveTextContent("Sent1");
    expect(within(summary).getByTestId("summary-failed")).toHaveTextContent("1");
    await waitFor(() => expect(within(summary).getByTestId("summary-retrying")).toHaveTextContent("1"));
    const rows = within(summary).getAllByTestId(/^result-row-/);
    expect(rows.map((r) => r.getAttribute("data-outcome"))).toEqual(["failed", "retrying", "done"]);
    const failed = within(summary).getByTestId("result-row-12");
    expect(failed).toHaveTextContent("Soda La Esquina");
    expect(failed).toHaveTextContent("Rejected");
    expect(failed).toHaveTextContent("-53 — La identificación del receptor no es válida");
    expect(failed).toHaveTextContent("-99 — Total incorrecto");
    expect(within(summary).getByTestId("result-row-13")).toHaveTextContent("#13");

    await user.click(within(summary).getByTestId("btn-export-csv"));
    await waitFor(() =>
      expect(call).toHaveBeenCalledWith("export_table", {
        request: {
          file_name: "einvoice-submit-run-41.csv",
          format: "csv",
          columns: ["Id", "Number", "Key (clave)", "Receiver", "Result", "State", "Message", "Error codes"],
          rows: [
            [
              12,
              "00100001010000000012",
              null,
              "Soda La Esquina",
              "Failed",
              "Rejected",
              "Hacienda rejected the document",
              "-53 — La identificación del receptor no es válida\n-99 — Total incorrecto",
            ],
            [13, null, null, "Pulpería Doña Ana", "Waiting for a retry", "Signed", "Hacienda answered 503 Service Unavailable", null],
            [11, "00100001010000000011", "50601032600310123456700100001010000000011199999999", "Ferretería El Clavo", "Done", "Sent", null, null],
          ],
        },
      }),
    );
    expect(await screen.findByText("Saved to /home/clerk/Downloads/einvoice-run.csv")).toBeInTheDocument();
    await user.click(within(summary).getByTestId("btn-export-xlsx"));
    await waitFor(() =>
      expect(call).toHaveBeenCalledWith("export_table", expect.objectContaining({ request: expect.objectContaining({ format: "xlsx", file_name: "einvoice-submit-run-41.xlsx" }) })),
    );

    // From a send, the status check of the same selection is one click away.
    await user.click(within(wizard).getByTestId("btn-wizard-check-status"));
    await waitFor(() => expect(wizard).toHaveAttribute("data-kind", "status"));
    expect(wizard).toHaveAttribute("data-step", "choose");
    await waitFor(() => expect(call).toHaveBeenCalledWith("bulk_plan", { kind: "status", selection: IDS }));
    expect(await within(wizard).findByTestId("field-batch_size")).toHaveValue(25);

    await user.click(within(wizard).getByTestId("btn-wizard-close"));
    expect(onClose).toHaveBeenCalled();
  });

  it("signs: shows the certificate in amber, asks for the PIN, and lets the user retry a wrong one", async () => {
    const user = userEvent.setup({ delay: null });
    plans.sign = [
      makePlan("sign", {
        pin_stored: false,
        certificate: { subject: "CN=Comercial Tica S.A.", serial: "0A1B", not_before: "2025-04-01T00:00:00Z", not_after: "2026-03-20T00:00:00Z", days_left: 12 },
      }),
    ];
    startError = new ApiFailure({
      code: "validation",
      message: "The PIN does not open the certificate.",
      fields: [{ field: "pin", message: "The PIN does not open the certificate." }],
      details: null,
    });
    open("sign");
    const wizard = await screen.findByTestId("wizard-bulk");
    expect(wizard).toHaveAttribute("data-kind", "sign");
    const cert = await within(wizard).findByTestId("wizard-certificate");
    expect(cert).toHaveAttribute("data-tone", "warning");
    expect(cert).toHaveTextContent("Comercial Tica S.A.");
    expect(cert).not.toHaveTextContent("CN=");
    expect(cert).toHaveTextContent("The certificate expires in 12 days.");
    expect(within(wizard).queryByTestId("field-batch_size")).toBeNull();
    expect(within(wizard).getByText("The PIN is used for this run only and not saved.")).toBeInTheDocument();

    // No PIN: asked for at the field.
    await user.click(within(wizard).getByTestId("btn-wizard-next"));
    expect(within(wizard).getByTestId("error-pin")).toHaveTextContent("Enter the certificate's PIN.");
    await user.type(within(wizard).getByTestId("field-pin"), "1111");
    await user.click(within(wizard).getByTestId("btn-wizard-next"));
    await waitFor(() => expect(wizard).toHaveAttribute("data-step", "review"));
    expect(within(wizard).getByTestId("review-estimate")).toHaveTextContent("signing happens on this computer");
    await user.click(within(wizard).getByTestId("btn-wizard-start"));
    await waitFor(() => expect(call).toHaveBeenCalledWith("start_bulk_run", { kind: "sign", selection: IDS, batching: null, pin: "1111" }));

    // A wrong PIN: back at the PIN field with the reason, emptied and focused.
    await waitFor(() => expect(wizard).toHaveAttribute("data-step", "choose"));
    expect(within(wizard).getByTestId("error-pin")).toHaveTextContent("The PIN does not open the certificate.");
    const pin = within(wizard).getByTestId("field-pin");
    expect(pin).toHaveValue("");
    await waitFor(() => expect(pin).toHaveFocus());
    await user.type(pin, "4321");
    expect(within(wizard).queryByTestId("error-pin")).toBeNull();
    await user.click(within(wizard).getByTestId("btn-wizard-next"));
    await user.click(await within(wizard).findByTestId("btn-wizard-start"));
    await waitFor(() => expect(call).toHaveBeenCalledWith("start_bulk_run", { kind: "sign", selection: IDS, batching: null, pin: "4321" }));
    await waitFor(() => expect(wizard).toHaveAttribute("data-step", "run"));
    expect(within(wizard).getByTestId("progress-41")).toBeInTheDocument();
  });

  it("cancels, shows the summary and resumes with the same selection", async () => {
    const user = userEvent.setup({ delay: null });
    const filterSel: BulkSelection = {
      by: "filter",
      filter: { search: "soda", state: ["signed"], doc_type: [], connection_id: null, from: null, to: null, error_code: null, groups: [] },
    };
    open("submit", filterSel);
    const wizard = await screen.findByTestId("wizard-bulk");
    const selection = within(wizard).getByTestId("wizard-selection");
    expect(selection).toHaveTextContent("All documents matching the current filter");
    expect(selection).toHaveTextContent("text “soda” · state: Signed");
    await within(wizard).findByTestId("field-batch_size");
    await user.click(within(wizard).getByTestId("btn-wizard-next"));
    // The settings' batching: the backend's estimate as it is.
    expect(await within(wizard).findByTestId("review-estimate")).toHaveTextContent("About 2 min · 1 batch");
    await user.click(await within(wizard).findByTestId("btn-wizard-start"));
    await waitFor(() => expect(wizard).toHaveAttribute("data-step", "run"));
    expect(call).toHaveBeenCalledWith("start_bulk_run", {
      kind: "submit",
      selection: filterSel,
      batching: { batch_size: 25, batch_delay_seconds: 2, max_concurrent_batches: 2 },
      pin: null,
    });

    await user.click(within(wizard).getByTestId("btn-wizard-cancel"));
    await waitFor(() => expect(call).toHaveBeenCalledWith("cancel_run", { run_id: 41 }));
    expect(within(wizard).getByTestId("btn-wizard-cancel")).toBeDisabled();
    expect(within(wizard).getByTestId("btn-wizard-cancel")).toHaveTextContent("Cancelling…");
    expect(within(wizard).getByTestId("wizard-cancelling")).toHaveTextContent("the run stops before the next document");

    // After the cancelled run 2 are still to do.
    plans.submit = [makePlan("submit", { eligible: 2 })];
    emit("run_finished", finishedRun(41, "submit", "cancelled", { updated: 1 }));
    const summary = await within(wizard).findByTestId("wizard-summary");
    expect(summary).toHaveAttribute("data-status", "cancelled");
    expect(summary).toHaveTextContent("The run was cancelled.");
    expect(within(summary).getByTestId("summary-done")).toHaveTextContent("1");
    expect(await within(summary).findByTestId("summary-remaining")).toHaveTextContent("2 documents are still to do.");

    // Resume: the review counts only what is left, then the same start again.
    await user.click(await within(wizard).findByTestId("btn-wizard-resume"));
    await waitFor(() => expect(wizard).toHaveAttribute("data-step", "review"));
    expect(within(wizard).getByTestId("review-eligible")).toHaveAttribute("data-count", "2");
    await user.click(within(wizard).getByTestId("btn-wizard-start"));
    await waitFor(() => expect(wizard).toHaveAttribute("data-step", "run"));
    const starts = call.mock.calls.filter((c) => c[0] === "start_bulk_run");
    expect(starts).toHaveLength(2);
    expect(starts[1]![1]).toEqual(starts[0]![1]);
    expect(within(wizard).getByTestId("progress-42")).toBeInTheDocument();

    emit("run_finished", finishedRun(42, "submit", "succeeded", { updated: 2 }));
    const done = await within(wizard).findByTestId("wizard-summary");
    expect(done).toHaveAttribute("data-status", "succeeded");
    expect(done).toHaveTextContent("All documents were sent to Hacienda.");
    expect(within(wizard).queryByTestId("btn-wizard-resume")).toBeNull();
  });

  it("cannot start when nothing is eligible, and says why", async () => {
    const user = userEvent.setup({ delay: null });
    plans.status = [makePlan("status", { eligible: 0, skipped: 2, other_connections: 1, by_state: [{ state: "accepted", count: 2 }] })];
    open("status");
    const wizard = await screen.findByTestId("wizard-bulk");
    await within(wizard).findByTestId("field-batch_size");
    await user.click(within(wizard).getByTestId("btn-wizard-next"));
    const start = await within(wizard).findByTestId("btn-wizard-start");
    expect(start).toBeDisabled();
    expect(within(wizard).getByTestId("review-eligible")).toHaveAttribute("data-count", "0");
    expect(within(wizard).getByTestId("review-skipped")).toHaveAttribute("data-count", "3");
    expect(within(wizard).getByTestId("review-skipped-connection")).toHaveTextContent("1 of another Hacienda connection");
    expect(within(wizard).getByTestId("review-nothing")).toHaveTextContent("Nothing to check");
    expect(within(wizard).queryByTestId("review-estimate")).toBeNull();
  });

  it("shows an expired certificate in red", async () => {
    plans.sign = [
      makePlan("sign", {
        certificate: { subject: "CN=Comercial Tica S.A.", serial: "0A1B", not_before: "2024-01-01T00:00:00Z", not_after: "2026-01-01T00:00:00Z", days_left: -59 },
      }),
    ];
    open("sign");
    const wizard = await screen.findByTestId("wizard-bulk");
    const cert = await within(wizard).findByTestId("wizard-certificate");
    expect(cert).toHaveAttribute("data-tone", "critical");
    expect(cert).toHaveTextContent("The certificate expired on");
    expect(within(wizard).getByTestId("wizard-pin-stored")).toBeInTheDocument();
    expect(within(wizard).queryByTestId("field-pin")).toBeNull();
  });
});
