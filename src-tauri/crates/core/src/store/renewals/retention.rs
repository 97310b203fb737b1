//! GRR, NRR and logo retention of the book and of each segment over a period, from the ARR
//! history, with the accounts behind each figure and the reasons recorded for them.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::{outcomes, rates_on, settings_in};
use crate::error::Result;
use crate::model::{RetentionAccount, RetentionFigures, RetentionReport, Segment};
use crate::retention::{retention_by, ArrChange, Movement, Retention};
use crate::store::{enum_column, Store};

/// The accounts a drill-down lists at most, largest movements first.
const DRILL_DOWN_MAX: usize = 100;

struct Names(HashMap<String, (String, Segment)>);

/// What every retention figure is worked out from.
pub(crate) struct History {
    changes: Vec<ArrChange>,
    names: Names,
}

fn names(conn: &Connection) -> Result<Names> {
    let mut stmt = conn.prepare_cached("SELECT id, name, segment FROM accounts")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, (r.get(1)?, enum_column(r, 2, Segment::parse)?))))?;
    Ok(Names(rows.collect::<rusqlite::Result<_>>()?))
}

fn figures(
    r: &Retention,
    segment: Option<Segment>,
    names: &Names,
    reasons: &HashMap<String, Vec<String>>,
) -> RetentionFigures {
    let accounts = |movements: &[Movement]| -> Vec<RetentionAccount> {
        // The largest movements first: what the CSM looks at first (and all a drill-down shows).
        let mut largest: Vec<&Movement> = movements.iter().collect();
        largest.sort_by_key(|m| -(m.start - m.end).abs());
        largest.truncate(DRILL_DOWN_MAX);
        largest
            .into_iter()
            .map(|m| RetentionAccount {
                account_name: names.0.get(&m.account_id).map(|n| n.0.clone()).unwrap_or_default(),
                start_minor: m.start,
                end_minor: m.end,
                reasons: reasons.get(&m.account_id).cloned().unwrap_or_default(),
                account_id: m.account_id.clone(),
            })
            .collect()
    };
    RetentionFigures {
        segment,
        grr: r.grr(),
        nrr: r.nrr(),
        logo_retention: r.logo_retention(),
        starting_minor: r.starting_arr,
        churn_minor: r.churn,
        contraction_minor: r.contraction,
        expansion_minor: r.expansion,
        accounts_at_start: r.accounts_at_start,
        accounts_retained: r.accounts_retained,
        churned_count: r.churned.len() as u32,
        contracted_count: r.contracted.len() as u32,
        expanded_count: r.expanded.len() as u32,
        churned: accounts(&r.churned),
        contracted: accounts(&r.contracted),
        expanded: accounts(&r.expanded),
    }
}

impl Store {
    /// Retention over `from..=to`, converted with the rates in effect on its last day.
    pub fn retention(&self, from: NaiveDate, to: NaiveDate) -> Result<RetentionReport> {
        let conn = self.conn();
        let settings = settings_in(&conn)?;
        let (rates, rates_used) = rates_on(&conn, &settings.reporting_currency, to)?;
        let history = self
            .arr_history
            .get(&conn, (), || Ok(History { changes: super::history::load(&conn)?, names: names(&conn)? }))?;
        let names = &history.names;
        let mut reasons: HashMap<String, Vec<String>> = HashMap::new();
        for o in outcomes::decided_between(&conn, from, to, true)? {
            reasons.entry(o.account_id).or_default().extend(o.reasons);
        }
        let mut report = RetentionReport {
            from,
            to,
            reporting_currency: settings.reporting_currency,
            book: None,
            segments: Vec::new(),
            rates_used: Vec::new(),
            missing_rates: Vec::new(),
        };
        let segment_of = |id: &str| names.0.get(id).map(|n| n.1);
        match retention_by(&history.changes, from, to, &rates, segment_of) {
            Ok((book, segments)) => {
                report.book = Some(figures(&book, None, names, &reasons));
                report.segments = segments.iter().map(|(s, r)| figures(r, Some(*s), names, &reasons)).collect();
            }
            Err(missing) => {
                report.missing_rates = missing.0.into_iter().collect();
                return Ok(report);
            }
        }
        let currencies: std::collections::BTreeSet<&str> =
            history.changes.iter().map(|c| c.arr.currency.as_str()).collect();
        report.rates_used = rates_used.into_iter().filter(|r| currencies.contains(r.currency.as_str())).collect();
        Ok(report)
    }
}
