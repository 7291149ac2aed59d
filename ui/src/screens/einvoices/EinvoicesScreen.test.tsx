import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Connection, EinvoiceRow } from "../../api/types";

const call = vi.fn();
vi.mock("../../api/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../api/client")>();
  return { ...real, call: (...a: unknown[]) => call(...a), listen: () => () => undefined, onReconnect: () => () => undefined };
});
// The bulk wizard is someone else's screen: show what it was opened with.
vi.mock("./wizard/BulkWizard", () => ({
  BulkWizard: ({ kind, selection, onClose }: { kind: string; selection: unknown; onClose: () => void }) => (
    <div data-testid="bulk-wizard" data-kind={kind} data-selection={JSON.stringify(selection)}>
      <button type="button" onClick={onClose}>
        close wizard
      </button>
    </div>
  ),
}));
// ECharts needs a canvas / layout: the graph's option is checked instead.
vi.mock("../../components/Chart", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../components/Chart")>()),
  Chart: (await import("../../test/screens")).FakeChart,
}));

import { ApiFailure } from "../../api/client";
import { useRoute } from "../../lib/router";
import { giveScrollBoxesHeight } from "../../test/permits";
import { renderWithProviders } from "../../test/render";
import { TEST_SETTINGS, callsOf, chartProps, go, hashQuery, keyboardDrag, layOutKanban } from "../../test/screens";
import { EinvoicesSection } from "./EinvoicesScreen";
import { parseSearch } from "./search";
import { einvoiceBackend, haciendaConnection, sampleEinvoices } from "./testBackend";

let rows: EinvoiceRow[];
let connections: Connection[];
let importAnswer: (args: Record<string, unknown>) => unknown;

function Routed() {
  const route = useRoute();
  return <EinvoicesSection sub={route.parts[1]} query={route.query} />;
}

const currentSearch = () => parseSearch(hashQuery());

let restoreLayout: () => void;
beforeAll(() => {
  restoreLayout = giveScrollBoxesHeight();
});
afterAll(() => restoreLayout());

beforeEach(() => {
  rows = sampleEinvoices(12);
  connections = [haciendaConnection];
  importAnswer = () => ({ created: 3, skipped: 1 });
  call.mockReset();
  chartProps.mockReset();
  const backend = einvoiceBackend(rows);
  call.mockImplementation(async (cmd: string, args: Record<string, unknown>) => {
    if (cmd === "get_settings") return TEST_SETTINGS;
    if (cmd === "list_connections") return connections;
    if (cmd === "export_table") return "/home/contadora/Descargas/e-invoices.csv";
    if (cmd === "import_einvoice_file") return importAnswer(args);
    return backend(cmd, args);
  });
  go("/einvoices");
});

