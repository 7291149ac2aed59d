//! E-invoice rules (SPEC §5) without I/O: document states and which of them a person may
//! change by hand, the retry queue's delays, the company's e-invoice settings, bulk-submit
//! batch plans with a time estimate (SPEC §9), and when to poll or warn about a document
//! that is waiting to be sent. Every function takes the current time as an argument.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::api_error::FieldError;
use crate::error_category::ErrorCategory;

// ---------------------------------------------------------------------------------------------
// Document states
// ---------------------------------------------------------------------------------------------

/// Where an e-invoice stands: draft → generated → signed → submitted → processing →
/// accepted | rejected | error (SPEC §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DocumentState {
    /// Being written; no number yet.
    Draft,
    /// Numbered (consecutivo and clave) and its XML built.
    Generated,
    /// Signed and saved locally, waiting in the queue to be sent.
    Signed,
    /// Sent; Hacienda said it received it.
    Submitted,
    /// Hacienda is processing it.
    Processing,
    /// Hacienda accepted it.
    Accepted,
    /// Hacienda rejected it.
    Rejected,
    /// Hacienda answered with an error.
    Error,
}

impl DocumentState {
    /// Every state, in the order of a document's life (kanban column order).
    pub const ALL: [DocumentState; 8] = [
        Self::Draft,
        Self::Generated,
        Self::Signed,
        Self::Submitted,
        Self::Processing,
        Self::Accepted,
        Self::Rejected,
        Self::Error,
    ];

    /// The stable name stored in SQLite.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Generated => "generated",
            Self::Signed => "signed",
            Self::Submitted => "submitted",
            Self::Processing => "processing",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::Error => "error",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether Hacienda has given its last word (accepted, rejected or error).
    pub fn is_final(self) -> bool {
        matches!(self, Self::Accepted | Self::Rejected | Self::Error)
    }

    /// Whether the document was sent and Hacienda's verdict is still awaited (what polling
    /// looks at).
    pub fn awaits_hacienda(self) -> bool {
        matches!(self, Self::Submitted | Self::Processing)
    }

    /// Whether the document is issued (numbered and dated) but not sent yet: the documents
    /// that show their age and a warning before they would be late.
    pub fn is_pending_submission(self) -> bool {
        matches!(self, Self::Generated | Self::Signed)
    }

    /// Whether a person may move a document from `self` to `to` by hand (a kanban drag, a
    /// "back to draft" button), and why not when they may not.
    ///
    /// `submit_attempted`: whether a submit was ever started for this document, including one
    /// that timed out or failed. Such a document may already be at Hacienda under its clave.
    ///
    /// The only hand move is *back to draft*, and only while Hacienda cannot have the
    /// document: going forward takes an action (generate, sign, submit) and the later states
    /// are Hacienda's answers, never a person's choice. Moving onto the same state is a no-op.
    pub fn check_manual_move(
        self,
        to: DocumentState,
        submit_attempted: bool,
    ) -> Result<(), MoveRefusal> {
        use DocumentState::*;
        if self == to {
            return Ok(());
        }
        match self {
            // An accepted invoice is a tax fact: it is corrected with a nota de crédito.
            Accepted => return Err(MoveRefusal::AcceptedNeedsCreditNote),
            // Hacienda keeps the clave of a rejected document; sending it again under the same
            // clave is refused as a duplicate, so the correction is a new document.
            Rejected => return Err(MoveRefusal::RejectedNeedsNewDocument),
            // Sent and not answered yet: only Hacienda's answer may move it.
            Submitted | Processing => return Err(MoveRefusal::SentDocumentsAreTrackedByHacienda),
            Draft | Generated | Signed | Error => {}
        }
        match to {
            // Back to draft: only while nothing can have reached Hacienda. The document keeps
            // its consecutivo and clave for life (SPEC §5), so regenerating reuses them.
            Draft => match (self, submit_attempted) {
                (_, false) => Ok(()),
                // Hacienda answered "error" to a document it received: its clave is spent.
                (Error, true) => Err(MoveRefusal::FinalState),
                // A submit was tried (maybe timed out): ask Hacienda about the clave first.
                (_, true) => Err(MoveRefusal::MayHaveReachedHacienda),
            },
            // Going forward is an action with side effects, never a drag; name the first step
            // still missing.
            Generated | Signed | Submitted => Err(match self {
                Draft => MoveRefusal::NeedsGenerating,
                Generated => MoveRefusal::NeedsSigning,
                Signed if to == Generated => MoveRefusal::OnlyBackToDraft,
                Signed => MoveRefusal::NeedsSubmitting,
                _ => MoveRefusal::OnlyBackToDraft,
            }),
            // Processing, accepted, rejected and error come only from Hacienda's answers.
            Processing | Accepted | Rejected | Error => Err(MoveRefusal::SetByHacienda),
        }
    }

    /// The states a person may move a document to by hand from `self` (for highlighting
    /// kanban columns during a drag); `self` itself is not listed.
    pub fn manual_targets(self, submit_attempted: bool) -> Vec<DocumentState> {
        Self::ALL
            .into_iter()
            .filter(|to| *to != self && self.check_manual_move(*to, submit_attempted).is_ok())
            .collect()
    }
}

/// Why a hand move of a document is refused; the UI translates the code and may offer the
/// action named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MoveRefusal {
    /// A draft becomes generated by "Generate" (numbering and XML), not by a drag.
    NeedsGenerating,
    /// A generated document becomes signed by "Sign" (certificate and PIN), not by a drag.
    NeedsSigning,
    /// A signed document becomes submitted by "Submit" (the send queue), not by a drag.
    NeedsSubmitting,
    /// Processing, accepted, rejected and error are set by Hacienda's answers only.
    SetByHacienda,
    /// A document that was sent follows Hacienda's answers until it has a final one.
    SentDocumentsAreTrackedByHacienda,
    /// A send was tried and may have reached Hacienda: check its status first.
    MayHaveReachedHacienda,
    /// An accepted document is corrected with a nota de crédito.
    AcceptedNeedsCreditNote,
    /// A rejected document's clave is spent: correct it as a new document.
    RejectedNeedsNewDocument,
    /// Hacienda's answer is final and its clave is spent.
    FinalState,
    /// The only way back is to draft.
    OnlyBackToDraft,
}

