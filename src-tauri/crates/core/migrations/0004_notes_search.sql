-- Call notes, drafts that survive a crash, the global timeline, and full-text search.

ALTER TABLE notes ADD COLUMN title TEXT NOT NULL DEFAULT '';
CREATE INDEX notes_when ON notes (occurred_at);

-- What the CSM is typing, saved continuously so a crash or a forced quit loses nothing.
CREATE TABLE note_drafts (
    id         TEXT PRIMARY KEY,
    account_id TEXT REFERENCES accounts (id) ON DELETE CASCADE,
    payload    TEXT NOT NULL,
    saved_at   TEXT NOT NULL
) STRICT;

-- Timeline events point at what they are about (a note, a task) so the timeline can open it.
ALTER TABLE timeline_events ADD COLUMN ref_kind TEXT;
CREATE INDEX timeline_when ON timeline_events (occurred_at, id);
CREATE INDEX timeline_account_when ON timeline_events (account_id, occurred_at, id);
DROP INDEX timeline_account;

-- Full-text search over notes, accounts, contacts and tasks. The text is indexed with CJK
-- characters separated by U+200B (a separator for this tokenizer), so any run of Chinese,
-- Japanese or Korean matches inside a word; accents are folded. search_docs maps each indexed
-- record to its FTS row and carries the filters (kind, account, day).
CREATE TABLE search_docs (
    doc        INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('note', 'account', 'contact', 'task')),
    ref_id     TEXT NOT NULL,
    account_id TEXT,
    day        TEXT,
    UNIQUE (kind, ref_id)
) STRICT;
CREATE INDEX search_docs_account ON search_docs (account_id);

CREATE VIRTUAL TABLE search_index USING fts5 (
    title,
    body,
    tags,
    tokenize = "unicode61 remove_diacritics 2 separators '​'",
    prefix = '2 3'
);
