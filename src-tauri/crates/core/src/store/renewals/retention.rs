//! GRR, NRR and logo retention of the book and of each segment over a period, from the ARR
//! history, with the accounts behind each figure and the reasons recorded for them.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::{outcomes, rates_on, settings_in};
use crate::error::Result;
use crate::model::{RetentionAccount, RetentionFigures, RetentionReport, Segment};
use crate::retention::{retention, ArrChange, Movement, Retention};
use crate::store::{enum_column, Store};

struct Names(HashMap<String, (String, Segment)>);

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
        let mut out: Vec<RetentionAccount> = movements
            .iter()
            .map(|m| RetentionAccount {
                account_name: names.0.get(&m.account_id).map(|n| n.0.clone()).unwrap_or_default(),
                start_minor: m.start,
                end_minor: m.end,
                reasons: reasons.get(&m.account_id).cloned().unwrap_or_default(),
                account_id: m.account_id.clone(),
            })
            .collect();
        // The largest movement first: what the CSM looks at first.
        out.sort_by_key(|a| -(a.start_minor - a.end_minor).abs());
        out
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
        let history = super::history::load(&conn)?;
        let names = names(&conn)?;
        let mut reasons: HashMap<String, Vec<String>> = HashMap::new();
        for o in outcomes::decided_between(&conn, from, to)? {
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
        match retention(&history, from, to, &rates) {
            Ok(book) => report.book = Some(figures(&book, None, &names, &reasons)),
            Err(missing) => {
                report.missing_rates = missing.0.into_iter().collect();
                return Ok(report);
            }
        }
        for segment in Segment::ALL {
            let of_segment: Vec<ArrChange> = history
                .iter()
                .filter(|c| names.0.get(&c.account_id).is_some_and(|n| n.1 == segment))
                .cloned()
                .collect();
            if let Ok(r) = retention(&of_segment, from, to, &rates) {
                report.segments.push(figures(&r, Some(segment), &names, &reasons));
            }
        }
        let currencies: std::collections::BTreeSet<&str> = history.iter().map(|c| c.arr.currency.as_str()).collect();
        report.rates_used = rates_used.into_iter().filter(|r| currencies.contains(r.currency.as_str())).collect();
        Ok(report)
    }
}
