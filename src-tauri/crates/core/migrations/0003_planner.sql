-- Week planner: task provenance for playbook-made tasks, and suggestions the CSM dismissed.

-- Why a generated task exists, in words ("Renewal playbook · T-90 · renewal on 2027-03-01").
ALTER TABLE tasks ADD COLUMN provenance TEXT NOT NULL DEFAULT '';
-- The due date a playbook last gave the task. When the task's due date still equals it, the CSM has
-- not moved the task, so an edited step may move it; a task the CSM rescheduled stays put.
ALTER TABLE tasks ADD COLUMN generated_due TEXT;
-- A touch the CSM accepted from the week's suggestions: completing it counts as touching the account.
ALTER TABLE tasks ADD COLUMN is_touch INTEGER NOT NULL DEFAULT 0 CHECK (is_touch IN (0, 1));

-- The planner reads tasks by status and day, and which accounts have overdue ones, from the index.
DROP INDEX tasks_due;
CREATE INDEX tasks_due ON tasks (status, due_date, account_id);

-- A suggestion the CSM dismissed stays hidden for that week only.
CREATE TABLE plan_dismissals (
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    week_start   TEXT NOT NULL,
    dismissed_at TEXT NOT NULL,
    PRIMARY KEY (account_id, week_start)
) STRICT;
