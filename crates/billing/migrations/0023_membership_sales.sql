-- A pass or membership bought online: the payment that buys it, and who it is for. When the
-- payment succeeds the customer holds it (once).
CREATE TABLE membership_sales (
    payment_id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    plan_id TEXT NOT NULL,
    contact_id TEXT,
    created_at BIGINT NOT NULL
);
