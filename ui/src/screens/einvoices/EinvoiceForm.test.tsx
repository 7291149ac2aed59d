import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { EinvoiceDetail, EinvoiceRow } from "../../api/types";

const call = vi.fn();
vi.mock("../../api/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../api/client")>();
  return { ...real, call: (...a: unknown[]) => call(...a), listen: () => () => undefined, onReconnect: () => () => undefined };
});

import { resetRouterForTests, useRoute } from "../../lib/router";
import { renderWithProviders } from "../../test/render";
import { EinvoicesSection } from "./EinvoicesScreen";
import { einvoiceBackend, sampleEinvoices } from "./testBackend";

const settings = { office_timezone: "UTC", language: "en", theme: "light", log_retention_days: 30, close_to_tray: false };
let rows: EinvoiceRow[];
let details: Record<number, Partial<EinvoiceDetail>>;

function Routed() {
  const route = useRoute();
  return <EinvoicesSection sub={route.parts[1]} query={route.query} />;
}

function go(path: string) {
  window.history.replaceState(null, "", `#${path}`);
  resetRouterForTests();
}

beforeEach(() => {
  rows = sampleEinvoices(6);
  rows[3]!.signed_at = "2025-03-02T10:00:00Z";
  rows[3]!.submitted_at = "2025-03-02T10:05:00Z";
  rows[3]!.decided_at = "2025-03-02T10:09:00Z";
  details = {
    4: {
      responses: [
        {
          id: 91,
          einvoice_id: 4,
          clave: rows[3]!.clave,
          consecutivo: rows[3]!.consecutivo,
          receiver_name: "Receiver 04",
          received_at: "2025-03-02T10:09:00Z",
          http_status: 200,
          state: "rechazado",
          message_type: 3,
          detail: "Este comprobante fue rechazado.",
          error_codes: [
            { code: "-53", message: "El receptor no está inscrito", row: 12, column: 4 },
            { code: "-99", message: "Error genérico", row: null, column: null },
          ],
        },
      ],
      retries: [
        {
          id: 5,
          einvoice_id: 4,
          consecutivo: rows[3]!.consecutivo,
          clave: rows[3]!.clave,
          receiver_name: "Receiver 04",
          operation: "poll",
          category: "network",
          attempts: 2,
          max_attempts: 5,
          next_retry_at: "2025-03-02T11:00:00Z",
          priority: 0,
          state: "pending",
          last_error: "connection reset",
          created_at: "2025-03-02T10:06:00Z",
          updated_at: "2025-03-02T10:07:00Z",
        },
      ],
    },
  };
  call.mockReset();
  const backend = einvoiceBackend(rows, details);
  call.mockImplementation(async (cmd: string, args: Record<string, unknown>) => {
    if (cmd === "get_settings") return settings;
    if (cmd === "list_connections") return [];
    return backend(cmd, args);
  });
});

