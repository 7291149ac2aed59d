import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PermitRow } from "../../api/types";

const call = vi.fn();
vi.mock("../../api/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../api/client")>();
  return { ...real, call: (...a: unknown[]) => call(...a), listen: () => () => undefined, onReconnect: () => () => undefined };
});

import { ApiFailure } from "../../api/client";
import { useRoute } from "../../lib/router";
import { permitBackend, permitRow } from "../../test/permits";
import { renderWithProviders } from "../../test/render";
import { TEST_SETTINGS, callsOf, go, keyboardDrag, layOutKanban } from "../../test/screens";
import { PermitsSection } from "./PermitsScreen";

let rows: PermitRow[];
let failStatus = false;
let releaseStatus: (() => void) | null = null;

function Routed() {
  const route = useRoute();
  return <PermitsSection sub={route.parts[1]} query={route.query} />;
}

let restoreLayout: () => void;

beforeEach(() => {
  rows = [
    permitRow(1, { status: "active", expiry_status: "critical", applicant: "CV Maju" }),
    permitRow(2, { status: "active", expiry_status: "ok" }),
    permitRow(3, { status: "in_process", expiry_status: "unknown", expiry_date: null }),
    permitRow(4, { status: "renewed", expiry_status: "ok" }),
  ];
  failStatus = false;
  call.mockReset();
  const backend = permitBackend(rows);
  call.mockImplementation(async (cmd: string, args: Record<string, unknown>) => {
    if (cmd === "get_settings") return TEST_SETTINGS;
    if (cmd === "set_permit_status" && failStatus) {
      await new Promise<void>((r) => (releaseStatus = r));
      throw new ApiFailure({ code: "validation", message: "A renewed permit cannot become active again.", fields: [], details: null });
    }
    if (cmd === "create_permit") {
      const input = args.input as { applicant: string; permit_type_name: string; permit_number: string | null; status: PermitRow["status"] };
      const row = permitRow(99, { ...input, expiry_status: "unknown", expiry_date: null });
      rows.push(row);
      return row;
    }
    return backend(cmd, args);
  });
  restoreLayout = layOutKanban(280, 270, 250);
  go("/permits?view=kanban");
});

afterEach(() => restoreLayout());

