import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Commands, EinvoiceSettings } from "../../api/types";

const call = vi.fn();
vi.mock("../../api/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../api/client")>();
  return { ...real, call: (...a: unknown[]) => call(...a), listen: () => () => undefined, onReconnect: () => () => undefined };
});

import { ApiFailure } from "../../api/client";
import { renderWithProviders } from "../../test/render";
import { EinvoiceSettingsSection } from "./EinvoiceSettingsSection";
import { DEFAULTS, einvoiceSettingsSchema } from "./einvoiceSettingsSchema";

const settings = { office_timezone: "America/Costa_Rica", language: "en", theme: "light", log_retention_days: 30, close_to_tray: false };
let stored: EinvoiceSettings;

beforeEach(() => {
  stored = { ...DEFAULTS };
  call.mockReset();
  call.mockImplementation(async (cmd: keyof Commands, args: unknown) => {
    switch (cmd) {
      case "get_settings":
        return settings;
      case "get_einvoice_settings":
        return stored;
      case "save_einvoice_settings": {
        const next = (args as { settings: EinvoiceSettings }).settings;
        if (next.poll_batch === 77) {
          throw new ApiFailure({
            code: "validation",
            message: "The settings were not saved.",
            fields: [{ field: "poll_batch", message: "Ask about between 1 and 500 documents per polling run." }],
            details: null,
          });
        }
        stored = next;
        return stored;
      }
      default:
        throw new Error(`unexpected ${cmd}`);
    }
  });
});

function fieldBox(name: string) {
  return document.querySelector<HTMLElement>(`[data-field="${name}"]`)!;
}

async function setNumber(user: ReturnType<typeof userEvent.setup>, name: string, value: string) {
  const input = screen.getByTestId(`field-${name}`);
  await user.clear(input);
  if (value) await user.type(input, value);
}

describe("e-invoice settings", () => {
  it("shows every field grouped, with its help and default", async () => {
    renderWithProviders(<EinvoiceSettingsSection />);
    expect(await screen.findByTestId("field-batch_size")).toHaveValue(50);
    for (const name of Object.keys(DEFAULTS)) expect(screen.getByTestId(`field-${name}`)).toBeInTheDocument();
    for (const legend of ["Polling for answers", "Sending in batches", "Retries", "Stored answers"]) expect(screen.getByText(legend)).toBeInTheDocument();
    expect(fieldBox("batch_size")).toHaveTextContent("Default: 50 (allowed 1–500).");
    expect(fieldBox("auto_retry")).toHaveTextContent("Default: on.");
    expect(screen.getByTestId("btn-save-einvoice-settings")).toBeDisabled();
  });

  it("checks the ranges before saving, then saves and says so", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<EinvoiceSettingsSection />);
    await screen.findByTestId("field-batch_size");
    await setNumber(user, "batch_size", "501");
    await setNumber(user, "batch_delay_seconds", "");
    await user.click(screen.getByTestId("btn-save-einvoice-settings"));
    expect(await screen.findByTestId("error-batch_size")).toHaveTextContent("from 1 to 500");
    expect(screen.getByTestId("error-batch_delay_seconds")).toHaveTextContent("from 0 to 3600");
    expect(call).not.toHaveBeenCalledWith("save_einvoice_settings", expect.anything());

    await setNumber(user, "batch_size", "20");
    await setNumber(user, "batch_delay_seconds", "0");
    await user.click(screen.getByTestId("field-auto_retry"));
    await user.click(screen.getByTestId("btn-save-einvoice-settings"));
    await waitFor(() =>
      expect(call).toHaveBeenCalledWith("save_einvoice_settings", { settings: { ...DEFAULTS, batch_size: 20, batch_delay_seconds: 0, auto_retry: false } }),
    );
    expect(await screen.findByText("E-invoice settings saved")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId("btn-save-einvoice-settings")).toBeDisabled());
  });

  it("asks to poll more often than the polling period, like the backend", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<EinvoiceSettingsSection />);
    await screen.findByTestId("field-poll_every_minutes");
    await setNumber(user, "poll_every_minutes", "120");
    await setNumber(user, "poll_max_age_hours", "1");
    await user.click(screen.getByTestId("btn-save-einvoice-settings"));
    expect(await screen.findByTestId("error-poll_every_minutes")).toHaveTextContent("Check more often than the checking period");
    expect(screen.queryByTestId("error-poll_max_age_hours")).toBeNull();
  });

  it("shows the backend's field errors at their fields, and Discard restores the stored values", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<EinvoiceSettingsSection />);
    await screen.findByTestId("field-poll_batch");
    await setNumber(user, "poll_batch", "77");
    await user.click(screen.getByTestId("btn-save-einvoice-settings"));
    expect(await screen.findByTestId("error-poll_batch")).toHaveTextContent("Ask about between 1 and 500 documents per polling run.");
    await user.click(screen.getByTestId("btn-discard-einvoice-settings"));
    expect(screen.getByTestId("field-poll_batch")).toHaveValue(50);
  });
});

describe("settings schema", () => {
  it("accepts the defaults and mirrors the backend's ranges", () => {
    expect(einvoiceSettingsSchema.safeParse(DEFAULTS).success).toBe(true);
    const bad = einvoiceSettingsSchema.safeParse({
      ...DEFAULTS,
      poll_every_minutes: 0,
      poll_max_age_hours: 0,
      poll_batch: 0,
      batch_size: 501,
      batch_delay_seconds: 3601,
      max_concurrent_batches: 0,
      max_attempts: 0,
      response_retention_days: 0,
    });
    expect(bad.success).toBe(false);
    const fields = bad.error!.issues.map((i) => i.path[0]);
    expect(new Set(fields)).toEqual(
      new Set(["poll_every_minutes", "poll_max_age_hours", "poll_batch", "batch_size", "batch_delay_seconds", "max_concurrent_batches", "max_attempts", "response_retention_days"]),
    );
    expect(einvoiceSettingsSchema.safeParse({ ...DEFAULTS, batch_delay_seconds: 0, max_attempts: 20, response_retention_days: 3650 }).success).toBe(true);
    expect(einvoiceSettingsSchema.safeParse({ ...DEFAULTS, batch_size: 2.5 }).success).toBe(false);
  });
});
