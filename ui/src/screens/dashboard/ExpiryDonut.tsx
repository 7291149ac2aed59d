// Permits by expiry status as a donut (ECharts through components/Chart). Slice colours are the
// status colours of the theme in force (--expiry-* in dashboard.css); a click opens those permits.
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { ExpiryStatus } from "../../api/types";
import { Chart, donutOption, useThemeVersion } from "../../components/Chart";
import { navigate } from "../../lib/router";
import { permitLinks } from "../../lib/permitLinks";
import { useFormat } from "../../lib/useFormat";

export type Slice = { status: ExpiryStatus; count: number; label: string };

const FALLBACK: Record<ExpiryStatus, string> = {
  ok: "#2f8a4a",
  warning: "#d99a00",
  critical: "#c2272d",
  expired: "#8a9099",
  unknown: "#c9ced6",
};

function statusColors(): Record<ExpiryStatus, string> {
  const css = getComputedStyle(document.documentElement);
  const v = (s: ExpiryStatus) => css.getPropertyValue(`--expiry-${s}`).trim() || FALLBACK[s];
  return { ok: v("ok"), warning: v("warning"), critical: v("critical"), expired: v("expired"), unknown: v("unknown") };
}

export function ExpiryDonut({ slices, total }: { slices: Slice[]; total: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  const theme = useThemeVersion();
  const shown = slices.filter((s) => s.count > 0);
  const summary = slices.map((s) => `${s.label}: ${f.number(s.count)}`).join(", ");
  const dataKey = shown.map((s) => `${s.status}:${s.count}:${s.label}`).join("|");

  const option = useMemo(() => {
    const colors = statusColors();
    void theme;
    return donutOption(
      shown.map((s) => ({ name: s.label, value: s.count, color: colors[s.status] })),
      f.number(total),
      t("permitDash.permits"),
    );
    // `dataKey` stands for `shown`, a new array on every render.
  }, [dataKey, total, theme, f, t]);

  return (
    <div className="expiry-donut">
      <Chart
        option={option}
        height={150}
        ariaLabel={`${t("permitDash.byExpiry")}: ${summary}`}
        testId="dash-expiry-chart"
        onClick={(e) => {
          const s = shown[e.dataIndex];
          if (s) navigate(permitLinks.withExpiry(s.status));
        }}
      />
    </div>
  );
}
