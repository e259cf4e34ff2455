-- Business hours and the away reply; agents' notifications.

-- The weekly schedule as JSON (time zone, ranges, closed dates); NULL: no hours set.
ALTER TABLE workspaces ADD COLUMN business_hours TEXT;
-- The away reply: sent once per closed period to a thread whose customer writes while closed.
ALTER TABLE workspaces ADD COLUMN away_enabled BIGINT NOT NULL DEFAULT 0;
ALTER TABLE workspaces ADD COLUMN away_text TEXT;

-- When an agent last saw a thread: newer customer messages are unread for them.
CREATE TABLE thread_reads (
    thread_id TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    workspace_id TEXT NOT NULL,
    read_at BIGINT NOT NULL,
    PRIMARY KEY (thread_id, user_id)
);
CREATE INDEX thread_reads_user ON thread_reads (user_id, workspace_id);

-- An agent's notification preferences (no row: the defaults, everything on).
CREATE TABLE notification_prefs (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    browser BIGINT NOT NULL,
    email_on_assign BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Presence: an open inbox page refreshes this; "online" means seen within two minutes.
ALTER TABLE users ADD COLUMN last_seen_at BIGINT;
