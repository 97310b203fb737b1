-- Risks and asks: a register of the risks on each account with their save plans and weekly
-- updates, and the customer's asks of the product, one ask shared by every account asking.

CREATE TABLE risks (
    id                 TEXT PRIMARY KEY,
    account_id         TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    title              TEXT NOT NULL CHECK (length(trim(title)) > 0),
    reasons            TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(reasons) AND json_type(reasons) = 'array'),
    severity           TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    arr_at_risk_minor  INTEGER NOT NULL CHECK (arr_at_risk_minor >= 0),
    currency           TEXT NOT NULL CHECK (length(currency) = 3),
    stage              TEXT NOT NULL CHECK (stage IN ('identified', 'plan_in_place', 'saving', 'recovered', 'lost')),
    help_needed        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(help_needed) AND json_type(help_needed) = 'array'),
    opened_on          TEXT NOT NULL,
    stage_since        TEXT NOT NULL,
    last_update_on     TEXT,
    closed_on          TEXT,
    note_id            TEXT REFERENCES notes (id) ON DELETE SET NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    CHECK ((stage IN ('recovered', 'lost')) = (closed_on IS NOT NULL))
) STRICT;
CREATE INDEX risks_open ON risks (closed_on, account_id);
CREATE INDEX risks_account ON risks (account_id, opened_on);

-- A short dated line each week: where the save stands.
CREATE TABLE risk_updates (
    id       INTEGER PRIMARY KEY,
    risk_id  TEXT NOT NULL REFERENCES risks (id) ON DELETE CASCADE,
    on_day   TEXT NOT NULL,
    body     TEXT NOT NULL CHECK (length(trim(body)) > 0),
    note_id  TEXT REFERENCES notes (id) ON DELETE SET NULL
) STRICT;
CREATE INDEX risk_updates_risk ON risk_updates (risk_id, on_day, id);

-- The save plan: each step is a task of the account.
CREATE TABLE risk_plan_steps (
    task_id TEXT PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
    risk_id TEXT NOT NULL REFERENCES risks (id) ON DELETE CASCADE
) WITHOUT ROWID, STRICT;
CREATE INDEX risk_plan_steps_risk ON risk_plan_steps (risk_id);

-- "Open a risk?" suggestions the CSM dismissed, by account and what prompted them.
CREATE TABLE risk_suggestion_dismissals (
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    trigger      TEXT NOT NULL,
    dismissed_on TEXT NOT NULL,
    PRIMARY KEY (account_id, trigger)
) WITHOUT ROWID, STRICT;

CREATE TABLE asks (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL CHECK (length(trim(title)) > 0),
    problem     TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL CHECK (status IN ('new', 'sent_to_product', 'planned', 'shipped', 'declined')),
    reference   TEXT NOT NULL DEFAULT '',
    status_on   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX asks_status ON asks (status);

-- The words of each ask's title that carry its meaning (`asks::words`), to match a typed ask to
-- one already recorded without reading every ask.
CREATE TABLE ask_words (
    word   TEXT NOT NULL,
    ask_id TEXT NOT NULL REFERENCES asks (id) ON DELETE CASCADE,
    PRIMARY KEY (word, ask_id)
) WITHOUT ROWID, STRICT;
CREATE INDEX ask_words_ask ON ask_words (ask_id);

-- Who asks: every account asking, the person who asked and the note it came from.
CREATE TABLE ask_accounts (
    ask_id     TEXT NOT NULL REFERENCES asks (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    contact_id TEXT REFERENCES contacts (id) ON DELETE SET NULL,
    note_id    TEXT REFERENCES notes (id) ON DELETE SET NULL,
    asked_on   TEXT NOT NULL,
    PRIMARY KEY (ask_id, account_id)
) WITHOUT ROWID, STRICT;
CREATE INDEX ask_accounts_account ON ask_accounts (account_id);

-- Notes tagged "risk" or "feedback" before this version: offered once as risks and asks, never
-- turned into them on their own.
CREATE TABLE tagged_note_offers (
    note_id TEXT NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL CHECK (kind IN ('risk', 'ask')),
    PRIMARY KEY (note_id, kind)
) WITHOUT ROWID, STRICT;
INSERT OR IGNORE INTO tagged_note_offers (note_id, kind)
SELECT note_id, CASE WHEN tag IN ('risk', 'escalation') THEN 'risk' ELSE 'ask' END FROM note_tags
WHERE tag IN ('risk', 'escalation', 'feedback', 'feature-request', 'request');

-- Risks and asks are timeline kinds (and records an entry opens) and searchable kinds.
CREATE TABLE timeline_events_new (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('call', 'meeting', 'email', 'note', 'task_done', 'health_band',
                                              'qbr', 'milestone', 'crm', 'task_created', 'signal',
                                              'stakeholder', 'risk', 'ask')),
    occurred_at TEXT NOT NULL,
    title       TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '',
    ref_kind    TEXT CHECK (ref_kind IN ('note', 'task', 'qbr', 'milestone', 'risk', 'ask')),
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

CREATE TABLE search_docs_new (
    doc        INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('note', 'account', 'contact', 'task', 'risk', 'ask')),
    ref_id     TEXT NOT NULL,
    account_id TEXT,
    day        TEXT,
    UNIQUE (kind, ref_id)
) STRICT;
INSERT INTO search_docs_new (doc, kind, ref_id, account_id, day)
SELECT doc, kind, ref_id, account_id, day FROM search_docs;
DROP TABLE search_docs;
ALTER TABLE search_docs_new RENAME TO search_docs;
CREATE INDEX search_docs_account ON search_docs (account_id);
