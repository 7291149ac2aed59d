-- Connections to outside systems. Secrets are never stored here: only whether the keyring holds one.
CREATE TABLE connection (
    id                  INTEGER PRIMARY KEY,
    name                TEXT    NOT NULL UNIQUE,
    kind                TEXT    NOT NULL CHECK (kind IN ('sicantik', 'odoo', 'hacienda')),
    base_url            TEXT    NOT NULL,
    environment         TEXT    NOT NULL CHECK (environment IN ('staging', 'production')),
    database            TEXT,
    username            TEXT,
    protocol            TEXT    CHECK (protocol IN ('xmlrpc', 'jsonrpc', 'json2')),
    timeout_ms          INTEGER NOT NULL,
    rate_limit_per_sec  REAL    NOT NULL,
    max_concurrent      INTEGER NOT NULL,
    active              INTEGER NOT NULL DEFAULT 1,
    has_secret          INTEGER NOT NULL DEFAULT 0,
    requests_total      INTEGER NOT NULL DEFAULT 0,
    errors_total        INTEGER NOT NULL DEFAULT 0,
    last_sync_at        TEXT,
    last_duration_ms    INTEGER,
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL
);

-- Office-wide settings as one JSON document per key.
CREATE TABLE setting (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- Scheduled jobs; `anchor_at` is the start of the last run (or the moment the job was added),
-- from which the next due time is reckoned.
CREATE TABLE job (
    id             INTEGER PRIMARY KEY,
    kind           TEXT    NOT NULL,
    connection_id  INTEGER REFERENCES connection (id) ON DELETE CASCADE,
    schedule       TEXT    NOT NULL,
    enabled        INTEGER NOT NULL DEFAULT 1,
    anchor_at      TEXT    NOT NULL,
    created_at     TEXT    NOT NULL
);
CREATE UNIQUE INDEX job_kind_connection ON job (kind, IFNULL(connection_id, 0));

-- Where an interrupted job resumes (page offset, watermark), written with each page's records.
CREATE TABLE job_checkpoint (
    job_id      INTEGER PRIMARY KEY REFERENCES job (id) ON DELETE CASCADE,
    data        TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE sync_run (
    id             INTEGER PRIMARY KEY,
    job_id         INTEGER NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    job            TEXT    NOT NULL,
    connection_id  INTEGER REFERENCES connection (id) ON DELETE SET NULL,
    started_at     TEXT    NOT NULL,
    finished_at    TEXT,
    status         TEXT    NOT NULL,
    created        INTEGER NOT NULL DEFAULT 0,
    updated        INTEGER NOT NULL DEFAULT 0,
    unchanged      INTEGER NOT NULL DEFAULT 0,
    failed         INTEGER NOT NULL DEFAULT 0,
    error          TEXT,
    trigger        TEXT    NOT NULL
);
CREATE INDEX sync_run_started ON sync_run (started_at DESC);
CREATE INDEX sync_run_job ON sync_run (job_id, started_at DESC);

-- One row per remote call; parameters are redacted before they get here.
CREATE TABLE integration_log (
    id              INTEGER PRIMARY KEY,
    connection_id   INTEGER NOT NULL REFERENCES connection (id) ON DELETE CASCADE,
    at              TEXT    NOT NULL,
    method          TEXT    NOT NULL,
    endpoint        TEXT    NOT NULL,
    params          TEXT,
    status          INTEGER,
    duration_ms     INTEGER NOT NULL,
    bytes           INTEGER NOT NULL,
    error_category  TEXT,
    error           TEXT
);
CREATE INDEX integration_log_at ON integration_log (at);
CREATE INDEX integration_log_connection ON integration_log (connection_id, id DESC);

-- Permit types and permits pulled from a permit office.
CREATE TABLE permit_type (
    id             INTEGER PRIMARY KEY,
    connection_id  INTEGER NOT NULL REFERENCES connection (id) ON DELETE CASCADE,
    remote_id      TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    code           TEXT,
    last_synced_at TEXT    NOT NULL,
    UNIQUE (connection_id, remote_id)
);

CREATE TABLE permit (
    id                INTEGER PRIMARY KEY,
    connection_id     INTEGER NOT NULL REFERENCES connection (id) ON DELETE CASCADE,
    registration_id   TEXT    NOT NULL,
    permit_number     TEXT,
    applicant         TEXT    NOT NULL,
    permit_type_name  TEXT    NOT NULL,
    received_date     TEXT,
    status            TEXT    NOT NULL,
    remote_status     TEXT,
    last_synced_at    TEXT    NOT NULL,
    UNIQUE (connection_id, registration_id)
);
