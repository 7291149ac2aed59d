import { act, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Progress } from "../api/types";

vi.mock("../api/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../api/client")>();
  return { ...real, call: vi.fn(() => new Promise(() => undefined)) };
});

import i18n from "../i18n";
import { renderWithProviders } from "../test/render";
import { ProgressBar } from "./ProgressBar";

const progress = (p: Partial<Progress> = {}): Progress => ({
  run_id: 12,
  job: "new_permits",
  connection_id: 1,
  done: 120,
  total: 480,
  rate_per_sec: 12.345,
  eta_seconds: 40,
  stage: "Reading page 3 of issued permits",
  ...p,
});

beforeEach(async () => {
  await act(() => i18n.changeLanguage("en"));
});

describe("progress bar", () => {
  it("shows done / total, rate, ETA and stage", () => {
    renderWithProviders(<ProgressBar runId={12} progress={progress()} />);
    const root = screen.getByTestId("progress-12");
    expect(root).toHaveAttribute("data-done", "120");
    expect(root).toHaveAttribute("data-total", "480");
    expect(screen.getByTestId("progress-counts")).toHaveTextContent("120 / 480 (25 %)");
    expect(screen.getByTestId("progress-rate")).toHaveTextContent("12.3 /s");
    expect(screen.getByTestId("progress-eta")).toHaveTextContent("about 40 s left");
    expect(screen.getByTestId("progress-stage")).toHaveTextContent("Reading page 3 of issued permits");
    const bar = screen.getByRole("progressbar");
    expect(bar).toHaveAttribute("aria-valuenow", "120");
    expect(bar).toHaveAttribute("aria-valuemax", "480");
  });

  it("rounds the ETA the way people say it", () => {
    const { rerender } = renderWithProviders(<ProgressBar runId={12} progress={progress({ eta_seconds: 200 })} />);
    expect(screen.getByTestId("progress-eta")).toHaveTextContent("about 3 min left");
    rerender(<ProgressBar runId={12} progress={progress({ eta_seconds: 3900 })} />);
    expect(screen.getByTestId("progress-eta")).toHaveTextContent("about 1 h 5 min left");
    rerender(<ProgressBar runId={12} progress={progress({ eta_seconds: 7.4 })} />);
    expect(screen.getByTestId("progress-eta")).toHaveTextContent("about 7 s left");
  });

  it("handles an unknown total and ETA", () => {
    renderWithProviders(<ProgressBar runId={3} progress={progress({ run_id: 3, total: null, eta_seconds: null, done: 1500 })} />);
    expect(screen.getByTestId("progress-3")).toHaveAttribute("data-total", "");
    expect(screen.getByTestId("progress-counts")).toHaveTextContent("1,500 done");
    expect(screen.getByTestId("progress-eta")).toHaveTextContent("estimating time left…");
  });

  it("shows Starting… before the first progress event", () => {
    renderWithProviders(<ProgressBar runId={4} progress={null} />);
    expect(screen.getByTestId("progress-stage")).toHaveTextContent("Starting…");
    expect(screen.getByTestId("progress-4")).toHaveAttribute("data-done", "0");
  });

  it("offers Cancel", async () => {
    const onCancel = vi.fn();
    renderWithProviders(<ProgressBar runId={12} progress={progress()} onCancel={onCancel} />);
    await userEvent.click(screen.getByTestId("btn-cancel-12"));
    expect(onCancel).toHaveBeenCalledTimes(1);
  });

  it("speaks Bahasa Indonesia and Spanish with their number formats", async () => {
    await act(() => i18n.changeLanguage("id"));
    const { rerender } = renderWithProviders(<ProgressBar runId={12} progress={progress({ done: 1200, total: 4800 })} />);
    expect(screen.getByTestId("progress-rate")).toHaveTextContent("12,3 /dtk");
    expect(screen.getByTestId("progress-eta")).toHaveTextContent("sekitar 40 dtk lagi");
    expect(screen.getByTestId("progress-counts")).toHaveTextContent("1.200 / 4.800");
    await act(() => i18n.changeLanguage("es"));
    rerender(<ProgressBar runId={12} progress={progress()} />);
    expect(screen.getByTestId("progress-rate")).toHaveTextContent("12,3 /s");
    expect(screen.getByTestId("progress-eta")).toHaveTextContent("faltan unos 40 s");
    expect(screen.getByTestId("progress-counts")).toHaveTextContent("120 de 480");
  });
});
