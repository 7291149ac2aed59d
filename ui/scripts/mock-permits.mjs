// In-memory permits for the mock backend: list, groups, pivot, form and kanban moves, answered
// like `loket serve` does. MOCK_PERMITS=<n> sets how many (default 2500).
const TYPES = ["Izin Usaha Mikro Kecil", "Persetujuan Bangunan Gedung", "Sertifikat Halal", "Izin Reklame", "SIUP", "Tanda Daftar Gudang", "PIRT"];
const STATUSES = ["active", "active", "active", "active", "in_process", "draft", "renewed", "expired", "cancelled"];
const NAMES = ["CV Maju Jaya", "PT Sinar Abadi", "Toko Berkah", "UD Sumber Rejeki", "Warung Bu Sri", "PT Karya Mandiri", "CV Amanah", "Koperasi Sejahtera"];

function rng(seed) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

function iso(d) {
  return d.toISOString().slice(0, 10);
}

function daysBetween(a, b) {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

function expiryOf(expiry) {
  if (!expiry) return { days_left: null, expiry_status: "unknown" };
  const days = daysBetween(iso(new Date()), expiry);
  return { days_left: days, expiry_status: days < 0 ? "expired" : days <= 30 ? "critical" : days <= 60 ? "warning" : "ok" };
}

export function makePermits(n = Number(process.env.MOCK_PERMITS ?? 2500)) {
  const r = rng(42);
  const out = [];
  for (let i = 1; i <= n; i++) {
    const received = new Date(Date.now() - Math.floor(r() * 900) * 86_400_000);
    const issued = new Date(received.getTime() + Math.floor(r() * 20) * 86_400_000);
    const expiry = r() < 0.08 ? null : iso(new Date(Date.now() + Math.floor(r() * 900 - 200) * 86_400_000));
    const type = TYPES[Math.floor(r() * TYPES.length)];
    const status = STATUSES[Math.floor(r() * STATUSES.length)];
    const name = NAMES[Math.floor(r() * NAMES.length)];
    out.push({
      id: i,
      connection_id: i % 11 === 0 ? null : 1,
      connection_name: i % 11 === 0 ? null : "DPMPTSP Kota Bandung",
      registration_id: `REG-2025-${String(i).padStart(6, "0")}`,
      permit_number: status === "draft" ? null : `503/${String(i).padStart(4, "0")}/DPMPTSP/${received.getFullYear()}`,
      applicant: `${name} ${i % 97}`,
      permit_type_name: type,
      category: type.startsWith("Sertifikat") || type === "PIRT" ? "certificate" : "permit",
      company: r() < 0.5 ? name : null,
      received_date: iso(received),
      issue_date: status === "draft" || status === "in_process" ? null : iso(issued),
      expiry_date: expiry,
      ...expiryOf(expiry),
      status,
      partner_id: null,
      renewal_in_progress: false,
      snoozed_until: null,
      last_synced_at: new Date(Date.now() - Math.floor(r() * 3000) * 60_000).toISOString(),
      notes: "",
      renewal_of_id: null,
    });
  }
  return out;
}

function keyOf(p, g) {
  switch (g.field) {
    case "expiry_status":
      return p.expiry_status;
    case "status":
      return p.status;
    case "permit_type":
      return p.permit_type_name;
    case "category":
      return p.category;
    case "connection":
      return p.connection_name;
    default: {
      const d = p[g.field];
      if (!d) return null;
      if (g.interval === "year") return d.slice(0, 4);
      if (g.interval === "quarter") return `${d.slice(0, 4)}-Q${Math.floor((Number(d.slice(5, 7)) - 1) / 3) + 1}`;
      return d.slice(0, 7);
    }
  }
}

function matches(p, f) {
  if (f.search) {
    const words = f.search.toLowerCase().split(/\s+/).filter(Boolean);
    const hay = [p.registration_id, p.permit_number ?? "", p.applicant, p.company ?? "", p.permit_type_name].join(" ").toLowerCase();
    if (!words.every((w) => hay.includes(w))) return false;
  }
  if (f.expiry_status.length && !f.expiry_status.includes(p.expiry_status)) return false;
  if (f.status.length && !f.status.includes(p.status)) return false;
  if (f.permit_type.length && !f.permit_type.includes(p.permit_type_name)) return false;
  if (f.category && p.category !== f.category) return false;
  if (f.connection_id != null && p.connection_id !== f.connection_id) return false;
  if (f.expiring_within_days != null && (p.days_left == null || p.days_left < 0 || p.days_left > f.expiring_within_days)) return false;
  return f.groups.every((k) => keyOf(p, k.group_by) === k.key);
}

function row(p) {
  const { notes: _n, renewal_of_id: _r, ...rest } = p;
  return rest;
}

export function permitHandlers({ ApiErr, emit }) {
  const permits = makePermits();
  const byId = (id) => {
    const p = permits.find((x) => x.id === id);
    if (!p) throw new ApiErr("not_found", "This permit no longer exists.");
    return p;
  };
  const label = (p) => `${p.permit_number ?? p.registration_id} — ${p.applicant}`;
  const detail = (p) => {
    const renewalOf = p.renewal_of_id ? permits.find((x) => x.id === p.renewal_of_id) : null;
    const renewedBy = permits.find((x) => x.renewal_of_id === p.id);
    return {
      permit: row(p),
      npwp: p.company ? "01.234.567.8-901.000" : null,
      phone: "0812-3456-7890",
      address: "Jl. Asia Afrika No. 1, Bandung",
      notes: p.notes,
      remote_status: p.connection_id ? "Terbit" : null,
      detail_error: p.id % 50 === 0 ? "cekperizinan answered HTTP 502 Bad Gateway" : null,
      renewal_of: renewalOf ? { id: renewalOf.id, label: label(renewalOf) } : null,
      renewed_by: renewedBy ? { id: renewedBy.id, label: label(renewedBy) } : null,
      partner: { id: 1, label: p.applicant },
      reminders: p.days_left != null && p.days_left <= 30 && p.days_left >= 0
        ? [
            { tier: 30, expiry_date: p.expiry_date, state: "sent", at: new Date(Date.now() - 86_400_000).toISOString() },
            { tier: 60, expiry_date: p.expiry_date, state: "passed", at: new Date(Date.now() - 86_400_000).toISOString() },
          ]
        : [],
      history: [
        { at: p.last_synced_at, kind: "expiry_sync", message: p.expiry_date ? `Expiry date ${p.expiry_date} from the permit office` : "No expiry date at the permit office" },
        { at: `${p.received_date}T08:00:00Z`, kind: "new_permits", message: "Found in the list of issued permits" },
      ],
    };
  };
  const changed = () => emit("changed", { topics: ["permits"] });
  const sortKey = (p, field) => (field === "permit_type" ? p.permit_type_name : p[field]) ?? "";

  return {
    list_permits: ({ query }) => {
      const all = permits.filter((p) => matches(p, query.filter));
      const { field, descending } = query.sort;
      all.sort((a, b) => {
        const x = sortKey(a, field);
        const y = sortKey(b, field);
        return (x < y ? -1 : x > y ? 1 : a.id - b.id) * (descending ? -1 : 1);
      });
      return { rows: all.slice(query.offset, query.offset + Math.min(query.limit, 1000)).map(row), total: all.length };
    },
    permit_groups: ({ filter, group_by }) => {
      const counts = new Map();
      for (const p of permits) if (matches(p, filter)) counts.set(keyOf(p, group_by), (counts.get(keyOf(p, group_by)) ?? 0) + 1);
      return [...counts].map(([key, count]) => ({ key, count }));
    },
    permit_pivot: ({ query }) => {
      const cells = new Map();
      let total = 0;
      for (const p of permits) {
        if (!matches(p, query.filter)) continue;
        const r = query.rows.map((g) => keyOf(p, g));
        const c = query.cols.map((g) => keyOf(p, g));
        const k = JSON.stringify([r, c]);
        const cell = cells.get(k) ?? { row: r, col: c, count: 0 };
        cell.count += 1;
        cells.set(k, cell);
        total += 1;
      }
      if (cells.size > 50_000) return { cells: [], too_many: true, total };
      return { cells: [...cells.values()], too_many: false, total };
    },
    get_permit: ({ id }) => detail(byId(id)),
    save_permit: ({ id, edit }) => {
      const p = byId(id);
      const fields = [];
      if (edit.renewal_of_id === id) fields.push({ field: "renewal_of_id", message: "A permit cannot renew itself." });
      if (edit.snoozed_until && edit.snoozed_until < iso(new Date())) fields.push({ field: "snoozed_until", message: "Snooze until a date after today." });
      if (fields.length) throw new ApiErr("validation", fields.length === 1 ? fields[0].message : `${fields.length} fields need attention`, fields);
      Object.assign(p, edit, expiryOf(edit.expiry_date));
      changed();
      return detail(p);
    },
    set_permit_status: ({ id, status }) => {
      const p = byId(id);
      if (p.status === "cancelled" && status === "active") throw new ApiErr("validation", "A cancelled permit cannot become active again; enter a new permit instead.");
      p.status = status;
      changed();
      return row(p);
    },
    set_permits_status: ({ ids, status }) => {
      let n = 0;
      for (const id of ids) {
        const p = byId(id);
        if (p.status !== status) {
          p.status = status;
          n += 1;
        }
      }
      changed();
      return n;
    },
    create_permit: ({ input }) => {
      const fields = [];
      if (!input.applicant.trim()) fields.push({ field: "applicant", message: "Enter the applicant." });
      if (!input.permit_type_name.trim()) fields.push({ field: "permit_type_name", message: "Enter the permit type." });
      if (fields.length) throw new ApiErr("validation", fields[0].message, fields);
      const id = Math.max(...permits.map((p) => p.id)) + 1;
      const p = {
        id, connection_id: null, connection_name: null, registration_id: `MANUAL-${id}`, permit_number: input.permit_number,
        applicant: input.applicant, permit_type_name: input.permit_type_name, category: "permit", company: null,
        received_date: iso(new Date()), issue_date: null, expiry_date: input.expiry_date, ...expiryOf(input.expiry_date),
        status: input.status, partner_id: null, renewal_in_progress: false, snoozed_until: null,
        last_synced_at: new Date().toISOString(), notes: "", renewal_of_id: null,
      };
      permits.push(p);
      changed();
      return row(p);
    },
    list_permit_types: () =>
      TYPES.map((name, i) => ({
        id: i + 1, connection_name: "DPMPTSP Kota Bandung", remote_id: String(100 + i), name, code: null,
        category: name.startsWith("Sertifikat") || name === "PIRT" ? "certificate" : "permit",
        ladder: [90, 60, 30, 7], permit_count: permits.filter((p) => p.permit_type_name === name).length,
      })),
    export_table: ({ request }) => `/home/kantor/Downloads/${request.file_name}.${request.format}`,
  };
}