describe("e-invoice list", () => {
  it("shows the documents with number, receiver, type, total and a state badge", async () => {
    renderWithProviders(<Routed />);
    const row = await screen.findByTestId("einvoice-row-4");
    expect(row).toHaveAttribute("data-state", "rejected");
    expect(within(row).getByText("00100001010000000004")).toBeInTheDocument();
    expect(within(row).getByText("Receiver 04")).toBeInTheDocument();
    expect(within(row).getByText("Ticket")).toBeInTheDocument();
    expect(within(row).getByText("Rejected")).toBeInTheDocument();
    expect(within(row).getByText("-53: El receptor no existe")).toBeInTheDocument();
    expect(within(row).getByText(/4,000\.50/)).toBeInTheDocument();
    // A draft has no consecutivo yet: its reference stands in.
    expect(within(screen.getByTestId("einvoice-row-1")).getByText("F-1001")).toBeInTheDocument();
    expect(screen.getByTestId("einvoice-list-total")).toHaveTextContent("12 documents");
  });

  it("sorts by a column header, keeping the sort in the address", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Routed />);
    await screen.findByTestId("einvoice-row-1");
    await user.click(screen.getByTestId("sort-total"));
    await waitFor(() => expect(currentSearch().sort).toEqual({ field: "total", descending: true }));
    await waitFor(() => {
      const order = [...document.querySelectorAll("[data-testid^=einvoice-row-]")].map((r) => r.getAttribute("data-testid"));
      expect(order[0]).toBe("einvoice-row-12");
    });
    expect(screen.getByRole("columnheader", { name: /Total/ })).toHaveAttribute("aria-sort", "descending");
  });

  it("searches as one types, and keeps the search when switching views", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Routed />);
    await screen.findByTestId("einvoice-row-1");
    await user.type(screen.getByTestId("einvoice-search"), "Receiver 1");
    await waitFor(() => expect(currentSearch().text).toBe("Receiver 1"));
    await waitFor(() => expect(screen.getByTestId("einvoice-list-total")).toHaveAttribute("data-total", "3"));
    await user.click(screen.getByTestId("view-kanban"));
    await waitFor(() => expect(currentSearch().view).toBe("kanban"));
    expect(currentSearch().text).toBe("Receiver 1");
    expect(screen.getByTestId("einvoice-search")).toHaveValue("Receiver 1");
    await user.click(screen.getByTestId("view-list"));
    await waitFor(() => expect(screen.getByTestId("einvoice-list-total")).toHaveAttribute("data-total", "3"));
  });

  it("filters by state, type, dates and error code, with removable chips", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Routed />);
    await screen.findByTestId("einvoice-row-1");
    await user.click(screen.getByTestId("menu-filters"));
    await user.click(screen.getByTestId("filter-state-accepted"));
    await waitFor(() => expect(screen.getByTestId("einvoice-list-total")).toHaveAttribute("data-total", "4"));
    expect(screen.getByTestId("facet-state")).toHaveTextContent("Accepted");
    await user.click(screen.getByTestId("filter-type-04"));
    await waitFor(() => expect(screen.getByTestId("einvoice-list-total")).toHaveAttribute("data-total", "1"));
    fireEvent.change(screen.getByTestId("filter-from"), { target: { value: "2025-03-01" } });
    await waitFor(() => expect(currentSearch().from).toBe("2025-03-01"));
    await user.type(screen.getByTestId("filter-error-code"), "-53{Enter}");
    await waitFor(() => expect(currentSearch().errorCode).toBe("-53"));
    const last = callsOf(call, "list_einvoices").at(-1)![1] as { query: { filter: Record<string, unknown> } };
    expect(last.query.filter).toMatchObject({ state: ["accepted"], doc_type: ["04"], from: "2025-03-01", error_code: "-53" });
    await user.keyboard("{Escape}");
    await user.click(screen.getByTestId("facet-remove-state"));
    await user.click(screen.getByTestId("facet-remove-type"));
    await user.click(screen.getByTestId("facet-remove-dates"));
    await user.click(screen.getByTestId("facet-remove-error"));
    await waitFor(() => expect(screen.getByTestId("einvoice-list-total")).toHaveAttribute("data-total", "12"));
  });

  it("opens the bulk wizard on the ticked rows, or on the whole search when none is ticked", async () => {
    const user = userEvent.setup({ delay: null });
    go("/einvoices?state=signed&state=draft");
    renderWithProviders(<Routed />);
    await screen.findByTestId("einvoice-row-1");
    await user.click(screen.getByTestId("btn-bulk-sign"));
    const wizard = screen.getByTestId("bulk-wizard");
    expect(wizard).toHaveAttribute("data-kind", "sign");
    const sel = JSON.parse(wizard.getAttribute("data-selection")!) as { by: string; filter: { state: string[] } };
    expect(sel.by).toBe("filter");
    expect(sel.filter.state).toEqual(["signed", "draft"]);
    await user.click(screen.getByText("close wizard"));
    expect(screen.queryByTestId("bulk-wizard")).toBeNull();

    await user.click(screen.getByTestId("select-1"));
    await user.click(screen.getByTestId("select-2"));
    expect(screen.getByTestId("selection-count")).toHaveTextContent("2 selected");
    await user.click(screen.getByTestId("btn-bulk-submit"));
    expect(JSON.parse(screen.getByTestId("bulk-wizard").getAttribute("data-selection")!)).toEqual({ by: "ids", ids: [1, 2] });
    expect(screen.getByTestId("bulk-wizard")).toHaveAttribute("data-kind", "submit");
    await user.click(screen.getByText("close wizard"));

    await user.click(screen.getByTestId("select-all"));
    expect(screen.getByTestId("selection-count")).toHaveTextContent("4 selected");
    await user.click(screen.getByTestId("btn-bulk-status"));
    const ids = (JSON.parse(screen.getByTestId("bulk-wizard").getAttribute("data-selection")!) as { ids: number[] }).ids;
    expect([...ids].sort((a, b) => a - b)).toEqual([1, 2, 7, 8]);
  });

  it("exports the ticked rows", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Routed />);
    await screen.findByTestId("einvoice-row-1");
    await user.click(screen.getByTestId("select-3"));
    await user.click(screen.getByTestId("bulk-export-csv"));
    await waitFor(() => expect(callsOf(call, "export_table")).toHaveLength(1));
    const req = (callsOf(call, "export_table")[0]![1] as { request: { rows: unknown[][]; columns: string[] } }).request;
    expect(req.rows).toHaveLength(1);
    expect(req.columns[0]).toBe("Number");
    expect(await screen.findByText("Saved to /home/contadora/Descargas/e-invoices.csv")).toBeInTheDocument();
  });

  it("opens a document from its row, keeping the search for the way back", async () => {
    go("/einvoices?search=Receiver");
    renderWithProviders(<Routed />);
    const row = await screen.findByTestId("einvoice-row-3");
    row.focus();
    fireEvent.keyDown(row, { key: "Enter" });
    await waitFor(() => expect(window.location.hash).toBe("#/einvoices/3?search=Receiver"));
    expect(await screen.findByTestId("einvoice-form")).toHaveAttribute("data-state", "accepted");
  });
});

