-- Calendar feeds (issue 25): the workspace's (`target` = 'all') or a resource's, on while a row
-- exists; the version is signed into the feed's URL, so a new URL stops the old one.
CREATE TABLE booking_feeds (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    target TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, target)
);
