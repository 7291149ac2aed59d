import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Commands, ResponseFilter, ResponseRow } from "../../api/types";

const call = vi.fn();
vi.mock("../../api/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../api/client")>();
  return { ...real, call: (...a: unknown[]) => call(...a), listen: () => () => undefined, onReconnect: () => () => undefined };
});

import { ApiFailure } from "../../api/client";
import { renderWithProviders } from "../../test/render";
import { ResponsesSection, resetResponseFiltersForTests } from "./ResponsesScreen";

const settings = { office_timezone: "America/Costa_Rica", language: "en", theme: "light", log_retention_days: 30, close_to_tray: false };

function row(id: number, over: Partial<ResponseRow> = {}): ResponseRow {
  return {
    id,
    einvoice_id: 100 + id,
    clave: `50601012500310123456700100001010000000${id}1`,
    consecutivo: `001000010100000000${id}`,
    receiver_name: `Cliente ${id}`,
    received_at: "2026-03-01T15:00:00Z",
    http_status: 200,
    state: "aceptado",
    message_type: 1,
    detail: null,
    error_codes: [],
    ...over,
  };
}

const rejected = row(2, {
  state: "rejected",
  message_type: 3,
  detail: "El comprobante tiene errores de validación que impiden aceptarlo",
  error_codes: [
    { code: "29", message: "La cédula del receptor no existe", row: 3, column: 12 },
    { code: "-53", message: "Total mal calculado", row: null, column: null },
  ],
});

let total = 2;

beforeEach(() => {
  resetResponseFiltersForTests();
  total = 2;
  call.mockReset();
  call.mockImplementation(async (cmd: keyof Commands, args: unknown) => {
    switch (cmd) {
      case "get_settings":
        return settings;
      case "list_responses": {
        const { filter } = args as { filter: ResponseFilter };
        const rows = [row(1), rejected].filter((r) => !filter.state || r.state === filter.state);
        return { rows: filter.offset > 0 ? [row(3)] : rows, total: filter.state ? rows.length : total };
      }
      case "get_response": {
        const { id } = args as { id: number };
        if (id === 404) throw new ApiFailure({ code: "not_found", message: "No such answer.", fields: [], details: null });
        return {
          response: rejected,
          raw_json: '{\n  "ind-estado": "rechazado"\n}',
          mensaje_xml: '<?xml version="1.0"?>\n<MensajeHacienda>\n  <Mensaje>3</Mensaje>\n</MensajeHacienda>',
        };
      }
      default:
        throw new Error(`unexpected ${cmd}`);
    }
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

const lastFilter = () => (call.mock.calls.filter((c) => c[0] === "list_responses").at(-1)![1] as { filter: ResponseFilter }).filter;

describe("responses list", () => {
  it("lists answers with their state, document link, message type and error codes", async () => {
    renderWithProviders(<ResponsesSection sub={undefined} />);
    const r2 = await screen.findByTestId("response-row-2");
    expect(r2).toHaveAttribute("data-state", "rejected");
    // An answer stored in Hacienda's own word reads the same.
    expect(screen.getByTestId("response-row-1")).toHaveAttribute("data-state", "aceptado");
    expect(screen.getByTestId("response-row-1")).toHaveTextContent("Accepted");
    expect(within(r2).getByRole("link", { name: rejected.consecutivo! })).toHaveAttribute("href", "#/einvoices/102");
    expect(r2).toHaveTextContent("Rejected");
    expect(r2).toHaveTextContent("29");
    expect(r2).toHaveTextContent("-53");
    expect(within(r2).getByTitle(rejected.detail!)).toBeInTheDocument();
    expect(lastFilter()).toMatchObject({ state: null, offset: 0, limit: 50 });
  });

  it("filters by state, message type and error code, and pages", async () => {
    const user = userEvent.setup({ delay: null });
    total = 120;
    renderWithProviders(<ResponsesSection sub={undefined} />);
    await screen.findByTestId("response-row-1");
    expect(screen.getByTestId("responses-pager")).toHaveTextContent("1–2 of 120");
    await user.click(screen.getByTestId("responses-next"));
    await waitFor(() => expect(lastFilter().offset).toBe(50));
    await user.selectOptions(screen.getByTestId("responses-filter-state"), "rejected");
    await waitFor(() => expect(lastFilter()).toMatchObject({ state: "rejected", offset: 0 }));
    await user.selectOptions(screen.getByTestId("responses-filter-message-type"), "3");
    await waitFor(() => expect(lastFilter().message_type).toBe(3));
    await user.type(screen.getByTestId("responses-filter-error-code"), "29");
    await waitFor(() => expect(lastFilter().error_code).toBe("29"));
    await user.click(screen.getByTestId("responses-clear-filters"));
    // Back to the first, unfiltered list (already in the cache).
    await waitFor(() => expect(screen.getByTestId("responses-filter-state")).toHaveValue(""));
    expect(screen.getByTestId("responses-filter-message-type")).toHaveValue("");
    expect(screen.getByTestId("responses-filter-error-code")).toHaveValue("");
    expect(await screen.findByTestId("response-row-1")).toBeInTheDocument();
  });
});

describe("response form", () => {
  it("shows the error lines, the decoded XML and the raw JSON, and saves the XML", async () => {
    const user = userEvent.setup({ delay: null });
    const createObjectURL = vi.fn((_b: Blob) => "blob:answer");
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    let downloaded = "";
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      downloaded = this.download;
    });
    renderWithProviders(<ResponsesSection sub="2" />);
    const form = await screen.findByTestId("response-form");
    expect(screen.getByTestId("error-code-29")).toHaveTextContent("29 — La cédula del receptor no existe (row 3, column 12)");
    expect(screen.getByTestId("error-code--53")).toHaveTextContent("-53 — Total mal calculado");
    expect(screen.getByTestId("response-xml")).toHaveTextContent("<MensajeHacienda>");
    expect(screen.getByTestId("response-json")).toHaveTextContent('"ind-estado": "rechazado"');
    expect(within(form).getByTestId("response-document-link")).toHaveAttribute("href", "#/einvoices/102");
    await user.click(screen.getByTestId("btn-save-xml"));
    expect(createObjectURL).toHaveBeenCalledTimes(1);
    const blob = createObjectURL.mock.calls[0]![0];
    const text = await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.readAsText(blob);
    });
    expect(text).toContain("<MensajeHacienda>");
    expect(downloaded).toBe(`${rejected.clave}-respuesta.xml`);
  });

  it("says so when the answer is gone", async () => {
    renderWithProviders(<ResponsesSection sub="404" />);
    expect(await screen.findByText(/no longer stored/)).toBeInTheDocument();
  });
});
