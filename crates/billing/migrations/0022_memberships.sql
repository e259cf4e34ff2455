-- What a business sells its customers beyond single bookings: class passes (N sessions of the
-- services they cover, valid for a number of days) and memberships (a discount on the services
-- they cover, while paid up). A customer's holding of one, and the bookings that used a pass.
CREATE TABLE membership_plans (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    price_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    sessions BIGINT,
    valid_days BIGINT NOT NULL,
    discount_percent BIGINT,
    service_ids TEXT NOT NULL,
    active BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX membership_plans_ws ON membership_plans (workspace_id, name);

-- status: active | used_up | lapsed | cancelled.
CREATE TABLE customer_memberships (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    plan_id TEXT NOT NULL,
    contact_id TEXT,
    status TEXT NOT NULL,
    sessions_left BIGINT,
    valid_until BIGINT NOT NULL,
    payment_id TEXT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX customer_memberships_contact ON customer_memberships (workspace_id, contact_id, status);

CREATE TABLE membership_uses (
    membership_id TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    booking_id TEXT NOT NULL,
    discount_minor BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (booking_id)
);
CREATE INDEX membership_uses_membership ON membership_uses (workspace_id, membership_id);
