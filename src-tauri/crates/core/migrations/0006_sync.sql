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
