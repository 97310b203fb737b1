-- Relationships: the stakeholder map on contacts, who attended what (by contact), attendee names
-- the CSM chose not to add, each account's coverage as last computed, and stakeholder changes on
-- the timeline. Stance and private notes are the CSM's own: sync never reads these columns.

-- Deferred: a book loads its people in any order, managers after their reports.
ALTER TABLE contacts ADD COLUMN reports_to TEXT
    REFERENCES contacts (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE contacts ADD COLUMN influence TEXT CHECK (influence IN ('high', 'medium', 'low'));
ALTER TABLE contacts ADD COLUMN stance TEXT
    CHECK (stance IN ('champion', 'supporter', 'neutral', 'skeptic', 'blocker'));
ALTER TABLE contacts ADD COLUMN deal_roles TEXT NOT NULL DEFAULT '[]'
    CHECK (json_valid(deal_roles) AND json_type(deal_roles) = 'array');
ALTER TABLE contacts ADD COLUMN private_notes TEXT NOT NULL DEFAULT '';
CREATE INDEX contacts_reports_to ON contacts (reports_to);

-- Engagement per person reads the notes each contact attended.
CREATE INDEX note_attendees_contact ON note_attendees (contact_id);

CREATE TABLE dismissed_attendees (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name_key   TEXT NOT NULL CHECK (length(name_key) > 0),  -- the name folded to lower case
    PRIMARY KEY (account_id, name_key)
) STRICT, WITHOUT ROWID;

-- The coverage computed with the account's latest score, for the Book's filters and the Week.
CREATE TABLE account_coverage (
    account_id      TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    day             TEXT NOT NULL,  -- when it was last found different
    single_threaded INTEGER NOT NULL CHECK (single_threaded IN (0, 1)),
    sponsor_engaged INTEGER NOT NULL CHECK (sponsor_engaged IN (0, 1)),
    level           INTEGER CHECK (level BETWEEN 0 AND 2),  -- the Relationship health measure
    coverage        TEXT NOT NULL CHECK (json_valid(coverage))
) STRICT;

-- What the coverage was last worked out from. Every write to the people, the notes, who attended
-- them or the accounts bumps `version`, so a full rescoring later the same day with nothing new
-- reuses the coverage instead of reading every person again.
CREATE TABLE relationship_inputs (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    version          INTEGER NOT NULL DEFAULT 0,
    computed_version INTEGER,
    computed_on      TEXT,
    computed_cadence TEXT
) STRICT;
INSERT INTO relationship_inputs (id) VALUES (1);
CREATE TRIGGER relationship_contacts_insert AFTER INSERT ON contacts
    BEGIN UPDATE relationship_inputs SET version = version + 1; END;
CREATE TRIGGER relationship_contacts_update AFTER UPDATE ON contacts
    BEGIN UPDATE relationship_inputs SET version = version + 1; END;
CREATE TRIGGER relationship_contacts_delete AFTER DELETE ON contacts
    BEGIN UPDATE relationship_inputs SET version = version + 1; END;
CREATE TRIGGER relationship_notes_insert AFTER INSERT ON notes
    BEGIN UPDATE relationship_inputs SET version = version + 1; END;
CREATE TRIGGER relationship_notes_update AFTER UPDATE OF account_id, occurred_at ON notes
    BEGIN UPDATE relationship_inputs SET version = version + 1; END;
CREATE TRIGGER relationship_notes_delete AFTER DELETE ON notes
    BEGIN UPDATE relationship_inputs SET version = version + 1; END;
CREATE TRIGGER relationship_attendees_insert AFTER INSERT ON note_attendees
    BEGIN UPDATE relationship_inputs SET version = version + 1; END;
CREATE TRIGGER relationship_attendees_update AFTER UPDATE ON note_attendees
    BEGIN UPDATE relationship_inputs SET version = version + 1; END;
CREATE TRIGGER relationship_attendees_delete AFTER DELETE ON note_attendees
    BEGIN UPDATE relationship_inputs SET version = version + 1; END;
CREATE TRIGGER relationship_accounts_insert AFTER INSERT ON accounts
    BEGIN UPDATE relationship_inputs SET version = version + 1; END;
CREATE TRIGGER relationship_accounts_update AFTER UPDATE OF segment, archived_at ON accounts
    BEGIN UPDATE relationship_inputs SET version = version + 1; END;
CREATE TRIGGER relationship_accounts_delete AFTER DELETE ON accounts
    BEGIN UPDATE relationship_inputs SET version = version + 1; END;

-- A stakeholder change ("Ana Ruiz: supporter → skeptic") is a timeline kind of its own.
CREATE TABLE timeline_events_new (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('call', 'meeting', 'email', 'note', 'task_done', 'health_band',
                                              'qbr', 'milestone', 'crm', 'task_created', 'signal',
                                              'stakeholder')),
    occurred_at TEXT NOT NULL,
    title       TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '',
    ref_kind    TEXT CHECK (ref_kind IN ('note', 'task', 'qbr', 'milestone')),
    ref_id      TEXT,
    CHECK ((ref_kind IS NULL) = (ref_id IS NULL))
) STRICT;
INSERT INTO timeline_events_new (id, account_id, kind, occurred_at, title, detail, ref_kind, ref_id)
SELECT id, account_id, kind, occurred_at, title, detail, ref_kind, ref_id FROM timeline_events;
DROP TABLE timeline_events;
ALTER TABLE timeline_events_new RENAME TO timeline_events;
CREATE INDEX timeline_touches ON timeline_events (account_id, kind, occurred_at);
CREATE INDEX timeline_when ON timeline_events (occurred_at, id);
CREATE INDEX timeline_account_when ON timeline_events (account_id, occurred_at, id);
CREATE INDEX timeline_ref ON timeline_events (ref_kind, ref_id);
