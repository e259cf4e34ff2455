-- Finding the contact who typed a number (a WhatsApp message proves it; possible matches) by
-- index, not by reading every contact of the workspace.
CREATE INDEX contacts_phone ON contacts (workspace_id, phone);
CREATE INDEX contacts_email ON contacts (workspace_id, email);
