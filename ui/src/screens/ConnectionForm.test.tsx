import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Commands, Connection } from "../api/types";

const call = vi.fn();
vi.mock("../api/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../api/client")>();
  return { ...real, call: (...a: unknown[]) => call(...a), listen: () => () => undefined };
});

import { ApiFailure } from "../api/client";
import { renderWithProviders } from "../test/render";
import { ConnectionFormBody } from "./ConnectionForm";

const settings = { office_timezone: "UTC", language: "en", theme: "light", log_retention_days: 30, close_to_tray: false };

const odoo: Connection = {
  id: 5,
  name: "Odoo kantor",
  kind: "odoo",
  base_url: "https://erp.example.com",
  environment: "production",
  database: "kantor",
  username: "loket",
  protocol: "jsonrpc",
  timeout_ms: 30000,
  rate_limit_per_sec: 10,
  max_concurrent: 4,
  active: true,
  has_secret: true,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-02T00:00:00Z",
  stats: { requests: 10, errors: 1, last_sync_at: null, last_duration_ms: null },
};

function backend(overrides: Partial<Record<keyof Commands, (args: unknown) => unknown>> = {}) {
  call.mockImplementation(async (cmd: keyof Commands, args: unknown) => {
    const h = overrides[cmd];
    if (h) return h(args);
    if (cmd === "get_settings") return settings;
    if (cmd === "app_info") throw new Error("not needed");
    throw new Error(`unexpected ${cmd}`);
  });
}

function fieldBox(name: string) {
  return document.querySelector<HTMLElement>(`[data-field="${name}"]`)!;
}

function callsOf(cmd: keyof Commands) {
  return call.mock.calls.filter((c) => c[0] === cmd);
}

beforeEach(() => {
  call.mockReset();
  backend();
});

