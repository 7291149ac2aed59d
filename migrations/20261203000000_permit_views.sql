-- Partners made from permit applicants, de-duplicated by their normalised name.
CREATE TABLE partner (
    id                INTEGER PRIMARY KEY,
    name              TEXT    NOT NULL,
    name_key          TEXT    NOT NULL UNIQUE,
    company           TEXT,
    phone             TEXT,
    whatsapp          TEXT,
    whatsapp_problem  TEXT,
    opt_in            INTEGER NOT NULL DEFAULT 0,
    opt_changed_at    TEXT,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL
);

-- Permit types get a category (certificates are tracked like permits) and a reminder ladder.
ALTER TABLE permit_type ADD COLUMN category TEXT NOT NULL DEFAULT 'permit'
    CHECK (category IN ('permit', 'certificate'));
ALTER TABLE permit_type ADD COLUMN ladder TEXT NOT NULL DEFAULT '[90,60,30,7]';
CREATE INDEX permit_type_name ON permit_type (name);

-- Permits are rebuilt so that one entered by hand needs no connection, and gain what the
-- office adds: notes, renewal links, a partner, and reminder controls.
CREATE TABLE permit_new (
    id                   INTEGER PRIMARY KEY,
    connection_id        INTEGER REFERENCES connection (id) ON DELETE CASCADE,
    registration_id      TEXT    NOT NULL,
    permit_number        TEXT,
    applicant            TEXT    NOT NULL,
    permit_type_name     TEXT    NOT NULL,
    category             TEXT    NOT NULL DEFAULT 'permit'
                                 CHECK (category IN ('permit', 'certificate')),
    received_date        TEXT,
    issue_date           TEXT,
    expiry_date          TEXT,
    status               TEXT    NOT NULL,
    remote_status        TEXT,
    company              TEXT,
    npwp                 TEXT,
    phone                TEXT,
    address              TEXT,
    partner_id           INTEGER REFERENCES partner (id) ON DELETE SET NULL,
    renewal_of_id        INTEGER REFERENCES permit_new (id) ON DELETE SET NULL,
    renewal_in_progress  INTEGER NOT NULL DEFAULT 0,
    snoozed_until        TEXT,
    notes                TEXT    NOT NULL DEFAULT '',
    detail_synced_at     TEXT,
    detail_error         TEXT,
    last_synced_at       TEXT    NOT NULL,
    UNIQUE (connection_id, registration_id)
);
INSERT INTO permit_new (id, connection_id, registration_id, permit_number, applicant,
        permit_type_name, received_date, issue_date, expiry_date, status, remote_status,
        company, npwp, phone, address, detail_synced_at, detail_error, last_synced_at)
    SELECT id, connection_id, registration_id, permit_number, applicant, permit_type_name,
        received_date, issue_date, expiry_date, status, remote_status, company, npwp, phone,
        address, detail_synced_at, detail_error, last_synced_at
    FROM permit;
DROP TABLE permit;
ALTER TABLE permit_new RENAME TO permit;

CREATE INDEX permit_needs_detail ON permit (connection_id, expiry_date) WHERE expiry_date IS NULL;
CREATE INDEX permit_expiry ON permit (expiry_date);
CREATE INDEX permit_status ON permit (status, expiry_date);
CREATE INDEX permit_type_expiry ON permit (permit_type_name, expiry_date);
CREATE INDEX permit_received ON permit (received_date);
CREATE INDEX permit_partner ON permit (partner_id);
CREATE INDEX permit_renewal ON permit (renewal_of_id);

-- Reminders sent (or passed over) per permit, tier and expiry date: a new expiry date starts
-- a fresh ladder, and a restart never sends a tier twice. The sent ones are the inbox.
CREATE TABLE permit_reminder (
    id           INTEGER PRIMARY KEY,
    permit_id    INTEGER NOT NULL REFERENCES permit (id) ON DELETE CASCADE,
    tier         INTEGER NOT NULL,
    expiry_date  TEXT    NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('sent', 'passed')),
    at           TEXT    NOT NULL,
    read_at      TEXT,
    UNIQUE (permit_id, tier, expiry_date)
);
CREATE INDEX permit_reminder_inbox ON permit_reminder (state, read_at);

-- What happened to a permit: synced, detail fetched or failed, edited, expired, reminded.
CREATE TABLE permit_event (
    id         INTEGER PRIMARY KEY,
    permit_id  INTEGER NOT NULL REFERENCES permit (id) ON DELETE CASCADE,
    at         TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    message    TEXT    NOT NULL
);
CREATE INDEX permit_event_permit ON permit_event (permit_id, id DESC);
