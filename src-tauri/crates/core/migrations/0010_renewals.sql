-- The renewal desk: the history of every account's ARR, the CSM's forecast of each upcoming
-- renewal, the outcomes of past ones, the CSM's exchange rates and weekly forecast snapshots.

-- What each account's ARR became, on which day and why. Retention is computed from it.
CREATE TABLE arr_history (
    id         INTEGER PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    on_day     TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('new', 'expansion', 'contraction', 'churn', 'renewal', 'correction')),
    arr_minor  INTEGER NOT NULL CHECK (arr_minor >= 0),
    currency   TEXT NOT NULL CHECK (length(currency) = 3),
    source     TEXT NOT NULL CHECK (source IN ('upgrade', 'edit', 'import', 'sync', 'outcome', 'sample'))
) STRICT;
CREATE INDEX arr_history_account ON arr_history (account_id, on_day, id);

-- What the book already knows: each account's current ARR, as of the day it became a customer.
INSERT INTO arr_history (account_id, on_day, kind, arr_minor, currency, source)
SELECT id, coalesce(customer_since, contract_start, substr(created_at, 1, 10)), 'new', arr_minor, currency, 'upgrade'
FROM accounts WHERE arr_minor > 0;

-- The CSM's call on the account's next renewal (its date is the account's renewal_date).
CREATE TABLE renewals (
    account_id          TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    expected_arr_minor  INTEGER CHECK (expected_arr_minor >= 0),
    category            TEXT CHECK (category IN ('commit', 'probable', 'at_risk', 'churn_expected')),
    stage               TEXT NOT NULL DEFAULT 'not_started'
                        CHECK (stage IN ('not_started', 'in_discussion', 'proposal_sent', 'verbal_yes', 'signed', 'lost')),
    confidence          INTEGER CHECK (confidence BETWEEN 0 AND 100),
    next_step           TEXT NOT NULL DEFAULT '',
    next_step_on        TEXT,
    notice_days         INTEGER CHECK (notice_days BETWEEN 0 AND 730),
    auto_renews         INTEGER NOT NULL DEFAULT 0 CHECK (auto_renews IN (0, 1)),
    updated_at          TEXT NOT NULL
) STRICT;

-- What happened at a renewal.
CREATE TABLE renewal_outcomes (
    id               TEXT PRIMARY KEY,
    account_id       TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    renewal_date     TEXT,
    decided_on       TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('flat', 'expansion', 'contraction', 'churn')),
    contraction_by   TEXT CHECK (contraction_by IN ('seats', 'price')),
    arr_before_minor INTEGER NOT NULL CHECK (arr_before_minor >= 0),
    arr_after_minor  INTEGER NOT NULL CHECK (arr_after_minor >= 0),
    currency         TEXT NOT NULL CHECK (length(currency) = 3),
    reasons          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(reasons) AND json_type(reasons) = 'array'),
    comment          TEXT NOT NULL DEFAULT '',
    avoidable        INTEGER CHECK (avoidable IN (0, 1)),
    created_at       TEXT NOT NULL,
    CHECK ((kind = 'churn') = (arr_after_minor = 0))
) STRICT;
CREATE INDEX renewal_outcomes_account ON renewal_outcomes (account_id, decided_on);
CREATE INDEX renewal_outcomes_day ON renewal_outcomes (decided_on);

-- How many units of the reporting currency one unit of `currency` is worth, from a day on.
CREATE TABLE exchange_rates (
    currency   TEXT NOT NULL CHECK (length(currency) = 3),
    valid_from TEXT NOT NULL,
    per_unit   REAL NOT NULL CHECK (per_unit > 0),
    PRIMARY KEY (currency, valid_from)
) STRICT;

-- What the CRM says about a renewal deal beyond open/closed: won or lost, its forecast category
-- and the stage's probability (suggestions for the renewal desk, never applied on their own).
ALTER TABLE deals ADD COLUMN won INTEGER CHECK (won IN (0, 1));
ALTER TABLE deals ADD COLUMN forecast_category TEXT;
ALTER TABLE deals ADD COLUMN probability REAL CHECK (probability BETWEEN 0 AND 1);

-- The forecast as it stood each week (and whenever the CSM asked), for "what changed".
CREATE TABLE forecast_snapshots (
    id       INTEGER PRIMARY KEY,
    taken_on TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    weekly   INTEGER NOT NULL CHECK (weekly IN (0, 1))
) STRICT;
CREATE INDEX forecast_snapshots_day ON forecast_snapshots (taken_on, id);

CREATE TABLE forecast_lines (
    snapshot_id        INTEGER NOT NULL REFERENCES forecast_snapshots (id) ON DELETE CASCADE,
    account_id         TEXT NOT NULL,
    account_name       TEXT NOT NULL,
    renews_on          TEXT NOT NULL,
    current_arr_minor  INTEGER NOT NULL,
    expected_arr_minor INTEGER NOT NULL,
    currency           TEXT NOT NULL,
    category           TEXT NOT NULL CHECK (category IN ('commit', 'probable', 'at_risk', 'churn_expected')),
    likelihood         INTEGER NOT NULL CHECK (likelihood BETWEEN 0 AND 100),
    PRIMARY KEY (snapshot_id, account_id)
) WITHOUT ROWID, STRICT;
