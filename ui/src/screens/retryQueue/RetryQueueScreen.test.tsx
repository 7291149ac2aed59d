import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Commands, RetryFilter, RetryRow, RetryState } from "../../api/types";

const call = vi.fn();
vi.mock("../../api/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../api/client")>();
  return { ...real, call: (...a: unknown[]) => call(...a), listen: () => () => undefined, onReconnect: () => () => undefined };
});

import { ApiFailure } from "../../api/client";
import { resetRouterForTests } from "../../lib/router";
import { renderWithProviders } from "../../test/render";
import { RetryQueueScreen, attemptsText } from "./RetryQueueScreen";

const settings = { office_timezone: "America/Costa_Rica", language: "en", theme: "light", log_retention_days: 30, close_to_tray: false };

function entry(id: number, over: Partial<RetryRow> = {}): RetryRow {
  return {
    id,
    einvoice_id: 200 + id,
    consecutivo: `0010000101000000010${id}`,
    clave: null,
    receiver_name: `Cliente ${id}`,
    operation: "submit",
    category: "network",
    attempts: 2,
    max_attempts: 5,
    next_retry_at: new Date(Date.now() + 10 * 60_000).toISOString(),
    priority: 0,
    state: "pending",
    last_error: "connection refused",
    created_at: "2026-03-01T00:00:00Z",
    updated_at: "2026-03-01T00:00:00Z",
    ...over,
  };
}

let rows: RetryRow[];

function go(path: string) {
  window.history.replaceState(null, "", `#${path}`);
  resetRouterForTests();
}

const listCalls = () => call.mock.calls.filter((c) => c[0] === "list_retry_queue").map((c) => (c[1] as { filter: RetryFilter }).filter);

beforeEach(() => {
  go("/retry-queue");
  rows = [
    entry(1),
    entry(2, { state: "failed", attempts: 5, category: "server", operation: "poll", last_error: "HTTP 503" }),
    entry(3, { state: "done", category: "transient", last_error: null }),
  ];
  call.mockReset();
  call.mockImplementation(async (cmd: keyof Commands, args: unknown) => {
    switch (cmd) {
      case "get_settings":
        return settings;
      case "list_retry_queue": {
        const { filter } = args as { filter: RetryFilter };
        const base = rows.filter((r) => (!filter.category || r.category === filter.category) && (!filter.operation || r.operation === filter.operation));
        const states: RetryState[] = ["pending", "processing", "done", "failed", "cancelled"];
        return {
          rows: base.filter((r) => filter.state.length === 0 || filter.state.includes(r.state)).slice(0, filter.limit),
          counts: states.map((state) => ({ state, count: base.filter((r) => r.state === state).length })),
        };
      }
      case "retry_now": {
        const { id } = args as { id: number };
        rows = rows.map((r) => (r.id === id ? { ...r, state: "pending", next_retry_at: new Date().toISOString() } : r));
        return null;
      }
      case "cancel_retry": {
        const { id } = args as { id: number };
        if (id === 9) throw new ApiFailure({ code: "validation", message: "Only a waiting entry can be cancelled.", fields: [], details: null });
        rows = rows.map((r) => (r.id === id ? { ...r, state: "cancelled" } : r));
        return null;
      }
      default:
        throw new Error(`unexpected ${cmd}`);
    }
  });
});

