import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Commands, PermitTypeRow } from "../../api/types";

const call = vi.fn();
vi.mock("../../api/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../api/client")>();
  return { ...real, call: (...a: unknown[]) => call(...a), listen: () => () => undefined };
});

import { ApiFailure } from "../../api/client";
import { renderWithProviders } from "../../test/render";
import { PermitTypeFormBody } from "./PermitTypeForm";
import { PermitTypesList } from "./PermitTypesList";
import { permitTypeSchema, toEdit } from "./permitTypeSchema";

const settings = { office_timezone: "Asia/Jakarta", language: "en", theme: "light", log_retention_days: 30, close_to_tray: false };

const halal: PermitTypeRow = {
  id: 7,
  connection_name: "DPMPTSP Bandung",
  remote_id: "41",
  name: "Sertifikat Halal",
  code: "SH",
  category: "permit",
  ladder: [30, 90, 7, 60],
  permit_count: 128,
};

function callsOf(cmd: keyof Commands) {
  return call.mock.calls.filter((c) => c[0] === cmd);
}

function stepInput(i: number) {
  return screen.getByTestId(`field-ladder-${i}`) as HTMLInputElement;
}

async function setDays(user: ReturnType<typeof userEvent.setup>, i: number, value: string) {
  await user.clear(stepInput(i));
  if (value) await user.type(stepInput(i), value);
}

beforeEach(() => {
  call.mockReset();
  call.mockImplementation(async (cmd: keyof Commands, args: unknown) => {
    switch (cmd) {
      case "get_settings":
        return settings;
      case "list_permit_types":
        return [halal];
      case "save_permit_type": {
        const a = args as Commands["save_permit_type"]["args"];
        return { ...halal, ...a.edit };
      }
      default:
        throw new Error(`unexpected ${cmd}`);
    }
  });
});

describe("reminder ladder rules", () => {
  const parse = (ladder: number[]) => permitTypeSchema.safeParse({ category: "permit", ladder: ladder.map((days) => ({ days })) });
  const messages = (ladder: number[]) => {
    const r = parse(ladder);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };

  it("accepts whole, positive, different day counts, at most six", () => {
    expect(messages([90, 60, 30, 7])).toEqual([]);
    expect(messages([1, 2, 3, 4, 5, 6])).toEqual([]);
  });

  it("rejects zero, negative, fractional, empty and too large steps", () => {
    expect(messages([0])).toEqual(["ladder.0.days: permitTypes.v.daysRange"]);
    expect(messages([30, -7])).toEqual(["ladder.1.days: permitTypes.v.daysRange"]);
    expect(messages([7.5])).toEqual(["ladder.0.days: permitTypes.v.daysRange"]);
    expect(messages([3651])).toEqual(["ladder.0.days: permitTypes.v.daysRange"]);
    expect(messages([NaN])).toContain("ladder.0.days: permitTypes.v.daysRange");
  });

  it("rejects a repeated day count at the repeat, more than six steps, and no step at all", () => {
    expect(messages([30, 60, 30])).toEqual(["ladder.2.days: permitTypes.v.daysDuplicate"]);
    expect(messages([1, 2, 3, 4, 5, 6, 7])).toEqual(["ladder: permitTypes.v.ladderTooLong"]);
    expect(messages([])).toEqual(["ladder: permitTypes.v.ladderEmpty"]);
  });

  it("saves the ladder largest first", () => {
    expect(toEdit({ category: "certificate", ladder: [{ days: 7 }, { days: 90 }, { days: 30 }] })).toEqual({
      category: "certificate",
      ladder: [90, 30, 7],
    });
  });
});

describe("permit type form", () => {
  it("shows the ladder sorted, checks each step at its field and saves sorted descending", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<PermitTypeFormBody row={halal} />);
    expect([0, 1, 2, 3].map((i) => stepInput(i).value)).toEqual(["90", "60", "30", "7"]);
    expect(screen.getByTestId("ladder-preview")).toHaveTextContent("Reminders go out 90 · 60 · 30 · 7 days before the expiry date.");

    // A duplicate and a zero: each message sits next to its own step; nothing is saved.
    await setDays(user, 1, "30");
    await setDays(user, 3, "0");
    await user.click(screen.getByTestId("btn-save"));
    const step1 = document.querySelector<HTMLElement>('[data-field="ladder-1"]')!;
    const step2 = document.querySelector<HTMLElement>('[data-field="ladder-2"]')!;
    const step3 = document.querySelector<HTMLElement>('[data-field="ladder-3"]')!;
    expect(await within(step2).findByText("This number of days is already in the ladder.")).toBeInTheDocument();
    expect(within(step1).queryByTestId("error-ladder-1")).toBeNull();
    expect(within(step3).getByText("Enter a whole number of days between 1 and 3650.")).toBeInTheDocument();
    expect(stepInput(3)).toHaveAttribute("aria-invalid", "true");
    expect(callsOf("save_permit_type")).toHaveLength(0);

    // At most six: the add button stops there.
    await setDays(user, 2, "14");
    await setDays(user, 3, "1");
    await user.click(screen.getByTestId("btn-add-step"));
    await user.type(stepInput(4), "120");
    await user.click(screen.getByTestId("btn-add-step"));
    await user.type(stepInput(5), "3");
    expect(screen.getByTestId("btn-add-step")).toBeDisabled();
    expect(screen.getByTestId("field-ladder")).toHaveTextContent("At most 6 reminders.");

    await user.selectOptions(screen.getByTestId("field-category"), "certificate");
    await user.click(screen.getByTestId("btn-save"));
    await waitFor(() =>
      expect(call).toHaveBeenCalledWith("save_permit_type", {
        id: 7,
        edit: { category: "certificate", ladder: [120, 90, 30, 14, 3, 1] },
      }),
    );
    expect(await screen.findByText("Permit type “Sertifikat Halal” saved")).toBeInTheDocument();
  });

  it("asks for at least one step when all are removed, and shows a server ladder error", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<PermitTypeFormBody row={{ ...halal, ladder: [30] }} />);
    await user.click(screen.getByTestId("btn-remove-step-0"));
    await user.click(screen.getByTestId("btn-save"));
    expect(await screen.findByTestId("error-ladder")).toHaveTextContent("Keep at least one reminder.");
    expect(callsOf("save_permit_type")).toHaveLength(0);

    call.mockImplementation(async (cmd: keyof Commands) => {
      if (cmd === "get_settings") return settings;
      if (cmd === "save_permit_type")
        throw new ApiFailure({
          code: "validation",
          message: "The permit type was not saved.",
          fields: [{ field: "ladder", message: "reminder tiers must be between 0 and 3650 days" }],
          details: null,
        });
      throw new Error(`unexpected ${cmd}`);
    });
    await user.click(screen.getByTestId("btn-add-step"));
    fireEvent.change(stepInput(0), { target: { value: "45" } });
    await user.click(screen.getByTestId("btn-save"));
    expect(await screen.findByTestId("error-ladder")).toHaveTextContent("reminder tiers must be between 0 and 3650 days");
  });
});

describe("permit types list", () => {
  it("lists types with category, ladder and a permit count that opens the permits of the type", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<PermitTypesList />);
    const row = await screen.findByTestId("permit-type-row-7");
    expect(row).toHaveTextContent("Sertifikat Halal");
    expect(row).toHaveTextContent("Permit");
    expect(row).toHaveTextContent("90 · 60 · 30 · 7 days");
    await user.click(within(row).getByTestId("permit-type-count-7"));
    expect(window.location.hash).toBe("#/permits?type=Sertifikat+Halal");
  });
});
