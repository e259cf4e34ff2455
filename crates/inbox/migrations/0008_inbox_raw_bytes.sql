-- Raw deliveries are kept byte-exact (a NUL byte or invalid UTF-8 is stored as received, and
-- PostgreSQL no longer refuses it), with the signature header they came with, so intake can
-- route each item only to a channel whose own app secret verifies these bytes.
-- only: sqlite
CREATE TABLE inbound_events_new (
    id TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    route TEXT NOT NULL,
    body_sha256 TEXT NOT NULL,
    body BLOB NOT NULL,
    signature TEXT,
    status TEXT NOT NULL,
    reason TEXT,
    attempts BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT,
    received_at BIGINT NOT NULL,
    processed_at BIGINT
);
INSERT INTO inbound_events_new (id, provider, route, body_sha256, body, status, reason, attempts, locked_until, received_at, processed_at)
    SELECT id, provider, route, body_sha256, CAST(body AS BLOB), status, reason, attempts, locked_until, received_at, processed_at FROM inbound_events;
DROP TABLE inbound_events;
ALTER TABLE inbound_events_new RENAME TO inbound_events;
CREATE UNIQUE INDEX inbound_events_body ON inbound_events (route, body_sha256);
CREATE INDEX inbound_events_status ON inbound_events (status, received_at);
-- only: postgres
ALTER TABLE inbound_events ALTER COLUMN body TYPE BYTEA USING convert_to(body, 'UTF8');
ALTER TABLE inbound_events ADD COLUMN signature TEXT;
