-- Platform billing (the operator's): plans, each workspace's subscription state, its prepaid
-- wallet (a ledger in micro-units of the operator's currency, and its balance), usage per day,
-- top-ups, and the platform Stripe account's events. Used only when [platform_billing] is
-- configured. Like payments, none of it references or cascades from `workspaces` (P30).

-- Hard limits (seats, channels: NULL = none) and quotas per billing period (metered: within
-- them free, beyond them each unit at its overage price in micros).
CREATE TABLE billing_plans (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    monthly_minor BIGINT NOT NULL,
    yearly_minor BIGINT,
    stripe_price_monthly TEXT,
    stripe_price_yearly TEXT,
    trial_days BIGINT NOT NULL,
    seats BIGINT,
    channels BIGINT,
    included_messages BIGINT NOT NULL,
    included_ai_calls BIGINT NOT NULL,
    included_device_minutes BIGINT NOT NULL,
    message_micros BIGINT NOT NULL,
    ai_call_micros BIGINT NOT NULL,
    device_minute_micros BIGINT NOT NULL,
    active BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- status: none | trialing | active | past_due | restricted | canceled.
-- state_at: the provider's time of the state held (an older event changes nothing).
CREATE TABLE billing_subscriptions (
    workspace_id TEXT PRIMARY KEY,
    plan_id TEXT,
    status TEXT NOT NULL,
    stripe_customer_id TEXT,
    stripe_subscription_id TEXT,
    period_start BIGINT,
    period_end BIGINT,
    past_due_since BIGINT,
    state_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX billing_subscriptions_customer ON billing_subscriptions (stripe_customer_id);

CREATE TABLE wallet_balances (
    workspace_id TEXT PRIMARY KEY,
    balance_micros BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- kind: topup | debit | reserve | settle | release | refund | adjust. One entry per key (a
-- retried job, a redelivered event, never twice); the sum of the entries is the balance.
CREATE TABLE wallet_entries (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    amount_micros BIGINT NOT NULL,
    balance_after BIGINT NOT NULL,
    entry_key TEXT NOT NULL,
    reason TEXT,
    actor TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX wallet_entries_key ON wallet_entries (workspace_id, entry_key);
CREATE INDEX wallet_entries_ws ON wallet_entries (workspace_id, created_at);

-- Usage per workspace, day (UTC) and meter: what was used, and what of it the wallet paid.
CREATE TABLE usage_days (
    workspace_id TEXT NOT NULL,
    day TEXT NOT NULL,
    meter TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    billed_micros BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, day, meter)
);

-- A top-up through the platform's Checkout: open | paid | expired.
CREATE TABLE wallet_topups (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    checkout_id TEXT,
    checkout_url TEXT,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX wallet_topups_checkout ON wallet_topups (checkout_id);
CREATE INDEX wallet_topups_ws ON wallet_topups (workspace_id, created_at);

-- The platform Stripe account's events, once each.
CREATE TABLE platform_billing_events (
    event_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    workspace_id TEXT,
    outcome TEXT NOT NULL,
    payload TEXT,
    received_at BIGINT NOT NULL
);
