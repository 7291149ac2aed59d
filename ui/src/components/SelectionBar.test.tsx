import { act, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

const call = vi.fn();
vi.mock("../api/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../api/client")>();
  return { ...real, call: (...a: unknown[]) => call(...a) };
});

import i18n from "../i18n";
import { EMPTY_SELECTION, selectAllMatching, type Selection } from "../lib/selection";
import { renderWithProviders } from "../test/render";
import { TEST_SETTINGS, callsOf } from "../test/screens";
import { SelectionBar, useSelectedRows, type ListSelectionProps } from "./SelectionBar";

type Row = { id: number; name: string };
const all: Row[] = [1, 2, 3, 4].map((id) => ({ id, name: `Row ${id}` }));

function Bar(props: ListSelectionProps<Row, string, null>) {
  const { busy, exportRows } = useSelectedRows("einvoices", props, {
    fetchAll: async (_filter, _sort, onProgress) => {
      onProgress(4, 4);
      return all;
    },
    fetchingText: "fetching",
    progressText: (done, total) => `${done} of ${total}`,
    toTable: (rows) => ({ columns: ["Name"], rows: rows.map((r) => [r.name]) }),
    exportFileName: "rows",
  });
  return <SelectionBar ns="einvoices" {...props} busy={busy} onExport={(f) => void exportRows(f)} hint={<span>the hint</span>} />;
}

function renderBar(selection: Selection, setSelection = vi.fn()) {
  const rowsById = new Map(all.slice(0, 2).map((r) => [r.id, r]));
  renderWithProviders(<Bar selection={selection} setSelection={setSelection} total={4} filter="" sort={null} rowsById={rowsById} shownCount={2} />);
  return setSelection;
}

beforeEach(async () => {
  call.mockReset();
  call.mockImplementation(async (cmd: string) => (cmd === "get_settings" ? TEST_SETTINGS : "/tmp/rows.csv"));
  await act(() => i18n.changeLanguage("en"));
});

describe("selection bar", () => {
  it("counts the ticked rows, offers all matching, and clears", async () => {
    const user = userEvent.setup({ delay: null });
    const set = renderBar({ all: false, ids: new Set([1, 2]) });
    expect(screen.getByTestId("selection-count")).toHaveTextContent("2 selected");
    expect(screen.getByText("the hint")).toBeInTheDocument();
    await user.click(screen.getByTestId("select-all-matching"));
    expect(set).toHaveBeenLastCalledWith(selectAllMatching());
    await user.click(screen.getByTestId("clear-selection"));
    expect(set).toHaveBeenLastCalledWith(EMPTY_SELECTION);
  });

  it("exports the ticked rows it has, or fetches all matching ones first", async () => {
    const user = userEvent.setup({ delay: null });
    renderBar({ all: false, ids: new Set([2]) });
    await user.click(screen.getByTestId("bulk-export-csv"));
    await waitFor(() => expect(callsOf(call, "export_table")).toHaveLength(1));
    expect(callsOf(call, "export_table")[0]![1]).toEqual({ request: { file_name: "rows", format: "csv", columns: ["Name"], rows: [["Row 2"]] } });
    expect(await screen.findByText("Saved to /tmp/rows.csv")).toBeInTheDocument();
  });

  it("fetches every matching row but the unticked ones when all matching are selected", async () => {
    const user = userEvent.setup({ delay: null });
    renderBar({ all: true, except: new Set([3]) });
    expect(screen.getByTestId("selection-count")).toHaveTextContent("3 selected");
    expect(screen.queryByTestId("select-all-matching")).toBeNull();
    await user.click(screen.getByTestId("bulk-export-xlsx"));
    await waitFor(() => expect(callsOf(call, "export_table")).toHaveLength(1));
    const request = (callsOf(call, "export_table")[0]![1] as { request: { format: string; rows: unknown[][] } }).request;
    expect(request.format).toBe("xlsx");
    expect(request.rows).toEqual([["Row 1"], ["Row 2"], ["Row 4"]]);
  });
});
