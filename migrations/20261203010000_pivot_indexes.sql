-- Covering indexes for the pivot's common pairs of group-bys (read in order, no sorting), and
-- the list's default order (soonest expiry first, unknown expiry last) as an expression index.
CREATE INDEX permit_type_status ON permit (permit_type_name, status);
CREATE INDEX permit_status_received ON permit (status, received_date);
CREATE INDEX permit_category_expiry ON permit (category, expiry_date);
CREATE INDEX permit_type_received ON permit (permit_type_name, received_date);
CREATE INDEX permit_category_status ON permit (category, status);
CREATE INDEX permit_expiry_sort ON permit (IFNULL(expiry_date, '9999-12-31'));
