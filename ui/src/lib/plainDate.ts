// Calendar dates ("2026-03-31", no time, no zone) as the permit office gives them: shown in the
// user's locale without any time-zone shift, and days counted as whole calendar days.

function parsePlain(date: string | null | undefined): Date | null {
  if (!date) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "31 Mar 2026" in the locale; "" for no or a malformed date. */
export function formatPlainDate(date: string | null | undefined, locale: string): string {
  const d = parsePlain(date);
  if (!d) return "";
  return new Intl.DateTimeFormat(locale, { timeZone: "UTC", year: "numeric", month: "short", day: "numeric" }).format(d);
}

/** "in 12 days", "tomorrow", "today", "3 days ago" in the locale. */
export function formatDaysLeft(days: number, locale: string): string {
  return new Intl.RelativeTimeFormat(locale, { numeric: "auto", style: "long" }).format(days, "day");
}