describe("permits kanban", () => {
  it("has a column per status with its count, colour bar and cards", async () => {
    renderWithProviders(<Routed />);
    const active = await screen.findByTestId("kanban-column-active");
    await waitFor(() => expect(screen.getByTestId("kanban-count-active")).toHaveTextContent("2"));
    expect(screen.getByTestId("kanban-count-draft")).toHaveTextContent("0");
    expect(within(active).getByTestId("kanban-card-1")).toHaveTextContent("CV Maju");
    // The bar: one segment per expiry status present, sized by its count.
    expect(screen.getByTestId("kanban-seg-active-critical")).toHaveStyle({ flexGrow: "1" });
    expect(screen.getByTestId("kanban-seg-active-ok")).toBeInTheDocument();
    expect(screen.queryByTestId("kanban-seg-active-expired")).toBeNull();
    const q = callsOf(call, "list_permits").map((c) => (c[1] as { query: { limit: number; filter: { groups: unknown[] } } }).query);
    expect(q.every((x) => x.limit === 50)).toBe(true);
    expect(q.some((x) => JSON.stringify(x.filter.groups) === JSON.stringify([{ group_by: { field: "status", interval: null }, key: "active" }]))).toBe(true);
  });

  it("moves a card to another status with the keyboard, and writes the status", async () => {
    renderWithProviders(<Routed />);
    const card = await screen.findByTestId("kanban-card-1");
    await waitFor(() => expect(screen.getByTestId("kanban-count-active")).toHaveTextContent("2"));
    // active → expired (two columns to the right)
    await keyboardDrag(card, 1);
    await waitFor(() => expect(callsOf(call, "set_permit_status")).toHaveLength(1));
    expect(callsOf(call, "set_permit_status")[0]![1]).toEqual({ id: 1, status: "expired" });
    await waitFor(() => expect(within(screen.getByTestId("kanban-column-expired")).getByTestId("kanban-card-1")).toBeInTheDocument());
    await waitFor(() => expect(screen.getByTestId("kanban-count-active")).toHaveTextContent("1"));
    expect(screen.getByTestId("kanban-count-expired")).toHaveTextContent("1");
  });

  it("puts the card back with an error toast when the backend refuses", async () => {
    failStatus = true;
    renderWithProviders(<Routed />);
    const card = await screen.findByTestId("kanban-card-4");
    await waitFor(() => expect(screen.getByTestId("kanban-count-renewed")).toHaveTextContent("1"));
    await keyboardDrag(card, 1);
    // At once in the new column, before the backend answers…
    await waitFor(() => expect(within(screen.getByTestId("kanban-column-cancelled")).getByTestId("kanban-card-4")).toBeInTheDocument());
    expect(screen.getByTestId("kanban-count-cancelled")).toHaveTextContent("1");
    expect(screen.getByTestId("kanban-count-renewed")).toHaveTextContent("0");
    expect(callsOf(call, "set_permit_status")[0]![1]).toEqual({ id: 4, status: "cancelled" });
    // …and back when it refuses.
    await act(async () => releaseStatus?.());
    expect(await screen.findByText(/A renewed permit cannot become active again/)).toBeInTheDocument();
    await waitFor(() => expect(within(screen.getByTestId("kanban-column-renewed")).getByTestId("kanban-card-4")).toBeInTheDocument());
    expect(screen.getByTestId("kanban-count-renewed")).toHaveTextContent("1");
    expect(within(screen.getByTestId("kanban-column-cancelled")).queryByTestId("kanban-card-4")).toBeNull();
  });

  it("grouped by expiry status, cards do not drag and the hint says why", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Routed />);
    await screen.findByTestId("kanban-card-1");
    await user.selectOptions(screen.getByTestId("kanban-groupby"), "expiry_status");
    await waitFor(() => expect(window.location.hash).toContain("kanban_by=expiry_status"));
    const card = await screen.findByTestId("kanban-card-1");
    expect(screen.getByTestId("kanban-computed-hint")).toHaveAttribute("title", expect.stringMatching(/computed|follows from the expiry date/));
    await waitFor(() => expect(screen.getByTestId("kanban-count-critical")).toHaveTextContent("1"));
    await keyboardDrag(card, 1);
    expect(callsOf(call, "set_permit_status")).toHaveLength(0);
    expect(within(screen.getByTestId("kanban-column-critical")).getByTestId("kanban-card-1")).toBeInTheDocument();
  });

  it("quick-creates a permit at the top of a column with that status", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Routed />);
    await screen.findByTestId("kanban-card-1");
    await user.click(screen.getByTestId("kanban-add-draft"));
    await user.click(screen.getByTestId("qc-add"));
    expect(await screen.findByTestId("error-applicant")).toHaveTextContent("Enter the applicant.");
    await user.type(screen.getByTestId("qc-applicant"), "PT Sinar");
    await user.type(screen.getByTestId("qc-type"), "SIUP");
    await user.type(screen.getByTestId("qc-number"), "503/77{Enter}");
    await waitFor(() => expect(callsOf(call, "create_permit")).toHaveLength(1));
    expect(callsOf(call, "create_permit")[0]![1]).toEqual({
      input: { applicant: "PT Sinar", permit_type_name: "SIUP", permit_number: "503/77", status: "draft", expiry_date: null },
    });
    await waitFor(() => expect(within(screen.getByTestId("kanban-column-draft")).getByTestId("kanban-card-99")).toBeInTheDocument());
    expect(screen.getByTestId("qc-applicant")).toHaveValue("");
  });
});