describe("e-invoice import", () => {
  it("imports a file into the only Hacienda connection and says what happened", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Routed />);
    await screen.findByTestId("einvoice-row-1");
    await user.click(screen.getByTestId("btn-import"));
    const dialog = await screen.findByTestId("import-dialog");
    expect(within(dialog).getByTestId("import-connection")).toHaveValue("7");
    expect(within(dialog).getByTestId("btn-import-run")).toBeDisabled();
    const file = new File(["ref,type\nF-1,01\n"], "marzo.csv", { type: "text/csv" });
    await user.upload(within(dialog).getByTestId("import-file"), file);
    expect(within(dialog).getByTestId("import-file-name")).toHaveTextContent("marzo.csv");
    await user.click(within(dialog).getByTestId("btn-import-run"));
    const result = await within(dialog).findByTestId("import-result");
    expect(result).toHaveTextContent("3 documents imported as drafts");
    expect(result).toHaveTextContent("1 was already there");
    expect(callsOf(call, "import_einvoice_file")[0]![1]).toEqual({ connection_id: 7, file_name: "marzo.csv", content: "ref,type\nF-1,01\n" });
    await user.click(within(dialog).getByTestId("btn-import-show"));
    await waitFor(() => expect(currentSearch().states).toEqual(["draft"]));
  });

  it("lists every problem of a refused file", async () => {
    const user = userEvent.setup({ delay: null });
    importAnswer = () => {
      throw new ApiFailure({
        code: "validation",
        message: "The file has 2 problems.",
        fields: [
          { field: "file", message: "Line 2: the type \"07\" is not 01, 02, 03 or 04." },
          { field: "file", message: "Line 3: the currency \"XXX\" is not known." },
        ],
        details: null,
      });
    };
    connections = [haciendaConnection, { ...haciendaConnection, id: 8, name: "Hacienda production" }];
    renderWithProviders(<Routed />);
    await screen.findByTestId("einvoice-row-1");
    await user.click(screen.getByTestId("btn-import"));
    const dialog = await screen.findByTestId("import-dialog");
    // Two connections: the user chooses.
    expect(within(dialog).getByTestId("import-connection")).toHaveValue("");
    await user.selectOptions(within(dialog).getByTestId("import-connection"), "8");
    await user.upload(within(dialog).getByTestId("import-file"), new File(["x"], "bad.json", { type: "application/json" }));
    await user.click(within(dialog).getByTestId("btn-import-run"));
    const problems = await within(dialog).findByTestId("import-problems");
    expect(problems).toHaveTextContent("Nothing was imported: 2 problems in the file");
    expect(within(problems).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "Line 2: the type \"07\" is not 01, 02, 03 or 04.",
      "Line 3: the currency \"XXX\" is not known.",
    ]);
    expect((callsOf(call, "import_einvoice_file")[0]![1] as { connection_id: number }).connection_id).toBe(8);
  });
});

