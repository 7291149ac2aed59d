// Test data and an in-memory stand-in for the e-invoice commands (for the *.test.tsx files here).
import { ApiFailure } from "../../api/client";
import type {
  Connection,
  EinvoiceDetail,
  EinvoiceFilter,
  EinvoiceGroupBy,
  EinvoicePivotCell,
  EinvoiceQuery,
  EinvoiceRow,
} from "../../api/types";

export function einvoiceRow(id: number, over: Partial<EinvoiceRow> = {}): EinvoiceRow {
  return {
    id,
    connection_id: 7,
    connection_name: "Hacienda sandbox",
    doc_type: "01",
    state: "draft",
    source: "csv",
    external_ref: `F-${1000 + id}`,
    clave: null,
    consecutivo: null,
    issued_at: null,
    receiver_name: `Receiver ${String(id).padStart(2, "0")}`,
    receiver_id: `3-101-${100000 + id}`,
    currency: "CRC",
    total: `${id * 1000}.50000`,
    tax: `${id * 100}.00000`,
    signed_at: null,
    submitted_at: null,
    decided_at: null,
    last_error: null,
    created_at: "2025-03-01T15:00:00Z",
    updated_at: "2025-03-01T15:00:00Z",
    pending: null,
    ...over,
  };
}

const STATES: EinvoiceRow["state"][] = ["draft", "signed", "accepted", "rejected", "submitted", "accepted"];

/** A small, varied set of documents. */
export function sampleEinvoices(n = 12): EinvoiceRow[] {
  return Array.from({ length: n }, (_, i) => {
    const id = i + 1;
    const state = STATES[i % STATES.length]!;
    const numbered = state !== "draft";
    return einvoiceRow(id, {
      state,
      doc_type: ["01", "01", "03", "04"][i % 4]!,
      currency: i % 3 === 2 ? "USD" : "CRC",
      consecutivo: numbered ? `00100001010000000${String(id).padStart(3, "0")}` : null,
      clave: numbered ? `50601032500310153825200100001010000000${String(id).padStart(3, "0")}1${String(id).padStart(8, "0")}`.slice(0, 50) : null,
      issued_at: numbered ? `2025-0${(i % 3) + 1}-1${i % 9}T15:00:00Z` : null,
      last_error: state === "rejected" ? "-53: El receptor no existe" : null,
    });
  });
}

export const haciendaConnection: Connection = {
  id: 7,
  name: "Hacienda sandbox",
  kind: "hacienda",
  base_url: "https://api-sandbox.comprobanteselectronicos.go.cr",
  environment: "test",
  database: null,
  username: "cpf-01-0000-0000@stag.comprobanteselectronicos.go.cr",
  protocol: null,
  timeout_ms: 30000,
  rate_limit_per_sec: 2,
  max_concurrent: 2,
  active: true,
} as unknown as Connection;

function dayKey(iso: string | null, g: EinvoiceGroupBy): string | null {
  if (!iso) return null;
  if (g.interval === "year") return iso.slice(0, 4);
  if (g.interval === "quarter") return `${iso.slice(0, 4)}-Q${Math.floor((Number(iso.slice(5, 7)) - 1) / 3) + 1}`;
  return iso.slice(0, 7);
}

export function groupKeyOf(r: EinvoiceRow, g: EinvoiceGroupBy): string | null {
  switch (g.field) {
    case "state":
      return r.state;
    case "doc_type":
      return r.doc_type;
    case "receiver":
      return r.receiver_name;
    case "currency":
      return r.currency;
    case "source":
      return r.source;
    case "issued_date":
      return dayKey(r.issued_at, g);
    case "created_date":
      return dayKey(r.created_at, g);
  }
}

export function matches(r: EinvoiceRow, f: EinvoiceFilter): boolean {
  if (f.search && ![r.consecutivo, r.clave, r.receiver_name, r.receiver_id, r.external_ref].some((v) => (v ?? "").toLowerCase().includes(f.search!.toLowerCase()))) return false;
  if (f.state.length && !f.state.includes(r.state)) return false;
  if (f.doc_type.length && !f.doc_type.includes(r.doc_type)) return false;
  if (f.error_code && !(r.last_error ?? "").startsWith(f.error_code)) return false;
  const day = (r.issued_at ?? r.created_at).slice(0, 10);
  if (f.from && day < f.from) return false;
  if (f.to && day > f.to) return false;
  return f.groups.every((k) => groupKeyOf(r, k.group_by) === k.key);
}

