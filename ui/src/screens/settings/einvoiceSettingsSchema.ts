// The e-invoice settings' values and rules: the same ranges as the backend's
// EinvoiceSettings::validate (crates/loket-core/src/einvoice.rs). Messages are i18n keys.
import { z } from "zod";
import type { EinvoiceSettings } from "../../api/types";

/** Each number field's range, as the backend checks it. */
export const RANGES = {
  poll_every_minutes: [1, 1440],
  poll_max_age_hours: [1, 720],
  poll_batch: [1, 500],
  batch_size: [1, 500],
  batch_delay_seconds: [0, 3600],
  max_concurrent_batches: [1, 16],
  max_attempts: [1, 20],
  response_retention_days: [1, 3650],
  send_late_after_hours: [1, 720],
  send_warn_before_hours: [0, 719],
} as const;

export type NumberField = keyof typeof RANGES;

/** The defaults of a new data folder (EinvoiceSettings::default), shown in the help texts. */
export const DEFAULTS: EinvoiceSettings = {
  auto_poll: true,
  poll_every_minutes: 15,
  poll_max_age_hours: 24,
  poll_batch: 50,
  batch_size: 50,
  batch_delay_seconds: 5,
  max_concurrent_batches: 3,
  auto_retry: true,
  max_attempts: 5,
  store_responses: true,
  response_retention_days: 90,
  send_late_after_hours: 72,
  send_warn_before_hours: 24,
};

function ranged(field: NumberField) {
  const [min, max] = RANGES[field];
  const message = `queues.settings.v.${field}`;
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
}

export const einvoiceSettingsSchema = z
  .object({
    auto_poll: z.boolean(),
    poll_every_minutes: ranged("poll_every_minutes"),
    poll_max_age_hours: ranged("poll_max_age_hours"),
    poll_batch: ranged("poll_batch"),
    batch_size: ranged("batch_size"),
    batch_delay_seconds: ranged("batch_delay_seconds"),
    max_concurrent_batches: ranged("max_concurrent_batches"),
    auto_retry: z.boolean(),
    max_attempts: ranged("max_attempts"),
    store_responses: z.boolean(),
    response_retention_days: ranged("response_retention_days"),
    send_late_after_hours: ranged("send_late_after_hours"),
    send_warn_before_hours: ranged("send_warn_before_hours"),
  })
  .superRefine(
    (v, ctx) => {
      // As the backend: checked only when both fields are in range, so a field is named once.
      const inRange = (n: unknown, [min, max]: readonly [number, number]) => typeof n === "number" && Number.isInteger(n) && n >= min && n <= max;
      if (
        inRange(v.poll_every_minutes, RANGES.poll_every_minutes) &&
        inRange(v.poll_max_age_hours, RANGES.poll_max_age_hours) &&
        v.poll_every_minutes > v.poll_max_age_hours * 60
      ) {
        ctx.addIssue({ code: "custom", path: ["poll_every_minutes"], message: "queues.settings.v.pollSlowerThanAge" });
      }
      if (inRange(v.send_late_after_hours, RANGES.send_late_after_hours) && v.send_warn_before_hours >= v.send_late_after_hours) {
        ctx.addIssue({ code: "custom", path: ["send_warn_before_hours"], message: "queues.settings.v.warnAfterLate" });
      }
    },
    { when: () => true },
  );

export type EinvoiceSettingsValues = z.input<typeof einvoiceSettingsSchema>;

export const SETTINGS_FIELDS = Object.keys(DEFAULTS) as (keyof EinvoiceSettings)[];

export function isSettingsField(name: string): name is keyof EinvoiceSettings {
  return (SETTINGS_FIELDS as string[]).includes(name);
}