describe("connection form", () => {
  it("shows a bad URL's message next to the URL field and does not save", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<ConnectionFormBody connection={null} />);
    await user.type(screen.getByTestId("field-name"), "Permit office");
    await user.type(screen.getByTestId("field-base_url"), "perizinan.example");
    await user.click(screen.getByTestId("btn-save"));

    const box = fieldBox("base_url");
    expect(await within(box).findByText("Enter a full address, for example https://example.org/")).toBeInTheDocument();
    expect(screen.getByTestId("field-base_url")).toHaveAttribute("aria-invalid", "true");
    expect(within(fieldBox("name")).queryByTestId("error-name")).toBeNull();
    expect(callsOf("save_connection")).toHaveLength(0);
  });

  it("rejects a non-http scheme and out-of-range limits with messages at each field", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<ConnectionFormBody connection={null} />);
    await user.type(screen.getByTestId("field-base_url"), "ftp://files.example.org");
    await user.clear(screen.getByTestId("field-timeout_ms"));
    await user.type(screen.getByTestId("field-timeout_ms"), "900");
    await user.clear(screen.getByTestId("field-max_concurrent"));
    await user.click(screen.getByTestId("btn-save"));

    expect(await within(fieldBox("base_url")).findByText("Use an http:// or https:// address.")).toBeInTheDocument();
    expect(within(fieldBox("name")).getByText("Give the connection a name.")).toBeInTheDocument();
    expect(within(fieldBox("timeout_ms")).getByText("Timeout must be between 1 and 300 seconds.")).toBeInTheDocument();
    expect(within(fieldBox("max_concurrent")).getByText(/whole number between 1 and 64/)).toBeInTheDocument();
  });

  it("asks Odoo for database and login, but not with JSON-2", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<ConnectionFormBody connection={null} />);
    await user.selectOptions(screen.getByTestId("field-kind"), "odoo");
    await user.type(screen.getByTestId("field-name"), "ERP");
    await user.type(screen.getByTestId("field-base_url"), "https://erp.example.com");
    await user.click(screen.getByTestId("btn-save"));
    expect(await within(fieldBox("database")).findByText("Odoo needs the database name.")).toBeInTheDocument();
    expect(within(fieldBox("username")).getByText("Odoo needs the login of the user Loket acts as.")).toBeInTheDocument();

    await user.selectOptions(screen.getByTestId("field-protocol"), "json2");
    await waitFor(() => expect(within(fieldBox("database")).queryByTestId("error-database")).toBeNull());
    // JSON-2 works with an API key: the secret is labelled so.
    expect(within(fieldBox("secret")).getByText("API key")).toBeInTheDocument();
  });

  it("maps the server's field errors onto the fields", async () => {
    backend({
      save_connection: () => {
        throw new ApiFailure({
          code: "validation",
          message: "2 fields need attention",
          fields: [
            { field: "database", message: "Database “kantor” does not exist on this server." },
            { field: "name", message: "Another connection already has this name." },
          ],
          details: null,
        });
      },
    });
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<ConnectionFormBody connection={null} />);
    await user.selectOptions(screen.getByTestId("field-kind"), "odoo");
    await user.type(screen.getByTestId("field-name"), "Odoo kantor");
    await user.type(screen.getByTestId("field-base_url"), "https://erp.example.com");
    await user.type(screen.getByTestId("field-database"), "kantor");
    await user.type(screen.getByTestId("field-username"), "loket");
    await user.click(screen.getByTestId("btn-save"));

    expect(await within(fieldBox("database")).findByText("Database “kantor” does not exist on this server.")).toBeInTheDocument();
    expect(within(fieldBox("name")).getByText("Another connection already has this name.")).toBeInTheDocument();
    expect(callsOf("save_connection")).toHaveLength(1);
  });

  it("sends the wire shape: seconds become ms and fields of other kinds are dropped", async () => {
    backend({ save_connection: (a) => ({ ...odoo, id: 9, name: (a as { input: { name: string } }).input.name, kind: "sicantik", has_secret: false }) });
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<ConnectionFormBody connection={null} />);
    await user.type(screen.getByTestId("field-name"), "  Bandung ");
    await user.type(screen.getByTestId("field-base_url"), "https://perizinan.example.go.id/backoffice/api/");
    await user.clear(screen.getByTestId("field-timeout_ms"));
    await user.type(screen.getByTestId("field-timeout_ms"), "12.5");
    fireEvent.submit(screen.getByTestId("connection-form"));

    await waitFor(() => expect(callsOf("save_connection")).toHaveLength(1));
    expect(callsOf("save_connection")[0]![1]).toEqual({
      input: {
        id: null,
        name: "Bandung",
        kind: "sicantik",
        base_url: "https://perizinan.example.go.id/backoffice/api/",
        environment: "production",
        database: null,
        username: null,
        protocol: null,
        timeout_ms: 12500,
        rate_limit_per_sec: 10,
        max_concurrent: 4,
        active: true,
        secret: null,
      },
    });
  });

  it("never shows a stored secret: keeps it, replaces it or removes it", async () => {
    backend({ save_connection: () => odoo });
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<ConnectionFormBody connection={odoo} />);
    expect(screen.getByText("•••• stored in the system keyring")).toBeInTheDocument();
    expect(screen.queryByTestId("field-secret")).toBeNull();

    await user.click(screen.getByTestId("btn-save"));
    await waitFor(() => expect(callsOf("save_connection")).toHaveLength(1));
    expect((callsOf("save_connection")[0]![1] as { input: { secret: unknown; id: unknown } }).input).toMatchObject({ id: 5, secret: null });

    await user.click(screen.getByTestId("btn-secret-replace"));
    const input = screen.getByTestId("field-secret");
    expect(input).toHaveValue("");
    expect(input).toHaveAttribute("type", "password");
    await user.click(screen.getByTestId("btn-save"));
    expect(await within(fieldBox("secret")).findByText("Enter the secret, or keep the stored one.")).toBeInTheDocument();
    await user.type(input, "n3w-key");
    await user.click(screen.getByTestId("btn-save"));
    await waitFor(() => expect(callsOf("save_connection")).toHaveLength(2));
    expect((callsOf("save_connection")[1]![1] as { input: { secret: unknown } }).input.secret).toBe("n3w-key");

    await user.click(await screen.findByTestId("btn-secret-remove"));
    expect(screen.getByTestId("secret-removing")).toBeInTheDocument();
    await user.click(screen.getByTestId("btn-save"));
    await waitFor(() => expect(callsOf("save_connection")).toHaveLength(3));
    expect((callsOf("save_connection")[2]![1] as { input: { secret: unknown } }).input.secret).toBe("");
  });

  it("tests the unsaved form with test_connection_draft and shows the outcome", async () => {
    backend({
      test_connection_draft: () => ({
        reachable: true,
        server_version: "17.0",
        authenticated: false,
        latency_ms: 123,
        failed_step: "auth",
        reason: "Odoo refused the login.",
        details: "AccessDenied",
      }),
    });
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<ConnectionFormBody connection={odoo} />);
    await user.clear(screen.getByTestId("field-database"));
    await user.type(screen.getByTestId("field-database"), "other");
    await user.click(screen.getByTestId("btn-test"));

    const result = await screen.findByTestId("test-result");
    expect(result).toHaveAttribute("data-reachable", "true");
    expect(result).toHaveAttribute("data-authenticated", "false");
    expect(within(result).getByText("123 ms")).toBeInTheDocument();
    // The step's advice in the user's language; the backend's own words under "Details".
    expect(within(result).getByTestId("test-advice")).toHaveTextContent("The login was refused.");
    expect(within(result).getByText(/Odoo refused the login\./)).toBeInTheDocument();
    expect(within(result).getByText("Details")).toBeInTheDocument();
    const input = (callsOf("test_connection_draft")[0]![1] as { input: { id: number; database: string; secret: unknown } }).input;
    expect(input).toMatchObject({ id: 5, database: "other", secret: null });
  });

  it("shows a keyring failure as a banner with what to do", async () => {
    backend({
      save_connection: () => {
        throw new ApiFailure({ code: "keyring", message: "No Secret Service is running.", fields: [], details: "org.freedesktop.secrets missing" });
      },
    });
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<ConnectionFormBody connection={odoo} />);
    await user.click(screen.getByTestId("btn-save"));
    const banner = await screen.findByTestId("keyring-banner");
    expect(within(banner).getByText("The system keyring is not working")).toBeInTheDocument();
    expect(within(banner).getByText("No Secret Service is running.")).toBeInTheDocument();
    expect(within(banner).getByText("Details")).toBeInTheDocument();
  });

  it("confirms before deleting and says the keyring secret goes too", async () => {
    backend({ delete_connection: () => null });
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<ConnectionFormBody connection={odoo} />);
    await user.click(screen.getByTestId("btn-delete"));
    const dialog = await screen.findByTestId("dialog-delete");
    expect(within(dialog).getByText(/secret is removed from the system keyring too/)).toBeInTheDocument();
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("dialog-delete")).toBeNull();
    expect(callsOf("delete_connection")).toHaveLength(0);

    await user.click(screen.getByTestId("btn-delete"));
    await user.click(within(await screen.findByTestId("dialog-delete")).getByTestId("btn-confirm"));
    await waitFor(() => expect(callsOf("delete_connection")).toHaveLength(1));
    expect(callsOf("delete_connection")[0]![1]).toEqual({ id: 5 });
  });
});