describe("e-invoice form", () => {
  it("shows the header, dates, parties, lines and totals", async () => {
    go("/einvoices/4?state=rejected");
    renderWithProviders(<Routed />);
    const form = await screen.findByTestId("einvoice-form");
    expect(form).toHaveAttribute("data-state", "rejected");
    expect(screen.getByTestId("einvoice-number")).toHaveTextContent("00100001010000000004");
    expect(within(form).getByText("Electronic ticket")).toBeInTheDocument();
    expect(screen.getByTestId("einvoice-last-error")).toHaveTextContent("-53: El receptor no existe");
    expect(screen.getByTestId("einvoice-dates")).toHaveTextContent("Signed");
    expect(screen.getByTestId("einvoice-issuer")).toHaveTextContent("Cafetalera Demo S.A.");
    expect(screen.getByTestId("einvoice-issuer")).toHaveTextContent("02 Legal entity");
    expect(screen.getByTestId("einvoice-receiver")).toHaveTextContent("Receiver 04");
    expect(screen.getByTestId("line-1")).toHaveTextContent("Consultoría contable, marzo");
    expect(screen.getByTestId("einvoice-totals")).toHaveTextContent("Sales before discount");
    expect(screen.getByTestId("totals-total")).toHaveTextContent("4,000.50");
    // Back to the list with the search it came from.
    expect(screen.getByTestId("back-to-list")).toHaveAttribute("href", "#/einvoices?state=rejected");
  });

  it("copies the clave", async () => {
    const user = userEvent.setup({ delay: null });
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, "clipboard", { configurable: true, value: { writeText } });
    go("/einvoices/4");
    renderWithProviders(<Routed />);
    await screen.findByTestId("einvoice-form");
    await user.click(screen.getByTestId("copy-clave"));
    expect(writeText).toHaveBeenCalledWith(rows[3]!.clave);
    expect(await screen.findByTestId("toast")).toHaveTextContent("Clave copied");
  });

  it("has XML, signature, responses with error codes and retries tabs", async () => {
    const user = userEvent.setup({ delay: null });
    const createObjectURL = vi.fn(() => "blob:xml");
    const revokeObjectURL = vi.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const clicked: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    go("/einvoices/4");
    renderWithProviders(<Routed />);
    await screen.findByTestId("einvoice-form");

    await user.click(screen.getByTestId("tab-xml"));
    expect(screen.getByTestId("einvoice-xml")).toHaveTextContent("<FacturaElectronica>");
    await user.click(screen.getByTestId("btn-save-xml"));
    expect(clicked).toEqual([`${rows[3]!.clave}.xml`]);
    expect(createObjectURL).toHaveBeenCalled();
    click.mockRestore();

    await user.click(screen.getByTestId("tab-signature"));
    expect(screen.getByTestId("einvoice-signature")).toHaveTextContent("CN=CAFETALERA DEMO SOCIEDAD ANONIMA");

    await user.click(screen.getByTestId("tab-responses"));
    expect(screen.getByTestId("response-91")).toHaveTextContent("Rejected");
    expect(screen.getByTestId("error-code--53")).toHaveTextContent("-53 — El receptor no está inscrito (row 12, column 4)");
    expect(screen.getByTestId("error-code--99")).toHaveTextContent("-99 — Error genérico");

    await user.click(screen.getByTestId("tab-retries"));
    expect(screen.getByTestId("retry-5")).toHaveTextContent("Ask status");
    expect(screen.getByTestId("retry-5")).toHaveTextContent("2 / 5");

    await user.click(screen.getByTestId("tab-lines"));
    expect(screen.getByTestId("einvoice-lines")).toBeInTheDocument();
  });

  it("says so for a draft without XML, signature or answers", async () => {
    const user = userEvent.setup({ delay: null });
    go("/einvoices/1");
    renderWithProviders(<Routed />);
    expect(await screen.findByTestId("einvoice-form")).toHaveAttribute("data-state", "draft");
    await user.click(screen.getByTestId("tab-xml"));
    expect(screen.getByTestId("xml-none")).toBeInTheDocument();
    await user.click(screen.getByTestId("tab-signature"));
    expect(screen.getByTestId("signature-none")).toBeInTheDocument();
    await user.click(screen.getByTestId("tab-responses"));
    expect(screen.getByTestId("responses-none")).toBeInTheDocument();
  });

  it("shows 'not found' with the way back for an unknown id", async () => {
    go("/einvoices/999");
    renderWithProviders(<Routed />);
    expect(await screen.findByText("There is no such e-invoice. It may have been deleted, or the link is old.")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByText("Back to the list")).toBeInTheDocument());
  });

  it("issues a rejected document again as a new draft and opens it", async () => {
    const user = userEvent.setup({ delay: null });
    const backend = call.getMockImplementation()!;
    call.mockImplementation(async (cmd: string, args: Record<string, unknown>) => (cmd === "reissue_einvoice" ? 5 : backend(cmd, args)));
    go("/einvoices/4");
    renderWithProviders(<Routed />);
    await user.click(await screen.findByTestId("btn-reissue"));
    expect(call).toHaveBeenCalledWith("reissue_einvoice", { id: 4 });
    await waitFor(() => expect(window.location.hash).toBe("#/einvoices/5"));
    // Only rejected (or errored) documents offer it.
    await waitFor(() => expect(screen.getByTestId("einvoice-form")).toHaveAttribute("data-id", "5"));
    expect(screen.queryByTestId("btn-reissue")).toBeNull();
  });
});
