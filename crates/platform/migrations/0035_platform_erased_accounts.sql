-- An erased account stays as a tombstone (its id still names the author of old messages and
-- notes), with its email, name and credentials gone.
ALTER TABLE users ADD COLUMN erased_at BIGINT;
