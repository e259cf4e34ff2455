-- Cloud phones. The operator's providers (GeeLark accounts, ADB hosts) and the profiles
-- workspaces choose from; devices (a workspace's, or the operator's pool when workspace_id is
-- NULL); every metered minute once; who did what to a device.

-- kind: geelark | adb. endpoint: GeeLark's API base, or an ADB server's host:port.
-- secret: the API key, sealed (GeeLark); NULL for ADB. status: ok | auth_failed | unreachable.
CREATE TABLE phone_providers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    app_id TEXT,
    secret TEXT,
    secret_hint TEXT,
    status TEXT NOT NULL,
    status_detail TEXT,
    checked_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE phone_profiles (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES phone_providers(id),
    name TEXT NOT NULL,
    region TEXT,
    android_version TEXT NOT NULL,
    size TEXT,
    active BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- state: provisioning | stopped | starting | running | stopping | restarting | resetting |
-- failed | expired | deleting | deleted | unknown (state_detail: the failure, or the raw
-- provider state). op: the operation a job is driving (add | start | stop | restart | reset |
-- delete | release), op_called_at once the provider was asked. running_since: when we saw it
-- running; metered: minutes recorded of that interval. lease_*: who drives it until when.
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    workspace_id TEXT,
    provider_id TEXT NOT NULL REFERENCES phone_providers(id),
    profile_id TEXT,
    provider_ref TEXT,
    name TEXT NOT NULL,
    tags TEXT NOT NULL,
    notes TEXT,
    state TEXT NOT NULL,
    state_detail TEXT,
    op TEXT,
    op_by TEXT,
    op_started_at BIGINT,
    op_called_at BIGINT,
    last_error TEXT,
    stream_url TEXT,
    running_since BIGINT,
    metered BIGINT NOT NULL,
    viewed_at BIGINT,
    lease_user_id TEXT,
    lease_name TEXT,
    lease_until BIGINT,
    needs_reset BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX devices_provider_ref ON devices (provider_id, provider_ref);
CREATE INDEX devices_workspace ON devices (workspace_id, state);

-- One row per device and minute of running (`device:<id>:<epoch minute>`), whether it was
-- free, debited, or past the daily cap (outcome: free_or_paid | capped); day: the workspace's
-- local date.
CREATE TABLE device_minutes (
    device_id TEXT NOT NULL,
    minute BIGINT NOT NULL,
    workspace_id TEXT NOT NULL,
    day TEXT NOT NULL,
    outcome TEXT NOT NULL,
    PRIMARY KEY (device_id, minute)
);
CREATE INDEX device_minutes_day ON device_minutes (workspace_id, day);

-- Who started or stopped what, from where (the audit chain holds these rows' ids only); the IP
-- is anonymised after 90 days.
CREATE TABLE device_activity (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    actor TEXT NOT NULL,
    actor_name TEXT,
    action TEXT NOT NULL,
    outcome TEXT NOT NULL,
    ip TEXT,
    at BIGINT NOT NULL
);
CREATE INDEX device_activity_device ON device_activity (workspace_id, device_id, at);

-- Per workspace: minutes without a viewer before a device is stopped; the most minutes a
-- device is charged per local day (NULL: no cap); owners told of a stop for credit once a day.
CREATE TABLE phone_settings (
    workspace_id TEXT PRIMARY KEY,
    idle_stop_minutes BIGINT NOT NULL,
    daily_cap_minutes BIGINT,
    updated_at BIGINT NOT NULL
);
