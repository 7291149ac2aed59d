// Labels of the permit views: fields, group keys (enum values, dates by interval) and tones.
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { ExpiryStatus, GroupBy, PermitCategory, PermitField, PermitStatus } from "../../api/types";
import type { Tone } from "../../components/Badge";
import type { IconName } from "../../components/Icon";
import { formatDaysLeft, formatPlainDate } from "../../lib/plainDate";
import { formatNumber, localeOf } from "../../lib/format";

export const EXPIRY_TONE: Record<ExpiryStatus, Tone> = {
  ok: "ok",
  warning: "warning",
  critical: "critical",
  expired: "muted",
  unknown: "neutral",
};

export const EXPIRY_ICON: Record<ExpiryStatus, IconName> = {
  ok: "check",
  warning: "clock",
  critical: "alert",
  expired: "x",
  unknown: "info",
};

export const STATUS_TONE: Record<PermitStatus, Tone> = {
  draft: "neutral",
  in_process: "info",
  active: "ok",
  expired: "muted",
  renewed: "violet",
  cancelled: "orange",
};

/** "2026-03" → "Mar 2026", "2026-Q1" → "Q1 2026", "2026" → "2026", in the UI's locale. */
export function formatDateKey(key: string, locale: string, quarterLabel: (q: number, year: string) => string): string {
  const month = /^(\d{4})-(\d{2})$/.exec(key);
  if (month) {
    const d = new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 1));
    return new Intl.DateTimeFormat(locale, { timeZone: "UTC", year: "numeric", month: "short" }).format(d);
  }
  const quarter = /^(\d{4})-Q([1-4])$/.exec(key);
  if (quarter) return quarterLabel(Number(quarter[2]), quarter[1]!);
  return key;
}

/** Translated labels for the permit views, bound to the UI language. */
export function usePermitLabels() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  return useMemo(() => {
    const field = (f: PermitField) => t(`permits.field.${f}`);
    const expiry = (s: ExpiryStatus) => t(`permits.expiry.${s}`);
    const status = (s: PermitStatus) => t(`permits.status.${s}`);
    const category = (c: PermitCategory) => t(`permits.category.${c}`);
    const groupBy = (g: GroupBy) => (g.interval ? t("permits.fieldByInterval", { field: field(g.field), interval: t(`permits.interval.${g.interval}`) }) : field(g.field));
    const key = (g: GroupBy, k: string | null): string => {
      if (k == null || k === "") return t("permits.none");
      switch (g.field) {
        case "expiry_status":
          return expiry(k as ExpiryStatus);
        case "status":
          return status(k as PermitStatus);
        case "category":
          return category(k as PermitCategory);
        case "received_date":
        case "issue_date":
        case "expiry_date":
          return formatDateKey(k, locale, (q, year) => t("permits.quarter", { q, year }));
        default:
          return k;
      }
    };
    const date = (d: string | null | undefined) => formatPlainDate(d, locale);
    /** "in 12 days", "3 days ago": the full phrase. */
    const daysLeft = (days: number) => formatDaysLeft(days, locale);
    /** "12 d left", "3 d ago": the list's cell, where the full phrase would widen the table. */
    const daysLeftShort = (days: number) => {
      if (days === 0) return t("permits.daysShort.today");
      if (days === 1) return t("permits.daysShort.tomorrow");
      if (days === -1) return t("permits.daysShort.yesterday");
      const n = formatNumber(Math.abs(days), locale);
      return days > 0 ? t("permits.daysShort.left", { n }) : t("permits.daysShort.ago", { n });
    };
    return { field, expiry, status, category, groupBy, key, date, daysLeft, daysLeftShort, locale };
  }, [t, locale]);
}

export type PermitLabels = ReturnType<typeof usePermitLabels>;
