-- CSM Desk schema v1. Ids are UUIDv7 text; instants are UTC RFC 3339 text; calendar dates are
-- 'YYYY-MM-DD'; money is integer minor units beside an ISO 4217 currency code.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE accounts (
    id                   TEXT PRIMARY KEY,
    name                 TEXT NOT NULL CHECK (length(trim(name)) > 0),
    domain               TEXT,
    segment              TEXT NOT NULL CHECK (segment IN ('high_touch', 'low_touch', 'tech_touch')),
    lifecycle_stage      TEXT NOT NULL CHECK (lifecycle_stage IN
                            ('onboarding', 'adoption', 'value', 'renewal', 'expansion', 'advocacy', 'churned')),
    industry             TEXT,
    region               TEXT,
    employees            INTEGER CHECK (employees >= 0),
    owner                TEXT,
    arr_minor            INTEGER NOT NULL DEFAULT 0 CHECK (arr_minor >= 0),
    currency             TEXT NOT NULL DEFAULT 'USD' CHECK (length(currency) = 3),
    contract_start       TEXT,
    contract_end         TEXT,
    renewal_date         TEXT,
    contract_term_months INTEGER CHECK (contract_term_months > 0),
    products             TEXT NOT NULL DEFAULT '[]',   -- JSON array of product names
    licences_purchased   INTEGER CHECK (licences_purchased >= 0),
    discount_bps         INTEGER CHECK (discount_bps BETWEEN 0 AND 10000),
    customer_since       TEXT,
    last_touch_at        TEXT,
    archived_at          TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    CHECK (contract_end IS NULL OR contract_start IS NULL OR contract_end >= contract_start)
) STRICT;
CREATE INDEX accounts_renewal ON accounts (renewal_date);
CREATE INDEX accounts_domain ON accounts (domain);

CREATE TABLE contacts (
    id         TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
    email      TEXT,
    title      TEXT,
    phone      TEXT,
    role       TEXT NOT NULL CHECK (role IN ('executive_sponsor', 'champion', 'decision_maker',
                                              'admin', 'user', 'detractor', 'promoter', 'other')),
    left_on    TEXT,              -- the day the contact left the customer: a risk signal
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX contacts_account ON contacts (account_id);
CREATE INDEX contacts_email ON contacts (email);

-- Tables below are used by later capabilities (tasks, notes, timeline, health, QBRs, CRM sync).

CREATE TABLE notes (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    occurred_at TEXT NOT NULL,
    template    TEXT,
    body_md     TEXT NOT NULL DEFAULT '',
    sentiment   TEXT CHECK (sentiment IN ('positive', 'neutral', 'negative')),
    private     INTEGER NOT NULL DEFAULT 1 CHECK (private IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX notes_account ON notes (account_id, occurred_at);

CREATE TABLE note_attendees (
    note_id    TEXT NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
    contact_id TEXT REFERENCES contacts (id) ON DELETE SET NULL,
    name       TEXT NOT NULL
) STRICT;
CREATE INDEX note_attendees_note ON note_attendees (note_id);

CREATE TABLE note_tags (
    note_id TEXT NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
    tag     TEXT NOT NULL,
    PRIMARY KEY (note_id, tag)
) STRICT;

CREATE TABLE tasks (
    id             TEXT PRIMARY KEY,
    account_id     TEXT REFERENCES accounts (id) ON DELETE CASCADE,
    note_id        TEXT REFERENCES notes (id) ON DELETE SET NULL,
    title          TEXT NOT NULL CHECK (length(trim(title)) > 0),
    due_date       TEXT,
    due_time       TEXT,
    priority       TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high')),
    effort_minutes INTEGER CHECK (effort_minutes >= 0),
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'snoozed', 'cancelled')),
    snoozed_until  TEXT,
    source         TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'note', 'playbook', 'crm')),
    source_ref     TEXT,          -- e.g. playbook and trigger, for idempotent generation
    details        TEXT NOT NULL DEFAULT '',
    completed_at   TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX tasks_due ON tasks (status, due_date);
CREATE INDEX tasks_account ON tasks (account_id);
CREATE UNIQUE INDEX tasks_source_ref ON tasks (source_ref) WHERE source_ref IS NOT NULL;

CREATE TABLE timeline_events (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,   -- call, meeting, email, note, task_done, health_band, qbr, milestone, crm
    occurred_at TEXT NOT NULL,
    title       TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '',
    ref_entity  TEXT,
    ref_id      TEXT
) STRICT;
CREATE INDEX timeline_account ON timeline_events (account_id, occurred_at);

CREATE TABLE signals (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,   -- active_users, licences_used, logins, tickets_open, p1_open, nps, csat, invoice_overdue_days, sentiment, ...
    value       REAL NOT NULL,
    recorded_on TEXT NOT NULL,
    expires_on  TEXT,
    source      TEXT NOT NULL DEFAULT 'manual',
    comment     TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX signals_account ON signals (account_id, kind, recorded_on);

CREATE TABLE health_snapshots (
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    day         TEXT NOT NULL,
    score       INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    band        TEXT NOT NULL CHECK (band IN ('red', 'yellow', 'green')),
    explanation TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (account_id, day)
) STRICT;

CREATE TABLE success_metrics (
    id             TEXT PRIMARY KEY,
    account_id     TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    unit           TEXT NOT NULL DEFAULT '',
    baseline       REAL,
    target         REAL,
    current        REAL,
    confirmed_on   TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;

CREATE TABLE qbrs (
    id           TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    period_start TEXT NOT NULL,
    period_end   TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'prepared', 'held', 'follow_up_sent')),
    meeting_at   TEXT,
    draft        TEXT NOT NULL DEFAULT '{}',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK (period_end >= period_start)
) STRICT;

-- CRM ids live apart from the domain rows: one link per (entity, local id, CRM system).
CREATE TABLE crm_links (
    entity             TEXT NOT NULL,
    local_id           TEXT NOT NULL,
    system             TEXT NOT NULL CHECK (system IN ('hubspot', 'salesforce')),
    remote_id          TEXT NOT NULL,
    remote_modified_at TEXT,
    last_synced_values TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (entity, local_id, system),
    UNIQUE (system, entity, remote_id)
) STRICT;
