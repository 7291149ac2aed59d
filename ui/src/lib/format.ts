// Locale- and time-zone-aware formatting. Dates are shown in the office time zone.
import type { Language } from "../api/types";

export const LOCALES: Record<Language, string> = { en: "en-GB", id: "id-ID", es: "es-CR" };

export function localeOf(language: string): string {
  return LOCALES[language as Language] ?? "en-GB";
}

function safeTimeZone(timeZone: string | undefined): string | undefined {
  if (!timeZone) return undefined;
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return timeZone;
  } catch {
    return undefined;
  }
}

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function formatDateTime(
  iso: string | null | undefined,
  locale: string,
  timeZone?: string,
  withSeconds = false,
  short = false,
): string {
  const d = parse(iso);
  if (!d) return "";
  // Short form leaves out the year when it is this year (compact list rows).
  const sameYear = short && d.getFullYear() === new Date().getFullYear();
  return new Intl.DateTimeFormat(locale, {
    timeZone: safeTimeZone(timeZone),
    year: sameYear ? undefined : "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: withSeconds ? "2-digit" : undefined,
    hourCycle: "h23",
  }).format(d);
}

export function formatTime(iso: string | null | undefined, locale: string, timeZone?: string): string {
  const d = parse(iso);
  if (!d) return "";
  return new Intl.DateTimeFormat(locale, {
    timeZone: safeTimeZone(timeZone),
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }).format(d);
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];

/** "in 12 minutes", "3 hours ago" — relative to `now`. */
export function formatRelative(iso: string | null | undefined, locale: string, now: number = Date.now()): string {
  const d = parse(iso);
  if (!d) return "";
  const seconds = Math.round((d.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto", style: "long" });
  if (abs < 45) return rtf.format(0, "second");
  for (const [unit, size] of UNITS) {
    if (abs >= size * (unit === "minute" ? 1 : 0.95) || unit === "second") {
      return rtf.format(Math.round(seconds / size), unit);
    }
  }
  return rtf.format(seconds, "second");
}

export function formatNumber(n: number | null | undefined, locale: string, maxFraction = 0): string {
  if (n == null || !Number.isFinite(n)) return "";
  return new Intl.NumberFormat(locale, { maximumFractionDigits: maxFraction }).format(n);
}

export function formatBytes(n: number | null | undefined, locale: string): string {
  if (n == null || !Number.isFinite(n)) return "";
  const [unit, value] =
    n >= 1024 * 1024
      ? (["megabyte", n / (1024 * 1024)] as const)
      : n >= 1024
        ? (["kilobyte", n / 1024] as const)
        : (["byte", n] as const);
  return new Intl.NumberFormat(locale, {
    style: "unit",
    unit,
    unitDisplay: "short",
    maximumFractionDigits: unit === "byte" ? 0 : 1,
  }).format(value);
}

/** A duration split into the parts the UI shows: ms below a second, else h / min / s. */
export type DurationParts = { ms?: number; h?: number; min?: number; s?: number };

export function durationParts(ms: number): DurationParts {
  if (ms < 1000) return { ms: Math.max(0, Math.round(ms)) };
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const min = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return min > 0 ? { h, min } : { h };
  if (min > 0) return s > 0 && min < 10 ? { min, s } : { min };
  return { s };
}

/** Seconds left rounded the way people say it: 40 s, 3 min, 1 h 5 min. */
export function etaParts(seconds: number): DurationParts {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return { s: s < 10 ? s : Math.round(s / 5) * 5 };
  if (s < 3600) return { min: Math.round(s / 60) };
  const h = Math.floor(s / 3600);
  const min = Math.round((s % 3600) / 60);
  return min > 0 ? { h, min } : { h };
}

export function millisBetween(startIso: string, endIso: string | null, now: number = Date.now()): number | null {
  const a = parse(startIso);
  if (!a) return null;
  const b = endIso ? parse(endIso) : new Date(now);
  if (!b) return null;
  return Math.max(0, b.getTime() - a.getTime());
}
