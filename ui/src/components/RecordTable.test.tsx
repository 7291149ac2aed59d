import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { CountLinkCell, inRow, RecordTable } from "./RecordTable";

type Row = { id: number; name: string };
const rows: Row[] = [
  { id: 1, name: "Ana" },
  { id: 2, name: "Budi" },
];

function table(onOpen: (r: Row) => void, onButton = vi.fn()) {
  return render(
    <RecordTable columns={[{ label: "Name" }, { label: "Permits", className: "right" }, { label: "Action" }]} rows={rows} onOpen={onOpen} rowTestId={(r) => `row-${r.id}`}>
      {(r) => (
        <>
          <td>{r.name}</td>
          <CountLinkCell count="3" to={`/permits?q=${r.name}`} title={`Permits of ${r.name}`} testId={`count-${r.id}`} />
          <td>
            <button type="button" {...inRow(() => onButton(r))} data-testid={`btn-${r.id}`}>
              Act
            </button>
          </td>
        </>
      )}
    </RecordTable>,
  );
}

describe("RecordTable", () => {
  it("has a header cell per column and opens a row on click and on Enter", async () => {
    const opened: number[] = [];
    table((r) => opened.push(r.id));
    expect(screen.getAllByRole("columnheader").map((th) => th.textContent)).toEqual(["Name", "Permits", "Action"]);
    expect(screen.getByRole("columnheader", { name: "Permits" })).toHaveClass("right");

    await userEvent.click(screen.getByText("Ana"));
    screen.getByTestId("row-2").focus();
    await userEvent.keyboard("{Enter}");
    expect(opened).toEqual([1, 2]);
  });

  it("moves between rows with the arrow keys", async () => {
    table(() => undefined);
    screen.getByTestId("row-1").focus();
    await userEvent.keyboard("{ArrowDown}");
    expect(screen.getByTestId("row-2")).toHaveFocus();
    await userEvent.keyboard("{ArrowUp}");
    expect(screen.getByTestId("row-1")).toHaveFocus();
  });

  it("lets a control in the row act without opening the row", async () => {
    const opened = vi.fn();
    const acted = vi.fn();
    table(opened, acted);
    await userEvent.click(screen.getByTestId("btn-1"));
    screen.getByTestId("btn-2").focus();
    await userEvent.keyboard("{Enter}");
    expect(acted.mock.calls.map(([r]) => (r as Row).id)).toEqual([1, 2]);

    await userEvent.click(screen.getByTestId("count-1"));
    expect(window.location.hash).toBe("#/permits?q=Ana");
    expect(opened).not.toHaveBeenCalled();
  });
});
