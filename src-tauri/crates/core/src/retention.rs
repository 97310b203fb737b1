//! Retention of the CSM's book over a period, from the history of each account's ARR: gross and
//! net revenue retention, logo retention, and the churn, contraction and expansion behind them
//! (definitions: `domain.md` §8 and §10).
//!
//! - The **base** is the accounts with ARR when the period starts, at their ARR then. New logos
//!   won during the period are not in it.
//! - Each base account is compared at the period's end with its start: less is contraction, more
//!   is expansion, nothing is churn. An account that churns and comes back within the period is a
//!   churn (its return is a new logo).
//! - A correction restates an account's ARR (a data fix): it moves the starting figure, never
//!   counts as contraction or expansion.
//! - Amounts in several currencies are converted with the CSM's rates before any sum; a figure
//!   that would need a missing rate is not given, and the missing currencies are named.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

pub use crate::model::ArrChangeKind;
use crate::model::Money;
use crate::rates::{Converting, MissingRates, Rates};

/// One change to an account's ARR: what it became on that day.
#[derive(Debug, Clone, PartialEq)]
pub struct ArrChange {
    pub account_id: String,
    pub on: NaiveDate,
    pub kind: ArrChangeKind,
    /// The ARR after the change (zero after a churn).
    pub arr: Money,
}

/// Retention over a period, in the reporting currency's minor units, with the accounts behind
/// each amount.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Retention {
    pub starting_arr: i64,
    pub churn: i64,
    pub contraction: i64,
    pub expansion: i64,
    pub accounts_at_start: u32,
    pub accounts_retained: u32,
    pub churned: Vec<Movement>,
    pub contracted: Vec<Movement>,
    pub expanded: Vec<Movement>,
}

/// A base account's ARR at the period's start and end (reporting minor units; zero after a churn).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Movement {
    pub account_id: String,
    pub start: i64,
    pub end: i64,
}

impl Retention {
    /// Gross revenue retention: (start − churn − contraction) / start; None for an empty base.
    pub fn grr(&self) -> Option<f64> {
        self.ratio(self.starting_arr - self.churn - self.contraction)
    }

    /// Net revenue retention: (start − churn − contraction + expansion) / start.
    pub fn nrr(&self) -> Option<f64> {
        self.ratio(self.starting_arr - self.churn - self.contraction + self.expansion)
    }

    /// Accounts retained / accounts at the start.
    pub fn logo_retention(&self) -> Option<f64> {
        (self.accounts_at_start > 0).then(|| f64::from(self.accounts_retained) / f64::from(self.accounts_at_start))
    }

    fn ratio(&self, kept: i64) -> Option<f64> {
        (self.starting_arr > 0).then(|| kept as f64 / self.starting_arr as f64)
    }
}

/// Where one base account started and ended in the period (reporting minor units).
struct Course {
    start: i64,
    end: i64,
    churned: bool,
}

/// Retention over the days `from..=to` of the accounts in `history` (any order).
pub fn retention(
    history: &[ArrChange],
    from: NaiveDate,
    to: NaiveDate,
    rates: &Rates,
) -> Result<Retention, MissingRates> {
    retention_by(history, from, to, rates, |_| None::<()>).map(|(book, _)| book)
}

/// Retention of the whole history and of each group `group_of` puts an account in (a
/// segment), worked out in one pass.
pub fn retention_by<K: Ord>(
    history: &[ArrChange],
    from: NaiveDate,
    to: NaiveDate,
    rates: &Rates,
    group_of: impl Fn(&str) -> Option<K>,
) -> Result<(Retention, BTreeMap<K, Retention>), MissingRates> {
    let mut by_account: HashMap<&str, Vec<&ArrChange>> = HashMap::new();
    for change in history.iter().filter(|c| c.on <= to) {
        by_account.entry(change.account_id.as_str()).or_default().push(change);
    }
    let mut converting = rates.converting();
    let mut book = Retention::default();
    let mut groups: BTreeMap<K, Retention> = BTreeMap::new();
    for (account, mut changes) in by_account {
        changes.sort_by_key(|c| c.on);
        let Some(course) = course_of(&changes, from, &mut converting) else { continue };
        if let Some(key) = group_of(account) {
            groups.entry(key).or_default().add(account, &course);
        }
        book.add(account, &course);
    }
    for r in std::iter::once(&mut book).chain(groups.values_mut()) {
        for movements in [&mut r.churned, &mut r.contracted, &mut r.expanded] {
            movements.sort_by(|a, b| a.account_id.cmp(&b.account_id));
        }
    }
    converting.finish((book, groups))
}