describe("e-invoice empty states", () => {
  it("asks for a Hacienda connection first", async () => {
    connections = [{ ...haciendaConnection, kind: "odoo" }];
    rows.splice(0);
    renderWithProviders(<Routed />);
    const empty = await screen.findByTestId("einvoices-no-connection");
    expect(within(empty).getByRole("link")).toHaveAttribute("href", "#/connections");
    expect(screen.getByTestId("btn-import")).toBeDisabled();
  });

  it("offers the import when there is no document, and clearing filters when nothing matches", async () => {
    rows.splice(0);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Routed />);
    expect(await screen.findByTestId("einvoices-empty")).toBeInTheDocument();
    await user.click(screen.getByTestId("btn-import-empty"));
    expect(await screen.findByTestId("import-dialog")).toBeInTheDocument();
    await user.keyboard("{Escape}");
    rows.push(...sampleEinvoices(2));
    act(() => go("/einvoices?state=error"));
    renderWithProviders(<Routed />);
    expect(await screen.findByTestId("einvoices-no-match")).toBeInTheDocument();
  });
});

describe("e-invoice kanban", () => {
  let restoreLayout: () => void;
  beforeEach(() => {
    restoreLayout = layOutKanban(230, 220, 200);
    go("/einvoices?view=kanban");
  });
  afterEach(() => restoreLayout());

  it("has a column per state in order, with count, total and cards that open the form", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Routed />);
    await waitFor(() => expect(screen.getByTestId("kanban-count-accepted")).toHaveAttribute("data-count", "4"));
    const columns = [...document.querySelectorAll("[data-testid^=kanban-col-]")].map((c) => c.getAttribute("data-testid"));
    expect(columns).toEqual(["draft", "generated", "signed", "submitted", "processing", "accepted", "rejected", "error"].map((s) => `kanban-col-${s}`));
    // Accepted: ids 3, 6, 9, 12 → 3000.5 + 6000.5 + 9000.5 + 12000.5.
    expect(screen.getByTestId("kanban-total-accepted")).toHaveTextContent("30,002.00");
    const col = screen.getByTestId("kanban-col-rejected");
    const card = await within(col).findByTestId("kanban-card-4");
    expect(card).toHaveTextContent("Receiver 04");
    await user.click(card);
    await waitFor(() => expect(window.location.hash).toBe("#/einvoices/4?view=kanban"));
  });

  it("does not move a card to another state, and says why", async () => {
    renderWithProviders(<Routed />);
    const card = await within(screen.getByTestId("kanban-col-draft")).findByTestId("kanban-card-1");
    await keyboardDrag(card, 1);
    expect(await screen.findByTestId("toast")).toHaveTextContent(/A document's state changes only through signing, sending and Hacienda's answer/);
    expect(within(screen.getByTestId("kanban-col-draft")).getByTestId("kanban-card-1")).toBeInTheDocument();
    expect(callsOf(call, "list_einvoices").every((c) => c[0] === "list_einvoices")).toBe(true);
  });
});

