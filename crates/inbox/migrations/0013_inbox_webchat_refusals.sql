-- Sites the web chat refused (an origin not on the channel's list), counted per day, so the
-- channels page can say "refused from https://…, 3 times today" instead of the owner never
-- knowing. Kept 30 days.
CREATE TABLE webchat_refusals (
    channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    workspace_id TEXT NOT NULL,
    origin TEXT NOT NULL,
    day TEXT NOT NULL,
    count BIGINT NOT NULL,
    last_at BIGINT NOT NULL,
    PRIMARY KEY (channel_id, origin, day)
);
