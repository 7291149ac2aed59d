// Test data for the permit views.
import type { GroupBy, PermitFilter, PermitRow, PermitSort } from "../api/types";

export function permitRow(id: number, over: Partial<PermitRow> = {}): PermitRow {
  return {
    id,
    connection_id: 1,
    connection_name: "Permit office",
    registration_id: `REG-${id}`,
    permit_number: `NO-${id}`,
    applicant: `Applicant ${id}`,
    permit_type_name: "SIUP",
    category: "permit",
    company: null,
    received_date: "2026-01-02",
    issue_date: "2026-01-10",
    expiry_date: "2026-06-30",
    days_left: 20,
    expiry_status: "critical",
    status: "active",
    partner_id: null,
    renewal_in_progress: false,
    snoozed_until: null,
    last_synced_at: "2026-05-01T00:00:00Z",
    ...over,
  };
}

// ---- an in-memory stand-in for the permit commands ------------------------------------------


export function groupKeyOf(row: PermitRow, g: GroupBy): string | null {
  switch (g.field) {
    case "expiry_status":
      return row.expiry_status;
    case "status":
      return row.status;
    case "permit_type":
      return row.permit_type_name;
    case "category":
      return row.category;
    case "connection":
      return row.connection_name;
    default: {
      const d = row[g.field];
      if (!d) return null;
      if (g.interval === "year") return d.slice(0, 4);
      if (g.interval === "quarter") return `${d.slice(0, 4)}-Q${Math.floor((Number(d.slice(5, 7)) - 1) / 3) + 1}`;
      return d.slice(0, 7);
    }
  }
}

export function matches(row: PermitRow, f: PermitFilter): boolean {
  if (f.search && ![row.registration_id, row.permit_number ?? "", row.applicant, row.company ?? "", row.permit_type_name].some((v) => v.toLowerCase().includes(f.search!.toLowerCase()))) return false;
  if (f.expiry_status.length && !f.expiry_status.includes(row.expiry_status)) return false;
  if (f.status.length && !f.status.includes(row.status)) return false;
  if (f.permit_type.length && !f.permit_type.includes(row.permit_type_name)) return false;
  if (f.category && row.category !== f.category) return false;
  if (f.expiring_within_days != null && (row.days_left == null || row.days_left < 0 || row.days_left > f.expiring_within_days)) return false;
  return f.groups.every((k) => groupKeyOf(row, k.group_by) === k.key);
}

function sortRows(rows: PermitRow[], sort: PermitSort): PermitRow[] {
  const key = (r: PermitRow) => (sort.field === "permit_type" ? r.permit_type_name : (r[sort.field] ?? "")) as string;
  const out = [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id - b.id));
  return sort.descending ? out.reverse() : out;
}

/** Answers the permit commands over `rows` like the backend does (filter, sort, groups, pivot). */
export function permitBackend(rows: PermitRow[]) {
  return (cmd: string, args: Record<string, unknown>): unknown => {
    switch (cmd) {
      case "list_permits": {
        const q = args.query as { filter: PermitFilter; sort: PermitSort; offset: number; limit: number };
        const all = sortRows(rows.filter((r) => matches(r, q.filter)), q.sort);
        return { rows: all.slice(q.offset, q.offset + q.limit), total: all.length };
      }
      case "permit_groups": {
        const { filter, group_by } = args as { filter: PermitFilter; group_by: GroupBy };
        const counts = new Map<string | null, number>();
        for (const r of rows.filter((x) => matches(x, filter))) {
          const k = groupKeyOf(r, group_by);
          counts.set(k, (counts.get(k) ?? 0) + 1);
        }
        return [...counts].map(([key, count]) => ({ key, count }));
      }
      case "permit_pivot": {
        const q = args.query as { filter: PermitFilter; rows: GroupBy[]; cols: GroupBy[] };
        const cells = new Map<string, { row: Array<string | null>; col: Array<string | null>; count: number }>();
        let total = 0;
        for (const r of rows.filter((x) => matches(x, q.filter))) {
          const row = q.rows.map((g) => groupKeyOf(r, g));
          const col = q.cols.map((g) => groupKeyOf(r, g));
          const k = JSON.stringify([row, col]);
          const c = cells.get(k) ?? { row, col, count: 0 };
          c.count += 1;
          cells.set(k, c);
          total += 1;
        }
        return { cells: [...cells.values()], too_many: false, total };
      }
      case "set_permit_status": {
        const { id, status } = args as { id: number; status: PermitRow["status"] };
        const r = rows.find((x) => x.id === id)!;
        r.status = status;
        return r;
      }
      case "set_permits_status": {
        const { ids, status } = args as { ids: number[]; status: PermitRow["status"] };
        let n = 0;
        for (const r of rows) {
          if (ids.includes(r.id) && r.status !== status) {
            r.status = status;
            n += 1;
          }
        }
        return n;
      }
      case "list_permit_types":
        return [...new Set(rows.map((r) => r.permit_type_name))].map((name, i) => ({
          id: i + 1,
          connection_name: null,
          remote_id: null,
          name,
          code: null,
          category: "permit",
          ladder: [90, 60, 30, 7],
          permit_count: rows.filter((r) => r.permit_type_name === name).length,
        }));
      default:
        throw new Error(`unexpected ${cmd}`);
    }
  };
}

/** A small, varied set of permits. */
export function samplePermits(n = 12): PermitRow[] {
  const statuses: PermitRow["status"][] = ["active", "active", "draft", "in_process", "renewed", "expired"];
  const expiries: PermitRow["expiry_status"][] = ["ok", "critical", "warning", "unknown", "ok", "expired"];
  const types = ["SIUP", "IMB", "Sertifikat Halal"];
  return Array.from({ length: n }, (_, i) =>
    permitRow(i + 1, {
      status: statuses[i % statuses.length]!,
      expiry_status: expiries[i % expiries.length]!,
      permit_type_name: types[i % types.length]!,
      expiry_date: expiries[i % expiries.length] === "unknown" ? null : `2026-${String((i % 12) + 1).padStart(2, "0")}-15`,
      applicant: `Applicant ${String(i + 1).padStart(2, "0")}`,
    }),
  );
}

/** jsdom lays nothing out: give the virtual tables' scroll boxes a height so rows render. */
export function giveScrollBoxesHeight(height = 800, rowHeight = 32): () => void {
  const client = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "clientHeight");
  const offset = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "offsetHeight");
  Object.defineProperty(HTMLElement.prototype, "clientHeight", {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains("vtable-scroll") ? height : 0;
    },
  });
  // The virtualizer measures each rendered row.
  Object.defineProperty(HTMLElement.prototype, "offsetHeight", {
    configurable: true,
    get(this: HTMLElement) {
      return this.tagName === "TR" ? rowHeight : 0;
    },
  });
  return () => {
    if (client) Object.defineProperty(HTMLElement.prototype, "clientHeight", client);
    if (offset) Object.defineProperty(HTMLElement.prototype, "offsetHeight", offset);
  };
}