impl MoveRefusal {
    /// Every refusal.
    pub const ALL: [MoveRefusal; 10] = [
        Self::NeedsGenerating,
        Self::NeedsSigning,
        Self::NeedsSubmitting,
        Self::SetByHacienda,
        Self::SentDocumentsAreTrackedByHacienda,
        Self::MayHaveReachedHacienda,
        Self::AcceptedNeedsCreditNote,
        Self::RejectedNeedsNewDocument,
        Self::FinalState,
        Self::OnlyBackToDraft,
    ];

    /// The stable code the UI translates.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NeedsGenerating => "needs_generating",
            Self::NeedsSigning => "needs_signing",
            Self::NeedsSubmitting => "needs_submitting",
            Self::SetByHacienda => "set_by_hacienda",
            Self::SentDocumentsAreTrackedByHacienda => "sent_documents_are_tracked_by_hacienda",
            Self::MayHaveReachedHacienda => "may_have_reached_hacienda",
            Self::AcceptedNeedsCreditNote => "accepted_needs_credit_note",
            Self::RejectedNeedsNewDocument => "rejected_needs_new_document",
            Self::FinalState => "final_state",
            Self::OnlyBackToDraft => "only_back_to_draft",
        }
    }

    /// Parses the code.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

// ---------------------------------------------------------------------------------------------
// Retry queue
// ---------------------------------------------------------------------------------------------

/// What a retry-queue entry will try again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RetryOperation {
    Sign,
    Submit,
    Poll,
}

impl RetryOperation {
    /// Every operation.
    pub const ALL: [RetryOperation; 3] = [Self::Sign, Self::Submit, Self::Poll];

    /// The stable name stored in SQLite.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sign => "sign",
            Self::Submit => "submit",
            Self::Poll => "poll",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where a retry-queue entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RetryState {
    /// Waiting for its next retry time.
    Pending,
    /// Being tried now.
    Processing,
    /// Succeeded.
    Done,
    /// Gave up after the last attempt (the user was notified).
    Failed,
    /// Cancelled by hand.
    Cancelled,
}

impl RetryState {
    /// Every state.
    pub const ALL: [RetryState; 5] = [
        Self::Pending,
        Self::Processing,
        Self::Done,
        Self::Failed,
        Self::Cancelled,
    ];

    /// The stable name stored in SQLite.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Processing => "processing",
            Self::Done => "done",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the queue will not try this entry again by itself.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Done | Self::Failed | Self::Cancelled)
    }

    /// Whether "Retry now" applies: a waiting entry, or one that gave up. An entry being tried
    /// is already running; a done one has nothing left; a cancelled one was a hand decision.
    pub fn can_retry_now(self) -> bool {
        matches!(self, Self::Pending | Self::Failed)
    }

    /// Whether "Cancel" applies: only an entry still waiting (one being tried cannot be
    /// recalled mid-request).
    pub fn can_cancel(self) -> bool {
        matches!(self, Self::Pending)
    }
}

/// Base delays before retry 1, 2, 3, … in seconds (SPEC §5); the last repeats beyond.
pub const RETRY_BASE_DELAYS_SECS: [i64; 5] = [5 * 60, 15 * 60, 60 * 60, 4 * 3600, 12 * 3600];

/// Days after which done and failed retry entries may be removed (SPEC §5).
pub const RETRY_CLEANUP_AFTER_DAYS: i64 = 30;

/// The default maximum number of attempts (SPEC §5).
pub const DEFAULT_MAX_ATTEMPTS: u32 = 5;

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Try again at this time.
    RetryAt(DateTime<Utc>),
    /// No attempts left: mark the entry failed and notify the user.
    GiveUp,
}

/// When to try a failed operation again (SPEC §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; after that many the entry fails. 1 means no
    /// automatic retry. 0 is treated as 1.
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        }
    }
}

impl RetryPolicy {
    /// A policy allowing `max_attempts` attempts in all.
    pub fn new(max_attempts: u32) -> Self {
        Self { max_attempts }
    }

    /// The delay after `attempts_made` failed attempts for a failure of `category`: the
    /// n-th base delay (the last one repeating) times the category's multiplier, to the
    /// millisecond. `attempts_made` 0 is read as 1.
    pub fn delay(&self, attempts_made: u32, category: ErrorCategory) -> Duration {
        let index = usize::try_from(attempts_made.saturating_sub(1))
            .unwrap_or(usize::MAX)
            .min(RETRY_BASE_DELAYS_SECS.len() - 1);
        let base_ms = RETRY_BASE_DELAYS_SECS[index] as f64 * 1000.0;
        Duration::milliseconds((base_ms * category.delay_multiplier()).round() as i64)
    }

    /// Decides what follows the failure of attempt number `attempts_made` (1 after the first
    /// attempt failed). A `Retry-After` from the server wins over the computed delay (a
    /// negative one means "now"); with no attempts left the answer is `GiveUp` whatever the
    /// server said.
    pub fn decide(
        &self,
        attempts_made: u32,
        category: ErrorCategory,
        retry_after: Option<Duration>,
        now: DateTime<Utc>,
    ) -> RetryDecision {
        if attempts_made >= self.max_attempts.max(1) {
            return RetryDecision::GiveUp;
        }
        let wait = match retry_after {
            Some(d) => d.max(Duration::zero()),
            None => self.delay(attempts_made, category),
        };
        RetryDecision::RetryAt(
            now.checked_add_signed(wait)
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
        )
    }
}

/// Whether a retry entry in `state`, last changed at `updated_at`, may be removed at `now`:
/// done and failed entries older than 30 days (SPEC §5). Pending and processing entries are
/// live; cancelled ones are outside the SPEC's rule and kept as a record of a hand decision.
pub fn is_cleanable(state: RetryState, updated_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    matches!(state, RetryState::Done | RetryState::Failed)
        && now.signed_duration_since(updated_at) > Duration::days(RETRY_CLEANUP_AFTER_DAYS)
}

// ---------------------------------------------------------------------------------------------
// Company settings
// ---------------------------------------------------------------------------------------------

