-- Accounts (issue 24): what an email token carries (the new address of an email change, the
-- Google identity waiting to be linked), the device's time zone on a session, the browsers an
-- account has signed in from (for the new-device alert), the picture of a Google account, and
-- Google identities with their sign-in flows (state, nonce and PKCE verifier, single use).
ALTER TABLE email_tokens ADD COLUMN payload TEXT;
ALTER TABLE sessions ADD COLUMN time_zone TEXT;
ALTER TABLE users ADD COLUMN picture_url TEXT;

CREATE TABLE user_devices (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    device_hash TEXT NOT NULL,
    first_seen_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, device_hash)
);

CREATE TABLE oidc_identities (
    provider TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    name TEXT,
    picture_url TEXT,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL,
    PRIMARY KEY (provider, subject)
);
CREATE INDEX oidc_identities_user ON oidc_identities (user_id);

CREATE TABLE oidc_flows (
    state_hash TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    nonce TEXT NOT NULL,
    verifier TEXT NOT NULL,
    purpose TEXT NOT NULL,
    user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
    next TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
