import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { PermitRow } from "../../api/types";

const call = vi.fn();
vi.mock("../../api/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../api/client")>();
  return { ...real, call: (...a: unknown[]) => call(...a), listen: () => () => undefined, onReconnect: () => () => undefined };
});

import { navigate, resetRouterForTests, useRoute } from "../../lib/router";
import { parseSearch } from "../../lib/permitSearch";
import { giveScrollBoxesHeight, permitBackend, samplePermits } from "../../test/permits";
import { renderWithProviders } from "../../test/render";
import { PermitsSection } from "./PermitsScreen";

const settings = { office_timezone: "UTC", language: "en", theme: "light", log_retention_days: 30, close_to_tray: false };
let rows: PermitRow[];

function Routed() {
  const route = useRoute();
  return <PermitsSection sub={route.parts[1]} query={route.query} />;
}

function go(path: string) {
  window.history.replaceState(null, "", `#${path}`);
  resetRouterForTests();
}

function currentSearch() {
  const hash = window.location.hash;
  return parseSearch(hash.includes("?") ? hash.slice(hash.indexOf("?") + 1) : "");
}

function callsOf(cmd: string) {
  return call.mock.calls.filter((c) => c[0] === cmd);
}

let restoreLayout: () => void;
beforeAll(() => {
  restoreLayout = giveScrollBoxesHeight();
});
afterAll(() => restoreLayout());

beforeEach(() => {
  rows = samplePermits(12);
  call.mockReset();
  const backend = permitBackend(rows);
  call.mockImplementation(async (cmd: string, args: Record<string, unknown>) => {
    if (cmd === "get_settings") return settings;
    if (cmd === "export_table") return "/home/kantor/Downloads/permits.csv";
    return backend(cmd, args);
  });
  go("/permits");
});

