import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { PermitRow } from "../../api/types";

const call = vi.fn();
vi.mock("../../api/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../api/client")>();
  return { ...real, call: (...a: unknown[]) => call(...a), listen: () => () => undefined, onReconnect: () => () => undefined };
});
// ECharts needs a canvas / layout: the graph's option is checked instead.
vi.mock("../../components/Chart", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../components/Chart")>()),
  Chart: (await import("../../test/screens")).FakeChart,
}));

import { parseSearch } from "../../lib/permitSearch";
import { useRoute } from "../../lib/router";
import { permitBackend, samplePermits } from "../../test/permits";
import { renderWithProviders } from "../../test/render";
import { TEST_SETTINGS, callsOf, chartProps, go, hashQuery } from "../../test/screens";
import { PermitsSection } from "./PermitsScreen";

let rows: PermitRow[];
let tooMany = false;

function Routed() {
  const route = useRoute();
  return <PermitsSection sub={route.parts[1]} query={route.query} />;
}

const currentSearch = () => parseSearch(hashQuery());

const cell = (r: number, c: number) => screen.getByTestId(`pivot-cell-${r}-${c}`);

beforeEach(() => {
  rows = samplePermits(12);
  tooMany = false;
  call.mockReset();
  chartProps.mockReset();
  const backend = permitBackend(rows);
  call.mockImplementation(async (cmd: string, args: Record<string, unknown>) => {
    if (cmd === "get_settings") return TEST_SETTINGS;
    if (cmd === "export_table") return "/home/kantor/Downloads/permits-pivot.xlsx";
    if (cmd === "permit_pivot" && tooMany) return { cells: [], too_many: true, total: 12 };
    return backend(cmd, args);
  });
});