describe("retry queue list", () => {
  it("shows each entry with its document, step, error, attempts and next attempt", async () => {
    renderWithProviders(<RetryQueueScreen />);
    const r1 = await screen.findByTestId("retry-row-1");
    expect(r1).toHaveAttribute("data-state", "pending");
    expect(within(r1).getByRole("link", { name: rows[0]!.consecutivo! })).toHaveAttribute("href", "#/einvoices/201");
    expect(r1).toHaveTextContent("Send");
    expect(r1).toHaveTextContent("Network");
    expect(within(r1).getByTestId("retry-attempts-1")).toHaveTextContent("2 / 5");
    expect(r1).toHaveTextContent("in 10 minutes");
    expect(r1).toHaveTextContent("connection refused");
    // Retry now for waiting and failed entries, Cancel only for waiting ones.
    expect(screen.getByTestId("btn-retry-now-1")).toBeInTheDocument();
    expect(screen.getByTestId("btn-cancel-retry-1")).toBeInTheDocument();
    expect(screen.getByTestId("btn-retry-now-2")).toBeInTheDocument();
    expect(screen.queryByTestId("btn-cancel-retry-2")).toBeNull();
    expect(screen.queryByTestId("btn-retry-now-3")).toBeNull();
    expect(screen.getByTestId("retry-row-2")).toHaveAttribute("data-state", "failed");
  });

  it("retries now with a toast, and cancels only after confirming", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<RetryQueueScreen />);
    await user.click(await screen.findByTestId("btn-retry-now-2"));
    await waitFor(() => expect(call).toHaveBeenCalledWith("retry_now", { id: 2 }));
    expect(await screen.findByText(`${rows[1]!.consecutivo} will be tried again now`)).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId("retry-row-2")).toHaveAttribute("data-state", "pending"));

    await user.click(screen.getByTestId("btn-cancel-retry-1"));
    const dialog = await screen.findByTestId("confirm-cancel-retry");
    expect(call).not.toHaveBeenCalledWith("cancel_retry", expect.anything());
    await user.click(within(dialog).getByTestId("btn-confirm"));
    await waitFor(() => expect(call).toHaveBeenCalledWith("cancel_retry", { id: 1 }));
    expect(await screen.findByText(`Retry of ${rows[0]!.consecutivo} cancelled`)).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId("retry-row-1")).toHaveAttribute("data-state", "cancelled"));
  });

  it("shows the backend's refusal to cancel", async () => {
    const user = userEvent.setup({ delay: null });
    rows = [entry(9)];
    renderWithProviders(<RetryQueueScreen />);
    await user.click(await screen.findByTestId("btn-cancel-retry-9"));
    await user.click(within(await screen.findByTestId("confirm-cancel-retry")).getByTestId("btn-confirm"));
    expect(await screen.findByText(/Only a waiting entry can be cancelled\./)).toBeInTheDocument();
  });

  it("filters by error category and step", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<RetryQueueScreen />);
    await screen.findByTestId("retry-row-1");
    await user.selectOptions(screen.getByTestId("retry-filter-category"), "server");
    await waitFor(() => expect(screen.queryByTestId("retry-row-1")).toBeNull());
    expect(screen.getByTestId("retry-row-2")).toBeInTheDocument();
    expect(listCalls().at(-1)).toMatchObject({ category: "server" });
    await user.selectOptions(screen.getByTestId("retry-filter-operation"), "submit");
    expect(await screen.findByText("No entry matches these filters.")).toBeInTheDocument();
    expect(window.location.hash).toBe("#/retry-queue?category=server&operation=submit");
  });
});

describe("retry queue kanban", () => {
  it("shows a column per state with its count, and acts from the cards", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<RetryQueueScreen />);
    await screen.findByTestId("retry-row-1");
    await user.click(screen.getByTestId("view-kanban"));
    for (const s of ["pending", "processing", "done", "failed", "cancelled"]) {
      expect(await screen.findByTestId(`retry-col-${s}`)).toBeInTheDocument();
    }
    const pending = screen.getByTestId("retry-col-pending");
    await waitFor(() => expect(within(pending).getByTestId("retry-count-pending")).toHaveAttribute("data-count", "1"));
    expect(within(pending).getByTestId("retry-row-1")).toHaveAttribute("data-state", "pending");
    expect(within(screen.getByTestId("retry-col-failed")).getByTestId("retry-row-2")).toBeInTheDocument();
    expect(screen.getByTestId("retry-col-cancelled")).toHaveTextContent("Nothing here");
    await user.click(within(pending).getByTestId("btn-cancel-retry-1"));
    await user.click(within(await screen.findByTestId("confirm-cancel-retry")).getByTestId("btn-confirm"));
    await waitFor(() => expect(within(screen.getByTestId("retry-col-cancelled")).getByTestId("retry-row-1")).toBeInTheDocument());
    // The cancel did not open the document.
    expect(window.location.hash).toBe("#/retry-queue?v=kanban");
    await user.click(screen.getByTestId("view-list"));
    expect(await screen.findByTestId("retry-table")).toBeInTheDocument();
  });
});

it("writes attempts as made / allowed", () => {
  expect(attemptsText(entry(1))).toBe("2 / 5");
});
