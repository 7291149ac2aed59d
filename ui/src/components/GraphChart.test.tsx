import { describe, expect, it } from "vitest";
import { compareKeys } from "../lib/pivot";
import { chartOption, graphData, graphDrillKeys } from "./GraphChart";

type G = { field: "state" | "doc_type" };
const order = (field: G["field"]) => compareKeys(field === "state" ? ["draft", "accepted"] : undefined);
const cells = [
  { row: ["accepted"], col: ["01"], count: 2, total: 10.1 },
  { row: ["draft"], col: ["04"], count: 1, total: 0.2 },
  { row: ["accepted"], col: ["04"], count: 1, total: 0.2 },
];
const x: G = { field: "state" };
const s: G = { field: "doc_type" };

describe("graph data", () => {
  it("sums a measure by category and series, in the fields' order, money to the cent", () => {
    expect(graphData(cells, x, null, order, "count")).toEqual({ categories: ["draft", "accepted"], series: [{ key: null, values: [1, 3] }] });
    expect(graphData(cells, x, s, order, "total")).toEqual({
      categories: ["draft", "accepted"],
      series: [
        { key: "01", values: [0, 10.1] },
        { key: "04", values: [0.2, 0.2] },
      ],
    });
  });

  it("drills into a bar's category and series, and a slice's category only", () => {
    const data = graphData(cells, x, s, order, "count");
    expect(graphDrillKeys(data, x, s, "bar", { seriesIndex: 1, dataIndex: 0 })).toEqual([
      { group_by: x, key: "draft" },
      { group_by: s, key: "04" },
    ]);
    expect(graphDrillKeys(data, x, s, "pie", { seriesIndex: 1, dataIndex: 0 })).toEqual([{ group_by: x, key: "draft" }]);
  });
});

describe("chart option", () => {
  const spec = {
    x,
    s: null,
    keyLabel: (_g: G, k: string | null) => (k ?? "None").toUpperCase(),
    colourOf: (g: G, k: string | null) => (g.field === "state" && k === "draft" ? "grey" : undefined),
    valueName: "Count",
    pieName: "State",
    pieLabel: "{b}: {c}",
    gridTop: 16,
    wholeNumbers: true,
  };
  const data = graphData(cells, x, null, order, "count");

  it("draws bars with the keys' colours and whole numbers on the value axis", () => {
    const option = chartOption({ ...spec, data, type: "bar" }) as Record<string, any>;
    expect(option.xAxis.data).toEqual(["DRAFT", "ACCEPTED"]);
    expect(option.yAxis).toEqual({ type: "value", minInterval: 1, name: "Count" });
    expect(option.series[0].name).toBe("Count");
    expect(option.series[0].data).toEqual([{ value: 1, itemStyle: { color: "grey" } }, 3]);
    expect(option.tooltip).toEqual({ trigger: "axis" });
  });

  it("draws a pie of the categories' totals, formatting values where asked", () => {
    const option = chartOption({ ...spec, data, type: "pie", tooltipValue: (v: number) => `#${v}` }) as Record<string, any>;
    expect(option.series[0]).toMatchObject({ type: "pie", name: "State", label: { formatter: "{b}: {c}" } });
    expect(option.series[0].data.map((d: { name: string; value: number }) => [d.name, d.value])).toEqual([
      ["DRAFT", 1],
      ["ACCEPTED", 3],
    ]);
    expect(option.tooltip.valueFormatter(2)).toBe("#2");
  });
});
