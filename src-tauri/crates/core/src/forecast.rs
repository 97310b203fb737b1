//! The renewal forecast of the book: renewals in a window rolled up by month and category in the
//! reporting currency (with the weighted total), and what changed between two weekly snapshots —
//! the first question a manager asks.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::model::ForecastCategory;
use crate::model::Money;
use crate::rates::{MissingRates, Rates};

/// One renewal as the forecast sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastLine {
    pub account_id: String,
    pub account_name: String,
    pub renews_on: NaiveDate,
    pub current_arr: Money,
    /// What the CSM expects the renewal to bring (the expansion or contraction in it).
    pub expected_arr: Money,
    pub category: ForecastCategory,
    /// The computed likelihood, 0–100.
    pub likelihood: u32,
}

/// Renewals of one month and category, in the reporting currency's minor units.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bucket {
    pub renewals: u32,
    pub current_arr: i64,
    pub expected_arr: i64,
    /// Expected ARR × likelihood.
    pub weighted_arr: i64,
}

impl Bucket {
    fn add(&mut self, other: &Bucket) {
        self.renewals += other.renewals;
        self.current_arr += other.current_arr;
        self.expected_arr += other.expected_arr;
        self.weighted_arr += other.weighted_arr;
    }
}

/// The forecast of a window: per month (its first day) and category, and the totals.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rollup {
    pub months: BTreeMap<NaiveDate, BTreeMap<CategoryKey, Bucket>>,
    pub by_category: BTreeMap<CategoryKey, Bucket>,
    pub total: Bucket,
}

/// A category as a map key, in the order the page lists them.
pub type CategoryKey = u8;

pub fn category_key(category: ForecastCategory) -> CategoryKey {
    match category {
        ForecastCategory::Commit => 0,
        ForecastCategory::Probable => 1,
        ForecastCategory::AtRisk => 2,
        ForecastCategory::ChurnExpected => 3,
    }
}

fn month_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// Rolls up the renewals dated `from..=to`; every amount is converted first, and a missing rate
/// names its currency instead of adding at face value.
pub fn rollup(lines: &[ForecastLine], from: NaiveDate, to: NaiveDate, rates: &Rates) -> Result<Rollup, MissingRates> {
    let mut converting = rates.converting();
    let mut out = Rollup::default();
    for line in lines.iter().filter(|l| (from..=to).contains(&l.renews_on)) {
        let expected = converting.minor(&line.expected_arr);
        let bucket = Bucket {
            renewals: 1,
            current_arr: converting.minor(&line.current_arr),
            expected_arr: expected,
            weighted_arr: (expected as f64 * f64::from(line.likelihood.min(100)) / 100.0).round() as i64,
        };
        let key = category_key(line.category);
        out.months.entry(month_of(line.renews_on)).or_default().entry(key).or_default().add(&bucket);
        out.by_category.entry(key).or_default().add(&bucket);
        out.total.add(&bucket);
    }
    converting.finish(out)
}

/// What changed in one renewal between two snapshots of the forecast.
#[derive(Debug, Clone, PartialEq)]
pub enum ForecastChange {
    /// In this week's forecast, not last week's.
    Added,
    /// In last week's forecast, not this week's (renewed, lost or out of the window).
    Removed,
    CategoryMoved {
        from: ForecastCategory,
        to: ForecastCategory,
    },
    AmountChanged {
        from: Money,
        to: Money,
    },
    /// Now at risk (or churn expected), and was not.
    NewlyAtRisk,
    /// The date moved into a later month.
    Slipped {
        from: NaiveDate,
        to: NaiveDate,
    },
}

/// What changed in one account's renewal.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChanges {
    pub account_id: String,
    pub account_name: String,
    pub changes: Vec<ForecastChange>,
}

/// The changes of each renewal between last week's snapshot and this week's, by account name.
pub fn changes(last_week: &[ForecastLine], this_week: &[ForecastLine]) -> Vec<LineChanges> {
    let before: BTreeMap<&str, &ForecastLine> = last_week.iter().map(|l| (l.account_id.as_str(), l)).collect();
    let now: BTreeMap<&str, &ForecastLine> = this_week.iter().map(|l| (l.account_id.as_str(), l)).collect();
    let mut out: Vec<LineChanges> = Vec::new();
    for (id, line) in &now {
        let found = match before.get(id) {
            None => {
                let mut found = vec![ForecastChange::Added];
                if at_risk(line.category) {
                    found.push(ForecastChange::NewlyAtRisk);
                }
                found
            }
            Some(old) => line_changes(old, line),
        };
        if !found.is_empty() {
            out.push(LineChanges {
                account_id: line.account_id.clone(),
                account_name: line.account_name.clone(),
                changes: found,
            });
        }
    }
    for (id, old) in &before {
        if !now.contains_key(id) {
            let changes = vec![ForecastChange::Removed];
            out.push(LineChanges {
                account_id: old.account_id.clone(),
                account_name: old.account_name.clone(),
                changes,
            });
        }
    }
    out.sort_by(|a, b| a.account_name.cmp(&b.account_name));
    out
}

