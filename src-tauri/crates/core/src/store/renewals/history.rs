//! The ARR history: every change to an account's ARR with its kind, day and source, written by
//! the two statements that write an account's ARR (insert and update) and by outcomes.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;
use crate::model::{Account, ArrChangeKind, Money};
use crate::retention::ArrChange;
use crate::store::columns::date;
use crate::store::enum_column;

/// Where an ARR change came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArrSource {
    Edit,
    Import,
    Sync,
    Outcome,
    Sample,
}

impl ArrSource {
    fn as_str(self) -> &'static str {
        match self {
            Self::Edit => "edit",
            Self::Import => "import",
            Self::Sync => "sync",
            Self::Outcome => "outcome",
            Self::Sample => "sample",
        }
    }
}

pub(crate) fn record(
    conn: &Connection,
    account_id: &str,
    on: NaiveDate,
    kind: ArrChangeKind,
    arr: &Money,
    source: ArrSource,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO arr_history (account_id, on_day, kind, arr_minor, currency, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![account_id, on, kind.as_str(), arr.minor, arr.currency, source.as_str()])?;
    Ok(())
}

/// A new account with ARR: a new logo from the day it became a customer.
pub(crate) fn record_new(conn: &Connection, a: &Account, source: ArrSource) -> Result<()> {
    if a.arr.minor <= 0 {
        return Ok(());
    }
    let since = a.customer_since.or(a.contract_start).unwrap_or_else(|| a.created_at.date_naive());
    record(conn, &a.id, since, ArrChangeKind::New, &a.arr, source)
}

/// The account's ARR as stored, before a write changes it.
pub(crate) fn arr_now(conn: &Connection, account_id: &str) -> Result<Option<Money>> {
    Ok(conn
        .prepare_cached("SELECT arr_minor, currency FROM accounts WHERE id = ?1")?
        .query_row([account_id], |r| Ok(Money { minor: r.get(0)?, currency: r.get(1)? }))
        .optional()?)
}

/// Records an edit, import or sync that changed the ARR, its kind read from the direction: a
/// change of currency is a correction; none to some is a new logo, some to none a churn.
pub(crate) fn record_change(
    conn: &Connection,
    account_id: &str,
    before: &Money,
    after: &Money,
    on: NaiveDate,
    source: ArrSource,
) -> Result<()> {
    if before == after {
        return Ok(());
    }
    let kind = if before.currency != after.currency {
        ArrChangeKind::Correction
    } else if before.minor == 0 {
        ArrChangeKind::New
    } else if after.minor == 0 {
        ArrChangeKind::Churn
    } else if after.minor > before.minor {
        ArrChangeKind::Expansion
    } else {
        ArrChangeKind::Contraction
    };
    record(conn, account_id, on, kind, after, source)
}

/// The whole history, oldest first.
pub(crate) fn load(conn: &Connection) -> Result<Vec<ArrChange>> {
    let mut stmt = conn.prepare_cached(
        "SELECT h.account_id, h.on_day, h.kind, h.arr_minor, h.currency FROM arr_history h ORDER BY h.on_day, h.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(ArrChange {
            account_id: r.get(0)?,
            on: date(r, 1)?.unwrap_or_default(),
            kind: enum_column(r, 2, ArrChangeKind::parse)?,
            arr: Money { minor: r.get(3)?, currency: r.get(4)? },
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
