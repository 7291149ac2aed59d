import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { useSettings } from "../api/queries";
import {
  durationParts,
  etaParts,
  formatBytes,
  formatDateTime,
  formatNumber,
  formatRelative,
  formatTime,
  localeOf,
  type DurationParts,
} from "./format";

/** Joins duration parts with translated unit abbreviations: "1 h 5 min", "850 ms". */
export function formatParts(t: TFunction, parts: DurationParts, locale: string): string {
  const n = (v: number) => formatNumber(v, locale);
  const out: string[] = [];
  if (parts.ms != null) out.push(t("units.ms", { n: n(parts.ms) }));
  if (parts.h != null) out.push(t("units.h", { n: n(parts.h) }));
  if (parts.min != null) out.push(t("units.min", { n: n(parts.min) }));
  if (parts.s != null) out.push(t("units.s", { n: n(parts.s) }));
  return out.join(" ");
}

/** Formatters bound to the UI language and the office time zone. */
export function useFormat() {
  const { t, i18n } = useTranslation();
  const { data: settings } = useSettings();
  const locale = localeOf(i18n.language);
  const tz = settings?.office_timezone;
  return useMemo(
    () => ({
      locale,
      timeZone: tz,
      dateTime: (iso: string | null | undefined, withSeconds = false) =>
        formatDateTime(iso, locale, tz, withSeconds),
      shortDateTime: (iso: string | null | undefined, withSeconds = false) =>
        formatDateTime(iso, locale, tz, withSeconds, true),
      time: (iso: string | null | undefined) => formatTime(iso, locale, tz),
      relative: (iso: string | null | undefined, now?: number) => formatRelative(iso, locale, now),
      number: (n: number | null | undefined, maxFraction = 0) => formatNumber(n, locale, maxFraction),
      bytes: (n: number | null | undefined) => formatBytes(n, locale),
      ms: (ms: number | null | undefined) => (ms == null ? "" : formatParts(t, durationParts(ms), locale)),
      eta: (seconds: number) => formatParts(t, etaParts(seconds), locale),
    }),
    [locale, tz, t],
  );
}