describe("e-invoice pivot and graph", () => {
  const cell = (r: number, c: number, m: string) => screen.getByTestId(`pivot-cell-${r}-${c}-${m}`);

  it("counts and sums by state × type, and opens a cell's documents in the list", async () => {
    const user = userEvent.setup({ delay: null });
    go("/einvoices?view=pivot&group_by=state&pivot_cols=doc_type");
    renderWithProviders(<Routed />);
    await screen.findByTestId("pivot-table");
    // Rows: Total, draft, signed, submitted, accepted, rejected. Columns: 01, 03, 04, Total.
    expect(cell(0, 3, "count")).toHaveAttribute("data-value", "12");
    expect(cell(0, 3, "total")).toHaveAttribute("data-value", String(78006));
    expect(cell(4, 3, "count")).toHaveAttribute("data-value", "4");
    // Tax joins the measures.
    await user.click(screen.getByTestId("pivot-measures"));
    await user.click(screen.getByTestId("pivot-measure-tax"));
    await waitFor(() => expect(currentSearch().measures).toEqual(["count", "total", "tax"]));
    expect(cell(0, 3, "tax")).toHaveAttribute("data-value", "7800");
    await user.keyboard("{Escape}");
    await user.click(within(cell(4, 3, "count")).getByRole("button"));
    await waitFor(() => expect(currentSearch().view).toBe("list"));
    expect(currentSearch().drill).toEqual([{ group_by: { field: "state", interval: null }, key: "accepted" }]);
    await waitFor(() => expect(screen.getByTestId("einvoice-list-total")).toHaveAttribute("data-total", "4"));
  });

  it("swaps axes and exports what is shown", async () => {
    const user = userEvent.setup({ delay: null });
    go("/einvoices?view=pivot&group_by=state&pivot_cols=doc_type");
    renderWithProviders(<Routed />);
    await screen.findByTestId("pivot-table");
    await user.click(screen.getByTestId("pivot-swap"));
    await waitFor(() => expect(currentSearch().groupBy.map((g) => g.field)).toEqual(["doc_type"]));
    expect(currentSearch().pivotCols.map((g) => g.field)).toEqual(["state"]);
    await waitFor(() => expect(screen.getAllByText("Invoice").length).toBeGreaterThan(0));
    await user.click(screen.getByTestId("pivot-export-xlsx"));
    await waitFor(() => expect(callsOf(call, "export_table")).toHaveLength(1));
    const req = (callsOf(call, "export_table")[0]![1] as { request: { columns: string[]; rows: unknown[][]; format: string } }).request;
    expect(req.format).toBe("xlsx");
    expect(req.columns).toContain("Draft / Count");
    expect(req.rows[0]![0]).toBe("Total");
  });

  it("charts the total by state and opens a bar's documents", async () => {
    const user = userEvent.setup({ delay: null });
    go("/einvoices?view=graph&graph_measure=total");
    renderWithProviders(<Routed />);
    const chart = await screen.findByTestId("fake-chart");
    const option = chartProps.mock.calls.at(-1)![0].option as { series: Array<{ data: Array<number | { value: number }> }>; xAxis: { data: string[] } };
    expect(option.xAxis.data).toEqual(["Draft", "Signed", "Sent", "Accepted", "Rejected"]);
    const values = option.series[0]!.data.map((d) => (typeof d === "number" ? d : d.value));
    expect(values[3]).toBe(30002);
    await user.click(screen.getByTestId("graph-type-pie"));
    await waitFor(() => expect(currentSearch().graph).toBe("pie"));
    await user.click(chart);
    await waitFor(() => expect(currentSearch().drill).toEqual([{ group_by: { field: "state", interval: null }, key: "signed" }]));
  });
});
