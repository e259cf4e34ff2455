-- Memberships and passes that renew every month: a subscription on the business's own Stripe
-- account. The holding follows the subscription's current state (fetched on each event; an
-- event older than the state held changes nothing): its period end is `valid_until`, a pass's
-- sessions come back each period, `renewing` is 0 once the customer cancels (it lasts to the
-- period's end). `pending` holdings wait for their first payment.
ALTER TABLE membership_plans ADD COLUMN renews BIGINT NOT NULL DEFAULT 0;
ALTER TABLE customer_memberships ADD COLUMN stripe_customer_id TEXT;
ALTER TABLE customer_memberships ADD COLUMN stripe_subscription_id TEXT;
ALTER TABLE customer_memberships ADD COLUMN renewing BIGINT NOT NULL DEFAULT 0;
ALTER TABLE customer_memberships ADD COLUMN state_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX customer_memberships_customer ON customer_memberships (workspace_id, stripe_customer_id);
