-- QBR workspace: the success plan's milestones, the meeting note of a held QBR, and the indexes
-- the success plan and the QBR list read through.

CREATE TABLE milestones (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    title       TEXT NOT NULL CHECK (length(trim(title)) > 0),
    due_on      TEXT,
    status      TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'reached', 'missed', 'dropped')),
    reached_on  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX milestones_account ON milestones (account_id, due_on);

CREATE INDEX success_metrics_account ON success_metrics (account_id);
CREATE INDEX qbrs_account ON qbrs (account_id, period_end);

-- The note written when the QBR was marked held (its next steps became tasks).
ALTER TABLE qbrs ADD COLUMN note_id TEXT REFERENCES notes (id) ON DELETE SET NULL;