/// A company's e-invoice settings (SPEC §5). Defaults are the SPEC's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct EinvoiceSettings {
    /// Poll submitted documents for Hacienda's answer automatically.
    pub auto_poll: bool,
    /// Minutes between polling runs.
    pub poll_every_minutes: u32,
    /// Stop polling a document this many hours after it was submitted.
    pub poll_max_age_hours: u32,
    /// Documents asked about per polling run.
    pub poll_batch: u32,
    /// Documents per submit batch.
    pub batch_size: u32,
    /// Seconds between submit batches.
    pub batch_delay_seconds: u32,
    /// Submit batches running at once.
    pub max_concurrent_batches: u32,
    /// Retry failed operations automatically.
    pub auto_retry: bool,
    /// Attempts in all before an operation fails.
    pub max_attempts: u32,
    /// Keep every answer from Hacienda.
    pub store_responses: bool,
    /// Days a stored answer is kept.
    pub response_retention_days: u32,
    /// Hours after issue by which a document should have been sent: the office's own target
    /// (the reference states no legal deadline), after which a waiting document shows as late.
    pub send_late_after_hours: u32,
    /// Hours before that target from which a waiting document shows a warning.
    pub send_warn_before_hours: u32,
}

impl Default for EinvoiceSettings {
    fn default() -> Self {
        Self {
            auto_poll: true,
            poll_every_minutes: 15,
            poll_max_age_hours: 24,
            poll_batch: 50,
            batch_size: 50,
            batch_delay_seconds: 5,
            max_concurrent_batches: 3,
            auto_retry: true,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            store_responses: true,
            response_retention_days: 90,
            send_late_after_hours: 72,
            send_warn_before_hours: 24,
        }
    }
}

fn check_range(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: u32,
    range: std::ops::RangeInclusive<u32>,
    message: &str,
) {
    if !range.contains(&value) {
        errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }
}

