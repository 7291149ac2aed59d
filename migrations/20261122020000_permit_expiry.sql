-- What the second step of the permit sync (cekperizinan) adds to a permit.
ALTER TABLE permit ADD COLUMN expiry_date TEXT;
ALTER TABLE permit ADD COLUMN issue_date TEXT;
ALTER TABLE permit ADD COLUMN company TEXT;
ALTER TABLE permit ADD COLUMN npwp TEXT;
ALTER TABLE permit ADD COLUMN phone TEXT;
ALTER TABLE permit ADD COLUMN address TEXT;
-- When the detail was last fetched, and why the last attempt failed (cleared on success).
ALTER TABLE permit ADD COLUMN detail_synced_at TEXT;
ALTER TABLE permit ADD COLUMN detail_error TEXT;

CREATE INDEX permit_needs_detail ON permit (connection_id, expiry_date) WHERE expiry_date IS NULL;