describe("permits list", () => {
  it("shows the permits with their expiry badge, and the total", async () => {
    renderWithProviders(<Routed />);
    const row = await screen.findByTestId("permit-row-2");
    expect(within(row).getByText("NO-2")).toBeInTheDocument();
    expect(within(row).getByText("Critical")).toBeInTheDocument();
    expect(within(row).getByText("Applicant 02")).toBeInTheDocument();
    expect(screen.getByTestId("permit-list-total")).toHaveAttribute("data-total", "12");
    expect(screen.getByTestId("permit-list-total")).toHaveTextContent("12 permits");
    const first = callsOf("list_permits")[0]![1] as { query: { offset: number; limit: number } };
    expect(first.query).toMatchObject({ offset: 0, limit: 200 });
  });

  it("renders only the rows in view and fetches the next 200 when scrolled to them", async () => {
    rows.splice(0, rows.length, ...samplePermits(450));
    renderWithProviders(<Routed />);
    await waitFor(() => expect(document.querySelector("[aria-rowindex='2']")).not.toBeNull());
    expect(screen.getByTestId("permit-list-total")).toHaveAttribute("data-total", "450");
    expect(document.querySelectorAll("[data-testid^=permit-row-]").length).toBeLessThan(80);
    expect(callsOf("list_permits")).toHaveLength(1);
    const box = screen.getByTestId("permit-list");
    box.scrollTop = 230 * 32;
    fireEvent.scroll(box);
    await waitFor(() => expect(callsOf("list_permits").map((c) => (c[1] as { query: { offset: number } }).query.offset)).toContain(200));
    await waitFor(() => expect(document.querySelector("[aria-rowindex='232']")).not.toBeNull());
    expect(document.querySelector("[aria-rowindex='2']")).toBeNull();
  });

  it("sorts by a column header, keeping the sort in the address", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Routed />);
    await screen.findByTestId("permit-row-1");
    await user.click(screen.getByTestId("sort-applicant"));
    await waitFor(() => expect(currentSearch().sort).toEqual({ field: "applicant", descending: false }));
    await user.click(screen.getByTestId("sort-applicant"));
    await waitFor(() => expect(currentSearch().sort).toEqual({ field: "applicant", descending: true }));
    await waitFor(() => {
      const order = [...document.querySelectorAll("[data-testid^=permit-row-]")].map((r) => r.getAttribute("data-testid"));
      expect(order[0]).toBe("permit-row-12");
    });
    expect(screen.getByRole("columnheader", { name: /Applicant/ })).toHaveAttribute("aria-sort", "descending");
  });

  it("searches as one types, and keeps the search when switching views", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Routed />);
    await screen.findByTestId("permit-row-1");
    await user.type(screen.getByTestId("permit-search"), "Applicant 1");
    await waitFor(() => expect(currentSearch().text).toBe("Applicant 1"));
    await waitFor(() => expect(screen.getByTestId("permit-list-total")).toHaveAttribute("data-total", "3"));

    await user.click(screen.getByTestId("view-pivot"));
    await waitFor(() => expect(currentSearch().view).toBe("pivot"));
    expect(currentSearch().text).toBe("Applicant 1");
    expect(screen.getByTestId("permit-search")).toHaveValue("Applicant 1");
    await user.click(screen.getByTestId("view-list"));
    await waitFor(() => expect(screen.getByTestId("permit-list-total")).toHaveAttribute("data-total", "3"));
  });

  it("filters from the Filters menu and shows the filter as a removable chip", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Routed />);
    await screen.findByTestId("permit-row-1");
    await user.click(screen.getByTestId("menu-filters"));
    await user.click(screen.getByTestId("filter-expiry-critical"));
    await waitFor(() => expect(screen.getByTestId("permit-list-total")).toHaveAttribute("data-total", "2"));
    expect(screen.getByTestId("facet-expiry")).toHaveTextContent("Critical");
    await user.keyboard("{Escape}");
    await user.click(screen.getByTestId("facet-remove-expiry"));
    await waitFor(() => expect(screen.getByTestId("permit-list-total")).toHaveAttribute("data-total", "12"));
  });

  it("ticks rows, a shift-click range and all matching, with the count in the selection bar", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Routed />);
    await screen.findByTestId("permit-row-1");
    const box = (id: number) => within(screen.getByTestId(`permit-row-${id}`)).getByRole("checkbox");
    await user.click(box(1));
    await user.keyboard("{Shift>}");
    // Shown by expiry date: 4 and 10 (no date) first, then 1, 2, 3, 5, …
    await user.click(box(3));
    await user.keyboard("{/Shift}");
    expect(screen.getByTestId("selection-count")).toHaveTextContent("3 selected");
    expect(box(2)).toBeChecked();
    expect(box(5)).not.toBeChecked();
    expect(box(10)).not.toBeChecked();

    await user.click(screen.getByTestId("select-shown"));
    expect(screen.getByTestId("selection-count")).toHaveTextContent("12 selected");
    // Every row of the search is shown here, so there is nothing more to select.
    expect(screen.queryByTestId("select-all-matching")).toBeNull();

    await user.click(screen.getByTestId("bulk-export-csv"));
    await waitFor(() => expect(callsOf("export_table")).toHaveLength(1));
    const req = (callsOf("export_table")[0]![1] as { request: { rows: unknown[][]; columns: string[]; format: string } }).request;
    expect(req.format).toBe("csv");
    expect(req.rows).toHaveLength(12);
    expect(req.columns[0]).toBe("Permit number");
    expect(await screen.findByText("Saved to /home/kantor/Downloads/permits.csv")).toBeInTheDocument();
  });

  it("groups by a field: collapsible headers with counts, rows fetched per group", async () => {
    const user = userEvent.setup({ delay: null });
    go("/permits?group_by=status");
    renderWithProviders(<Routed />);
    const groups = await screen.findAllByTestId("permit-group");
    expect(groups.map((g) => g.getAttribute("data-key"))).toEqual(["draft", "in_process", "active", "expired", "renewed"]);
    const active = groups[2]!;
    expect(active).toHaveTextContent("Active");
    expect(active).toHaveTextContent("4");
    expect(screen.queryByTestId("permit-row-1")).toBeNull();
    await user.click(active);
    expect(await screen.findByTestId("permit-row-1")).toBeInTheDocument();
    const q = callsOf("list_permits").at(-1)![1] as { query: { filter: { groups: unknown[] } } };
    expect(q.query.filter.groups).toEqual([{ group_by: { field: "status", interval: null }, key: "active" }]);
    expect(active).toHaveAttribute("aria-expanded", "true");
    await user.click(active);
    await waitFor(() => expect(screen.queryByTestId("permit-row-1")).toBeNull());
  });

  it("opens a permit from its row with Enter, keeping the search for the way back", async () => {
    go("/permits?search=Applicant");
    renderWithProviders(<Routed />);
    const row = await screen.findByTestId("permit-row-3");
    row.focus();
    call.mockImplementation(async () => new Promise(() => undefined));
    fireEvent.keyDown(row, { key: "Enter" });
    await waitFor(() => expect(window.location.hash).toBe("#/permits/3?search=Applicant"));
  });

  it("teaches what the screen is for when there are no permits", async () => {
    rows.splice(0);
    renderWithProviders(<Routed />);
    expect(await screen.findByTestId("permits-empty")).toBeInTheDocument();
    act(() => navigate("/permits?status=active"));
    expect(await screen.findByTestId("permits-no-match")).toBeInTheDocument();
  });
});
