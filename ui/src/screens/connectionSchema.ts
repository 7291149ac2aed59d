// The connection form's values, their validation (same rules as the backend's
// ConnectionInput::validate) and the conversion to the wire shape.
import { z } from "zod";
import type { Connection, ConnectionInput, ConnectionKind } from "../api/types";

/** Messages are i18n keys; the form translates them. Server messages arrive as plain text. */
export const connectionSchema = z
  .object({
    name: z.string().trim().min(1, "validation.nameRequired").max(80, "validation.nameTooLong"),
    kind: z.enum(["sicantik", "odoo", "hacienda"]),
    base_url: z
      .string()
      .trim()
      .superRefine((v, ctx) => {
        const problem = urlProblem(v);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
    environment: z.enum(["staging", "production"]),
    database: z.string(),
    username: z.string(),
    protocol: z.enum(["xmlrpc", "jsonrpc", "json2"]),
    // Seconds in the form (the wire carries milliseconds); named like the wire field so
    // server errors for "timeout_ms" land next to it.
    timeout_ms: z
      .number({ error: "validation.timeoutRange" })
      .min(1, "validation.timeoutRange")
      .max(300, "validation.timeoutRange"),
    rate_limit_per_sec: z
      .number({ error: "validation.rateRange" })
      .min(0, "validation.rateRange")
      .max(1000, "validation.rateRange"),
    max_concurrent: z
      .number({ error: "validation.concurrentRange" })
      .int("validation.concurrentRange")
      .min(1, "validation.concurrentRange")
      .max(64, "validation.concurrentRange"),
    active: z.boolean(),
    secret: z.string(),
    secret_mode: z.enum(["keep", "replace", "remove"]),
    has_secret: z.boolean(),
  })
  .superRefine(
    (v, ctx) => {
      const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
      const blank = (s: unknown) => typeof s !== "string" || s.trim() === "";
      if (v.kind === "odoo" && v.protocol !== "json2") {
        if (blank(v.database)) issue("database", "validation.databaseRequired");
        if (blank(v.username)) issue("username", "validation.usernameRequiredOdoo");
      }
      if (v.kind === "hacienda" && blank(v.username)) issue("username", "validation.usernameRequiredHacienda");
      if (v.has_secret && v.secret_mode === "replace" && v.secret === "") issue("secret", "validation.secretRequired");
    },
    // Cross-field rules are checked even when another field (say an empty number) already failed,
    // so the user sees every problem at once.
    { when: () => true },
  );

export type ConnectionFormValues = z.input<typeof connectionSchema>;

/** Why `value` is not a usable base URL (an i18n key), or null. */
export function urlProblem(value: string): string | null {
  let u: URL;
  try {
    u = new URL(value.trim());
  } catch {
    return "validation.urlInvalid";
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return "validation.urlScheme";
  if (!u.hostname) return "validation.urlInvalid";
  return null;
}

export const FORM_FIELDS = [
  "name",
  "kind",
  "base_url",
  "environment",
  "database",
  "username",
  "protocol",
  "timeout_ms",
  "rate_limit_per_sec",
  "max_concurrent",
  "active",
  "secret",
] as const satisfies ReadonlyArray<keyof ConnectionFormValues>;

export type FormField = (typeof FORM_FIELDS)[number];

export function isFormField(name: string): name is FormField {
  return (FORM_FIELDS as readonly string[]).includes(name);
}

export function defaultValues(kind: ConnectionKind = "sicantik"): ConnectionFormValues {
  return {
    name: "",
    kind,
    base_url: "",
    environment: "production",
    database: "",
    username: "",
    protocol: "jsonrpc",
    timeout_ms: 30,
    rate_limit_per_sec: 10,
    max_concurrent: 4,
    active: true,
    secret: "",
    secret_mode: "replace",
    has_secret: false,
  };
}

export function toFormValues(c: Connection): ConnectionFormValues {
  return {
    name: c.name,
    kind: c.kind,
    base_url: c.base_url,
    environment: c.environment,
    database: c.database ?? "",
    username: c.username ?? "",
    protocol: c.protocol ?? "jsonrpc",
    timeout_ms: c.timeout_ms / 1000,
    rate_limit_per_sec: c.rate_limit_per_sec,
    max_concurrent: c.max_concurrent,
    active: c.active,
    secret: "",
    secret_mode: c.has_secret ? "keep" : "replace",
    has_secret: c.has_secret,
  };
}

/** The wire shape: fields of other kinds dropped, seconds to ms, secret as keep / set / remove. */
export function toInput(v: ConnectionFormValues, id: number | null): ConnectionInput {
  const text = (s: string) => (s.trim() === "" ? null : s.trim());
  let secret: string | null;
  if (v.secret_mode === "keep") secret = null;
  else if (v.secret_mode === "remove") secret = "";
  else secret = v.secret === "" ? null : v.secret;
  return {
    id,
    name: v.name.trim(),
    kind: v.kind,
    base_url: v.base_url.trim(),
    environment: v.environment,
    database: v.kind === "odoo" ? text(v.database) : null,
    username: v.kind === "sicantik" ? null : text(v.username),
    protocol: v.kind === "odoo" ? v.protocol : null,
    timeout_ms: Math.round(v.timeout_ms * 1000),
    rate_limit_per_sec: v.rate_limit_per_sec,
    max_concurrent: v.max_concurrent,
    active: v.active,
    secret,
  };
}
