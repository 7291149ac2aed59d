// The bulk e-invoice wizard's pure parts: batching checks, the time estimate for batching
// changed in the wizard, and the order and export shape of the results.
import type { Batching, BatchPlan, BulkKind, BulkOutcome, BulkResult, BulkSelection, DocumentState, JobKind } from "../../../api/types";

/** The limits the wizard allows for one run's batching. */
export const LIMITS = {
  batch_size: { min: 1, max: 500 },
  batch_delay_seconds: { min: 0, max: 3600 },
  max_concurrent_batches: { min: 1, max: 16 },
} as const;

export type BatchingField = keyof typeof LIMITS;
export const BATCHING_FIELDS: BatchingField[] = ["batch_size", "batch_delay_seconds", "max_concurrent_batches"];

/** The batching as typed: text, so a half-typed value is not replaced under the cursor. */
export type BatchingDraft = Record<BatchingField, string>;

export function draftOf(b: Batching): BatchingDraft {
  return {
    batch_size: String(b.batch_size),
    batch_delay_seconds: String(b.batch_delay_seconds),
    max_concurrent_batches: String(b.max_concurrent_batches),
  };
}

/** Why a typed value is not allowed: "whole" (not a whole number) or "range"; null when fine. */
export type BatchingProblem = "whole" | "range";

export function checkBatching(draft: BatchingDraft): { batching: Batching | null; problems: Partial<Record<BatchingField, BatchingProblem>> } {
  const problems: Partial<Record<BatchingField, BatchingProblem>> = {};
  const values = {} as Record<BatchingField, number>;
  for (const field of BATCHING_FIELDS) {
    const text = draft[field].trim();
    if (!/^\d+$/.test(text)) {
      problems[field] = "whole";
      continue;
    }
    const n = Number(text);
    const { min, max } = LIMITS[field];
    if (n < min || n > max) problems[field] = "range";
    values[field] = n;
  }
  return { batching: Object.keys(problems).length === 0 ? values : null, problems };
}

export function sameBatching(a: Batching, b: Batching): boolean {
  return a.batch_size === b.batch_size && a.batch_delay_seconds === b.batch_delay_seconds && a.max_concurrent_batches === b.max_concurrent_batches;
}

/** The latency the backend's estimate assumes per request (views.rs TYPICAL_LATENCY_SECS). */
const LATENCY_SECS = 0.25;

/**
 * The expected duration of `documents` with other batching than the plan's: the backend's
 * `BatchPlan::new` (loket-core einvoice.rs), with the connection's rate read back from the
 * plan's rate bound (documents ÷ rate + latency).
 */
export function estimateWith(plan: BatchPlan, b: Batching): { batches: number; seconds: number } {
  const documents = plan.documents;
  const size = Math.max(1, b.batch_size);
  const batches = Math.ceil(documents / size);
  if (documents === 0) return { batches, seconds: 0 };
  const rate = plan.rate_bound_secs != null && plan.rate_bound_secs - LATENCY_SECS > 0 ? documents / (plan.rate_bound_secs - LATENCY_SECS) : null;
  const concurrent = Math.max(1, b.max_concurrent_batches);
  const inFlight = Math.min(batches, concurrent);
  const delay = Math.max(0, b.batch_delay_seconds);
  const delayBound = Math.max(0, (batches / concurrent - 1) * delay);
  const rateBound = rate != null ? documents / rate + LATENCY_SECS : 0;
  const latencyBound = (documents * LATENCY_SECS) / inFlight;
  const bound = Math.max(delayBound, latencyBound, rateBound);
  const perRequest = rate != null ? Math.max(LATENCY_SECS, inFlight / rate) : LATENCY_SECS;
  const lastBatch = (documents - (batches - 1) * size) * perRequest;
  return { batches, seconds: delayBound > 0 ? Math.max(bound, delayBound + lastBatch) : bound };
}

/** The job a bulk run of this kind runs as (for the runs list). */
export const JOB_OF: Record<BulkKind, JobKind> = { sign: "einvoice_sign", submit: "einvoice_submit", status: "einvoice_status" };

/** The states each kind works on (loket-core `BulkKind::eligible_states`). */
export const ELIGIBLE_STATES: Record<BulkKind, DocumentState[]> = {
  sign: ["draft", "generated"],
  submit: ["signed"],
  status: ["submitted", "processing"],
};

const OUTCOME_ORDER: Record<BulkOutcome, number> = { failed: 0, retrying: 1, skipped: 2, done: 3 };

/** Failures first, then the ones waiting for a retry, the skipped and the done ones. */
export function sortResults(rows: readonly BulkResult[]): BulkResult[] {
  return rows
    .map((r, i) => [r, i] as const)
    .sort((a, b) => OUTCOME_ORDER[a[0].outcome] - OUTCOME_ORDER[b[0].outcome] || a[1] - b[1])
    .map(([r]) => r);
}

export function countOutcomes(rows: readonly BulkResult[]): Record<BulkOutcome, number> {
  const out: Record<BulkOutcome, number> = { done: 0, skipped: 0, retrying: 0, failed: 0 };
  for (const r of rows) out[r.outcome] += 1;
  return out;
}

/** A rejection's error lines as "code — message", one per line. */
export function errorCodesText(r: BulkResult): string {
  return r.error_codes.map((e) => `${e.code} — ${e.message}`).join("\n");
}

/** How many documents a selection names, when it says so itself. */
export function selectionSize(selection: BulkSelection): number | null {
  return selection.by === "ids" ? selection.ids.length : null;
}
