-- Health scores (issue: health). Indexes shaped by the queries that score every account at once
-- and by the Book's trend query; each is covering, so those reads never touch the tables.

-- Snapshots keyed by (account, day) in one B-tree, plus the day index the Book reads by.
CREATE TABLE health_snapshots_v2 (
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    day         TEXT NOT NULL,
    score       INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    band        TEXT NOT NULL CHECK (band IN ('red', 'yellow', 'green')),
    explanation TEXT NOT NULL DEFAULT '{}',   -- each measure's mapped 0–100 value that day
    PRIMARY KEY (account_id, day)
) STRICT, WITHOUT ROWID;
INSERT INTO health_snapshots_v2 SELECT account_id, day, score, band, explanation FROM health_snapshots;
DROP TABLE health_snapshots;
ALTER TABLE health_snapshots_v2 RENAME TO health_snapshots;
CREATE INDEX health_snapshots_day ON health_snapshots (day, account_id, score, band);

-- The latest reading of each signal kind per account.
DROP INDEX signals_account;
CREATE INDEX signals_latest ON signals (account_id, kind, recorded_on, id, value, expires_on);

-- Whether an account has an active sponsor or champion.
CREATE INDEX contacts_relationship ON contacts (account_id, role, left_on);

-- The last touch (call, meeting, email, QBR) on or before a day.
CREATE INDEX timeline_touches ON timeline_events (account_id, kind, occurred_at);