function sortRows(rows: EinvoiceRow[], q: EinvoiceQuery): EinvoiceRow[] {
  const key = (r: EinvoiceRow): string | number => {
    switch (q.sort.field) {
      case "consecutivo":
        return r.consecutivo ?? "";
      case "issued_at":
        return r.issued_at ?? "";
      case "receiver":
        return r.receiver_name ?? "";
      case "total":
        return Number(r.total);
      case "state":
        return r.state;
      default:
        return r[q.sort.field];
    }
  };
  const out = [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id - b.id));
  return q.sort.descending ? out.reverse() : out;
}

export function detailOf(r: EinvoiceRow, over: Partial<EinvoiceDetail> = {}): EinvoiceDetail {
  return {
    row: r,
    issuer: { name: "Cafetalera Demo S.A.", id_type: "02", id_number: "3101538252", email: "facturas@demo.example" },
    receiver: { name: r.receiver_name ?? "", id_type: "02", id_number: r.receiver_id, email: "cliente@example.com" },
    lines: [
      { number: 1, code: "8315100000100", description: "Consultoría contable, marzo", quantity: "2.5", unit: "Sp", unit_price: "35000", discount: "0", tax_rate: "13", tax: "11375", total: "98875" },
      { number: 2, code: "2391100000000", description: "Café molido 1 kg", quantity: "3", unit: "Kg", unit_price: "4500.12345", discount: "500", tax_rate: "1", tax: "130", total: "13130.37" },
    ],
    subtotal: "101000.37",
    discount: "500",
    notes: "Pedido 4471",
    xml: r.state === "draft" ? null : `<?xml version="1.0" encoding="utf-8"?>\n<FacturaElectronica>\n  <Clave>${r.clave}</Clave>\n</FacturaElectronica>`,
    signature: r.signed_at || r.state === "accepted" || r.state === "rejected" ? { signer: "CN=CAFETALERA DEMO SOCIEDAD ANONIMA", signed_at: "2025-03-02T10:00:00Z" } : null,
    responses: [],
    retries: [],
    submit_attempted: false,
    ...over,
  };
}

/** Answers the e-invoice commands over `rows` like the backend does. */
export function einvoiceBackend(rows: EinvoiceRow[], details: Record<number, Partial<EinvoiceDetail>> = {}) {
  return (cmd: string, args: Record<string, unknown>): unknown => {
    switch (cmd) {
      case "list_einvoices": {
        const q = args.query as EinvoiceQuery;
        const all = sortRows(rows.filter((r) => matches(r, q.filter)), q);
        return { rows: all.slice(q.offset, q.offset + q.limit), total: all.length };
      }
      case "einvoice_groups": {
        const { filter, group_by } = args as { filter: EinvoiceFilter; group_by: EinvoiceGroupBy };
        const out = new Map<string | null, { key: string | null; count: number; total: number; tax: number }>();
        for (const r of rows.filter((x) => matches(x, filter))) {
          const k = groupKeyOf(r, group_by);
          const g = out.get(k) ?? { key: k, count: 0, total: 0, tax: 0 };
          g.count += 1;
          g.total += Number(r.total);
          g.tax += Number(r.tax);
          out.set(k, g);
        }
        return [...out.values()];
      }
      case "einvoice_pivot": {
        const q = args.query as { filter: EinvoiceFilter; rows: EinvoiceGroupBy[]; cols: EinvoiceGroupBy[] };
        const cells = new Map<string, EinvoicePivotCell>();
        let total = 0;
        for (const r of rows.filter((x) => matches(x, q.filter))) {
          const row = q.rows.map((g) => groupKeyOf(r, g));
          const col = q.cols.map((g) => groupKeyOf(r, g));
          const k = JSON.stringify([row, col]);
          const c = cells.get(k) ?? { row, col, count: 0, total: 0, tax: 0 };
          c.count += 1;
          c.total += Number(r.total);
          c.tax += Number(r.tax);
          cells.set(k, c);
          total += 1;
        }
        return { cells: [...cells.values()], too_many: false, total };
      }
      case "get_einvoice": {
        const r = rows.find((x) => x.id === (args as { id: number }).id);
        if (!r) throw new ApiFailure({ code: "not_found", message: "No such e-invoice.", fields: [], details: null });
        return detailOf(r, details[r.id]);
      }
      default:
        throw new Error(`unexpected ${cmd}`);
    }
  };
}
