//! Recording what happened at a renewal: the outcome, the account's ARR and next renewal date,
//! the ARR history and the timeline move together in one transaction.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::history::{self, ArrSource};
use super::{settings_in, settled_line};
use crate::error::{Error, Result};
use crate::model::{
    new_id, ArrChangeKind, ContractionBy, Money, OutcomeInput, OutcomeKind, RenewalLine, RenewalOutcome, Segment,
    TimelineKind,
};
use crate::store::columns::date;
use crate::store::{enum_column, timeline, Store};
use crate::validate::{self, OutcomeContext, ValidOutcome};

const COLUMNS: &str = "o.id, o.account_id, a.name, o.renewal_date, o.decided_on, o.kind, o.contraction_by, \
     o.arr_before_minor, o.arr_after_minor, o.currency, o.reasons, o.comment, o.avoidable, a.segment";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(RenewalOutcome, Segment)> {
    let currency: String = r.get(9)?;
    let reasons: String = r.get(10)?;
    let outcome = RenewalOutcome {
        id: r.get(0)?,
        account_id: r.get(1)?,
        account_name: r.get(2)?,
        renewal_date: date(r, 3)?,
        decided_on: date(r, 4)?.unwrap_or_default(),
        kind: enum_column(r, 5, OutcomeKind::parse)?,
        contraction_by: r.get::<_, Option<String>>(6)?.as_deref().and_then(ContractionBy::parse),
        arr_before: Money { minor: r.get(7)?, currency: currency.clone() },
        arr_after: Money { minor: r.get(8)?, currency },
        reasons: serde_json::from_str(&reasons).unwrap_or_default(),
        comment: r.get(11)?,
        avoidable: r.get(12)?,
    };
    Ok((outcome, enum_column(r, 13, Segment::parse)?))
}

/// The renewals dated `from..=to` that have an outcome, as settled lines.
pub(super) fn settled_lines(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<RenewalLine>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM renewal_outcomes o JOIN accounts a ON a.id = o.account_id \
         WHERE coalesce(o.renewal_date, o.decided_on) BETWEEN ?1 AND ?2 AND a.archived_at IS NULL"
    ))?;
    let rows = stmt.query_map(params![from, to], from_row)?;
    Ok(rows.map(|r| r.map(|(o, segment)| settled_line(&o, segment))).collect::<rusqlite::Result<_>>()?)
}

/// The outcomes decided `from..=to` (only the churns and contractions when `explained`), newest
/// first.
pub(super) fn decided_between(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    explained: bool,
) -> Result<Vec<RenewalOutcome>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM renewal_outcomes o JOIN accounts a ON a.id = o.account_id \
         WHERE o.decided_on BETWEEN ?1 AND ?2 AND (NOT ?3 OR o.kind IN ('churn', 'contraction')) \
         ORDER BY o.decided_on DESC, o.id"
    ))?;
    let rows = stmt.query_map(params![from, to, explained], |r| from_row(r).map(|(o, _)| o))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What the account stands at before the outcome.
struct Standing {
    arr: Money,
    contract_start: Option<NaiveDate>,
    renewal_date: Option<NaiveDate>,
    term_months: Option<i64>,
}

fn standing(conn: &Connection, account_id: &str) -> Result<Standing> {
    conn.prepare_cached(
        "SELECT arr_minor, currency, contract_start, renewal_date, contract_term_months FROM accounts WHERE id = ?1",
    )?
    .query_row([account_id], |r| {
        Ok(Standing {
            arr: Money { minor: r.get(0)?, currency: r.get(1)? },
            contract_start: date(r, 2)?,
            renewal_date: date(r, 3)?,
            term_months: r.get(4)?,
        })
    })
    .optional()?
    .ok_or(Error::NotFound("account"))
}

fn history_kind(kind: OutcomeKind) -> ArrChangeKind {
    match kind {
        OutcomeKind::Flat => ArrChangeKind::Renewal,
        OutcomeKind::Expansion => ArrChangeKind::Expansion,
        OutcomeKind::Contraction => ArrChangeKind::Contraction,
        OutcomeKind::Churn => ArrChangeKind::Churn,
    }
}

