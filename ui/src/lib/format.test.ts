import { describe, expect, it } from "vitest";
import { durationParts, etaParts, formatBytes, formatDateTime, formatRelative, millisBetween } from "./format";

describe("formatting", () => {
  it("shows date-times in the office time zone", () => {
    const iso = "2026-03-01T23:30:00Z";
    expect(formatDateTime(iso, "en-GB", "Asia/Jakarta")).toContain("06:30");
    expect(formatDateTime(iso, "en-GB", "Asia/Jakarta")).toContain("2 Mar");
    expect(formatDateTime(iso, "en-GB", "America/Costa_Rica")).toContain("17:30");
    // An unknown zone falls back instead of throwing.
    expect(formatDateTime(iso, "en-GB", "Mars/Olympus")).not.toBe("");
    expect(formatDateTime(null, "en-GB", "UTC")).toBe("");
  });

  it("says relative times per language", () => {
    const now = Date.parse("2026-03-01T12:00:00Z");
    expect(formatRelative("2026-03-01T12:12:00Z", "en-GB", now)).toBe("in 12 minutes");
    expect(formatRelative("2026-03-01T09:00:00Z", "en-GB", now)).toBe("3 hours ago");
    expect(formatRelative("2026-03-01T12:12:00Z", "id-ID", now)).toBe("dalam 12 menit");
    expect(formatRelative("2026-03-01T12:12:00Z", "es-CR", now)).toBe("dentro de 12 minutos");
  });

  it("splits durations and ETAs", () => {
    expect(durationParts(850)).toEqual({ ms: 850 });
    expect(durationParts(12_400)).toEqual({ s: 12 });
    expect(durationParts(125_000)).toEqual({ min: 2, s: 5 });
    expect(durationParts(3_900_000)).toEqual({ h: 1, min: 5 });
    expect(etaParts(40)).toEqual({ s: 40 });
    expect(etaParts(43)).toEqual({ s: 45 });
    expect(etaParts(200)).toEqual({ min: 3 });
    expect(etaParts(7200)).toEqual({ h: 2 });
  });

  it("formats sizes and run durations", () => {
    expect(formatBytes(512, "en-GB")).toBe("512 byte");
    expect(formatBytes(2048, "en-GB")).toBe("2 kB");
    expect(millisBetween("2026-03-01T12:00:00Z", "2026-03-01T12:00:12Z")).toBe(12_000);
  });
});