fn at_risk(category: ForecastCategory) -> bool {
    matches!(category, ForecastCategory::AtRisk | ForecastCategory::ChurnExpected)
}

fn line_changes(old: &ForecastLine, new: &ForecastLine) -> Vec<ForecastChange> {
    let mut found = Vec::new();
    if old.category != new.category {
        found.push(ForecastChange::CategoryMoved { from: old.category, to: new.category });
        if at_risk(new.category) && !at_risk(old.category) {
            found.push(ForecastChange::NewlyAtRisk);
        }
    }
    if old.expected_arr != new.expected_arr {
        found.push(ForecastChange::AmountChanged { from: old.expected_arr.clone(), to: new.expected_arr.clone() });
    }
    if month_of(new.renews_on) > month_of(old.renews_on) {
        found.push(ForecastChange::Slipped { from: old.renews_on, to: new.renews_on });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use ForecastCategory::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn line(
        id: &str,
        on: &str,
        current: i64,
        expected: i64,
        category: ForecastCategory,
        likelihood: u32,
    ) -> ForecastLine {
        ForecastLine {
            account_id: id.into(),
            account_name: format!("Account {id}"),
            renews_on: day(on),
            current_arr: Money::new(current * 100, "USD"),
            expected_arr: Money::new(expected * 100, "USD"),
            category,
            likelihood,
        }
    }

    fn dollars() -> Rates {
        Rates { reporting: "USD".into(), per_unit: BTreeMap::new() }
    }

    #[test]
    fn the_quarter_is_rolled_up_by_month_and_category_with_a_weighted_total() {
        let lines = [
            line("A", "2027-01-15", 100, 120, Commit, 90),
            line("B", "2027-01-31", 200, 200, Probable, 60),
            line("C", "2027-03-01", 300, 150, AtRisk, 40),
            // Renews on 1 April: the next quarter, not this one.
            line("D", "2027-04-01", 400, 400, Commit, 95),
        ];
        let r = rollup(&lines, day("2027-01-01"), day("2027-03-31"), &dollars()).unwrap();
        assert_eq!(r.total.renewals, 3);
        assert_eq!((r.total.current_arr, r.total.expected_arr), (60_000, 47_000));
        // 120 × 0.9 + 200 × 0.6 + 150 × 0.4 = 108 + 120 + 60 = 288.
        assert_eq!(r.total.weighted_arr, 28_800);
        let january = &r.months[&day("2027-01-01")];
        assert_eq!((january[&0].expected_arr, january[&1].expected_arr), (12_000, 20_000));
        assert_eq!(r.months.len(), 2, "January and March");
        assert_eq!(r.by_category[&category_key(AtRisk)].renewals, 1);
    }

    #[test]
    fn a_renewal_in_a_currency_without_a_rate_is_named_not_added() {
        let mut eur = line("E", "2027-02-01", 100, 100, Commit, 90);
        eur.expected_arr.currency = "EUR".into();
        eur.current_arr.currency = "EUR".into();
        let err = rollup(&[eur.clone()], day("2027-01-01"), day("2027-03-31"), &dollars()).unwrap_err();
        assert_eq!(err, MissingRates(["EUR".to_owned()].into()));
        let rates = Rates { reporting: "USD".into(), per_unit: [("EUR".into(), 1.1)].into() };
        assert_eq!(rollup(&[eur], day("2027-01-01"), day("2027-03-31"), &rates).unwrap().total.expected_arr, 11_000);
    }

    #[test]
    fn what_changed_since_last_week() {
        let last_week = [
            line("A", "2027-01-15", 100, 120, Commit, 90),
            line("B", "2027-02-10", 200, 200, Probable, 60),
            line("C", "2027-03-01", 300, 300, Commit, 80),
            line("D", "2027-03-20", 50, 50, Probable, 70),
        ];
        let this_week = [
            line("A", "2027-01-15", 100, 120, Commit, 90),
            // Moved to At risk and cut to 150.
            line("B", "2027-02-10", 200, 150, AtRisk, 35),
            // Slipped from March to April.
            line("C", "2027-04-05", 300, 300, Commit, 80),
            line("E", "2027-03-25", 80, 80, ChurnExpected, 20),
        ];
        let found = changes(&last_week, &this_week);
        let names: Vec<&str> = found.iter().map(|c| c.account_name.as_str()).collect();
        assert_eq!(names, ["Account B", "Account C", "Account D", "Account E"], "A did not change");
        assert_eq!(
            found[0].changes,
            [
                ForecastChange::CategoryMoved { from: Probable, to: AtRisk },
                ForecastChange::NewlyAtRisk,
                ForecastChange::AmountChanged { from: Money::new(20_000, "USD"), to: Money::new(15_000, "USD") },
            ]
        );
        assert_eq!(found[1].changes, [ForecastChange::Slipped { from: day("2027-03-01"), to: day("2027-04-05") }]);
        assert_eq!(found[2].changes, [ForecastChange::Removed]);
        assert_eq!(found[3].changes, [ForecastChange::Added, ForecastChange::NewlyAtRisk]);
    }
}
