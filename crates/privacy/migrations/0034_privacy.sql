-- Data-subject requests to a workspace (the workspace is the controller of its customers'
-- data; the operator is its processor and never fulfils them silently, P10).
-- kind: access | export | rectify | erase | restrict | object | withdraw_consent.
-- status: received | verified | in_progress | done | refused | expired.
-- The requester's email and what they wrote are cleared once an erasure is done; the row
-- (kind, dates, who decided) stays as the record that the request was answered.
CREATE TABLE privacy_requests (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    contact_id TEXT,
    -- An account holder's own request (workspace_id 'platform'): the operator answers it.
    user_id TEXT,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    email TEXT,
    details TEXT,
    lang TEXT NOT NULL,
    source TEXT NOT NULL,
    code_hash TEXT,
    code_expires_at BIGINT,
    code_tries BIGINT NOT NULL,
    codes_sent BIGINT NOT NULL,
    verified_at BIGINT,
    verified_how TEXT,
    due_at BIGINT NOT NULL,
    outcome TEXT,
    export_key TEXT,
    export_expires_at BIGINT,
    reminded BIGINT NOT NULL,
    done_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX privacy_requests_ws ON privacy_requests (workspace_id, status, due_at);
CREATE INDEX privacy_requests_due ON privacy_requests (status, due_at);
CREATE INDEX privacy_requests_user ON privacy_requests (user_id);

-- The workspace's data role is `workspaces.data_role` (the platform's own table).