describe("permits pivot", () => {
  // samplePermits(12): status cycles active, active, draft, in_process, renewed, expired;
  // expiry status cycles ok, critical, warning, unknown, ok, expired.
  it("counts by rows × columns with totals", async () => {
    go("/permits?view=pivot&group_by=status&pivot_cols=expiry_status");
    renderWithProviders(<Routed />);
    const table = await screen.findByTestId("pivot-table");
    // Row 0 is the total; columns: expired, critical, warning, ok, unknown, then the total.
    await waitFor(() => expect(cell(0, 5)).toHaveAttribute("data-count", "12"));
    const rowHeads = within(table).getAllByRole("rowheader").map((h) => h.textContent);
    expect(rowHeads).toEqual(["Total", "Draft", "In process", "Active", "Expired", "Renewed"]);
    // active: ids 1, 2, 7, 8 → ok, critical, ok, critical
    expect(cell(3, 1)).toHaveAttribute("data-count", "2");
    expect(cell(3, 3)).toHaveAttribute("data-count", "2");
    expect(cell(3, 5)).toHaveAttribute("data-count", "4");
    expect(cell(0, 3)).toHaveAttribute("data-count", "4");
    const q = callsOf(call, "permit_pivot")[0]![1] as { query: { rows: unknown[]; cols: unknown[] } };
    expect(q.query.rows).toEqual([{ field: "status", interval: null }]);
    expect(q.query.cols).toEqual([{ field: "expiry_status", interval: null }]);
  });

  it("collapses and expands a header; the collapsed header shows the sum", async () => {
    const user = userEvent.setup({ delay: null });
    go("/permits?view=pivot&group_by=status&pivot_cols=expiry_status");
    renderWithProviders(<Routed />);
    await screen.findByTestId("pivot-table");
    await waitFor(() => expect(cell(0, 5)).toHaveAttribute("data-count", "12"));
    await user.click(screen.getByTestId("pivot-toggle-col-[]"));
    // The columns collapse to their total only.
    await waitFor(() => expect(screen.queryByTestId("pivot-cell-0-5")).toBeNull());
    expect(cell(0, 0)).toHaveAttribute("data-count", "12");
    expect(cell(3, 0)).toHaveAttribute("data-count", "4");
    expect(screen.getByTestId("pivot-toggle-col-[]")).toHaveAccessibleName("Expand “Total”");
    await user.click(screen.getByTestId("pivot-toggle-col-[]"));
    await waitFor(() => expect(cell(0, 5)).toHaveAttribute("data-count", "12"));
  });

  it("adds a level from the deepest header's +, opening only that header", async () => {
    const user = userEvent.setup({ delay: null });
    go("/permits?view=pivot&group_by=status");
    renderWithProviders(<Routed />);
    await screen.findByTestId("pivot-table");
    await waitFor(() => expect(screen.getAllByRole("rowheader")).toHaveLength(6));
    await user.click(screen.getByRole("button", { name: "Group “Active” by…" }));
    await user.click(screen.getByTestId("pivot-pick-permit_type"));
    await waitFor(() => expect(currentSearch().groupBy.map((g) => g.field)).toEqual(["status", "permit_type"]));
    await waitFor(() => expect(screen.getAllByRole("rowheader").map((h) => h.textContent)).toContain("IMB"));
    const heads = screen.getAllByRole("rowheader").map((h) => h.textContent);
    // Active opened (its types below it); the others stay closed.
    expect(heads.slice(0, 4)).toEqual(["Total", "Draft", "In process", "Active"]);
    expect(heads.slice(4, 6).every((h) => ["IMB", "SIUP", "Sertifikat Halal"].includes(h ?? ""))).toBe(true);
    expect(heads.slice(-2)).toEqual(["Expired", "Renewed"]);
  });

  it("swaps axes", async () => {
    const user = userEvent.setup({ delay: null });
    go("/permits?view=pivot&group_by=status&pivot_cols=expiry_status");
    renderWithProviders(<Routed />);
    await screen.findByTestId("pivot-table");
    await user.click(screen.getByTestId("pivot-swap"));
    await waitFor(() => expect(currentSearch().groupBy).toEqual([{ field: "expiry_status", interval: null }]));
    expect(currentSearch().pivotCols).toEqual([{ field: "status", interval: null }]);
    await waitFor(() => expect(screen.getAllByRole("rowheader").map((h) => h.textContent)).toEqual(["Total", "Expired", "Critical", "Warning", "OK", "No date"]));
  });

  it("opens a cell's permits in the list with the cell's groups as drill-down", async () => {
    const user = userEvent.setup({ delay: null });
    go("/permits?view=pivot&group_by=status&pivot_cols=expiry_status");
    renderWithProviders(<Routed />);
    await screen.findByTestId("pivot-table");
    await waitFor(() => expect(cell(3, 1)).toHaveAttribute("data-count", "2"));
    await user.click(within(cell(3, 1)).getByRole("button"));
    await waitFor(() => expect(currentSearch().view).toBe("list"));
    expect(currentSearch().drill).toEqual([
      { group_by: { field: "status", interval: null }, key: "active" },
      { group_by: { field: "expiry_status", interval: null }, key: "critical" },
    ]);
    expect(currentSearch().groupBy).toEqual([]);
    await waitFor(() => expect(screen.getByTestId("permit-list-total")).toHaveAttribute("data-total", "2"));
    expect(screen.getByTestId("facet-drill")).toHaveTextContent("Status: Active › Expiry status: Critical");
  });

  it("exports exactly the table shown, and tells where the file went", async () => {
    const user = userEvent.setup({ delay: null });
    go("/permits?view=pivot&group_by=status&pivot_cols=expiry_status");
    renderWithProviders(<Routed />);
    await screen.findByTestId("pivot-table");
    await waitFor(() => expect(cell(0, 5)).toHaveAttribute("data-count", "12"));
    await user.click(screen.getByTestId("pivot-toggle-col-[]"));
    await waitFor(() => expect(screen.queryByTestId("pivot-cell-0-5")).toBeNull());
    await user.click(screen.getByTestId("pivot-export-xlsx"));
    await waitFor(() => expect(callsOf(call, "export_table")).toHaveLength(1));
    const req = (callsOf(call, "export_table")[0]![1] as { request: unknown }).request;
    expect(req).toEqual({
      file_name: "permits-pivot",
      format: "xlsx",
      columns: ["Count", "Total"],
      rows: [
        ["Total", 12],
        ["  Draft", 2],
        ["  In process", 2],
        ["  Active", 4],
        ["  Expired", 2],
        ["  Renewed", 2],
      ],
    });
    expect(await screen.findByText("Saved to /home/kantor/Downloads/permits-pivot.xlsx")).toBeInTheDocument();
  });

  it("warns when the grouping makes too many cells and lets the user drop a group-by", async () => {
    const user = userEvent.setup({ delay: null });
    tooMany = true;
    go("/permits?view=pivot&group_by=status&group_by=received_date:month&pivot_cols=permit_type");
    renderWithProviders(<Routed />);
    const warning = await screen.findByTestId("pivot-too-many");
    expect(screen.queryByTestId("pivot-table")).toBeNull();
    tooMany = false;
    await user.click(within(warning).getByRole("button", { name: /Received date: Month/ }));
    await waitFor(() => expect(currentSearch().groupBy).toEqual([{ field: "status", interval: null }]));
    expect(await screen.findByTestId("pivot-table")).toBeInTheDocument();
  });
});

