-- The columns that name a kind get their lists as CHECKs, like the rest of the schema: timeline
-- events (their kind, and the kind of record they open, without the unused ref_entity column),
-- the sync log (CRM, status, errors as a JSON list) and the watermarks (CRM). A value outside a
-- list was never written; should one exist, a reference is dropped and a status reads 'failed'.
CREATE TABLE timeline_events_new (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('call', 'meeting', 'email', 'note', 'task_done', 'health_band',
                                              'qbr', 'milestone', 'crm', 'task_created', 'signal')),
    occurred_at TEXT NOT NULL,
    title       TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '',
    ref_kind    TEXT CHECK (ref_kind IN ('note', 'task', 'qbr', 'milestone')),
    ref_id      TEXT,
    CHECK ((ref_kind IS NULL) = (ref_id IS NULL))
) STRICT;
INSERT INTO timeline_events_new (id, account_id, kind, occurred_at, title, detail, ref_kind, ref_id)
SELECT id, account_id, CASE WHEN kind IN ('call', 'meeting', 'email', 'note', 'task_done', 'health_band', 'qbr',
                                          'milestone', 'crm', 'task_created', 'signal') THEN kind ELSE 'note' END,
       occurred_at, title, detail,
       CASE WHEN ref_kind IN ('note', 'task', 'qbr', 'milestone') AND ref_id IS NOT NULL THEN ref_kind END,
       CASE WHEN ref_kind IN ('note', 'task', 'qbr', 'milestone') THEN ref_id END
FROM timeline_events;
DROP TABLE timeline_events;
ALTER TABLE timeline_events_new RENAME TO timeline_events;
CREATE INDEX timeline_touches ON timeline_events (account_id, kind, occurred_at);
CREATE INDEX timeline_when ON timeline_events (occurred_at, id);
CREATE INDEX timeline_account_when ON timeline_events (account_id, occurred_at, id);
CREATE INDEX timeline_ref ON timeline_events (ref_kind, ref_id);

CREATE TABLE sync_runs_new (
    id          TEXT PRIMARY KEY,
    system      TEXT NOT NULL CHECK (system IN ('hubspot', 'salesforce')),
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    pulled      INTEGER NOT NULL DEFAULT 0 CHECK (pulled >= 0),
    pushed      INTEGER NOT NULL DEFAULT 0 CHECK (pushed >= 0),
    conflicts   INTEGER NOT NULL DEFAULT 0 CHECK (conflicts >= 0),
    errors      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(errors) AND json_type(errors) = 'array'),
    status      TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed', 'cancelled'))
) STRICT;
INSERT INTO sync_runs_new (id, system, started_at, finished_at, pulled, pushed, conflicts, errors, status)
SELECT id, system, started_at, finished_at, max(pulled, 0), max(pushed, 0), max(conflicts, 0),
       CASE WHEN json_valid(errors) AND json_type(errors) = 'array' THEN errors ELSE '[]' END,
       CASE WHEN status IN ('running', 'done', 'failed', 'cancelled') THEN status ELSE 'failed' END
FROM sync_runs WHERE system IN ('hubspot', 'salesforce');
DROP TABLE sync_runs;
ALTER TABLE sync_runs_new RENAME TO sync_runs;
CREATE INDEX sync_runs_started ON sync_runs (started_at);

CREATE TABLE sync_watermarks_new (
    system      TEXT NOT NULL CHECK (system IN ('hubspot', 'salesforce')),
    object      TEXT NOT NULL CHECK (object <> ''),
    modified_at TEXT NOT NULL,
    PRIMARY KEY (system, object)
) STRICT;
INSERT INTO sync_watermarks_new SELECT system, object, modified_at FROM sync_watermarks
WHERE system IN ('hubspot', 'salesforce') AND object <> '';
DROP TABLE sync_watermarks;
ALTER TABLE sync_watermarks_new RENAME TO sync_watermarks;
