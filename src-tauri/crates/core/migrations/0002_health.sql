-- Health: a covering index so the Book can read every account's score on a few given days
-- (today, 7 and 30 days ago, weekly sparkline points) without touching the table.
CREATE INDEX health_snapshots_day ON health_snapshots (day, account_id, score, band);