describe("permits graph", () => {
  it("charts the first group-by, switches chart type, and opens a bar's permits", async () => {
    const user = userEvent.setup({ delay: null });
    go("/permits?view=graph&group_by=status");
    renderWithProviders(<Routed />);
    await screen.findByTestId("fake-chart");
    const option = chartProps.mock.calls.at(-1)![0].option as { xAxis: { data: string[] }; series: Array<{ type: string; data: unknown[] }> };
    expect(option.xAxis.data).toEqual(["Draft", "In process", "Active", "Expired", "Renewed"]);
    expect(option.series[0]!.type).toBe("bar");
    expect(option.series[0]!.data).toEqual([2, 2, 4, 2, 2]);
    expect(callsOf(call, "permit_groups")[0]![1]).toMatchObject({ group_by: { field: "status", interval: null } });

    await user.click(screen.getByTestId("graph-type-pie"));
    await waitFor(() => expect(currentSearch().graph).toBe("pie"));
    await waitFor(() => expect((chartProps.mock.calls.at(-1)![0].option as { series: Array<{ type: string }> }).series[0]!.type).toBe("pie"));
    await user.click(screen.getByTestId("graph-type-line"));
    await waitFor(() => expect((chartProps.mock.calls.at(-1)![0].option as { series: Array<{ type: string }> }).series[0]!.type).toBe("line"));

    await user.click(screen.getByTestId("fake-chart"));
    await waitFor(() => expect(currentSearch().view).toBe("list"));
    expect(currentSearch().drill).toEqual([{ group_by: { field: "status", interval: null }, key: "in_process" }]);
  });

  it("draws a series per value of the second group-by, stacked in bars", async () => {
    go("/permits?view=graph&group_by=status&group_by=expiry_status");
    renderWithProviders(<Routed />);
    await screen.findByTestId("fake-chart");
    await waitFor(() => expect(callsOf(call, "permit_pivot")).toHaveLength(1));
    const option = chartProps.mock.calls.at(-1)![0].option as { series: Array<{ name: string; stack?: string; data: Array<number | { value: number }> }> };
    expect(option.series.map((s) => s.name)).toEqual(["Expired", "Critical", "Warning", "OK", "No date"]);
    expect(option.series.every((s) => s.stack === "total")).toBe(true);
    const ok = option.series[3]!.data.map((d) => (typeof d === "number" ? d : d.value));
    expect(ok).toEqual([0, 0, 2, 0, 2]);
  });
});
