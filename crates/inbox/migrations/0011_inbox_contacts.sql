-- The CRM: labels and private notes on a contact (not on one conversation), and merges.
CREATE TABLE contact_labels (
    contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    workspace_id TEXT NOT NULL,
    label TEXT NOT NULL,
    PRIMARY KEY (contact_id, label)
);
CREATE INDEX contact_labels_workspace ON contact_labels (workspace_id, label);

CREATE TABLE contact_notes (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    author_kind TEXT NOT NULL,
    author_id TEXT,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX contact_notes_contact ON contact_notes (contact_id, created_at);

-- The last time the business heard from or wrote to the contact, for the list's sorting and
-- its "last contacted" filter (kept by intake and the outbox through the threads).
CREATE INDEX threads_contact_last ON threads (contact_id, last_message_at);
