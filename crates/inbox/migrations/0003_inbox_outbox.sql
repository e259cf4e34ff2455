-- Outbox: replies are messages with direction 'out', stored as 'queued' before any provider
-- call and sent by the job queue ('message.send').

-- Who wrote an outbound message: 'user' or 'api_token' (with author_id), 'system'.
ALTER TABLE messages ADD COLUMN author_kind TEXT;
ALTER TABLE messages ADD COLUMN author_id TEXT;
-- The client's Idempotency-Key: a retried POST returns the same message.
ALTER TABLE messages ADD COLUMN idempotency_key TEXT;
-- Set just before the provider call, cleared when its outcome is known. Still set when a job
-- is claimed again means the server stopped mid-call: the outcome is unknown (never resent).
ALTER TABLE messages ADD COLUMN send_started_at BIGINT;
-- Our stable failure code: a gate denial (contact_opted_out, reply_window_closed, ...),
-- provider_rejected, unknown_outcome.
ALTER TABLE messages ADD COLUMN failure TEXT;
CREATE UNIQUE INDEX messages_idempotency ON messages (workspace_id, idempotency_key);

-- The provider said the reply window is closed (WhatsApp 131047); a newer inbound message
-- reopens it.
ALTER TABLE contact_channels ADD COLUMN window_closed_at BIGINT;

-- A blocked contact gets nothing from the business.
ALTER TABLE contacts ADD COLUMN blocked_at BIGINT;
