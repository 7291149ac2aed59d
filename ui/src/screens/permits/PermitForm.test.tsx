import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { PermitDetail } from "../../api/types";

const call = vi.fn();
vi.mock("../../api/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../api/client")>();
  return { ...real, call: (...a: unknown[]) => call(...a), listen: () => () => undefined, onReconnect: () => () => undefined };
});

import { ApiFailure } from "../../api/client";
import { navigate, resetRouterForTests, useRoute } from "../../lib/router";
import { permitRow } from "../../test/permits";
import { renderWithProviders } from "../../test/render";
import { PermitsSection } from "./PermitsScreen";

const settings = { office_timezone: "UTC", language: "en", theme: "light", log_retention_days: 30, close_to_tray: false };
let detail: PermitDetail;
let saveFails: ApiFailure | null;

function Routed() {
  const route = useRoute();
  return <PermitsSection sub={route.parts[1]} query={route.query} />;
}

function go(path: string) {
  window.history.replaceState(null, "", `#${path}`);
  resetRouterForTests();
}

function callsOf(cmd: string) {
  return call.mock.calls.filter((c) => c[0] === cmd);
}

beforeEach(() => {
  detail = {
    permit: permitRow(7, { permit_number: "503/IMB/2025", applicant: "CV Maju", company: "CV Maju Jaya", expiry_status: "critical", days_left: 12 }),
    npwp: "01.234.567.8-901.000",
    phone: "0812 3456 7890",
    address: "Jl. Merdeka 1, Bandung",
    notes: "Called the applicant.",
    remote_status: "Terbit",
    detail_error: null,
    renewal_of: null,
    renewed_by: { id: 9, label: "503/IMB/2026 — CV Maju" },
    partner: { id: 3, label: "CV Maju" },
    reminders: [
      { tier: 30, expiry_date: "2026-06-30", state: "sent", at: "2026-05-31T02:00:00Z" },
      { tier: 60, expiry_date: "2026-06-30", state: "passed", at: "2026-05-31T02:00:00Z" },
    ],
    history: [{ at: "2026-05-01T00:00:00Z", kind: "expiry_sync", message: "Expiry date 2026-06-30 from the permit office" }],
  };
  saveFails = null;
  call.mockReset();
  call.mockImplementation(async (cmd: string, args: Record<string, unknown>) => {
    switch (cmd) {
      case "get_settings":
        return settings;
      case "get_permit":
        return detail;
      case "list_permit_types":
        return [];
      case "list_permits":
        return { rows: [permitRow(5, { permit_number: "503/IMB/2020", applicant: "CV Maju" }), permitRow(7)], total: 2 };
      case "save_permit": {
        if (saveFails) throw saveFails;
        const { edit } = args as { edit: { notes: string; status: PermitDetail["permit"]["status"]; renewal_of_id: number | null } };
        detail = {
          ...detail,
          notes: edit.notes,
          permit: { ...detail.permit, status: edit.status },
          renewal_of: edit.renewal_of_id ? { id: edit.renewal_of_id, label: "503/IMB/2020 — CV Maju" } : null,
        };
        return detail;
      }
      case "create_permit":
        return permitRow(42, { permit_number: null, registration_id: "MANUAL-42" });
      default:
        throw new Error(`unexpected ${cmd}`);
    }
  });
  go("/permits/7?view=kanban");
});

