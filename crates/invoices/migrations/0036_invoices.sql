-- Invoices (payments, part 2). No foreign key to workspaces: issued invoices are financial
-- records kept 7 years (P30), whatever happens to the workspace.

-- One per workspace: who issues, under which series, at which tax rates.
CREATE TABLE invoice_profiles (
    workspace_id TEXT PRIMARY KEY,
    legal_name TEXT NOT NULL,
    tax_id TEXT NOT NULL,
    series TEXT NOT NULL,
    credit_series TEXT NOT NULL,
    -- Tax rates in basis points, comma-separated (`2100,1000,400,0`); the first is the default.
    tax_rates TEXT NOT NULL,
    -- Issue an invoice for every payment paid from `auto_since` on.
    auto_issue BIGINT NOT NULL DEFAULT 0,
    auto_since BIGINT,
    footer TEXT,
    updated_at BIGINT NOT NULL
);

-- The gapless counter of a series: the number of the last invoice issued in `year`, its date
-- and its hash (the next one's `prev_hash`). Locked by the issuing transaction.
CREATE TABLE invoice_series (
    workspace_id TEXT NOT NULL,
    series TEXT NOT NULL,
    year BIGINT NOT NULL,
    last_number BIGINT NOT NULL,
    last_date TEXT,
    last_hash TEXT,
    PRIMARY KEY (workspace_id, series)
);

-- kind: invoice | credit_note. status: draft | issued.
CREATE TABLE invoices (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    series TEXT NOT NULL,
    number BIGINT,
    number_text TEXT,
    issue_date TEXT,
    currency TEXT NOT NULL,
    lang TEXT NOT NULL,
    contact_id TEXT,
    buyer_name TEXT,
    buyer_tax_id TEXT,
    buyer_address TEXT,
    buyer_email TEXT,
    buyer_phone TEXT,
    notes TEXT,
    -- The seller as issued (legal name, tax id, address), JSON.
    seller TEXT,
    -- The payment it invoices, or that pays it.
    payment_id TEXT,
    -- A credit note made for a refund.
    refund_id TEXT,
    -- A credit note's invoice.
    corrects_id TEXT,
    total BIGINT NOT NULL,
    prev_hash TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX invoices_number ON invoices (workspace_id, series, number_text);
CREATE UNIQUE INDEX invoices_payment ON invoices (workspace_id, kind, payment_id);
CREATE UNIQUE INDEX invoices_refund ON invoices (workspace_id, refund_id);
CREATE INDEX invoices_ws ON invoices (workspace_id, status, issue_date);
CREATE INDEX invoices_contact ON invoices (workspace_id, contact_id);

-- Prices include tax; amounts in minor units; quantities in thousandths; rates and discounts
-- in basis points. base + tax = total, per line.
CREATE TABLE invoice_lines (
    id TEXT PRIMARY KEY,
    invoice_id TEXT NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    workspace_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    description TEXT NOT NULL,
    quantity_milli BIGINT NOT NULL,
    unit_price BIGINT NOT NULL,
    discount_bp BIGINT NOT NULL,
    tax_rate_bp BIGINT NOT NULL,
    base BIGINT NOT NULL,
    tax BIGINT NOT NULL,
    total BIGINT NOT NULL
);
CREATE INDEX invoice_lines_invoice ON invoice_lines (invoice_id, position);

-- The accountant's ZIP of a period's PDFs, built by a job. status: queued | running | done | failed.
CREATE TABLE invoice_exports (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    status TEXT NOT NULL,
    done BIGINT NOT NULL,
    total BIGINT NOT NULL,
    blob_key TEXT,
    created_by TEXT,
    created_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX invoice_exports_ws ON invoice_exports (workspace_id, created_at);

-- The customer's tax details, on the contact.
ALTER TABLE contacts ADD COLUMN tax_id TEXT;
ALTER TABLE contacts ADD COLUMN billing_address TEXT;
