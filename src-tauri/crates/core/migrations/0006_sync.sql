-- CRM sync: records pulled from the CRM and waiting for the CSM to apply them, the per-object
-- watermarks of incremental pulls, and the log of runs. What waits to be pushed (notes marked for
-- publishing, tasks on linked accounts) is read from the records themselves and `crm_links`.

CREATE TABLE sync_staged (
    system     TEXT NOT NULL CHECK (system IN ('hubspot', 'salesforce')),
    entity     TEXT NOT NULL CHECK (entity IN ('account', 'contact')),
    remote_id  TEXT NOT NULL,
    payload    TEXT NOT NULL,   -- the remote record, as JSON
    staged_at  TEXT NOT NULL,
    PRIMARY KEY (system, entity, remote_id)
) STRICT;

CREATE TABLE sync_watermarks (
    system      TEXT NOT NULL,
    object      TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    PRIMARY KEY (system, object)
) STRICT;

CREATE TABLE sync_runs (
    id          TEXT PRIMARY KEY,
    system      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    pulled      INTEGER NOT NULL DEFAULT 0,
    pushed      INTEGER NOT NULL DEFAULT 0,
    conflicts   INTEGER NOT NULL DEFAULT 0,
    errors      TEXT NOT NULL DEFAULT '[]',
    status      TEXT NOT NULL DEFAULT 'running'
) STRICT;
CREATE INDEX sync_runs_started ON sync_runs (started_at);

-- Deals (renewals and upsells) as the CRM has them: read-only here, refreshed with each sync, and
-- filed by their company's CRM id, so a deal pulled before its company is applied shows up with it.
CREATE TABLE deals (
    system             TEXT NOT NULL CHECK (system IN ('hubspot', 'salesforce')),
    remote_id          TEXT NOT NULL,
    company_remote_id  TEXT NOT NULL,
    name         TEXT NOT NULL,
    amount_minor INTEGER,
    currency     TEXT,
    close_date   TEXT,
    stage        TEXT NOT NULL DEFAULT '',
    pipeline     TEXT NOT NULL DEFAULT '',
    kind         TEXT NOT NULL CHECK (kind IN ('renewal', 'upsell', 'new_business')),
    closed       INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
    modified_at  TEXT NOT NULL,
    PRIMARY KEY (system, remote_id)
) STRICT;
CREATE INDEX deals_company ON deals (system, company_remote_id);
