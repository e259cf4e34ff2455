-- Data-subject requests: a contact whose data was erased (kept as an anonymous row so threads,
-- bookings and payments that point to it stay whole), and one whose processing is restricted
-- (no AI drafts, no automatic replies; staff see a banner).
ALTER TABLE contacts ADD COLUMN erased_at BIGINT;
ALTER TABLE contacts ADD COLUMN restricted_at BIGINT;
