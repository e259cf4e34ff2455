-- The AI assistant: per-workspace settings and knowledge base, drafts, and the disclosure
-- ledger of calls to external providers.

CREATE TABLE assistant_settings (
    workspace_id TEXT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
    -- off | draft | auto
    mode TEXT NOT NULL,
    -- Per channel: {"<channel id>": "off" | "draft" | "auto"} overrides the mode.
    channel_modes TEXT NOT NULL,
    -- local | openai | anthropic
    provider TEXT NOT NULL,
    base_url TEXT,
    model TEXT,
    -- The provider's API key, sealed by the vault.
    api_key TEXT,
    -- Topics the assistant may answer on its own in auto mode (JSON list of fact kinds).
    allow_topics TEXT NOT NULL,
    -- Auto replies only inside business hours.
    auto_in_hours_only BIGINT NOT NULL,
    disclosure_enabled BIGINT NOT NULL,
    disclosure_text TEXT,
    -- Mask phone numbers and emails in what is sent to an external provider.
    mask_personal_data BIGINT NOT NULL,
    -- Drafts (and their context) are purged after this many days.
    retention_days BIGINT NOT NULL,
    -- The knowledge base as JSON (profile, services, FAQ, documents).
    knowledge TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE ai_drafts (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    thread_id TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    -- The customer's message it answers.
    message_id TEXT,
    text TEXT NOT NULL,
    lang TEXT NOT NULL,
    -- answer | handover | human_requested
    outcome TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT,
    -- Ids of the facts the draft was built from (JSON list).
    facts TEXT NOT NULL,
    grounded BIGINT NOT NULL,
    -- draft | sent | discarded | auto_sent
    status TEXT NOT NULL,
    -- Why an automated reply stayed a draft (not_grounded, topic_not_allowed, ...).
    held_because TEXT,
    sent_message_id TEXT,
    decided_by TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX ai_drafts_thread ON ai_drafts (thread_id, created_at);
CREATE INDEX ai_drafts_workspace ON ai_drafts (workspace_id, created_at);

-- Every call to an external provider: who received what, never the content.
CREATE TABLE ai_calls (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    thread_id TEXT,
    provider TEXT NOT NULL,
    model TEXT,
    purpose TEXT NOT NULL,
    bytes_sent BIGINT NOT NULL,
    bytes_received BIGINT NOT NULL,
    tokens_in BIGINT,
    tokens_out BIGINT,
    payload_sha256 TEXT NOT NULL,
    -- ok | error code
    outcome TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX ai_calls_workspace ON ai_calls (workspace_id, at);

-- The customer asked for a person: the assistant stays out of this thread.
ALTER TABLE threads ADD COLUMN ai_paused_at BIGINT;
