-- Beyond a plan's AI quota, the operator's model's tokens cost the wallet besides the call's
-- price (micro-units per million input and output tokens).
ALTER TABLE billing_plans ADD COLUMN ai_input_mtok_micros BIGINT NOT NULL DEFAULT 0;
ALTER TABLE billing_plans ADD COLUMN ai_output_mtok_micros BIGINT NOT NULL DEFAULT 0;

-- Automatic top-ups: when the balance falls below `threshold_micros`, `amount_minor` is charged
-- to the card saved at a top-up (a Stripe payment method of the workspace's platform customer,
-- charged off-session). `seq` numbers the charges (the Idempotency-Key `autotopup:<ws>:<seq>`);
-- `pending` is 1 while one is queued or in flight, so a burst of debits starts one charge.
-- A declined card turns it off (`enabled` 0) and says why in `last_error`.
CREATE TABLE wallet_autotopups (
    workspace_id TEXT PRIMARY KEY,
    enabled BIGINT NOT NULL,
    threshold_micros BIGINT NOT NULL,
    amount_minor BIGINT NOT NULL,
    payment_method TEXT,
    card TEXT,
    seq BIGINT NOT NULL,
    pending BIGINT NOT NULL,
    last_error TEXT,
    updated_at BIGINT NOT NULL
);
-- A top-up whose card is kept for automatic top-ups; `auto` 1 for the automatic ones.
ALTER TABLE wallet_topups ADD COLUMN save_card BIGINT NOT NULL DEFAULT 0;
ALTER TABLE wallet_topups ADD COLUMN auto BIGINT NOT NULL DEFAULT 0;
