// The permit-type form's values and rules. The reminder ladder is the days before expiry at
// which reminders go out: whole days above 0, each once, at most six, saved largest first.
import { z } from "zod";
import type { PermitTypeEdit, PermitTypeRow } from "../../api/types";

export const MAX_LADDER_STEPS = 6;
export const MAX_LADDER_DAYS = 3650;

/** Messages are i18n keys; the form translates them. */
export const permitTypeSchema = z
  .object({
    category: z.enum(["permit", "certificate"]),
    ladder: z.array(z.object({ days: z.number({ error: "permitTypes.v.daysRange" }) })),
  })
  .superRefine(
    (v, ctx) => {
      const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
      const ladder = Array.isArray(v.ladder) ? v.ladder : [];
      if (ladder.length === 0) issue(["ladder"], "permitTypes.v.ladderEmpty");
      if (ladder.length > MAX_LADDER_STEPS) issue(["ladder"], "permitTypes.v.ladderTooLong");
      const seen = new Set<number>();
      ladder.forEach((step, i) => {
        const d = step?.days;
        if (typeof d !== "number" || !Number.isInteger(d) || d < 1 || d > MAX_LADDER_DAYS) {
          issue(["ladder", i, "days"], "permitTypes.v.daysRange");
        } else if (seen.has(d)) {
          issue(["ladder", i, "days"], "permitTypes.v.daysDuplicate");
        } else {
          seen.add(d);
        }
      });
    },
    // Every problem at once, even when a step is empty (NaN fails the base number check).
    { when: () => true },
  );

export type PermitTypeFormValues = z.input<typeof permitTypeSchema>;

/** Largest first: the order reminders are crossed in. */
export function sortLadder(days: number[]): number[] {
  return [...days].sort((a, b) => b - a);
}

export function toFormValues(row: PermitTypeRow): PermitTypeFormValues {
  return { category: row.category, ladder: sortLadder(row.ladder).map((days) => ({ days })) };
}

export function toEdit(v: PermitTypeFormValues): PermitTypeEdit {
  return { category: v.category, ladder: sortLadder(v.ladder.map((s) => s.days)) };
}
