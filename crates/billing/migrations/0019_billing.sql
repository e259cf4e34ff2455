-- Billing: a workspace's payment accounts, its customers' payments, their refunds and the
-- provider events that moved them. These are financial records (P30): no table here references
-- `workspaces` or cascades from it, so a deleted workspace leaves its payments behind as a
-- tombstone until the retention job purges them (7 years after the end of their year).
-- Card numbers never reach us (P28): provider ids, amounts, currency, status, brand and last 4.

-- One account per provider and workspace: the provider's secret key and the signing secret of
-- the webhook endpoint Frontdesk created there, both sealed in the vault.
CREATE TABLE payment_accounts (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    secret_key TEXT NOT NULL,
    webhook_secret TEXT NOT NULL,
    webhook_endpoint_id TEXT NOT NULL,
    key_hint TEXT NOT NULL,
    livemode BIGINT NOT NULL,
    created_by TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX payment_accounts_provider ON payment_accounts (workspace_id, provider);

-- kind: deposit | full | request (asked on demand) | manual.
-- status: open | paid | expired | failed | refunded (partly refunded stays paid, refunded_minor says how much).
-- dispute: NULL | a dispute's status (needs_response, under_review, won, lost, …).
-- flag: NULL | duplicate (a second payment for one booking) | late (paid after the slot was gone) | ended (paid after the booking ended).
CREATE TABLE payments (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    account_id TEXT,
    booking_id TEXT,
    contact_id TEXT,
    kind TEXT NOT NULL,
    method TEXT NOT NULL,
    provider TEXT,
    status TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    refunded_minor BIGINT NOT NULL,
    checkout_id TEXT,
    checkout_url TEXT,
    intent_id TEXT,
    card TEXT,
    dispute TEXT,
    flag TEXT,
    note TEXT,
    expires_at BIGINT,
    checked_at BIGINT,
    paid_at BIGINT,
    created_by TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX payments_checkout ON payments (workspace_id, provider, checkout_id);
CREATE INDEX payments_intent ON payments (workspace_id, provider, intent_id);
CREATE INDEX payments_booking ON payments (workspace_id, booking_id);
CREATE INDEX payments_ws ON payments (workspace_id, created_at);
CREATE INDEX payments_open ON payments (status, expires_at);

-- status: pending (asked of the provider) | succeeded | failed.
CREATE TABLE payment_refunds (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    payment_id TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    provider_refund_id TEXT,
    error TEXT,
    requested_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX payment_refunds_payment ON payment_refunds (workspace_id, payment_id);

-- Every verified provider event, once (its id, per account), stored in the transaction that
-- applies it. outcome: applied | ignored | unmatched | unparseable. The raw payload is cleared
-- after 90 days.
CREATE TABLE payment_events (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    event_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    payment_id TEXT,
    outcome TEXT NOT NULL,
    payload TEXT,
    received_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX payment_events_once ON payment_events (account_id, event_id);
CREATE INDEX payment_events_payment ON payment_events (workspace_id, payment_id, received_at);
CREATE INDEX payment_events_received ON payment_events (received_at);
