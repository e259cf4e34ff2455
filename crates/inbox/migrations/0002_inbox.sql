-- Inbox intake: channels, raw inbound events, contacts and their channel identities,
-- threads, messages, media, consent ledger, web-chat visitors.

-- What happens when a customer writes again after their thread was resolved:
-- 1 = reopen that thread, 0 = start a new one.
ALTER TABLE workspaces ADD COLUMN inbox_reopen BIGINT NOT NULL DEFAULT 1;

CREATE TABLE channels (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    -- Routes provider traffic: WhatsApp phone_number_id, Instagram account id, Telegram bot id,
    -- web chat: the channel's own id.
    account_id TEXT NOT NULL,
    -- The Meta app the channel's webhooks come from (WhatsApp, Instagram).
    app_id TEXT,
    -- Settings that are not secret, as JSON.
    config TEXT NOT NULL,
    -- Credentials, sealed by the vault (JSON inside).
    secrets TEXT,
    disabled_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX channels_account ON channels (kind, account_id) WHERE disabled_at IS NULL;
CREATE INDEX channels_workspace ON channels (workspace_id, created_at);
CREATE INDEX channels_app ON channels (kind, app_id);

-- Every authentic delivery, as received, before parsing. Duplicates (same route, same bytes)
-- are not stored twice. The intake worker claims pending rows and processes them in batches.
CREATE TABLE inbound_events (
    id TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    -- The URL's channel id, or "app:<meta app id>" for the app-level route.
    route TEXT NOT NULL,
    body_sha256 TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    attempts BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT,
    received_at BIGINT NOT NULL,
    processed_at BIGINT
);
CREATE UNIQUE INDEX inbound_events_body ON inbound_events (route, body_sha256);
CREATE INDEX inbound_events_status ON inbound_events (status, received_at);

CREATE TABLE contacts (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name TEXT,
    phone TEXT,
    email TEXT,
    username TEXT,
    language TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX contacts_workspace ON contacts (workspace_id, created_at);

-- How a channel knows a person: WhatsApp BSUID and phone, Instagram IGSID, Telegram user id,
-- web-chat visitor id. Any one of them finds the contact.
CREATE TABLE contact_identities (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX contact_identities_key ON contact_identities (channel_id, kind, value);
CREATE INDEX contact_identities_contact ON contact_identities (contact_id);

-- The (channel, contact) pair: where replies go, and the customer's last message (reply window).
CREATE TABLE contact_channels (
    channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    workspace_id TEXT NOT NULL,
    address TEXT NOT NULL,
    last_inbound_at BIGINT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (channel_id, contact_id)
);
CREATE INDEX contact_channels_contact ON contact_channels (contact_id);

CREATE TABLE threads (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    assignee_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    snoozed_until BIGINT,
    last_inbound_at BIGINT,
    last_message_at BIGINT NOT NULL,
    preview TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    resolved_at BIGINT
);
-- One open thread per (channel, contact).
CREATE UNIQUE INDEX threads_open ON threads (channel_id, contact_id) WHERE status <> 'resolved';
CREATE INDEX threads_inbox ON threads (workspace_id, last_message_at);
CREATE INDEX threads_contact ON threads (contact_id);

CREATE TABLE thread_labels (
    thread_id TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    workspace_id TEXT NOT NULL,
    label TEXT NOT NULL,
    PRIMARY KEY (thread_id, label)
);
CREATE INDEX thread_labels_workspace ON thread_labels (workspace_id, label);

CREATE TABLE thread_notes (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    thread_id TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    author_kind TEXT NOT NULL,
    author_id TEXT,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX thread_notes_thread ON thread_notes (thread_id, created_at);

CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    thread_id TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    channel_id TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    direction TEXT NOT NULL,
    -- The provider's id (wamid, mid, "<chat>:<message>", web-chat client id): unique per channel.
    provider_id TEXT,
    kind TEXT NOT NULL,
    body TEXT,
    -- Normalised extras as JSON: media, location, contacts, payload, reaction target.
    data TEXT,
    -- The provider's JSON for this message, as received.
    raw TEXT,
    reply_to TEXT,
    status TEXT NOT NULL,
    error_code BIGINT,
    error_title TEXT,
    error_details TEXT,
    provider_at BIGINT,
    edited_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX messages_provider ON messages (channel_id, provider_id);
CREATE INDEX messages_thread ON messages (thread_id, created_at);
CREATE INDEX messages_workspace ON messages (workspace_id, created_at);

CREATE TABLE media (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    channel_id TEXT NOT NULL,
    provider_media_id TEXT,
    url TEXT,
    mime TEXT,
    filename TEXT,
    sha256 TEXT,
    size BIGINT,
    status TEXT NOT NULL,
    blob_key TEXT,
    error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX media_message ON media (message_id);
CREATE INDEX media_workspace ON media (workspace_id, created_at);

-- The consent ledger: events only; the current state is the latest event per (contact, channel).
CREATE TABLE consent_events (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    channel_id TEXT NOT NULL,
    change TEXT NOT NULL,
    source TEXT NOT NULL,
    evidence TEXT NOT NULL,
    at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX consent_events_evidence ON consent_events (channel_id, evidence, change);
CREATE INDEX consent_events_contact ON consent_events (contact_id, at);

-- Web-chat visitors: an anonymous token kept in the visitor's browser (only its hash here).
CREATE TABLE webchat_visitors (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    ip TEXT,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX webchat_visitors_channel ON webchat_visitors (channel_id);
