// Helpers the permit and e-invoice screen tests share: the address, the backend's calls, a
// stand-in chart, and a laid-out kanban board to drag on.
import { act, fireEvent } from "@testing-library/react";
import { vi, type Mock } from "vitest";
import { resetRouterForTests } from "../lib/router";

export const TEST_SETTINGS = { office_timezone: "UTC", language: "en", theme: "light", log_retention_days: 30, close_to_tray: false };

/** Goes to an address ("/permits?view=pivot") as if the user had. */
export function go(path: string) {
  window.history.replaceState(null, "", `#${path}`);
  resetRouterForTests();
}

/** The query of the current address, without its "?". */
export function hashQuery(): string {
  const hash = window.location.hash;
  return hash.includes("?") ? hash.slice(hash.indexOf("?") + 1) : "";
}

/** The calls of one backend command made through the mocked `call`. */
export function callsOf(call: Mock, cmd: string) {
  return call.mock.calls.filter((c) => c[0] === cmd);
}

// ECharts needs a canvas and a layout: tests check the option the chart was given instead.
export const chartProps = vi.fn();

/** Stands in for components/Chart's Chart; a click is a click on the second category. */
export function FakeChart(props: { option: unknown; onClick?: (e: { seriesIndex: number; dataIndex: number }) => void }) {
  chartProps(props);
  return (
    <button type="button" data-testid="fake-chart" onClick={() => props.onClick?.({ seriesIndex: 0, dataIndex: 1 })}>
      chart
    </button>
  );
}

/**
 * jsdom has no layout: gives each kanban column a box side by side (`columnWidth` apart) and each
 * card one inside its column. Returns the undo.
 */
export function layOutKanban(columnWidth: number, columnBox: number, cardBox: number): () => void {
  const rect = Element.prototype.getBoundingClientRect;
  Element.prototype.getBoundingClientRect = function (this: Element): DOMRect {
    // The drag overlay starts where the card it carries is.
    if (this.closest(".kanban-overlay")) {
      const dragged = document.querySelector(".kanban-card.is-dragging");
      if (dragged) return dragged.getBoundingClientRect();
    }
    const column = this.closest("[data-column]");
    if (!column) return rect.call(this);
    const i = [...document.querySelectorAll("[data-column]")].indexOf(column);
    const isColumn = this === column;
    const left = i * columnWidth + (isColumn ? 0 : 10);
    const width = isColumn ? columnBox : cardBox;
    const top = isColumn ? 0 : 80;
    const height = isColumn ? 600 : 70;
    return { x: left, y: top, left, top, width, height, right: left + width, bottom: top + height, toJSON: () => ({}) } as DOMRect;
  };
  return () => {
    Element.prototype.getBoundingClientRect = rect;
  };
}

/** Picks a card up with Space, moves it `steps` columns right with the arrow key, drops it. */
export async function keyboardDrag(card: HTMLElement, steps: number) {
  card.focus();
  fireEvent.keyDown(card, { code: "Space", key: " " });
  await act(async () => new Promise((r) => setTimeout(r, 10)));
  for (let i = 0; i < steps; i++) {
    fireEvent.keyDown(document, { code: "ArrowRight", key: "ArrowRight" });
    await act(async () => new Promise((r) => setTimeout(r, 10)));
  }
  fireEvent.keyDown(document, { code: "Space", key: " " });
  await act(async () => new Promise((r) => setTimeout(r, 10)));
}
