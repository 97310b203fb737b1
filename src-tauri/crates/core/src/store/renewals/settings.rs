//! The renewal desk's settings: category names, reasons and reporting currency (one JSON
//! setting) and the dated exchange rates (a table).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::model::{ExchangeRate, ForecastCategory, RenewalSettings, DEFAULT_REASONS};
use crate::rates::Rates;
use crate::store::columns::date;
use crate::store::{settings, Store};

pub(super) const KEY: &str = "renewals.settings";

#[derive(Debug, Default, Serialize, Deserialize)]
struct Saved {
    reporting_currency: Option<String>,
    category_names: Vec<String>,
    reasons: Vec<String>,
}

/// The settings, with defaults for what the CSM has not set: the book's most common currency,
/// the four categories' own names and the usual reasons.
pub(crate) fn settings_in(conn: &Connection) -> Result<RenewalSettings> {
    let saved: Saved = settings::read_json(conn, KEY)?.unwrap_or_default();
    let reporting_currency = match saved.reporting_currency {
        Some(code) => code,
        None => conn
            .prepare_cached(
                "SELECT currency FROM accounts WHERE archived_at IS NULL GROUP BY currency \
                 ORDER BY sum(arr_minor > 0) DESC, count(*) DESC, currency LIMIT 1",
            )?
            .query_row([], |r| r.get(0))
            .unwrap_or_else(|_| "USD".to_owned()),
    };
    let category_names = if saved.category_names.len() == ForecastCategory::ALL.len() {
        saved.category_names
    } else {
        ForecastCategory::ALL.iter().map(|c| c.label().to_owned()).collect()
    };
    let reasons =
        if saved.reasons.is_empty() { DEFAULT_REASONS.iter().map(|r| r.to_string()).collect() } else { saved.reasons };
    Ok(RenewalSettings { reporting_currency, category_names, reasons, rates: rates_in(conn)? })
}

fn rates_in(conn: &Connection) -> Result<Vec<ExchangeRate>> {
    let mut stmt =
        conn.prepare_cached("SELECT currency, valid_from, per_unit FROM exchange_rates ORDER BY currency, valid_from")?;
    let rows = stmt.query_map([], |r| {
        Ok(ExchangeRate { currency: r.get(0)?, valid_from: date(r, 1)?.unwrap_or_default(), per_unit: r.get(2)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The rates in effect on `day`: per currency the latest from that day or before (or, when every
/// rate is newer, the earliest), with the rates chosen so a figure can say which it used.
pub(crate) fn rates_on(conn: &Connection, reporting: &str, day: NaiveDate) -> Result<(Rates, Vec<ExchangeRate>)> {
    let mut chosen: BTreeMap<String, ExchangeRate> = BTreeMap::new();
    for rate in rates_in(conn)? {
        let keep = match chosen.get(&rate.currency) {
            None => true,
            Some(held) => rate.valid_from <= day || held.valid_from > day && rate.valid_from < held.valid_from,
        };
        if keep {
            chosen.insert(rate.currency.clone(), rate);
        }
    }
    let per_unit = chosen.values().map(|r| (r.currency.clone(), r.per_unit)).collect();
    Ok((Rates { reporting: reporting.to_owned(), per_unit }, chosen.into_values().collect()))
}

impl Store {
    pub fn renewal_settings(&self) -> Result<RenewalSettings> {
        settings_in(&self.conn())
    }

    /// Saves the settings and replaces the rates, in one transaction.
    pub fn save_renewal_settings(&self, s: &RenewalSettings) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let saved = Saved {
            reporting_currency: Some(s.reporting_currency.clone()),
            category_names: s.category_names.clone(),
            reasons: s.reasons.clone(),
        };
        settings::write_json(&tx, KEY, &saved)?;
        tx.execute("DELETE FROM exchange_rates", [])?;
        for rate in &s.rates {
            tx.prepare_cached("INSERT INTO exchange_rates (currency, valid_from, per_unit) VALUES (?1, ?2, ?3)")?
                .execute(params![rate.currency, rate.valid_from, rate.per_unit])?;
        }
        tx.commit()?;
        Ok(())
    }
}
