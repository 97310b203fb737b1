-- Calendars: the CSM's calendars (a file, a watched folder, an https address whose secret stays
-- in the OS keychain), their meetings as last read, and the accounts the CSM assigned domains to.

CREATE TABLE calendars (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
    kind            TEXT NOT NULL CHECK (kind IN ('file', 'folder', 'address')),
    location        TEXT,            -- the file or folder; NULL for an address
    refresh_minutes INTEGER NOT NULL DEFAULT 30 CHECK (refresh_minutes BETWEEN 5 AND 1440),
    refreshed_at    TEXT,            -- when the copy in use was read
    checked_at      TEXT,            -- the last attempt, good or not
    fingerprint     TEXT,            -- a folder's files' names, sizes and times when last read
    last_error      TEXT,
    events          INTEGER NOT NULL DEFAULT 0,
    skipped         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(skipped) AND json_type(skipped) = 'array'),
    created_at      TEXT NOT NULL,
    CHECK ((kind = 'address') = (location IS NULL))
) STRICT;

CREATE TABLE meetings (
    calendar_id TEXT NOT NULL REFERENCES calendars (id) ON DELETE CASCADE,
    key         TEXT NOT NULL,       -- the UID and the occurrence's original start
    uid         TEXT NOT NULL,
    title       TEXT NOT NULL,
    location    TEXT,
    starts_at   TEXT,                -- UTC; NULL all day
    day         TEXT NOT NULL,       -- the CSM's day it starts on
    last_day    TEXT NOT NULL,
    time        TEXT,                -- the CSM's wall-clock "HH:MM"; NULL all day
    minutes     INTEGER NOT NULL CHECK (minutes >= 0),
    attendees   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(attendees) AND json_type(attendees) = 'array'),
    account_id  TEXT REFERENCES accounts (id) ON DELETE SET NULL,
    match_kind  TEXT NOT NULL CHECK (match_kind IN ('contact', 'domain', 'assigned', 'internal', 'unmatched')),
    domain      TEXT,
    -- A rowid table: rows carry their attendees (a few hundred bytes), too wide for WITHOUT ROWID.
    UNIQUE (calendar_id, key)
) STRICT;
-- A year of a busy calendar is tens of thousands of rows, each written on every refresh: two
-- indexes only. The account index leaves out the (many) meetings with no account.
CREATE INDEX meetings_day ON meetings (day);
CREATE INDEX meetings_account ON meetings (account_id, day) WHERE account_id IS NOT NULL;

-- A domain (or an address at a shared mail provider) the CSM said belongs to an account.
CREATE TABLE meeting_assignments (
    domain     TEXT PRIMARY KEY CHECK (length(domain) > 0),
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE
) STRICT;
