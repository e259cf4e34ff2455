-- Saved replies (canned responses): a team's reusable answers, inserted in the composer by
-- typing "/" and the shortcut. The body may hold variables such as {{first_name}}.
CREATE TABLE saved_replies (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    shortcut TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX saved_replies_shortcut ON saved_replies (workspace_id, shortcut);
