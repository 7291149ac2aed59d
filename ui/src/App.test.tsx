import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { AppInfo, Commands, Settings } from "./api/types";

const call = vi.fn();
vi.mock("./api/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("./api/client")>();
  return { ...real, call: (...a: unknown[]) => call(...a), listen: () => () => undefined, onReconnect: () => () => undefined };
});

import { App } from "./App";
import i18n from "./i18n";
import { resetRouterForTests } from "./lib/router";
import { renderWithProviders } from "./test/render";

let settings: Settings;
const info: AppInfo = {
  version: "0.1.0",
  data_dir: "/tmp/loket",
  demo: true,
  keyring: { ok: false, backend: "secret-service", problem: "No Secret Service provider.", advice: "Start GNOME Keyring and unlock it." },
  sandbox: { sicantik_url: "http://127.0.0.1:1/", odoo_url: "http://127.0.0.1:2/", hacienda_url: "http://127.0.0.1:3/" },
};

beforeEach(async () => {
  settings = { office_timezone: "Asia/Jakarta", language: "en", theme: "light", log_retention_days: 30, close_to_tray: true };
  await act(() => i18n.changeLanguage("en"));
  call.mockReset();
  call.mockImplementation(async (cmd: keyof Commands, args: unknown) => {
    switch (cmd) {
      case "app_info":
        return info;
      case "get_settings":
        return settings;
      case "save_settings":
        settings = (args as { settings: Settings }).settings;
        return settings;
      case "list_timezones":
        return ["Asia/Jakarta", "America/Costa_Rica", "UTC"];
      case "list_connections":
      case "list_jobs":
      case "list_runs":
        return [];
      case "send_test_notification":
        return null;
      default:
        throw new Error(`unexpected ${cmd}`);
    }
  });
});

function go(path: string) {
  window.history.replaceState(null, "", `#${path}`);
  resetRouterForTests();
}

describe("app frame", () => {
  it("has every section in the sidebar, with demo and keyring badges", async () => {
    go("/dashboard");
    renderWithProviders(<App />);
    for (const s of ["dashboard", "permits", "permit-types", "partners", "notes", "einvoices", "responses", "retry-queue", "sync", "connections", "settings"]) {
      expect(screen.getByTestId(`nav-${s}`)).toBeInTheDocument();
    }
    expect(await screen.findByTestId("badge-demo")).toHaveTextContent("Demo mode");
    expect(screen.getByTestId("badge-keyring")).toHaveTextContent("Keyring problem");
    // No connections yet: the dashboard teaches and offers the one action.
    expect(await screen.findByText("Welcome to Loket")).toBeInTheDocument();
  });

  it("shows a proper empty state for sections still to come", async () => {
    go("/notes");
    renderWithProviders(<App />);
    const empty = await screen.findByTestId("coming-soon-notes");
    expect(within(empty).getByText("Coming with the Odoo module")).toBeInTheDocument();
  });

  it("switches language and theme from Settings at once, and sends a test notification", async () => {
    const user = userEvent.setup({ delay: null });
    go("/settings");
    renderWithProviders(<App />);
    const lang = await screen.findByTestId("settings-language");
    await user.selectOptions(lang, "id");
    await waitFor(() => expect(screen.getByTestId("nav-permits")).toHaveTextContent("Izin"));
    expect(screen.getByTestId("nav-connections")).toHaveTextContent("Koneksi");
    expect(call).toHaveBeenCalledWith("save_settings", { settings: expect.objectContaining({ language: "id" }) });
    expect(document.documentElement.lang).toBe("id");

    await user.selectOptions(screen.getByTestId("settings-theme"), "dark");
    expect(document.documentElement.dataset.theme).toBe("dark");

    await user.click(screen.getByTestId("btn-test-notification"));
    expect(await screen.findByText(/Notifikasi uji terkirim/)).toBeInTheDocument();
    // The keyring problem and its advice are in About.
    expect(screen.getByTestId("about-keyring")).toHaveTextContent("Start GNOME Keyring and unlock it.");
  });
});
