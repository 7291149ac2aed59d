// An Apache ECharts chart that follows the app's theme. Only the parts used are imported
// (echarts/core + the chart kinds in ./echarts.ts, loaded on first use so ECharts is a chunk of
// its own); register more there when a screen needs them.
import { useEffect, useRef, useState } from "react";
import type { EChartsCoreOption, EChartsType } from "echarts/core";

/** What a click on a bar, point or slice names. */
export type ChartClick = { seriesIndex: number; dataIndex: number; name: string; seriesName: string };

/** Colours of the theme in force, read from the CSS variables of styles.css. */
export function themeColors(root: HTMLElement = document.documentElement) {
  const css = getComputedStyle(root);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v("--text", "#1f2328"),
    muted: v("--text-muted", "#5a616b"),
    border: v("--border", "#d6dae0"),
    surface: v("--surface", "#ffffff"),
    font: v("--font", "system-ui, sans-serif"),
    palette: [
      v("--chart-1", "#714b67"),
      v("--chart-2", "#2563b0"),
      v("--chart-3", "#2f7d4f"),
      v("--chart-4", "#c27c0e"),
      v("--chart-5", "#b42318"),
      v("--chart-6", "#6b7280"),
      v("--chart-7", "#0e7490"),
      v("--chart-8", "#9333ea"),
    ],
  };
}

/** The ECharts theme object for the current colours. */
export function chartTheme(c = themeColors()): Record<string, unknown> {
  const axis = {
    axisLine: { lineStyle: { color: c.border } },
    axisTick: { lineStyle: { color: c.border } },
    axisLabel: { color: c.muted },
    splitLine: { lineStyle: { color: c.border, opacity: 0.6 } },
    nameTextStyle: { color: c.muted },
  };
  return {
    color: c.palette,
    backgroundColor: "transparent",
    textStyle: { color: c.text, fontFamily: c.font },
    title: { textStyle: { color: c.text }, subtextStyle: { color: c.muted } },
    legend: { textStyle: { color: c.text } },
    tooltip: { backgroundColor: c.surface, borderColor: c.border, textStyle: { color: c.text } },
    categoryAxis: axis,
    valueAxis: axis,
    timeAxis: axis,
    logAxis: axis,
  };
}

/** Calls `onChange` when the theme switches (the app's data-theme, or the system's scheme). */
function watchTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme", "class", "style"] });
  const media = typeof window.matchMedia === "function" ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  media?.addEventListener?.("change", onChange);
  return () => {
    observer.disconnect();
    media?.removeEventListener?.("change", onChange);
  };
}

/** A number that changes when the theme switches: a dependency for options that use theme colours. */
export function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => watchTheme(() => setVersion((v) => v + 1)), []);
  return version;
}

/** A slice of a donut: its name, its value and its colour. */
export type DonutSlice = { name: string; value: number; color: string };

/**
 * The dashboards' donut: slices without a value left out, the total and its caption in the hole,
 * a tooltip with the share.
 */
export function donutOption(slices: DonutSlice[], total: string, caption: string) {
  return {
    aria: { enabled: true },
    tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
    title: {
      text: total,
      subtext: caption,
      left: "center",
      top: "38%",
      textStyle: { fontSize: 18, fontWeight: 600 },
      subtextStyle: { fontSize: 11 },
      itemGap: 2,
    },
    series: [
      {
        type: "pie",
        radius: ["58%", "86%"],
        avoidLabelOverlap: false,
        label: { show: false },
        labelLine: { show: false },
        emphasis: { scale: true, scaleSize: 4 },
        itemStyle: { borderWidth: 1, borderColor: "transparent" },
        data: slices.filter((s) => s.value > 0).map((s) => ({ name: s.name, value: s.value, itemStyle: { color: s.color } })),
      },
    ],
  };
}

/** The value of a CSS variable of the theme in force ("--ok-fg"). */
export function cssVar(name: string, fallback = "#888888"): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/**
 * A chart from any ECharts option. It is disposed on unmount, resized with its box and re-themed
 * when the app's theme changes. The option is applied as a whole (notMerge) on every change.
 */
export function Chart({
  option,
  height = 320,
  ariaLabel,
  onClick,
  testId,
  className,
}: {
  option: EChartsCoreOption;
  height?: number | string;
  ariaLabel: string;
  onClick?: (e: ChartClick) => void;
  testId?: string;
  className?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const optionRef = useRef(option);
  optionRef.current = option;
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let disposed = false;
    let cleanup: () => void = () => {};
    void import("./echarts").then(({ init }) => {
      if (disposed) return;
      const instance = init(el, chartTheme(), { renderer: "svg" });
      chart.current = instance;
      instance.setOption(optionRef.current, { notMerge: true });
      instance.on("click", (p: unknown) => {
        const e = p as Partial<ChartClick>;
        clickRef.current?.({
          seriesIndex: e.seriesIndex ?? 0,
          dataIndex: e.dataIndex ?? 0,
          name: String(e.name ?? ""),
          seriesName: String(e.seriesName ?? ""),
        });
      });
      const offTheme = watchTheme(() => instance.setTheme(chartTheme()));
      const resize = typeof ResizeObserver === "function" ? new ResizeObserver(() => instance.resize()) : null;
      resize?.observe(el);
      cleanup = () => {
        resize?.disconnect();
        offTheme();
        chart.current = null;
        instance.dispose();
      };
    });
    return () => {
      disposed = true;
      cleanup();
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return (
    <div
      ref={ref}
      className={`chart${className ? ` ${className}` : ""}`}
      style={{ height, width: "100%" }}
      role="img"
      aria-label={ariaLabel}
      data-testid={testId}
    />
  );
}
