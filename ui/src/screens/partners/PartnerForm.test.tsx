import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Commands, PartnerRow } from "../../api/types";

const call = vi.fn();
vi.mock("../../api/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../api/client")>();
  return { ...real, call: (...a: unknown[]) => call(...a), listen: () => () => undefined };
});

import { ApiFailure } from "../../api/client";
import { renderWithProviders } from "../../test/render";
import { PartnerFormBody } from "./PartnerForm";
import { PartnersList } from "./PartnersList";

const settings = { office_timezone: "Asia/Jakarta", language: "en", theme: "light", log_retention_days: 30, close_to_tray: false };

const siti: PartnerRow = {
  id: 12,
  name: "Siti Rahayu",
  company: "CV Sumber Rejeki",
  phone: "022-123",
  whatsapp: null,
  whatsapp_problem: "\"022-123\" is not a valid number for its country",
  opt_in: false,
  opt_changed_at: null,
  permit_count: 3,
};

const budi: PartnerRow = {
  id: 13,
  name: "Budi Santoso",
  company: null,
  phone: "0812-3456-7890",
  whatsapp: "+6281234567890",
  whatsapp_problem: null,
  opt_in: true,
  opt_changed_at: "2026-02-10T03:00:00Z",
  permit_count: 1,
};

function fieldBox(name: string) {
  return document.querySelector<HTMLElement>(`[data-field="${name}"]`)!;
}

beforeEach(() => {
  call.mockReset();
  call.mockImplementation(async (cmd: keyof Commands, args: unknown) => {
    switch (cmd) {
      case "get_settings":
        return settings;
      case "list_partners": {
        const search = (args as { search: string | null }).search;
        return [siti, budi].filter((p) => !search || p.name.toLowerCase().includes(search.toLowerCase()));
      }
      case "save_partner": {
        const { id, edit } = args as Commands["save_partner"]["args"];
        if (edit.whatsapp === "0812") {
          throw new ApiFailure({
            code: "validation",
            message: "The partner was not saved.",
            fields: [{ field: "whatsapp", message: "\"0812\" is not a valid number for its country" }],
            details: null,
          });
        }
        return { ...siti, id, name: edit.name, whatsapp: "+6281234567890", whatsapp_problem: null, opt_in: edit.opt_in, opt_changed_at: "2026-03-01T00:00:00Z" };
      }
      default:
        throw new Error(`unexpected ${cmd}`);
    }
  });
});

describe("partner form", () => {
  it("shows why the stored number cannot be used, and the server's WhatsApp error next to the field", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<PartnerFormBody partner={siti} />);
    expect(screen.getByTestId("whatsapp-problem")).toHaveTextContent("“022-123”: \"022-123\" is not a valid number for its country");

    await user.type(screen.getByTestId("field-whatsapp"), "0812");
    // Typing another number hides the old problem: it described the stored one.
    expect(screen.queryByTestId("whatsapp-problem")).toBeNull();
    await user.click(screen.getByTestId("field-opt_in"));
    await user.click(screen.getByTestId("btn-save"));

    await waitFor(() =>
      expect(call).toHaveBeenCalledWith("save_partner", { id: 12, edit: { name: "Siti Rahayu", whatsapp: "0812", opt_in: true } }),
    );
    const box = fieldBox("whatsapp");
    expect(await within(box).findByText("\"0812\" is not a valid number for its country")).toBeInTheDocument();
    expect(screen.getByTestId("field-whatsapp")).toHaveAttribute("aria-invalid", "true");
    // The field error is not repeated in a general error box.
    expect(screen.getByTestId("error-box")).not.toHaveTextContent("0812");

    await user.clear(screen.getByTestId("field-whatsapp"));
    await user.type(screen.getByTestId("field-whatsapp"), "0812-3456-7890");
    await user.click(screen.getByTestId("btn-save"));
    expect(await screen.findByText("Partner “Siti Rahayu” saved; WhatsApp number stored as +6281234567890")).toBeInTheDocument();
    expect(screen.getByTestId("field-whatsapp")).toHaveValue("+6281234567890");
  });

  it("checks the name and plainly wrong characters before asking the server", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<PartnerFormBody partner={budi} />);
    await user.clear(screen.getByTestId("field-name"));
    await user.clear(screen.getByTestId("field-whatsapp"));
    await user.type(screen.getByTestId("field-whatsapp"), "call me");
    await user.click(screen.getByTestId("btn-save"));
    expect(await within(fieldBox("name")).findByText("Enter a name.")).toBeInTheDocument();
    expect(within(fieldBox("whatsapp")).getByText("Use digits only, optionally with +, spaces, dashes or brackets.")).toBeInTheDocument();
    expect(call.mock.calls.some((c) => c[0] === "save_partner")).toBe(false);
  });

  it("asks for a WhatsApp number before opting in, as the backend does", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<PartnerFormBody partner={budi} />);
    await user.clear(screen.getByTestId("field-whatsapp"));
    expect(screen.getByText("Opt-in needs a WhatsApp number.")).toBeInTheDocument();
    await user.click(screen.getByTestId("btn-save"));
    expect(await within(fieldBox("whatsapp")).findByText("Enter a WhatsApp number to opt in, or untick the opt-in.")).toBeInTheDocument();
    await user.click(screen.getByTestId("field-opt_in"));
    await user.click(screen.getByTestId("btn-save"));
    await waitFor(() =>
      expect(call).toHaveBeenCalledWith("save_partner", { id: 13, edit: { name: "Budi Santoso", whatsapp: null, opt_in: false } }),
    );
  });
});

describe("partners list", () => {
  it("shows E.164 numbers, the problem of unusable ones, opt-in with date, and searches", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<PartnersList />);
    const siti = await screen.findByTestId("partner-row-12");
    expect(within(siti).getByTestId("whatsapp-problem-12")).toHaveTextContent("Not usable");
    expect(siti).toHaveTextContent("is not a valid number for its country");
    const budiRow = screen.getByTestId("partner-row-13");
    expect(budiRow).toHaveTextContent("+6281234567890");
    expect(budiRow).toHaveTextContent("Opted in");
    expect(budiRow).toHaveTextContent("since");
    // No number, no opt-in: the switch says why instead of failing at the backend.
    expect(within(siti).getByTestId("toggle-opt-in-12")).toBeDisabled();

    await user.type(screen.getByTestId("search"), "budi");
    await waitFor(() => expect(call).toHaveBeenCalledWith("list_partners", { search: "budi" }));
    await waitFor(() => expect(screen.queryByTestId("partner-row-12")).toBeNull());

    await user.click(within(screen.getByTestId("partner-row-13")).getByTestId("toggle-opt-in-13"));
    await waitFor(() =>
      expect(call).toHaveBeenCalledWith("save_partner", { id: 13, edit: { name: "Budi Santoso", whatsapp: "+6281234567890", opt_in: false } }),
    );
  });
});