impl Retention {
    /// Counts one base account's course.
    fn add(&mut self, account: &str, course: &Course) {
        self.accounts_at_start += 1;
        self.starting_arr += course.start;
        let end = if course.churned { 0 } else { course.end };
        let movement = Movement { account_id: account.to_owned(), start: course.start, end };
        if course.churned {
            self.churn += course.start;
            self.churned.push(movement);
            return;
        }
        self.accounts_retained += 1;
        if course.end < course.start {
            self.contraction += course.start - course.end;
            self.contracted.push(movement);
        } else if course.end > course.start {
            self.expansion += course.end - course.start;
            self.expanded.push(movement);
        }
    }
}

/// An account's course through the period, if it was in the base (ARR when the period starts).
fn course_of(changes: &[&ArrChange], from: NaiveDate, converting: &mut Converting<'_>) -> Option<Course> {
    let before = changes.iter().rev().find(|c| c.on < from)?;
    if before.arr.minor <= 0 {
        return None;
    }
    let start = converting.minor(&before.arr);
    let mut course = Course { start, end: start, churned: false };
    for change in changes.iter().filter(|c| c.on >= from) {
        let arr = converting.minor(&change.arr);
        if change.kind == ArrChangeKind::Correction {
            course.start += arr - course.end;
        } else if change.kind == ArrChangeKind::Churn || change.arr.minor <= 0 {
            course.churned = true;
            break;
        }
        course.end = arr;
    }
    Some(course)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::minor_digits;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn change(account: &str, on: &str, kind: ArrChangeKind, major: i64, currency: &str) -> ArrChange {
        let minor = major * 10i64.pow(minor_digits(currency));
        ArrChange { account_id: account.into(), on: day(on), kind, arr: Money::new(minor, currency) }
    }

    fn usd(account: &str, on: &str, kind: ArrChangeKind, major: i64) -> ArrChange {
        change(account, on, kind, major, "USD")
    }

    fn dollars() -> Rates {
        Rates { reporting: "USD".into(), per_unit: Default::default() }
    }

    /// The first quarter of 2027.
    fn q1(history: &[ArrChange], rates: &Rates) -> Result<Retention, MissingRates> {
        retention(history, day("2027-01-01"), day("2027-03-31"), rates)
    }

    use ArrChangeKind::*;

    #[test]
    fn a_quarter_with_an_expansion_a_contraction_a_churn_and_a_new_logo() {
        // Start: A 100, B 200, C 300 = 600. A grows to 150, B shrinks to 150, C leaves; D is new.
        let history = [
            usd("A", "2025-05-01", New, 100),
            usd("B", "2025-06-01", New, 200),
            usd("C", "2025-07-01", New, 300),
            usd("A", "2027-02-01", Expansion, 150),
            usd("B", "2027-02-10", Contraction, 150),
            usd("C", "2027-03-01", Churn, 0),
            usd("D", "2027-02-15", New, 500),
        ];
        let r = q1(&history, &dollars()).unwrap();
        assert_eq!((r.starting_arr, r.churn, r.contraction, r.expansion), (60_000, 30_000, 5_000, 5_000), "in cents");
        // GRR = (600 − 300 − 50) / 600 = 250/600; NRR = (600 − 300 − 50 + 50) / 600 = 300/600.
        assert!((r.grr().unwrap() - 250.0 / 600.0).abs() < 1e-12);
        assert!((r.nrr().unwrap() - 0.5).abs() < 1e-12);
        assert!((r.logo_retention().unwrap() - 2.0 / 3.0).abs() < 1e-12, "D, new in the quarter, is not in the base");
        let ids = |m: &[Movement]| m.iter().map(|m| m.account_id.clone()).collect::<Vec<_>>();
        assert_eq!(
            (ids(&r.churned), ids(&r.contracted), ids(&r.expanded)),
            (vec!["C".to_owned()], vec!["B".to_owned()], vec!["A".to_owned()])
        );
        assert_eq!(r.contracted[0], Movement { account_id: "B".into(), start: 20_000, end: 15_000 });
    }

    #[test]
    fn a_churn_then_a_return_is_a_churn_and_the_return_a_new_logo() {
        let history =
            [usd("A", "2026-01-01", New, 100), usd("A", "2027-01-20", Churn, 0), usd("A", "2027-03-01", New, 120)];
        let r = q1(&history, &dollars()).unwrap();
        assert_eq!((r.churn, r.expansion, r.accounts_retained), (10_000, 0, 0));
        assert_eq!((r.grr(), r.nrr()), (Some(0.0), Some(0.0)));
    }

    #[test]
    fn a_contraction_then_an_expansion_in_the_same_period_nets_out_per_account() {
        // 100 → 80 → 130: the account ends 30 up; nothing was lost over the quarter.
        let history = [
            usd("A", "2026-01-01", New, 100),
            usd("A", "2027-01-10", Contraction, 80),
            usd("A", "2027-03-10", Expansion, 130),
        ];
        let r = q1(&history, &dollars()).unwrap();
        assert_eq!((r.contraction, r.expansion), (0, 3_000));
        assert_eq!(r.grr(), Some(1.0));
        assert!((r.nrr().unwrap() - 1.3).abs() < 1e-12);
    }

    #[test]
    fn a_correction_restates_the_start_and_is_no_movement() {
        // Entered as 100, corrected to 90 in the quarter, renewed flat: no contraction.
        let history = [
            usd("A", "2026-01-01", New, 100),
            usd("A", "2027-02-01", Correction, 90),
            usd("A", "2027-03-01", Renewal, 90),
        ];
        let r = q1(&history, &dollars()).unwrap();
        assert_eq!((r.starting_arr, r.contraction), (9_000, 0));
        assert_eq!(r.grr(), Some(1.0));
    }

    #[test]
    fn several_currencies_are_converted_first_and_a_missing_rate_is_named() {
        let history = [
            usd("A", "2026-01-01", New, 100),
            change("B", "2026-01-01", New, 100, "EUR"),
            change("C", "2026-01-01", New, 10_000, "JPY"),
        ];
        let err = q1(&history, &dollars()).unwrap_err();
        assert_eq!(err, MissingRates(["EUR".to_owned(), "JPY".to_owned()].into()), "never at face value");
        let rates = Rates { reporting: "USD".into(), per_unit: [("EUR".into(), 1.1), ("JPY".into(), 0.0065)].into() };
        // 100 USD + 100 EUR × 1.1 + 10,000 JPY (no minor unit) × 0.0065 = 100 + 110 + 65 = 275 USD.
        assert_eq!(q1(&history, &rates).unwrap().starting_arr, 27_500);
        let zero = Rates { reporting: "USD".into(), per_unit: [("EUR".into(), 0.0), ("JPY".into(), 0.0065)].into() };
        assert!(q1(&history, &zero).is_err(), "a rate of zero is no rate");
    }

    #[test]
    fn groups_are_counted_in_the_same_pass_and_add_up_to_the_book() {
        let history = [
            usd("A", "2026-01-01", New, 100),
            usd("B", "2026-01-01", New, 200),
            usd("B", "2027-02-01", Churn, 0),
            usd("C", "2026-01-01", New, 300),
        ];
        let group = |id: &str| Some(if id == "C" { "high" } else { "low" });
        let (book, groups) = retention_by(&history, day("2027-01-01"), day("2027-03-31"), &dollars(), group).unwrap();
        assert_eq!((book.starting_arr, book.churn), (60_000, 20_000));
        assert_eq!((groups["low"].starting_arr, groups["low"].churn, groups["high"].churn), (30_000, 20_000, 0));
    }

    #[test]
    fn an_empty_base_has_no_ratios() {
        let r = q1(&[usd("D", "2027-02-15", New, 500)], &dollars()).unwrap();
        assert_eq!((r.accounts_at_start, r.grr(), r.nrr(), r.logo_retention()), (0, None, None, None));
    }
}
