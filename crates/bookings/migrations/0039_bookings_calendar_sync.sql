-- Two-way Google Calendar sync (issue 25), one connection per resource. Tokens are sealed by
-- the vault. Pulled events keep only (calendar's resource, event id, start, end) (P26); pushed
-- bookings keep the event id and etag they were written with.
CREATE TABLE calendar_connections (
    resource_id TEXT PRIMARY KEY REFERENCES booking_resources (id) ON DELETE CASCADE,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    calendar_id TEXT NOT NULL,
    access_token TEXT,
    access_expires_at BIGINT,
    refresh_token TEXT NOT NULL,
    sync_token TEXT,
    status TEXT NOT NULL,
    last_sync_at BIGINT,
    last_error TEXT,
    connected_by TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE calendar_busy (
    resource_id TEXT NOT NULL REFERENCES calendar_connections (resource_id) ON DELETE CASCADE,
    workspace_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    PRIMARY KEY (resource_id, event_id)
);
CREATE INDEX calendar_busy_span ON calendar_busy (resource_id, starts_at);

CREATE TABLE calendar_pushes (
    resource_id TEXT NOT NULL REFERENCES calendar_connections (resource_id) ON DELETE CASCADE,
    workspace_id TEXT NOT NULL,
    booking_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    etag TEXT,
    pushed_version BIGINT NOT NULL,
    deleted BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (resource_id, booking_id)
);
