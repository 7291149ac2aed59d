-- The issuing company of a Hacienda connection: its identity as printed on every document,
-- where its numbering runs (branch, terminal), and its signing certificate. The .p12 file is
-- copied into the data folder; its PIN lives in the keyring, never here.
CREATE TABLE einvoice_issuer (
    connection_id     INTEGER PRIMARY KEY REFERENCES connection (id) ON DELETE CASCADE,
    issuer            TEXT    NOT NULL,
    branch            INTEGER NOT NULL DEFAULT 1 CHECK (branch BETWEEN 1 AND 999),
    terminal          INTEGER NOT NULL DEFAULT 1 CHECK (terminal BETWEEN 1 AND 99999),
    provider_id       TEXT    NOT NULL,
    certificate_file  TEXT,
    certificate       TEXT,
    updated_at        TEXT    NOT NULL
);

-- The last number given per document type, branch and terminal. A number is taken in the same
-- transaction that stores it on its document, so none repeats, also after a crash or with two
-- runs at once.
CREATE TABLE einvoice_sequence (
    connection_id  INTEGER NOT NULL REFERENCES connection (id) ON DELETE CASCADE,
    doc_type       TEXT    NOT NULL,
    branch         INTEGER NOT NULL,
    terminal       INTEGER NOT NULL,
    last_number    INTEGER NOT NULL,
    PRIMARY KEY (connection_id, doc_type, branch, terminal)
);

-- E-invoices. `draft` is what was entered or imported; `clave` and `consecutivo` are given once
-- at generation and kept for life (the clave is Hacienda's idempotency key). Amounts are kept
-- as exact decimal text, with a REAL copy of the total for sums in pivots and charts.
CREATE TABLE einvoice (
    id                   INTEGER PRIMARY KEY,
    connection_id        INTEGER NOT NULL REFERENCES connection (id) ON DELETE CASCADE,
    doc_type             TEXT    NOT NULL CHECK (doc_type IN ('01', '02', '03', '04')),
    state                TEXT    NOT NULL CHECK (state IN ('draft', 'generated', 'signed',
                             'submitted', 'processing', 'accepted', 'rejected', 'error')),
    source               TEXT    NOT NULL CHECK (source IN ('manual', 'csv', 'json', 'odoo')),
    external_ref         TEXT,
    draft                TEXT    NOT NULL,
    clave                TEXT    UNIQUE,
    consecutivo          TEXT,
    issued_at            TEXT,
    receiver_name        TEXT,
    receiver_id          TEXT,
    currency             TEXT    NOT NULL,
    total                TEXT    NOT NULL,
    total_value          REAL    NOT NULL,
    tax                  TEXT    NOT NULL,
    xml                  TEXT,
    signed_xml           TEXT,
    signer               TEXT,
    signed_at            TEXT,
    -- Set, and committed, before a submission is sent: a run killed mid-way asks Hacienda
    -- about the clave before ever sending it again.
    submit_started_at    TEXT,
    submitted_at         TEXT,
    decided_at           TEXT,
    last_error           TEXT,
    created_at           TEXT    NOT NULL,
    updated_at           TEXT    NOT NULL,
    UNIQUE (connection_id, consecutivo),
    UNIQUE (connection_id, source, external_ref)
);
CREATE INDEX einvoice_state ON einvoice (state, submitted_at);
CREATE INDEX einvoice_created ON einvoice (created_at);

-- Every answer Hacienda gave about a document, decoded, for as long as the retention allows.
CREATE TABLE einvoice_response (
    id            INTEGER PRIMARY KEY,
    einvoice_id   INTEGER NOT NULL REFERENCES einvoice (id) ON DELETE CASCADE,
    received_at   TEXT    NOT NULL,
    http_status   INTEGER,
    state         TEXT    NOT NULL,
    raw_json      TEXT,
    mensaje_xml   TEXT,
    message_type  INTEGER,
    detail        TEXT,
    error_codes   TEXT    NOT NULL DEFAULT '[]'
);
CREATE INDEX einvoice_response_doc ON einvoice_response (einvoice_id, received_at);
CREATE INDEX einvoice_response_received ON einvoice_response (received_at);

-- Work that failed and waits for its next attempt (SPEC §5's retry queue).
CREATE TABLE einvoice_retry (
    id             INTEGER PRIMARY KEY,
    einvoice_id    INTEGER NOT NULL REFERENCES einvoice (id) ON DELETE CASCADE,
    operation      TEXT    NOT NULL CHECK (operation IN ('sign', 'submit', 'poll')),
    category       TEXT    NOT NULL,
    attempts       INTEGER NOT NULL,
    next_retry_at  TEXT    NOT NULL,
    priority       INTEGER NOT NULL DEFAULT 0,
    state          TEXT    NOT NULL CHECK (state IN ('pending', 'processing', 'done', 'failed',
                       'cancelled')),
    last_error     TEXT,
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL
);
-- One open entry per document and operation.
CREATE UNIQUE INDEX einvoice_retry_open ON einvoice_retry (einvoice_id, operation)
    WHERE state IN ('pending', 'processing');
CREATE INDEX einvoice_retry_due ON einvoice_retry (state, next_retry_at, priority);