describe("permit form", () => {
  it("shows the permit's synced data, reminders and history", async () => {
    renderWithProviders(<Routed />);
    const form = await screen.findByTestId("permit-form");
    expect(within(form).getByRole("heading", { name: "503/IMB/2025" })).toBeInTheDocument();
    const synced = screen.getByTestId("permit-synced");
    expect(synced).toHaveTextContent("01.234.567.8-901.000");
    expect(synced).toHaveTextContent("Jl. Merdeka 1, Bandung");
    expect(synced).toHaveTextContent("Terbit");
    expect(screen.getByTestId("permit-reminders")).toHaveTextContent("30 days");
    expect(screen.getByTestId("permit-reminders")).toHaveTextContent("Passed over");
    expect(screen.getByTestId("permit-history")).toHaveTextContent("Expiry date 2026-06-30 from the permit office");
    expect(screen.getByTestId("renewed-by")).toHaveAttribute("href", "#/permits/9");
    expect(screen.getByTestId("field-notes")).toHaveValue("Called the applicant.");
    expect(screen.getByTestId("btn-save")).toBeDisabled();
    // The breadcrumb goes back to the list with the search the permit was opened from.
    expect(screen.getByRole("link", { name: "Permits" })).toHaveAttribute("href", "#/permits?view=kanban");
  });

  it("saves the edit: status, notes and a renewal-of link picked by search", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Routed />);
    await screen.findByTestId("permit-form");
    await user.selectOptions(screen.getByTestId("field-status"), "renewed");
    await user.clear(screen.getByTestId("field-notes"));
    await user.type(screen.getByTestId("field-notes"), "Renewal filed.");
    await user.click(screen.getByTestId("field-renewal_of_id"));
    await user.type(screen.getByTestId("field-renewal_of_id"), "2020");
    const list = await screen.findByRole("listbox");
    const option = await within(list).findByRole("option", { name: /503\/IMB\/2020/ });
    // The permit itself is never offered.
    expect(within(list).getAllByRole("option")).toHaveLength(1);
    await user.click(option);
    await user.click(screen.getByTestId("field-renewal_in_progress"));
    expect(screen.getByTestId("unsaved-mark")).toBeInTheDocument();
    await user.click(screen.getByTestId("btn-save"));
    await waitFor(() => expect(callsOf("save_permit")).toHaveLength(1));
    expect(callsOf("save_permit")[0]![1]).toEqual({
      id: 7,
      edit: {
        status: "renewed",
        notes: "Renewal filed.",
        expiry_date: "2026-06-30",
        renewal_of_id: 5,
        renewal_in_progress: true,
        snoozed_until: null,
      },
    });
    expect(await screen.findByText("Permit 503/IMB/2025 saved")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId("btn-save")).toBeDisabled());
    expect(screen.getByTestId("field-renewal_of_id")).toHaveValue("503/IMB/2020 — CV Maju");
  });

  it("shows the backend's field errors next to their fields", async () => {
    const user = userEvent.setup({ delay: null });
    saveFails = new ApiFailure({
      code: "validation",
      message: "2 fields need attention",
      fields: [
        { field: "snoozed_until", message: "Snooze until a date after today." },
        { field: "renewal_of_id", message: "A permit cannot renew itself." },
      ],
      details: null,
    });
    renderWithProviders(<Routed />);
    await screen.findByTestId("permit-form");
    await user.type(screen.getByTestId("field-snoozed_until"), "2020-01-01");
    await user.click(screen.getByTestId("btn-save"));
    expect(await screen.findByTestId("error-snoozed_until")).toHaveTextContent("Snooze until a date after today.");
    expect(screen.getByTestId("error-renewal_of_id")).toHaveTextContent("A permit cannot renew itself.");
    expect(screen.getByTestId("field-snoozed_until")).toHaveAttribute("aria-invalid", "true");
  });

  it("asks before leaving with unsaved changes; Discard puts the values back", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Routed />);
    await screen.findByTestId("permit-form");
    await user.type(screen.getByTestId("field-notes"), " Again.");
    act(() => navigate("/permits"));
    const dialog = await screen.findByTestId("dialog-unsaved");
    await user.click(within(dialog).getByRole("button", { name: "Keep editing" }));
    expect(window.location.hash).toBe("#/permits/7?view=kanban");
    await user.click(screen.getByTestId("btn-discard"));
    expect(screen.getByTestId("field-notes")).toHaveValue("Called the applicant.");
    act(() => navigate("/permits"));
    await waitFor(() => expect(window.location.hash).toBe("#/permits"));
  });

  it("enters a permit by hand, checking the required fields first", async () => {
    const user = userEvent.setup({ delay: null });
    go("/permits/new");
    renderWithProviders(<Routed />);
    await screen.findByTestId("permit-form");
    await user.click(screen.getByTestId("btn-save"));
    expect(await screen.findByTestId("error-applicant")).toHaveTextContent("Enter the applicant.");
    expect(screen.getByTestId("error-permit_type_name")).toHaveTextContent("Enter the permit type.");
    await user.type(screen.getByTestId("field-applicant"), "PT Sinar");
    await user.type(screen.getByTestId("field-permit_type_name"), "Sertifikat Halal");
    await user.type(screen.getByTestId("field-expiry_date"), "2027-03-31");
    await user.click(screen.getByTestId("btn-save"));
    await waitFor(() => expect(callsOf("create_permit")).toHaveLength(1));
    expect(callsOf("create_permit")[0]![1]).toEqual({
      input: { applicant: "PT Sinar", permit_type_name: "Sertifikat Halal", permit_number: null, status: "active", expiry_date: "2027-03-31" },
    });
    await waitFor(() => expect(window.location.hash).toBe("#/permits/42"));
  });
});
