import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Commands, Connection, PermitDashboard, PermitRow, ReminderItem } from "../../api/types";

const call = vi.fn();
vi.mock("../../api/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../api/client")>();
  return { ...real, call: (...a: unknown[]) => call(...a), listen: () => () => undefined };
});

// ECharts needs a real browser; the donut's option is not what these tests look at.
vi.mock("../../components/Chart", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../components/Chart")>()),
  Chart: ({ ariaLabel, testId }: { ariaLabel: string; testId?: string }) => <div role="img" aria-label={ariaLabel} data-testid={testId} />,
}));

import { resetRouterForTests } from "../../lib/router";
import { renderWithProviders } from "../../test/render";
import { Dashboard } from "../Dashboard";
import { groupByTier } from "./ReminderInbox";

const settings = { office_timezone: "Asia/Jakarta", language: "en", theme: "light", log_retention_days: 30, close_to_tray: false };

const office: Connection = {
  id: 4,
  name: "DPMPTSP Bandung",
  kind: "sicantik",
  base_url: "http://127.0.0.1:1/",
  environment: "production",
  database: null,
  username: null,
  protocol: null,
  timeout_ms: 30000,
  rate_limit_per_sec: 10,
  max_concurrent: 4,
  active: true,
  has_secret: false,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
  stats: { requests: 10, errors: 0, last_sync_at: null, last_duration_ms: null },
};

function reminder(id: number, tier: number, daysLeft: number, read = false): ReminderItem {
  return {
    id,
    permit_id: 100 + id,
    permit_number: `503/${id}`,
    applicant: `Pemohon ${id}`,
    permit_type_name: "IMB",
    tier,
    expiry_date: "2026-04-01",
    days_left: daysLeft,
    sent_at: "2026-03-01T02:00:00Z",
    read,
  };
}

const soon: PermitRow = {
  id: 55,
  connection_id: 4,
  connection_name: "DPMPTSP Bandung",
  registration_id: "REG-55",
  permit_number: "503/IMB/0055",
  applicant: "Toko Makmur",
  permit_type_name: "IMB",
  category: "permit",
  company: null,
  received_date: null,
  issue_date: "2021-03-01",
  expiry_date: "2026-03-13",
  days_left: 12,
  expiry_status: "critical",
  status: "active",
  partner_id: null,
  renewal_in_progress: false,
  snoozed_until: null,
  last_synced_at: "2026-03-01T02:00:00Z",
};

const dashboard: PermitDashboard = {
  by_expiry: [
    { status: "ok", count: 300 },
    { status: "warning", count: 20 },
    { status: "critical", count: 12 },
    { status: "expired", count: 5 },
  ],
  expiring_soon: [soon],
  expiring_soon_count: 12,
  last_sync: [{ connection_id: 4, connection_name: "DPMPTSP Bandung", at: null, status: null }],
  unread_reminders: 3,
};

let reminders: ReminderItem[];

beforeEach(() => {
  reminders = [reminder(1, 30, 28), reminder(2, 7, 5), reminder(3, 30, 25), reminder(4, 60, 59, true)];
  call.mockReset();
  call.mockImplementation(async (cmd: keyof Commands, args: unknown) => {
    switch (cmd) {
      case "get_settings":
        return settings;
      case "list_connections":
        return [office];
      case "list_jobs":
      case "list_runs":
        return [];
      case "permit_dashboard":
        return dashboard;
      case "list_reminders":
        return (args as { unread_only: boolean }).unread_only ? reminders.filter((r) => !r.read) : reminders;
      case "mark_reminders_read": {
        const ids = (args as { ids: number[] }).ids;
        reminders = reminders.map((r) => (ids.includes(r.id) ? { ...r, read: true } : r));
        return null;
      }
      default:
        throw new Error(`unexpected ${cmd}`);
    }
  });
});

function go(path: string) {
  window.history.replaceState(null, "", `#${path}`);
  act(() => resetRouterForTests());
}

describe("dashboard permit cards", () => {
  it("shows permits by expiry status, expiring soon, last sync and unread reminders", async () => {
    const user = userEvent.setup({ delay: null });
    go("/dashboard");
    renderWithProviders(<Dashboard />);
    const critical = await screen.findByTestId("dash-expiry-critical");
    expect(critical).toHaveAttribute("data-count", "12");
    expect(critical).toHaveTextContent("Critical");
    expect(screen.getByTestId("dash-expiry-unknown")).toHaveAttribute("data-count", "0");
    expect(screen.getByTestId("dash-expiry-chart")).toHaveAttribute(
      "aria-label",
      "Permits by expiry status: Expired: 5, Critical: 12, Warning: 20, OK: 300, No date: 0",
    );

    const expiring = screen.getByTestId("dash-expiring-soon");
    expect(expiring).toHaveTextContent("Toko Makmur");
    expect(expiring).toHaveTextContent("in 12 days");
    expect(screen.getByTestId("dash-last-sync")).toHaveTextContent("DPMPTSP Bandung");
    expect(screen.getByTestId("dash-last-sync")).toHaveTextContent("Never");
    expect(screen.getByTestId("dash-reminders")).toHaveTextContent("3unread reminders");
    expect(screen.getByTestId("dash-reminders")).toHaveAttribute("href", "#/dashboard/reminders");

    await user.click(within(expiring).getByTestId("dash-expiring-55"));
    expect(window.location.hash).toBe("#/permits/55");
  });
});

describe("reminder inbox", () => {
  it("groups by tier, marks one and all read, and opens the permit", async () => {
    const user = userEvent.setup({ delay: null });
    go("/dashboard/reminders");
    renderWithProviders(<Dashboard />);
    const inbox = await screen.findByTestId("reminder-inbox");
    const tier7 = await within(inbox).findByTestId("reminder-tier-7");
    expect(tier7).toHaveTextContent("7 days: 1 permit");
    expect(within(inbox).getByTestId("reminder-tier-30")).toHaveTextContent("30 days: 2 permits");
    // Unread only by default: the read 60-day reminder is not listed.
    expect(within(inbox).queryByTestId("reminder-row-4")).toBeNull();
    const tiers = within(inbox).getAllByRole("heading", { level: 3 }).map((h) => h.textContent);
    expect(tiers).toEqual(["7 days: 1 permit", "30 days: 2 permits"]);

    await user.click(within(inbox).getByTestId("btn-mark-read-1"));
    await waitFor(() => expect(call).toHaveBeenCalledWith("mark_reminders_read", { ids: [1] }));
    await waitFor(() => expect(within(inbox).queryByTestId("reminder-row-1")).toBeNull());

    await user.click(within(inbox).getByTestId("reminders-unread-only"));
    expect(await within(inbox).findByTestId("reminder-row-4")).toHaveAttribute("data-read", "true");

    await user.click(within(inbox).getByTestId("btn-mark-all-read"));
    await waitFor(() => expect(call).toHaveBeenCalledWith("mark_reminders_read", { ids: [2, 3] }));

    await user.click(within(inbox).getByTestId("reminder-row-2"));
    expect(window.location.hash).toBe("#/permits/102");
  });

  it("orders tiers most urgent first and permits by days left", () => {
    const g = groupByTier([reminder(1, 30, 28), reminder(2, 90, 80), reminder(3, 30, 21)]);
    expect(g.map((x) => [x.tier, x.items.map((r) => r.id)])).toEqual([
      [30, [3, 1]],
      [90, [2]],
    ]);
  });
});
