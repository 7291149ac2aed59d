import { render, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

const fake = {
  setOption: vi.fn(),
  setTheme: vi.fn(),
  on: vi.fn(),
  resize: vi.fn(),
  dispose: vi.fn(),
};
const init = vi.fn((..._args: unknown[]) => fake);
vi.mock("echarts/core", () => ({ init: (...a: unknown[]) => init(...a), use: () => undefined }));

import { Chart, chartTheme } from "./Chart";

beforeEach(() => {
  init.mockClear();
  Object.values(fake).forEach((f) => f.mockClear());
});

describe("Chart", () => {
  it("draws the option, follows option changes and disposes on unmount", async () => {
    const first = { series: [{ type: "bar", data: [1, 2] }] };
    const { rerender, unmount, getByTestId } = render(<Chart option={first} ariaLabel="Permits" testId="c" />);
    await waitFor(() => expect(init).toHaveBeenCalledTimes(1));
    expect(fake.setOption).toHaveBeenLastCalledWith(first, { notMerge: true });
    expect(getByTestId("c")).toHaveAttribute("aria-label", "Permits");

    const second = { series: [{ type: "pie", data: [3] }] };
    rerender(<Chart option={second} ariaLabel="Permits" testId="c" />);
    expect(fake.setOption).toHaveBeenLastCalledWith(second, { notMerge: true });
    expect(init).toHaveBeenCalledTimes(1);

    unmount();
    expect(fake.dispose).toHaveBeenCalledTimes(1);
  });

  it("re-themes when the app's theme changes", async () => {
    render(<Chart option={{}} ariaLabel="x" />);
    await waitFor(() => expect(init).toHaveBeenCalled());
    document.documentElement.setAttribute("data-theme", "dark");
    await new Promise((r) => setTimeout(r, 0));
    expect(fake.setTheme).toHaveBeenCalled();
    document.documentElement.removeAttribute("data-theme");
  });

  it("reports clicks with the series and data index", async () => {
    const onClick = vi.fn();
    render(<Chart option={{}} ariaLabel="x" onClick={onClick} />);
    await waitFor(() => expect(fake.on).toHaveBeenCalled());
    const handler = fake.on.mock.calls.find((c) => c[0] === "click")![1] as (p: unknown) => void;
    handler({ seriesIndex: 1, dataIndex: 2, name: "ok", seriesName: "Active" });
    expect(onClick).toHaveBeenCalledWith({ seriesIndex: 1, dataIndex: 2, name: "ok", seriesName: "Active" });
  });

  it("never draws when unmounted before ECharts has loaded", async () => {
    const { unmount } = render(<Chart option={{}} ariaLabel="x" />);
    unmount();
    await new Promise((r) => setTimeout(r, 20));
    expect(init).not.toHaveBeenCalled();
  });

  it("builds a theme from the CSS variables", () => {
    document.documentElement.style.setProperty("--text", "#123456");
    const theme = chartTheme() as { textStyle: { color: string }; color: string[] };
    expect(theme.textStyle.color).toBe("#123456");
    expect(theme.color.length).toBeGreaterThan(4);
    document.documentElement.style.removeProperty("--text");
  });
});
