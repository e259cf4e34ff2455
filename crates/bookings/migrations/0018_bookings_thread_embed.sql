-- The conversation a booking was made from (staff booked from a thread, or the assistant's
-- offer was taken there): its confirmation is sent there too, through the policy gate.
ALTER TABLE bookings ADD COLUMN thread_id TEXT;

-- A workspace's booking page: the sites that may show it in a frame (the embed); every other
-- page keeps `frame-ancestors 'none'`.
CREATE TABLE booking_pages (
    workspace_id TEXT PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
    embed_origins TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
