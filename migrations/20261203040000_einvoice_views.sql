-- What each bulk e-invoice run did to each document, for the wizard's summary and its export.
CREATE TABLE einvoice_run_result (
    run_id       INTEGER NOT NULL REFERENCES sync_run (id) ON DELETE CASCADE,
    einvoice_id  INTEGER NOT NULL REFERENCES einvoice (id) ON DELETE CASCADE,
    outcome      TEXT    NOT NULL CHECK (outcome IN ('done', 'skipped', 'retrying', 'failed')),
    state        TEXT    NOT NULL,
    message      TEXT,
    PRIMARY KEY (run_id, einvoice_id)
) WITHOUT ROWID;
CREATE INDEX einvoice_run_result_doc ON einvoice_run_result (einvoice_id);

-- The dashboard counts by state with totals, and by day of signing, sending and decision,
-- from indexes alone, so its queries stay fast with a hundred thousand documents.
CREATE INDEX einvoice_state_total ON einvoice (state, total_value);
CREATE INDEX einvoice_signed ON einvoice (signed_at) WHERE signed_at IS NOT NULL;
CREATE INDEX einvoice_submitted ON einvoice (submitted_at) WHERE submitted_at IS NOT NULL;
CREATE INDEX einvoice_decided ON einvoice (decided_at, state, submitted_at)
    WHERE decided_at IS NOT NULL;
