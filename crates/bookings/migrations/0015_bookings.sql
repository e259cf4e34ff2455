-- Bookings: the catalog (resources, services, extras, requirements, coupons), bookings and
-- the allocations that hold resources. Times are ms since the epoch; periods are half-open.

-- Staff, rooms, equipment and rentable units, with weekly hours in their own time zone
-- (a core::hours::Schedule as JSON: time_zone, ranges, closed_dates = days off).
CREATE TABLE booking_resources (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    time_zone TEXT NOT NULL,
    hours TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX booking_resources_ws ON booking_resources (workspace_id, name);

-- A date's own hours for a resource (ranges as JSON [[open, close], …] in minutes; [] = off).
CREATE TABLE booking_exceptions (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    resource_id TEXT NOT NULL REFERENCES booking_resources (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    ranges TEXT NOT NULL,
    PRIMARY KEY (resource_id, day)
);
CREATE INDEX booking_exceptions_ws ON booking_exceptions (workspace_id, resource_id);

-- Blocked times of a resource (holidays, maintenance).
CREATE TABLE booking_blocks (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    resource_id TEXT NOT NULL REFERENCES booking_resources (id) ON DELETE CASCADE,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    reason TEXT
);
CREATE INDEX booking_blocks_ws ON booking_blocks (workspace_id, resource_id, starts_at);

CREATE TABLE booking_services (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    duration_min BIGINT NOT NULL,
    price_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    buffer_before_min BIGINT NOT NULL,
    buffer_after_min BIGINT NOT NULL,
    interval_min BIGINT NOT NULL,
    min_notice_min BIGINT NOT NULL,
    window_days BIGINT NOT NULL,
    capacity BIGINT NOT NULL,
    unit TEXT NOT NULL,
    check_in_min BIGINT NOT NULL,
    check_out_min BIGINT NOT NULL,
    requires_confirmation BIGINT NOT NULL,
    active BIGINT NOT NULL,
    hidden BIGINT NOT NULL,
    cancel_notice_min BIGINT NOT NULL,
    payment TEXT NOT NULL,
    deposit_minor BIGINT,
    deposit_percent BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX booking_services_ws ON booking_services (workspace_id, name);

-- The resources a service needs: one of each group (0 = staff, 1 = a room, …).
CREATE TABLE booking_service_resources (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    service_id TEXT NOT NULL REFERENCES booking_services (id) ON DELETE CASCADE,
    grp BIGINT NOT NULL,
    resource_id TEXT NOT NULL REFERENCES booking_resources (id) ON DELETE CASCADE,
    PRIMARY KEY (service_id, grp, resource_id)
);
CREATE INDEX booking_service_resources_ws ON booking_service_resources (workspace_id, resource_id);

CREATE TABLE booking_extras (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    service_id TEXT NOT NULL REFERENCES booking_services (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    minutes BIGINT NOT NULL,
    price_minor BIGINT NOT NULL,
    active BIGINT NOT NULL
);
CREATE INDEX booking_extras_ws ON booking_extras (workspace_id, service_id);

-- Intake questions: kind text | choice | checkbox; choices as a JSON list.
CREATE TABLE booking_requirements (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    service_id TEXT NOT NULL REFERENCES booking_services (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    label TEXT NOT NULL,
    kind TEXT NOT NULL,
    choices TEXT NOT NULL,
    required BIGINT NOT NULL,
    sensitive BIGINT NOT NULL
);
CREATE INDEX booking_requirements_ws ON booking_requirements (workspace_id, service_id, position);

-- kind percent (value 1–100) | amount (value in minor units); service_id NULL = any service.
CREATE TABLE booking_coupons (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    kind TEXT NOT NULL,
    value BIGINT NOT NULL,
    valid_from BIGINT,
    valid_to BIGINT,
    max_uses BIGINT,
    uses BIGINT NOT NULL DEFAULT 0,
    once_per_customer BIGINT NOT NULL,
    service_id TEXT REFERENCES booking_services (id) ON DELETE CASCADE,
    active BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX booking_coupons_code ON booking_coupons (workspace_id, code);

-- A class's occurrence: it holds its resources once; bookings take seats.
CREATE TABLE booking_occurrences (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    service_id TEXT NOT NULL REFERENCES booking_services (id) ON DELETE CASCADE,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    capacity BIGINT NOT NULL,
    taken BIGINT NOT NULL,
    CHECK (taken >= 0 AND taken <= capacity)
);
CREATE UNIQUE INDEX booking_occurrences_start ON booking_occurrences (service_id, starts_at);

-- status: hold | pending | confirmed | completed | cancelled | no_show | declined | expired.
CREATE TABLE bookings (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    service_id TEXT NOT NULL REFERENCES booking_services (id),
    occurrence_id TEXT REFERENCES booking_occurrences (id) ON DELETE SET NULL,
    contact_id TEXT REFERENCES contacts (id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    time_zone TEXT NOT NULL,
    seats BIGINT NOT NULL,
    quantity BIGINT NOT NULL,
    resources TEXT NOT NULL,
    extras TEXT NOT NULL,
    price_minor BIGINT NOT NULL,
    discount_minor BIGINT NOT NULL,
    total_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    coupon_id TEXT REFERENCES booking_coupons (id) ON DELETE SET NULL,
    customer_name TEXT,
    customer_email TEXT,
    customer_phone TEXT,
    notes TEXT,
    hold_expires_at BIGINT,
    visitor TEXT,
    client_ip TEXT,
    attendance TEXT,
    cancel_reason TEXT,
    idempotency_key TEXT,
    request_hash TEXT,
    created_by TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX bookings_ws_start ON bookings (workspace_id, starts_at);
CREATE INDEX bookings_ws_status ON bookings (workspace_id, status, hold_expires_at);
CREATE INDEX bookings_contact ON bookings (workspace_id, contact_id);
CREATE UNIQUE INDEX bookings_idempotency ON bookings (workspace_id, idempotency_key);

-- Answers to a service's requirements.
CREATE TABLE booking_answers (
    booking_id TEXT NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    requirement_id TEXT NOT NULL,
    label TEXT NOT NULL,
    value TEXT NOT NULL,
    sensitive BIGINT NOT NULL,
    PRIMARY KEY (booking_id, requirement_id)
);

-- What happened to a booking (a reschedule keeps the old time here).
CREATE TABLE booking_events (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    booking_id TEXT NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    change TEXT NOT NULL,
    detail TEXT
);
CREATE INDEX booking_events_booking ON booking_events (booking_id, at);

-- Who holds a resource when: the period is the slot widened by the service's buffers. A
-- booking (or a class occurrence) holds one row per resource while it is live; releasing it
-- deletes the rows. Two rows of one resource never overlap.
CREATE TABLE booking_allocations (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    resource_id TEXT NOT NULL REFERENCES booking_resources (id) ON DELETE CASCADE,
    booking_id TEXT REFERENCES bookings (id) ON DELETE CASCADE,
    occurrence_id TEXT REFERENCES booking_occurrences (id) ON DELETE CASCADE,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    CHECK (starts_at < ends_at)
);
CREATE INDEX booking_allocations_resource ON booking_allocations (resource_id, starts_at);
CREATE INDEX booking_allocations_ws ON booking_allocations (workspace_id, starts_at);
CREATE INDEX booking_allocations_booking ON booking_allocations (booking_id);

-- only: postgres
-- On PostgreSQL the database itself refuses two live allocations of one resource at once,
-- whichever node writes them (SQLite has one writer: the check runs in the same transaction).
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE booking_allocations ADD CONSTRAINT booking_allocations_no_overlap
    EXCLUDE USING gist (resource_id WITH =, int8range(starts_at, ends_at) WITH &&);
