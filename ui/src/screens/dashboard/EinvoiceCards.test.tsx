import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Commands, EinvoiceDashboard } from "../../api/types";

const call = vi.fn();
vi.mock("../../api/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../api/client")>();
  return { ...real, call: (...a: unknown[]) => call(...a), listen: () => () => undefined, onReconnect: () => () => undefined };
});
// jsdom draws no charts: keep what the card hands to ECharts.
const options: unknown[] = [];
vi.mock("../../components/Chart", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../components/Chart")>();
  return {
    ...real,
    Chart: ({ option, testId, ariaLabel }: { option: unknown; testId?: string; ariaLabel: string }) => {
      options.push(option);
      return <div data-testid={testId} aria-label={ariaLabel} />;
    },
  };
});

import { renderWithProviders } from "../../test/render";
import { EinvoiceCards } from "./EinvoiceCards";

const settings = { office_timezone: "America/Costa_Rica", language: "en", theme: "light", log_retention_days: 30, close_to_tray: false };

function days() {
  return Array.from({ length: 14 }, (_, i) => ({
    day: `2026-03-${String(i + 1).padStart(2, "0")}`,
    signed: i,
    submitted: i,
    accepted: i === 13 ? 7 : 1,
    rejected: i === 13 ? 2 : 0,
  }));
}

let dash: EinvoiceDashboard;

beforeEach(() => {
  options.length = 0;
  dash = {
    by_state: [
      { state: "draft", count: 3, total: 1000 },
      { state: "signed", count: 2, total: 500 },
      { state: "accepted", count: 40, total: 90000 },
      { state: "rejected", count: 5, total: 3000 },
    ],
    acceptance_rate: 0.8889,
    avg_accept_seconds: 150,
    days: days(),
    pending_submission: 5,
    oldest_pending_issued_at: new Date(Date.now() - 3 * 3600_000).toISOString(),
    oldest_pending: null,
    pending_late: 0,
    retry_open: 4,
    retry_failed: 2,
    certificate: { subject: "CN=EMPRESA DEMO,O=PERSONA JURIDICA", serial: "01", not_before: "2025-01-01T00:00:00Z", not_after: "2026-04-01T00:00:00Z", days_left: 12 },
  };
  call.mockReset();
  call.mockImplementation(async (cmd: keyof Commands) => {
    switch (cmd) {
      case "get_settings":
        return settings;
      case "einvoice_dashboard":
        return dash;
      default:
        throw new Error(`unexpected ${cmd}`);
    }
  });
});

describe("e-invoice dashboard cards", () => {
  it("shows the rates, waiting documents, retry queue and certificate", async () => {
    renderWithProviders(<EinvoiceCards />);
    const root = await screen.findByTestId("einvoice-dashboard");
    const rate = await within(root).findByTestId("dash-acceptance-rate");
    expect(rate).toHaveTextContent("88.9 %");
    expect(screen.getByTestId("dash-avg-accept")).toHaveTextContent("3 min");
    const pending = screen.getByTestId("dash-pending");
    expect(pending).toHaveTextContent("5");
    expect(pending).toHaveTextContent("oldest issued 3 hours ago");
    const retry = screen.getByTestId("dash-retry-open");
    expect(retry).toHaveAttribute("href", "#/retry-queue");
    expect(retry).toHaveTextContent("4");
    expect(retry).toHaveTextContent("2 failed");
    const cert = screen.getByTestId("dash-certificate");
    expect(cert).toHaveAttribute("data-warning", "true");
    expect(cert).toHaveTextContent("Expires soon");
    expect(cert).toHaveTextContent("12 days left");
    expect(cert).toHaveTextContent("EMPRESA DEMO");
  });

  it("shows documents by state with links, and today's activity with the 14 days", async () => {
    renderWithProviders(<EinvoiceCards />);
    const accepted = await screen.findByTestId("dash-state-accepted");
    expect(accepted).toHaveAttribute("href", "#/einvoices?state=accepted");
    expect(accepted).toHaveAttribute("data-count", "40");
    expect(screen.queryByTestId("dash-state-processing")).toBeNull();
    expect(screen.getByTestId("dash-today-accepted")).toHaveAttribute("data-count", "7");
    expect(screen.getByTestId("dash-today-rejected")).toHaveTextContent("2");
    expect(screen.getByTestId("dash-today-signed")).toHaveTextContent("13");
    const activity = options.find((o) => (o as { xAxis?: unknown }).xAxis) as { xAxis: { data: string[] }; series: { data: number[] }[] };
    expect(activity.xAxis.data).toHaveLength(14);
    expect(activity.series.map((s) => s.data.at(-1))).toEqual([13, 13, 7, 2]);
  });

  it("says so when there are no documents, and warns about an expired certificate", async () => {
    dash = {
      ...dash,
      by_state: [],
      acceptance_rate: null,
      avg_accept_seconds: null,
      pending_submission: 0,
      oldest_pending_issued_at: null,
      oldest_pending: null,
      retry_open: 0,
      retry_failed: 0,
      certificate: { ...dash.certificate!, days_left: -3 },
    };
    renderWithProviders(<EinvoiceCards />);
    expect(await screen.findByText("No e-invoices yet")).toBeInTheDocument();
    expect(screen.getByTestId("dash-certificate")).toHaveTextContent("expired 3 days ago");
    expect(screen.queryByTestId("dash-acceptance-rate")).toBeNull();
  });

  it("shows an unknown rate as not available", async () => {
    dash = { ...dash, acceptance_rate: null, avg_accept_seconds: null, certificate: null };
    renderWithProviders(<EinvoiceCards />);
    expect(await screen.findByTestId("dash-acceptance-rate")).toHaveTextContent("Nothing decided in the last 30 days");
    expect(screen.getByTestId("dash-certificate")).toHaveTextContent("No certificate loaded");
  });

  it("shows nothing without a Hacienda connection", () => {
    renderWithProviders(<EinvoiceCards enabled={false} />);
    expect(screen.queryByTestId("einvoice-dashboard")).toBeNull();
    expect(call).not.toHaveBeenCalledWith("einvoice_dashboard", expect.anything());
  });
});