impl EinvoiceSettings {
    /// Checks every field; field names are the serde names.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_range(
            &mut e,
            "poll_every_minutes",
            self.poll_every_minutes,
            1..=1440,
            "Poll between every 1 and every 1440 minutes.",
        );
        // Checked only when both fields are in range, so a field is named once.
        if (1..=1440).contains(&self.poll_every_minutes)
            && (1..=720).contains(&self.poll_max_age_hours)
            && self.poll_every_minutes > self.poll_max_age_hours * 60
        {
            e.push(FieldError {
                field: "poll_every_minutes".into(),
                message: "Poll more often than the polling period, or documents are asked about \
                          only once."
                    .into(),
            });
        }
        check_range(
            &mut e,
            "poll_max_age_hours",
            self.poll_max_age_hours,
            1..=720,
            "Poll a document for between 1 and 720 hours after it was sent.",
        );
        check_range(
            &mut e,
            "poll_batch",
            self.poll_batch,
            1..=500,
            "Ask about between 1 and 500 documents per polling run.",
        );
        check_range(
            &mut e,
            "batch_size",
            self.batch_size,
            1..=500,
            "Send between 1 and 500 documents per batch.",
        );
        check_range(
            &mut e,
            "batch_delay_seconds",
            self.batch_delay_seconds,
            0..=3600,
            "Wait between 0 and 3600 seconds between batches.",
        );
        check_range(
            &mut e,
            "max_concurrent_batches",
            self.max_concurrent_batches,
            1..=16,
            "Run between 1 and 16 batches at once.",
        );
        check_range(
            &mut e,
            "max_attempts",
            self.max_attempts,
            1..=20,
            "Allow between 1 and 20 attempts.",
        );
        check_range(
            &mut e,
            "response_retention_days",
            self.response_retention_days,
            1..=3650,
            "Keep answers between 1 and 3650 days.",
        );
        check_range(
            &mut e,
            "send_late_after_hours",
            self.send_late_after_hours,
            1..=720,
            "A document is late between 1 and 720 hours after it was issued.",
        );
        if self.send_warn_before_hours >= self.send_late_after_hours
            && (1..=720).contains(&self.send_late_after_hours)
        {
            e.push(FieldError {
                field: "send_warn_before_hours".into(),
                message: "Warn fewer hours ahead than the hours after which a document is late."
                    .into(),
            });
        }
        e
    }

    /// When a signed document waiting to be sent shows a warning, and when it is late.
    pub fn send_deadline(&self) -> SendDeadline {
        SendDeadline::new(
            Duration::hours(i64::from(self.send_late_after_hours)),
            Duration::hours(i64::from(self.send_warn_before_hours)),
        )
    }

    /// The retry policy these settings ask for. With auto retry off the first failure is
    /// final (one attempt): the entry fails, the user is notified and may "Retry now".
    pub fn retry_policy(&self) -> RetryPolicy {
        RetryPolicy::new(if self.auto_retry {
            self.max_attempts.max(1)
        } else {
            1
        })
    }

    /// Stored answers received before this time are past their retention at `now`.
    pub fn response_cutoff(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now.checked_sub_signed(Duration::days(i64::from(self.response_retention_days)))
            .unwrap_or(DateTime::<Utc>::MIN_UTC)
    }

    /// The batch plan for submitting `documents` with these settings.
    pub fn batch_plan(
        &self,
        documents: u64,
        rate_per_sec: Option<f64>,
        latency_secs: f64,
    ) -> BatchPlan {
        BatchPlan::new(
            documents,
            self.batch_size,
            f64::from(self.batch_delay_seconds),
            self.max_concurrent_batches,
            rate_per_sec,
            latency_secs,
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Batch plans
// ---------------------------------------------------------------------------------------------

/// How a bulk submit is cut into batches and how long it should take (the wizards' review
/// step, the benchmark's bound).
///
/// Model: one request per document; each batch sends its documents one after another, up to
/// `max_concurrent_batches` batches at once, all sharing the connection's rate limit; batch
/// starts are paced by the batch delay so that on average `max_concurrent_batches` batches
/// start per delay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BatchPlan {
    pub documents: u64,
    pub batches: u64,
    /// The lower bound set by the batch delay (SPEC §9): (batches ÷ concurrent − 1) × delay,
    /// never below zero.
    pub delay_bound_secs: f64,
    /// The lower bound set by the rate limit (SPEC §9): requests ÷ rate + one latency.
    pub rate_bound_secs: Option<f64>,
    /// The lower bound set by latency: requests × latency ÷ batches in flight.
    pub latency_bound_secs: f64,
    /// The largest of the bounds: no run can be faster (the benchmark's bound).
    pub bound_secs: f64,
    /// The expected duration: the bound, plus sending the last batch after the last delay
    /// when the delay dominates.
    pub estimated_secs: f64,
}

fn non_negative(x: f64) -> f64 {
    if x.is_finite() && x > 0.0 {
        x
    } else {
        0.0
    }
}

impl BatchPlan {
    /// Plans `documents` in batches of `batch_size` (0 read as 1), `batch_delay_secs` apart,
    /// `max_concurrent_batches` at once (0 read as 1), under an optional rate limit in
    /// requests per second (`None`, zero, negative or not finite: no limit), with
    /// `latency_secs` per request.
    pub fn new(
        documents: u64,
        batch_size: u32,
        batch_delay_secs: f64,
        max_concurrent_batches: u32,
        rate_per_sec: Option<f64>,
        latency_secs: f64,
    ) -> Self {
        let size = u64::from(batch_size.max(1));
        let batches = documents.div_ceil(size);
        let in_flight = batches.min(u64::from(max_concurrent_batches.max(1)));
        let delay = non_negative(batch_delay_secs);
        let latency = non_negative(latency_secs);
        let rate = rate_per_sec.filter(|r| r.is_finite() && *r > 0.0);

        if documents == 0 {
            return Self {
                documents,
                batches,
                delay_bound_secs: 0.0,
                rate_bound_secs: rate.map(|_| 0.0),
                latency_bound_secs: 0.0,
                bound_secs: 0.0,
                estimated_secs: 0.0,
            };
        }

        let concurrent = u64::from(max_concurrent_batches.max(1)) as f64;
        let delay_bound = ((batches as f64 / concurrent - 1.0) * delay).max(0.0);
        let rate_bound = rate.map(|r| documents as f64 / r + latency);
        let latency_bound = documents as f64 * latency / in_flight as f64;
        let bound = delay_bound
            .max(latency_bound)
            .max(rate_bound.unwrap_or(0.0));

        // One batch sends its documents one after another; under a shared rate each of the
        // batches in flight gets its share of it.
        let per_request = match rate {
            Some(r) => latency.max(in_flight as f64 / r),
            None => latency,
        };
        let last_batch = (documents - (batches - 1) * size) as f64 * per_request;
        let estimated = if delay_bound > 0.0 {
            bound.max(delay_bound + last_batch)
        } else {
            bound
        };

        Self {
            documents,
            batches,
            delay_bound_secs: delay_bound,
            rate_bound_secs: rate_bound,
            latency_bound_secs: latency_bound,
            bound_secs: bound,
            estimated_secs: estimated,
        }
    }
}

impl BatchPlan {
    /// The plan with a duration worked out elsewhere (work bound by the processor, such as
    /// signing, rather than by sending).
    pub fn with_estimate(mut self, secs: f64) -> Self {
        let secs = non_negative(secs);
        self.bound_secs = secs;
        self.estimated_secs = secs;
        self
    }
}

// ---------------------------------------------------------------------------------------------
// Certificate expiry
// ---------------------------------------------------------------------------------------------

/// Days before a certificate's expiry at which it is warned about (SPEC §5: 30 days ahead),
/// then again closer to the date; 0 stands for "expired".
pub const CERTIFICATE_WARNING_DAYS: [i64; 4] = [30, 7, 1, 0];

/// Whole days until a certificate's expiry, rounded down: negative once it has expired (an
/// hour past the expiry is −1, not 0).
pub fn certificate_days_left(not_after: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (not_after - now).num_seconds().div_euclid(86_400)
}

/// The warning tier a certificate with `days_left` (negative once expired) is in: the
/// smallest tier it has reached, or `None` when more than 30 days are left.
pub fn certificate_warning_tier(days_left: i64) -> Option<i64> {
    if days_left < 0 {
        return Some(0);
    }
    CERTIFICATE_WARNING_DAYS
        .iter()
        .rev()
        .skip(1)
        .copied()
        .find(|t| days_left <= *t)
}

// ---------------------------------------------------------------------------------------------
// Polling and pending age
// ---------------------------------------------------------------------------------------------

/// Whether a document submitted at `submitted_at` is still polled at `now`: for at most
/// `max_age_hours` after submit, the end included (SPEC §5). A submit time in the future (a
/// clock moved back) counts as just submitted.
pub fn should_poll(submitted_at: DateTime<Utc>, now: DateTime<Utc>, max_age_hours: u32) -> bool {
    now.signed_duration_since(submitted_at) <= Duration::hours(i64::from(max_age_hours))
}

/// How a document waiting to be sent stands against its sending deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SendUrgency {
    /// Well within the deadline.
    OnTime,
    /// Within the warning period before the deadline: show a warning.
    DueSoon,
    /// Past the deadline.
    Late,
}

impl SendUrgency {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OnTime => "on_time",
            Self::DueSoon => "due_soon",
            Self::Late => "late",
        }
    }

    /// Parses the name.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::OnTime, Self::DueSoon, Self::Late]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// A pending document's age as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PendingAge {
    /// Seconds since the document was issued (0 if the issue time is in the future).
    pub age_seconds: u64,
    pub urgency: SendUrgency,
    /// When it would be late.
    pub late_at: DateTime<Utc>,
}

/// The sending deadline of an issued document and how far ahead to warn.
///
/// The reference facts (`reference/hacienda.md`) state no deadline for sending a document to
/// Hacienda, so both figures are parameters for the caller (a setting) to choose; nothing
/// here claims a legal deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendDeadline {
    /// A document is late this long after it was issued.
    pub late_after: Duration,
    /// Warn this long before it would be late.
    pub warn_ahead: Duration,
}

impl SendDeadline {
    /// A deadline `late_after` after issue, warned about `warn_ahead` before.
    pub fn new(late_after: Duration, warn_ahead: Duration) -> Self {
        Self {
            late_after,
            warn_ahead,
        }
    }

