-- The business profile: one record per workspace, read by every area (the assistant's
-- knowledge, the inbox's hours, later the booking page and invoices).
CREATE TABLE workspace_profiles (
    workspace_id TEXT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
    slug TEXT NOT NULL UNIQUE,
    time_zone TEXT NOT NULL DEFAULT 'UTC',
    country TEXT,
    currency TEXT,
    address TEXT,
    phone TEXT,
    email TEXT,
    website TEXT,
    languages TEXT NOT NULL DEFAULT '',
    logo_blob TEXT,
    logo_type TEXT,
    brand_colour TEXT,
    setup_skipped_at BIGINT,
    updated_at BIGINT NOT NULL
);

-- Slugs a workspace gave up: they keep pointing at it for 90 days, and nobody else may take
-- one in that time.
CREATE TABLE workspace_slugs (
    slug TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    retired_at BIGINT NOT NULL
);
CREATE INDEX workspace_slugs_workspace ON workspace_slugs (workspace_id);

-- Every workspace that exists gets its profile; its slug is unique because its id is.
INSERT INTO workspace_profiles (workspace_id, slug, updated_at)
SELECT id, 'ws-' || lower(replace(id, '-', '')), updated_at FROM workspaces;

-- A person's own time zone (else the workspace's) and theme (system, light or dark).
ALTER TABLE users ADD COLUMN time_zone TEXT;
ALTER TABLE users ADD COLUMN theme TEXT NOT NULL DEFAULT 'system';
