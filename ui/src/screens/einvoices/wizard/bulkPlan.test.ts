import { describe, expect, it } from "vitest";
import type { BatchPlan, BulkResult } from "../../../api/types";
import { checkBatching, countOutcomes, errorCodesText, estimateWith, sortResults } from "./bulkPlan";

describe("checkBatching", () => {
  it("accepts whole numbers in range and names the fields that are not", () => {
    expect(checkBatching({ batch_size: "50", batch_delay_seconds: "0", max_concurrent_batches: "16" })).toEqual({
      batching: { batch_size: 50, batch_delay_seconds: 0, max_concurrent_batches: 16 },
      problems: {},
    });
    expect(checkBatching({ batch_size: "0", batch_delay_seconds: "3601", max_concurrent_batches: "2.5" })).toEqual({
      batching: null,
      problems: { batch_size: "range", batch_delay_seconds: "range", max_concurrent_batches: "whole" },
    });
    expect(checkBatching({ batch_size: "", batch_delay_seconds: "-1", max_concurrent_batches: "17" }).problems).toEqual({
      batch_size: "whole",
      batch_delay_seconds: "whole",
      max_concurrent_batches: "range",
    });
  });
});

describe("estimateWith", () => {
  // The backend's plan for 100 documents at 10 requests per second (rate bound 100 ÷ 10 + 0.25).
  const plan: BatchPlan = {
    documents: 100,
    batches: 4,
    delay_bound_secs: 2,
    rate_bound_secs: 10.25,
    latency_bound_secs: 12.5,
    bound_secs: 12.5,
    estimated_secs: 12.5,
  };

  it("gives the backend's numbers for the plan's own batching", () => {
    expect(estimateWith(plan, { batch_size: 25, batch_delay_seconds: 2, max_concurrent_batches: 2 })).toEqual({ batches: 4, seconds: 12.5 });
  });

  it("follows a longer delay and one batch at a time", () => {
    // 10 batches, 9 pauses of 30 s, then the last batch of 10 at 0.25 s each.
    expect(estimateWith(plan, { batch_size: 10, batch_delay_seconds: 30, max_concurrent_batches: 1 })).toEqual({ batches: 10, seconds: 272.5 });
  });

  it("without a rate limit, and with nothing to do", () => {
    const noRate = { ...plan, rate_bound_secs: null };
    expect(estimateWith(noRate, { batch_size: 100, batch_delay_seconds: 0, max_concurrent_batches: 4 })).toEqual({ batches: 1, seconds: 25 });
    expect(estimateWith({ ...plan, documents: 0 }, { batch_size: 10, batch_delay_seconds: 5, max_concurrent_batches: 1 })).toEqual({ batches: 0, seconds: 0 });
  });
});

describe("results", () => {
  const r = (id: number, outcome: BulkResult["outcome"]): BulkResult => ({
    einvoice_id: id,
    consecutivo: null,
    clave: null,
    receiver_name: null,
    outcome,
    state: "signed",
    message: null,
    error_codes: outcome === "failed" ? [{ code: "-53", message: "Receptor inválido", row: null, column: null }] : [],
  });

  it("puts failures first and keeps the order within an outcome", () => {
    const rows = [r(1, "done"), r(2, "failed"), r(3, "skipped"), r(4, "retrying"), r(5, "failed")];
    expect(sortResults(rows).map((x) => x.einvoice_id)).toEqual([2, 5, 4, 3, 1]);
    expect(countOutcomes(rows)).toEqual({ done: 1, failed: 2, skipped: 1, retrying: 1 });
    expect(errorCodesText(rows[1]!)).toBe("-53 — Receptor inválido");
  });
});