    /// The urgency of a document issued at `issued_at`, seen at `now`. Late from the deadline
    /// on; due soon from `warn_ahead` before it (from issue if the warning is longer than the
    /// deadline).
    pub fn urgency(&self, issued_at: DateTime<Utc>, now: DateTime<Utc>) -> SendUrgency {
        let age = now.signed_duration_since(issued_at);
        if age >= self.late_after {
            SendUrgency::Late
        } else if age >= self.late_after - self.warn_ahead.max(Duration::zero()) {
            SendUrgency::DueSoon
        } else {
            SendUrgency::OnTime
        }
    }

    /// The age, urgency and deadline of a document issued at `issued_at`, seen at `now`.
    pub fn pending_age(&self, issued_at: DateTime<Utc>, now: DateTime<Utc>) -> PendingAge {
        let age = now.signed_duration_since(issued_at);
        PendingAge {
            age_seconds: u64::try_from(age.num_seconds()).unwrap_or(0),
            urgency: self.urgency(issued_at, now),
            late_at: issued_at
                .checked_add_signed(self.late_after)
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn certificates_are_warned_30_7_and_1_days_ahead_and_once_expired() {
        use super::{certificate_days_left, certificate_warning_tier};
        let at = |s: &str| s.parse::<chrono::DateTime<chrono::Utc>>().expect("time");
        let expiry = at("2027-01-31T12:00:00Z");
        let left = |now: &str| certificate_days_left(expiry, at(now));
        assert_eq!(left("2026-12-31T12:00:00Z"), 31);
        assert_eq!(left("2027-01-31T11:00:00Z"), 0);
        assert_eq!(left("2027-01-31T13:00:00Z"), -1);
        assert_eq!(left("2027-02-02T12:00:00Z"), -2);
        let tiers: Vec<Option<i64>> = [31, 30, 8, 7, 2, 1, 0, -1]
            .into_iter()
            .map(certificate_warning_tier)
            .collect();
        assert_eq!(
            tiers,
            [
                None,
                Some(30),
                Some(30),
                Some(7),
                Some(7),
                Some(1),
                Some(1),
                Some(0)
            ]
        );
    }

    use super::*;
    use DocumentState::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    fn now() -> DateTime<Utc> {
        t("2026-03-01T10:00:00Z")
    }

    // --- document states ---

    #[test]
    fn document_states_round_trip_their_names() {
        for s in DocumentState::ALL {
            assert_eq!(DocumentState::parse(s.as_str()), Some(s));
            let json = serde_json::to_string(&s).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
        assert_eq!(DocumentState::parse("Accepted"), None);
        assert_eq!(DocumentState::parse(""), None);
    }

    #[test]
    fn only_hacienda_verdicts_are_final() {
        let finals: Vec<_> = DocumentState::ALL
            .into_iter()
            .filter(|s| s.is_final())
            .collect();
        assert_eq!(finals, [Accepted, Rejected, Error]);
        let waiting: Vec<_> = DocumentState::ALL
            .into_iter()
            .filter(|s| s.awaits_hacienda())
            .collect();
        assert_eq!(waiting, [Submitted, Processing]);
        let pending: Vec<_> = DocumentState::ALL
            .into_iter()
            .filter(|s| s.is_pending_submission())
            .collect();
        assert_eq!(pending, [Generated, Signed]);
    }

    #[test]
    fn manual_moves_table() {
        use MoveRefusal::*;
        // (from, to, submit attempted, expected)
        let cases: [(DocumentState, DocumentState, bool, Result<(), MoveRefusal>); 26] = [
            (Draft, Draft, false, Ok(())),
            (Accepted, Accepted, true, Ok(())),
            (Draft, Generated, false, Err(NeedsGenerating)),
            (Draft, Signed, false, Err(NeedsGenerating)),
            (Draft, Submitted, false, Err(NeedsGenerating)),
            (Draft, Accepted, false, Err(SetByHacienda)),
            (Generated, Draft, false, Ok(())),
            (Generated, Signed, false, Err(NeedsSigning)),
            (Generated, Submitted, false, Err(NeedsSigning)),
            (Generated, Processing, false, Err(SetByHacienda)),
            (Signed, Draft, false, Ok(())),
            (Signed, Draft, true, Err(MayHaveReachedHacienda)),
            (Signed, Generated, false, Err(OnlyBackToDraft)),
            (Signed, Submitted, false, Err(NeedsSubmitting)),
            (Signed, Rejected, false, Err(SetByHacienda)),
            (
                Submitted,
                Draft,
                true,
                Err(SentDocumentsAreTrackedByHacienda),
            ),
            (
                Submitted,
                Accepted,
                true,
                Err(SentDocumentsAreTrackedByHacienda),
            ),
            (
                Processing,
                Rejected,
                true,
                Err(SentDocumentsAreTrackedByHacienda),
            ),
            (Accepted, Draft, true, Err(AcceptedNeedsCreditNote)),
            (Accepted, Rejected, true, Err(AcceptedNeedsCreditNote)),
            (Rejected, Draft, true, Err(RejectedNeedsNewDocument)),
            (Rejected, Accepted, true, Err(RejectedNeedsNewDocument)),
            (Error, Draft, true, Err(FinalState)),
            (Error, Draft, false, Ok(())),
            (Error, Signed, false, Err(OnlyBackToDraft)),
            (Error, Accepted, false, Err(SetByHacienda)),
        ];
        for (from, to, attempted, want) in cases {
            assert_eq!(
                from.check_manual_move(to, attempted),
                want,
                "{from:?} → {to:?} (submit attempted: {attempted})"
            );
        }
    }

    #[test]
    fn no_hand_move_ever_leads_forward_or_into_a_hacienda_state() {
        for from in DocumentState::ALL {
            for attempted in [false, true] {
                for to in from.manual_targets(attempted) {
                    assert_eq!(to, Draft, "{from:?} → {to:?}");
                }
            }
        }
        assert_eq!(Signed.manual_targets(false), [Draft]);
        assert!(Signed.manual_targets(true).is_empty());
        assert!(Draft.manual_targets(false).is_empty());
        assert!(Accepted.manual_targets(false).is_empty());
    }

    #[test]
    fn refusal_codes_round_trip() {
        for r in MoveRefusal::ALL {
            assert_eq!(MoveRefusal::parse(r.as_str()), Some(r));
            let json = serde_json::to_string(&r).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", r.as_str()));
        }
        assert_eq!(MoveRefusal::parse("nope"), None);
    }

    // --- retry queue ---

    #[test]
    fn retry_names_round_trip() {
        for o in RetryOperation::ALL {
            assert_eq!(RetryOperation::parse(o.as_str()), Some(o));
            let json = serde_json::to_string(&o).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", o.as_str()));
        }
        for s in RetryState::ALL {
            assert_eq!(RetryState::parse(s.as_str()), Some(s));
            let json = serde_json::to_string(&s).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
        assert_eq!(RetryOperation::parse("resend"), None);
        assert_eq!(RetryState::parse("PENDING"), None);
    }

    #[test]
    fn hand_actions_on_retry_entries() {
        use RetryState::*;
        let retry: Vec<_> = RetryState::ALL
            .into_iter()
            .filter(|s| s.can_retry_now())
            .collect();
        assert_eq!(retry, [Pending, Failed]);
        let cancel: Vec<_> = RetryState::ALL
            .into_iter()
            .filter(|s| s.can_cancel())
            .collect();
        assert_eq!(cancel, [Pending]);
        let finals: Vec<_> = RetryState::ALL
            .into_iter()
            .filter(|s| s.is_final())
            .collect();
        assert_eq!(finals, [Done, Failed, Cancelled]);
    }

    fn m(minutes: i64) -> Option<Duration> {
        Some(Duration::minutes(minutes))
    }

    #[test]
    fn retry_decisions_table_default_policy() {
        use ErrorCategory::*;
        let policy = RetryPolicy::default();
        assert_eq!(policy.max_attempts, 5);
        // (attempts made, category, Retry-After, expected wait; None = give up)
        let cases: [(u32, ErrorCategory, Option<Duration>, Option<Duration>); 27] = [
            // each base delay in turn
            (1, Transient, None, m(5)),
            (2, Transient, None, m(15)),
            (3, Transient, None, m(60)),
            (4, Transient, None, m(240)),
            // each category's multiplier at the first delay
            (1, RateLimit, None, m(10)),
            (1, Network, None, Some(Duration::seconds(450))),
            (1, Server, None, Some(Duration::seconds(450))),
            (1, Auth, None, m(15)),
            (1, Validation, None, m(30)),
            (1, Unknown, None, m(5)),
            // multipliers at later delays
            (2, RateLimit, None, m(30)),
            (2, Network, None, Some(Duration::seconds(1350))),
            (3, Server, None, m(90)),
            (3, Auth, None, m(180)),
            (3, Validation, None, m(360)),
            (4, Validation, None, m(1440)),
            (4, Unknown, None, m(240)),
            // attempts_made 0 reads as the first delay
            (0, Transient, None, m(5)),
            // Retry-After wins, shorter or longer than the computed delay
            (
                1,
                RateLimit,
                Some(Duration::seconds(30)),
                Some(Duration::seconds(30)),
            ),
            (3, Server, m(600), m(600)),
            (
                2,
                Validation,
                Some(Duration::seconds(1)),
                Some(Duration::seconds(1)),
            ),
            (1, Transient, Some(Duration::zero()), Some(Duration::zero())),
            // a Retry-After in the past means now
            (
                1,
                Transient,
                Some(Duration::seconds(-20)),
                Some(Duration::zero()),
            ),
            // max attempts reached: give up, whatever the server says
            (5, Transient, None, None),
            (5, RateLimit, Some(Duration::seconds(30)), None),
            (6, Validation, None, None),
            (u32::MAX, Auth, None, None),
        ];
        for (attempts, category, retry_after, want) in cases {
            let want = match want {
                Some(d) => RetryDecision::RetryAt(now() + d),
                None => RetryDecision::GiveUp,
            };
            assert_eq!(
                policy.decide(attempts, category, retry_after, now()),
                want,
                "attempts {attempts}, {category:?}, Retry-After {retry_after:?}"
            );
        }
    }

    #[test]
    fn the_last_delay_repeats_beyond_the_table() {
        let policy = RetryPolicy::new(10);
        let cases: [(u32, ErrorCategory, Option<Duration>); 8] = [
            (4, ErrorCategory::Transient, m(240)),
            (5, ErrorCategory::Transient, m(720)),
            (6, ErrorCategory::Transient, m(720)),
            (9, ErrorCategory::Transient, m(720)),
            (5, ErrorCategory::Network, m(1080)),
            (7, ErrorCategory::RateLimit, m(1440)),
            (8, ErrorCategory::Validation, m(4320)),
            (10, ErrorCategory::Transient, None),
        ];
        for (attempts, category, want) in cases {
            let want = match want {
                Some(d) => RetryDecision::RetryAt(now() + d),
                None => RetryDecision::GiveUp,
            };
            assert_eq!(
                policy.decide(attempts, category, None, now()),
                want,
                "attempts {attempts}, {category:?}"
            );
        }
        assert_eq!(
            RetryPolicy::default().delay(u32::MAX, ErrorCategory::Transient),
            Duration::hours(12)
        );
    }

    #[test]
    fn a_single_attempt_policy_gives_up_at_the_first_failure() {
        for policy in [RetryPolicy::new(1), RetryPolicy::new(0)] {
            for category in [
                ErrorCategory::Transient,
                ErrorCategory::RateLimit,
                ErrorCategory::Validation,
            ] {
                assert_eq!(
                    policy.decide(1, category, None, now()),
                    RetryDecision::GiveUp
                );
                assert_eq!(
                    policy.decide(1, category, m(1), now()),
                    RetryDecision::GiveUp
                );
            }
            // Queued but never tried: the first attempt is still to come.
            assert_eq!(
                policy.decide(0, ErrorCategory::Transient, None, now()),
                RetryDecision::RetryAt(now() + Duration::minutes(5))
            );
        }
    }

    #[test]
    fn a_huge_retry_after_does_not_overflow() {
        let decision =
            RetryPolicy::default().decide(1, ErrorCategory::RateLimit, Some(Duration::MAX), now());
        assert_eq!(decision, RetryDecision::RetryAt(DateTime::<Utc>::MAX_UTC));
    }

    #[test]
    fn a_fake_clock_walks_an_entry_to_failure() {
        // An entry failing with a server error every time, driven by a hand-moved clock.
        let policy = RetryPolicy::default();
        let mut clock = now();
        let mut times = Vec::new();
        let mut attempts = 0;
        loop {
            attempts += 1;
            match policy.decide(attempts, ErrorCategory::Server, None, clock) {
                RetryDecision::RetryAt(at) => {
                    times.push(at);
                    clock = at;
                }
                RetryDecision::GiveUp => break,
            }
        }
        assert_eq!(attempts, 5);
        assert_eq!(
            times,
            [
                t("2026-03-01T10:07:30Z"),
                t("2026-03-01T10:30:00Z"),
                t("2026-03-01T12:00:00Z"),
                t("2026-03-01T18:00:00Z"),
            ]
        );
    }

    #[test]
    fn done_and_failed_entries_are_cleaned_after_30_days() {
        use RetryState::*;
        let updated = t("2026-01-01T00:00:00Z");
        let day_30 = t("2026-01-31T00:00:00Z");
        let just_after = t("2026-01-31T00:00:01Z");
        for state in RetryState::ALL {
            assert!(
                !is_cleanable(state, updated, day_30),
                "{state:?} at 30 days"
            );
            let want = matches!(state, Done | Failed);
            assert_eq!(is_cleanable(state, updated, just_after), want, "{state:?}");
        }
        // Updated "in the future" (clock moved back): kept.
        assert!(!is_cleanable(Done, just_after, updated));
    }

    // --- settings ---

    #[test]
    fn settings_default_to_the_spec() {
        let s = EinvoiceSettings::default();
        assert!(s.auto_poll);
        assert_eq!(s.poll_every_minutes, 15);
        assert_eq!(s.poll_max_age_hours, 24);
        assert_eq!(s.poll_batch, 50);
        assert_eq!(s.batch_size, 50);
        assert_eq!(s.batch_delay_seconds, 5);
        assert_eq!(s.max_concurrent_batches, 3);
        assert!(s.auto_retry);
        assert_eq!(s.max_attempts, 5);
        assert!(s.store_responses);
        assert_eq!(s.response_retention_days, 90);
        assert!(s.validate().is_empty());
        assert_eq!(s.retry_policy(), RetryPolicy::default());
    }

    #[test]
    fn settings_read_missing_fields_as_defaults() {
        let s: EinvoiceSettings =
            serde_json::from_str(r#"{"batch_size": 20, "auto_retry": false}"#).unwrap_or_default();
        assert_eq!(s.batch_size, 20);
        assert!(!s.auto_retry);
        assert_eq!(s.poll_every_minutes, 15);
        let json = serde_json::to_value(EinvoiceSettings::default()).unwrap_or_default();
        assert_eq!(json["response_retention_days"], 90);
    }

    #[test]
    fn out_of_range_settings_name_their_fields() {
        let s = EinvoiceSettings {
            poll_every_minutes: 0,
            poll_max_age_hours: 0,
            poll_batch: 0,
            batch_size: 501,
            batch_delay_seconds: 3601,
            max_concurrent_batches: 0,
            max_attempts: 0,
            response_retention_days: 0,
            ..EinvoiceSettings::default()
        };
        let fields: Vec<_> = s.validate().into_iter().map(|f| f.field).collect();
        assert_eq!(
            fields,
            [
                "poll_every_minutes",
                "poll_max_age_hours",
                "poll_batch",
                "batch_size",
                "batch_delay_seconds",
                "max_concurrent_batches",
                "max_attempts",
                "response_retention_days",
            ]
        );
        // Field names are the serde names.
        let json = serde_json::to_value(EinvoiceSettings::default()).unwrap_or_default();
        for f in &fields {
            assert!(json.get(f).is_some(), "{f}");
        }
    }

    #[test]
    fn settings_edges() {
        let ok = EinvoiceSettings {
            poll_every_minutes: 1440,
            poll_max_age_hours: 24,
            batch_delay_seconds: 0,
            max_attempts: 1,
            ..EinvoiceSettings::default()
        };
        assert!(ok.validate().is_empty());
        // Polling less often than the polling period asks about a document once at most.
        let rare = EinvoiceSettings {
            poll_every_minutes: 120,
            poll_max_age_hours: 1,
            ..EinvoiceSettings::default()
        };
        let fields: Vec<_> = rare.validate().into_iter().map(|f| f.field).collect();
        assert_eq!(fields, ["poll_every_minutes"]);
    }

    #[test]
    fn settings_give_the_retry_policy() {
        let s = EinvoiceSettings {
            max_attempts: 8,
            ..EinvoiceSettings::default()
        };
        assert_eq!(s.retry_policy(), RetryPolicy::new(8));
        let off = EinvoiceSettings {
            auto_retry: false,
            ..s
        };
        assert_eq!(off.retry_policy(), RetryPolicy::new(1));
        assert_eq!(
            off.retry_policy()
                .decide(1, ErrorCategory::Transient, None, now()),
            RetryDecision::GiveUp
        );
    }

    #[test]
    fn responses_are_kept_for_the_retention_period() {
        let s = EinvoiceSettings::default();
        assert_eq!(s.response_cutoff(now()), t("2025-12-01T10:00:00Z"));
    }

    // --- batch plans ---

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn spec_default_batching_is_bound_by_the_delay() {
        // SPEC §9: 1,000 documents, 50 per batch, 5 s delay, 3 concurrent batches, 20 ms.
        let p = BatchPlan::new(1000, 50, 5.0, 3, None, 0.020);
        assert_eq!(p.batches, 20);
        assert!(close(p.delay_bound_secs, (20.0 / 3.0 - 1.0) * 5.0));
        assert!(close(p.delay_bound_secs, 85.0 / 3.0), "{p:?}");
        assert_eq!(p.rate_bound_secs, None);
        assert!(close(p.latency_bound_secs, 1000.0 * 0.02 / 3.0));
        assert!(close(p.bound_secs, p.delay_bound_secs));
        // Plus the last batch's 50 requests at 20 ms after the last delay.
        assert!(close(p.estimated_secs, 85.0 / 3.0 + 1.0), "{p:?}");
        // The same from the settings.
        assert_eq!(EinvoiceSettings::default().batch_plan(1000, None, 0.020), p);
    }

    #[test]
    fn spec_no_rate_limit_run_is_bound_by_latency() {
        // "No rate limit" means batch delay 0 s as well: < 30 s, aim < 10 s at 20 ms.
        let p = BatchPlan::new(1000, 50, 0.0, 3, None, 0.020);
        assert_eq!(p.delay_bound_secs, 0.0);
        assert!(close(p.bound_secs, 20.0 / 3.0));
        assert!(close(p.estimated_secs, p.bound_secs));
        assert!(p.estimated_secs < 10.0);
    }

    #[test]
    fn a_rate_limit_bounds_by_requests_over_rate() {
        // requests ÷ rate + one latency.
        let p = BatchPlan::new(1000, 50, 0.0, 3, Some(10.0), 0.020);
        assert!(p.rate_bound_secs.is_some_and(|b| close(b, 100.02)), "{p:?}");
        assert!(close(p.bound_secs, 100.02));
        assert!(close(p.estimated_secs, 100.02));
        // A rate with the default delay: the rate dominates (100 s against 28.3 s).
        let p = BatchPlan::new(1000, 50, 5.0, 3, Some(10.0), 0.020);
        assert!(close(p.bound_secs, 100.02));
        assert!(p.estimated_secs >= p.bound_secs);
        // A fast rate leaves the delay in charge.
        let p = BatchPlan::new(1000, 50, 5.0, 3, Some(1000.0), 0.0);
        assert!(close(p.bound_secs, 85.0 / 3.0));
        assert!(close(p.estimated_secs, 85.0 / 3.0 + 50.0 * 3.0 / 1000.0));
    }

    #[test]
    fn small_and_degenerate_plans() {
        // Fewer batches than may run at once: no delay at all.
        let p = BatchPlan::new(120, 50, 5.0, 3, None, 0.0);
        assert_eq!(p.batches, 3);
        assert_eq!(p.delay_bound_secs, 0.0);
        assert_eq!(p.estimated_secs, 0.0);
        // A partial last batch.
        let p = BatchPlan::new(101, 50, 5.0, 1, None, 0.1);
        assert_eq!(p.batches, 3);
        assert!(close(p.delay_bound_secs, 10.0));
        assert!(close(p.latency_bound_secs, 10.1));
        assert!(close(p.estimated_secs, 10.1), "{p:?}");
        // Nothing to send.
        let p = BatchPlan::new(0, 50, 5.0, 3, Some(10.0), 0.02);
        assert_eq!(p.batches, 0);
        assert_eq!(p.rate_bound_secs, Some(0.0));
        assert_eq!(p.estimated_secs, 0.0);
        // Zero sizes and nonsense numbers are read safely.
        let p = BatchPlan::new(10, 0, f64::NAN, 0, Some(f64::INFINITY), -1.0);
        assert_eq!(p.batches, 10);
        assert_eq!(p.rate_bound_secs, None);
        assert_eq!(p.delay_bound_secs, 0.0);
        assert_eq!(p.estimated_secs, 0.0);
        let p = BatchPlan::new(10, 5, 1.0, 1, Some(0.0), 0.0);
        assert_eq!(p.rate_bound_secs, None);
        assert!(close(p.delay_bound_secs, 1.0));
    }

    // --- polling and pending age ---

    #[test]
    fn polling_stops_after_the_maximum_age() {
        let submitted = t("2026-03-01T10:00:00Z");
        let cases = [
            ("2026-03-01T10:00:00Z", 24, true),
            ("2026-03-02T09:59:59Z", 24, true),
            ("2026-03-02T10:00:00Z", 24, true),
            ("2026-03-02T10:00:01Z", 24, false),
            ("2026-03-01T11:00:01Z", 1, false),
            ("2026-03-01T10:00:00Z", 0, true),
            ("2026-03-01T10:00:01Z", 0, false),
            // A clock moved back: still polled.
            ("2026-03-01T09:00:00Z", 24, true),
        ];
        for (at, hours, want) in cases {
            assert_eq!(
                should_poll(submitted, t(at), hours),
                want,
                "{at} / {hours} h"
            );
        }
    }

    #[test]
    fn pending_documents_are_warned_about_before_they_are_late() {
        let deadline = SendDeadline::new(Duration::hours(72), Duration::hours(24));
        let issued = t("2026-03-01T10:00:00Z");
        let cases = [
            ("2026-03-01T10:00:00Z", 0, SendUrgency::OnTime),
            ("2026-03-03T09:59:59Z", 172_799, SendUrgency::OnTime),
            ("2026-03-03T10:00:00Z", 172_800, SendUrgency::DueSoon),
            ("2026-03-04T09:59:59Z", 259_199, SendUrgency::DueSoon),
            ("2026-03-04T10:00:00Z", 259_200, SendUrgency::Late),
            ("2026-03-10T10:00:00Z", 777_600, SendUrgency::Late),
            // Issued "in the future": age 0, on time.
            ("2026-03-01T09:00:00Z", 0, SendUrgency::OnTime),
        ];
        for (at, age, urgency) in cases {
            let got = deadline.pending_age(issued, t(at));
            assert_eq!(
                got,
                PendingAge {
                    age_seconds: age,
                    urgency,
                    late_at: t("2026-03-04T10:00:00Z"),
                },
                "{at}"
            );
        }
        // A warning longer than the deadline warns from the start; a negative one never early.
        let eager = SendDeadline::new(Duration::hours(1), Duration::hours(5));
        assert_eq!(eager.urgency(issued, issued), SendUrgency::DueSoon);
        let never = SendDeadline::new(Duration::hours(1), Duration::hours(-5));
        assert_eq!(
            never.urgency(issued, t("2026-03-01T10:59:59Z")),
            SendUrgency::OnTime
        );
        for u in [SendUrgency::OnTime, SendUrgency::DueSoon, SendUrgency::Late] {
            assert_eq!(SendUrgency::parse(u.as_str()), Some(u));
        }
    }
}
