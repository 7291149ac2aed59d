import { describe, expect, it } from "vitest";
import { permitLinks } from "./permitLinks";
import {
  DEFAULT_SEARCH,
  clearFilters,
  decodeGroupBy,
  drillDown,
  encodeGroupBy,
  groupBy,
  hasFilters,
  parseSearch,
  pathKeys,
  serializeSearch,
  toFilter,
  toggleGroupBy,
  toggleValue,
  type SearchState,
} from "./permitSearch";

const full: SearchState = {
  view: "pivot",
  text: "CV Maju & Sons, 50%",
  expiry: ["critical", "warning"],
  status: ["active"],
  types: ["Izin Usaha, Mikro", "SIUP"],
  category: "certificate",
  expiringWithin: 30,
  groupBy: [groupBy("permit_type"), groupBy("expiry_date", "quarter")],
  pivotCols: [groupBy("status")],
  drill: [
    { group_by: groupBy("permit_type"), key: "A~B" },
    { group_by: groupBy("received_date", "year"), key: null },
    { group_by: groupBy("status"), key: "" },
  ],
  sort: { field: "applicant", descending: true },
  kanbanBy: "expiry_status",
  graph: "pie",
};

describe("search state in the address", () => {
  it("round-trips every part, including commas, tildes, empty and null keys", () => {
    const q = serializeSearch(full);
    expect(parseSearch(q)).toEqual(full);
    expect(parseSearch(`?${q}`)).toEqual(full);
  });

  it("writes nothing for the default search and reads an empty query as the default", () => {
    expect(serializeSearch(DEFAULT_SEARCH)).toBe("");
    expect(parseSearch("")).toEqual(DEFAULT_SEARCH);
  });

  it("keeps the search when only the view changes", () => {
    const kanban = parseSearch(serializeSearch({ ...full, view: "kanban" }));
    expect({ ...kanban, view: "pivot" }).toEqual(full);
  });

  it("ignores unknown values instead of failing", () => {
    const s = parseSearch(
      "view=calendar&expiry_status=soon&expiry_status=ok&status=lost&group_by=colour&group_by=expiry_date:week&group_by=status&sort=nope:desc&category=x&kanban_by=z&graph=radar&expiring_within_days=-3",
    );
    expect(s.view).toBe("list");
    expect(s.expiry).toEqual(["ok"]);
    expect(s.status).toEqual([]);
    expect(s.groupBy).toEqual([{ field: "status", interval: null }]);
    expect(s.sort).toEqual(DEFAULT_SEARCH.sort);
    expect(s.category).toBeNull();
    expect(s.kanbanBy).toBe("status");
    expect(s.graph).toBe("bar");
    expect(s.expiringWithin).toBeNull();
  });

  it("drops duplicate group-bys and values", () => {
    const s = parseSearch("group_by=status&group_by=status&expiry_status=ok&expiry_status=ok&type=A&type=A");
    expect(s.groupBy).toHaveLength(1);
    expect(s.expiry).toEqual(["ok"]);
    expect(s.types).toEqual(["A"]);
  });
});

describe("links from other screens", () => {
  const q = (link: string) => link.slice(link.indexOf("?") + 1);
  it("reads what lib/permitLinks writes", () => {
    expect(parseSearch(q(permitLinks.ofType("Izin, Usaha"))).types).toEqual(["Izin, Usaha"]);
    expect(parseSearch(q(permitLinks.withExpiry("critical"))).expiry).toEqual(["critical"]);
    expect(parseSearch(q(permitLinks.expiringWithin(30))).expiringWithin).toBe(30);
    expect(parseSearch(q(permitLinks.search("CV Maju"))).text).toBe("CV Maju");
  });
});

describe("group-bys", () => {
  it("gives date fields a month interval by default and others none", () => {
    expect(groupBy("expiry_date")).toEqual({ field: "expiry_date", interval: "month" });
    expect(groupBy("status", "year")).toEqual({ field: "status", interval: null });
    expect(encodeGroupBy(groupBy("issue_date", "year"))).toBe("issue_date:year");
    expect(decodeGroupBy("issue_date")).toEqual({ field: "issue_date", interval: "month" });
  });

  it("toggles a group-by in and out, keeping the order of the rest", () => {
    let list = toggleGroupBy([], groupBy("status"));
    list = toggleGroupBy(list, groupBy("expiry_date", "year"));
    list = toggleGroupBy(list, groupBy("expiry_date", "month"));
    expect(list.map(encodeGroupBy)).toEqual(["status", "expiry_date:year", "expiry_date:month"]);
    list = toggleGroupBy(list, groupBy("expiry_date", "year"));
    expect(list.map(encodeGroupBy)).toEqual(["status", "expiry_date:month"]);
    expect(toggleValue(["a", "b"], "a")).toEqual(["b"]);
    expect(toggleValue(["a"], "b")).toEqual(["a", "b"]);
  });
});

describe("filter and drill-down", () => {
  it("turns the search into the backend filter", () => {
    expect(toFilter(full)).toEqual({
      search: "CV Maju & Sons, 50%",
      expiry_status: ["critical", "warning"],
      status: ["active"],
      permit_type: ["Izin Usaha, Mikro", "SIUP"],
      category: "certificate",
      connection_id: null,
      expiring_within_days: 30,
      groups: full.drill,
    });
    expect(toFilter({ ...DEFAULT_SEARCH, text: "   " }).search).toBeNull();
  });

  it("adds a group's keys to the filter without changing the search", () => {
    const extra = { group_by: groupBy("status"), key: "active" };
    expect(toFilter(DEFAULT_SEARCH, [extra]).groups).toEqual([extra]);
    expect(DEFAULT_SEARCH.drill).toEqual([]);
  });

  it("opens a pivot cell as an ungrouped list with its keys, once each", () => {
    const s = { ...DEFAULT_SEARCH, view: "pivot" as const, groupBy: [groupBy("status")], pivotCols: [groupBy("expiry_date", "year")] };
    const keys = [...pathKeys(s.groupBy, ["active"]), ...pathKeys(s.pivotCols, [null])];
    const list = drillDown(s, keys);
    expect(list.view).toBe("list");
    expect(list.groupBy).toEqual([]);
    expect(list.drill).toEqual([
      { group_by: { field: "status", interval: null }, key: "active" },
      { group_by: { field: "expiry_date", interval: "year" }, key: null },
    ]);
    expect(drillDown(list, keys).drill).toHaveLength(2);
    expect(hasFilters(list)).toBe(true);
    expect(hasFilters(clearFilters(list))).toBe(false);
  });
});