/// "Renewed up: 120,000 USD → 140,000 USD".
fn headline(kind: OutcomeKind, before: &Money, after: &Money) -> String {
    match kind {
        OutcomeKind::Flat => format!("Renewed flat at {}", after.text()),
        OutcomeKind::Expansion => format!("Renewed up: {} → {}", before.text(), after.text()),
        OutcomeKind::Contraction => format!("Renewed down: {} → {}", before.text(), after.text()),
        OutcomeKind::Churn => format!("Churned: {} lost", before.text()),
    }
}

fn write(conn: &Connection, account_id: &str, s: &Standing, v: &ValidOutcome, now: DateTime<Utc>) -> Result<String> {
    let id = new_id();
    conn.prepare_cached(
        "INSERT INTO renewal_outcomes (id, account_id, renewal_date, decided_on, kind, contraction_by, arr_before_minor, \
         arr_after_minor, currency, reasons, comment, avoidable, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        id,
        account_id,
        s.renewal_date,
        v.decided_on,
        v.kind.as_str(),
        v.contraction_by.map(|c| c.as_str()),
        s.arr.minor,
        v.arr_after.minor,
        s.arr.currency,
        serde_json::to_string(&v.reasons).unwrap_or_else(|_| "[]".into()),
        v.comment,
        v.avoidable,
        now,
    ])?;
    let churned = v.kind == OutcomeKind::Churn;
    conn.prepare_cached(
        "UPDATE accounts SET arr_minor = ?2, renewal_date = ?3, updated_at = ?4, \
         lifecycle_stage = iif(?5, 'churned', lifecycle_stage), \
         contract_end = iif(?5, coalesce(contract_end, ?6), contract_end) WHERE id = ?1",
    )?
    .execute(params![account_id, v.arr_after.minor, v.next_renewal_date, now, churned, v.decided_on])?;
    history::record(conn, account_id, v.decided_on, history_kind(v.kind), &v.arr_after, ArrSource::Outcome)?;
    // The call was about the renewal just settled; the next one starts from a clean slate.
    conn.prepare_cached("DELETE FROM renewals WHERE account_id = ?1")?.execute([account_id])?;
    let mut detail = v.reasons.join(", ");
    if !v.comment.is_empty() {
        detail = if detail.is_empty() { v.comment.clone() } else { format!("{detail}. {}", v.comment) };
    }
    let at = v.decided_on.and_hms_opt(12, 0, 0).map_or(now, |t| t.and_utc());
    let title = headline(v.kind, &s.arr, &v.arr_after);
    timeline::insert(conn, &timeline::event(account_id, TimelineKind::Milestone, at, title, detail))?;
    Ok(id)
}

impl Store {
    /// Records an outcome: checked against the account as it stands, then the outcome, the
    /// account's ARR and next renewal date, the ARR history and the timeline in one transaction.
    pub fn record_outcome(
        &self,
        account_id: &str,
        input: &OutcomeInput,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<RenewalOutcome> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let s = standing(&tx, account_id)?;
        let reasons = settings_in(&tx)?.reasons;
        let context = OutcomeContext {
            arr: &s.arr,
            contract_start: s.contract_start,
            renewal_date: s.renewal_date,
            term_months: s.term_months,
            reasons: &reasons,
            today,
        };
        let valid = validate::outcome(input, &context)?;
        let id = write(&tx, account_id, &s, &valid, now)?;
        let outcome = tx
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM renewal_outcomes o JOIN accounts a ON a.id = o.account_id WHERE o.id = ?1"
            ))?
            .query_row([&id], |r| from_row(r).map(|(o, _)| o))?;
        tx.commit()?;
        Ok(outcome)
    }
}

/// An account's recorded outcomes, newest first.
pub(super) fn of_account(conn: &Connection, account_id: &str) -> Result<Vec<RenewalOutcome>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM renewal_outcomes o JOIN accounts a ON a.id = o.account_id \
         WHERE o.account_id = ?1 ORDER BY o.decided_on DESC, o.id"
    ))?;
    let rows = stmt.query_map([account_id], |r| from_row(r).map(|(o, _)| o))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
