//! A renewal's computed likelihood, explained point by point like the health score, and where
//! the CSM's own call disagrees with it. The CSM's forecast category and this likelihood are kept
//! apart (`domain.md` §10): the likelihood never overwrites the call, it questions it.

use chrono::{Datelike, Months, NaiveDate};

use crate::facts::AccountFacts;
use crate::model::{Band, Deal, Money, OutcomeKind, SuggestedChange};
pub use crate::model::{ForecastCategory, RenewalStage, RenewalWindow};

/// What the book knows about an account that bears on its renewal.
#[derive(Debug, Clone, PartialEq)]
pub struct RenewalFacts {
    /// None while the account is not scored.
    pub band: Option<Band>,
    /// Change of the health score over the last 30 days, in points.
    pub trend_30d: Option<i32>,
    pub critical_tickets_open: u32,
    /// Days since a sponsor or champion left, if one did.
    pub sponsor_left_days_ago: Option<i64>,
    pub detractor: bool,
    pub invoice_overdue_days: u32,
    pub days_to_renewal: i64,
    pub stage: RenewalStage,
    /// Licences used / purchased, when both are known.
    pub usage: Option<f64>,
    /// The account's most severe open risk and what it takes off (`risks::likelihood_points`).
    pub open_risk: Option<(String, i32)>,
}

/// One reason the likelihood moved, in points (negative: less likely).
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    pub reason: String,
    pub points: i32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Likelihood {
    /// 0–100: 100 once signed, 0 once lost, otherwise between 5 and 95.
    pub percent: u32,
    /// Largest effect first.
    pub contributions: Vec<Contribution>,
}

/// Where an open renewal starts before the account's facts move it.
pub const STARTING_POINT: i32 = 80;

/// The likelihood of a renewal from the account's facts, with each contribution listed.
pub fn likelihood(f: &RenewalFacts) -> Likelihood {
    match f.stage {
        RenewalStage::Signed => return settled(100, "Signed"),
        RenewalStage::Lost => return settled(0, "Lost"),
        _ => {}
    }
    let mut contributions: Vec<Contribution> = [
        health(f),
        trend(f),
        (f.critical_tickets_open > 0).then(|| {
            let n = f.critical_tickets_open;
            (format!("{n} critical ticket{} open", if n == 1 { "" } else { "s" }), -(8 * n.min(2) as i32))
        }),
        f.sponsor_left_days_ago
            .filter(|days| *days <= 180)
            .map(|days| (format!("sponsor left {days} days ago"), if days <= 90 { -15 } else { -8 })),
        f.detractor.then(|| ("a detractor".to_owned(), -10)),
        invoice(f.invoice_overdue_days),
        proposal(f),
        usage(f.usage),
        (f.stage == RenewalStage::VerbalYes).then(|| ("verbal yes".to_owned(), 12)),
        f.open_risk.clone(),
    ]
    .into_iter()
    .flatten()
    .map(|(reason, points)| Contribution { reason, points })
    .collect();
    contributions.sort_by_key(|c| -c.points.abs());
    let total = STARTING_POINT + contributions.iter().map(|c| c.points).sum::<i32>();
    Likelihood { percent: total.clamp(5, 95) as u32, contributions }
}

fn settled(percent: u32, reason: &str) -> Likelihood {
    Likelihood { percent, contributions: vec![Contribution { reason: reason.into(), points: 0 }] }
}

fn health(f: &RenewalFacts) -> Option<(String, i32)> {
    match f.band? {
        Band::Red => Some(("health red".into(), -30)),
        Band::Yellow => Some(("health yellow".into(), -12)),
        Band::Green => Some(("health green".into(), 8)),
    }
}

fn trend(f: &RenewalFacts) -> Option<(String, i32)> {
    let change = f.trend_30d?;
    match change {
        c if c <= -10 => Some((format!("health down {} points in 30 days", -c), -8)),
        c if c >= 10 => Some((format!("health up {c} points in 30 days"), 4)),
        _ => None,
    }
}

fn invoice(days: u32) -> Option<(String, i32)> {
    match days {
        0 => None,
        d if d > 30 => Some((format!("invoice {d} days overdue"), -10)),
        d => Some((format!("invoice {d} days overdue"), -4)),
    }
}

/// Close to the date with no proposal sent yet.
fn proposal(f: &RenewalFacts) -> Option<(String, i32)> {
    if f.stage >= RenewalStage::ProposalSent {
        return None;
    }
    match f.days_to_renewal {
        d if d <= 30 => Some((format!("{d} days to renewal, no proposal sent"), -15)),
        d if d <= 60 => Some((format!("{d} days to renewal, no proposal sent"), -8)),
        _ => None,
    }
}

fn usage(ratio: Option<f64>) -> Option<(String, i32)> {
    let percent = (ratio? * 100.0).round() as i64;
    match percent {
        p if p < 50 => Some((format!("{p} % of licences used"), -10)),
        p if p < 80 => Some((format!("{p} % of licences used"), -5)),
        p if p >= 100 => Some((format!("{p} % of licences used"), 5)),
        _ => None,
    }
}

/// What the book knows about an account's renewal, read from its facts on `today`.
pub fn facts_of(a: &AccountFacts, renews_on: NaiveDate, stage: RenewalStage, today: NaiveDate) -> RenewalFacts {
    let usage = match (a.licences_used, a.licences_purchased) {
        (Some(used), Some(bought)) if bought > 0 => Some(used.value / bought as f64),
        _ => None,
    };
    RenewalFacts {
        band: a.health.map(|h| h.band),
        trend_30d: a.health.and_then(|h| h.trend_30d).map(|t| t.clamp(-100, 100) as i32),
        critical_tickets_open: a.critical_open().map_or(0, |(n, _)| n),
        sponsor_left_days_ago: a.departures.iter().map(|d| (today - d.left_on).num_days()).filter(|d| *d >= 0).min(),
        detractor: a.nps.is_some_and(|r| r.value <= 6.0),
        invoice_overdue_days: a.invoice_overdue_days.map_or(0, |r| r.value.clamp(0.0, 10_000.0) as u32),
        days_to_renewal: (renews_on - today).num_days(),
        stage,
        usage,
        open_risk: crate::risks::likelihood_points(&a.risks),
    }
}

/// The category a renewal the CSM has not called yet is shown in: never Commit (only the CSM
/// stakes their name on a renewal).
pub fn suggested_category(likelihood: u32) -> ForecastCategory {
    match likelihood {
        l if l >= 70 => ForecastCategory::Probable,
        l if l >= 35 => ForecastCategory::AtRisk,
        _ => ForecastCategory::ChurnExpected,
    }
}

/// The first and last day of a window, seen from `today`.
pub fn window_days(window: RenewalWindow, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let quarter_start = NaiveDate::from_ymd_opt(today.year(), (today.month0() / 3) * 3 + 1, 1).unwrap_or(today);
    let months = |day: NaiveDate, n: i32| {
        if n >= 0 {
            day.checked_add_months(Months::new(n as u32))
        } else {
            day.checked_sub_months(Months::new(n.unsigned_abs()))
        }
        .unwrap_or(day)
    };
    let day_before = |day: NaiveDate| day.pred_opt().unwrap_or(day);
    match window {
        RenewalWindow::ThisQuarter => (quarter_start, day_before(months(quarter_start, 3))),
        RenewalWindow::NextQuarter => (months(quarter_start, 3), day_before(months(quarter_start, 6))),
        RenewalWindow::Next12Months => (today, day_before(months(today, 12))),
        RenewalWindow::LastQuarter => (months(quarter_start, -3), day_before(quarter_start)),
        RenewalWindow::Last12Months => (months(today, -12).succ_opt().unwrap_or(today), today),
    }
}

/// What a CRM renewal deal suggests, against the account's ARR today: a closed deal an outcome
/// (won: up, flat or down by its amount; lost: churn), an open one its forecast category. What
/// the desk cannot read for sure (no amount, another currency, an unknown category or stage
/// without a probability) is said, never guessed.
pub fn deal_suggests(deal: &Deal, current: &Money) -> SuggestedChange {
    let unclear = |reason: String| SuggestedChange::Unclear { reason };
    if deal.closed {
        return match (deal.won, &deal.amount) {
            (Some(false), _) => {
                SuggestedChange::Outcome { outcome: OutcomeKind::Churn, new_arr: Money::new(0, &current.currency) }
            }
            (None, _) => unclear("closed, but the CRM does not say whether it was won".into()),
            (Some(true), None) => unclear("won, but the deal has no amount: record the outcome yourself".into()),
            (Some(true), Some(amount)) if amount.currency != current.currency => unclear(format!(
                "won at {}, but the account is billed in {}: record the outcome yourself",
                amount.text(),
                current.currency
            )),
            (Some(true), Some(amount)) if amount.minor <= 0 => unclear("won with an amount of zero".into()),
            (Some(true), Some(amount)) => {
                let outcome = match amount.minor.cmp(&current.minor) {
                    std::cmp::Ordering::Greater => OutcomeKind::Expansion,
                    std::cmp::Ordering::Equal => OutcomeKind::Flat,
                    std::cmp::Ordering::Less => OutcomeKind::Contraction,
                };
                SuggestedChange::Outcome { outcome, new_arr: amount.clone() }
            }
        };
    }
    let category = match (deal.forecast_category.as_deref(), deal.probability) {
        (Some("Commit"), _) => ForecastCategory::Commit,
        (Some("Best Case" | "BestCase" | "Pipeline"), _) => ForecastCategory::Probable,
        (Some("Omitted"), _) => ForecastCategory::ChurnExpected,
        (Some(other), _) => return unclear(format!("the CRM's forecast category “{other}” is not one the desk knows")),
        (None, Some(p)) if p >= 0.9 => ForecastCategory::Commit,
        (None, Some(p)) if p >= 0.5 => ForecastCategory::Probable,
        (None, Some(p)) if p > 0.1 => ForecastCategory::AtRisk,
        (None, Some(_)) => ForecastCategory::ChurnExpected,
        (None, None) => return unclear(format!("stage “{}” has no probability", deal.stage)),
    };
    SuggestedChange::Category { category }
}

/// When the CSM's call and the likelihood disagree strongly, the sentence the row shows:
/// "Commit, but likelihood 38 %: health red, sponsor left 20 days ago".
pub fn disagreement(category: ForecastCategory, l: &Likelihood) -> Option<String> {
    let (strong, against) = match category {
        ForecastCategory::Commit => (l.percent < 60, true),
        ForecastCategory::Probable => (l.percent < 40, true),
        ForecastCategory::AtRisk => (l.percent >= 85, false),
        ForecastCategory::ChurnExpected => (l.percent >= 60, false),
    };
    if !strong {
        return None;
    }
    let reasons: Vec<&str> = l
        .contributions
        .iter()
        .filter(|c| if against { c.points < 0 } else { c.points > 0 })
        .take(2)
        .map(|c| c.reason.as_str())
        .collect();
    let why = if reasons.is_empty() { String::new() } else { format!(": {}", reasons.join(", ")) };
    Some(format!("{}, but likelihood {} %{why}", category.label(), l.percent))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> RenewalFacts {
        RenewalFacts {
            band: Some(Band::Green),
            trend_30d: Some(0),
            critical_tickets_open: 0,
            sponsor_left_days_ago: None,
            detractor: false,
            invoice_overdue_days: 0,
            days_to_renewal: 120,
            stage: RenewalStage::InDiscussion,
            usage: Some(0.9),
            open_risk: None,
        }
    }

    #[test]
    fn an_open_risk_moves_a_likely_renewal_toward_at_risk() {
        let calm = likelihood(&facts());
        assert_eq!(suggested_category(calm.percent), ForecastCategory::Probable);
        let at_risk = RenewalFacts { open_risk: Some(("open high risk “Budget cut”".into(), -20)), ..facts() };
        let l = likelihood(&at_risk);
        assert_eq!(l.percent, 68);
        assert_eq!(suggested_category(l.percent), ForecastCategory::AtRisk);
        assert_eq!(l.contributions[0].reason, "open high risk “Budget cut”");
    }

    #[test]
    fn a_healthy_account_far_from_its_date_is_likely_and_says_why() {
        let l = likelihood(&facts());
        // 80 + 8 (green) = 88.
        assert_eq!(l.percent, 88);
        assert_eq!(l.contributions, [Contribution { reason: "health green".into(), points: 8 }]);
        assert_eq!(disagreement(ForecastCategory::Commit, &l), None);
    }

    #[test]
    fn a_red_account_whose_sponsor_left_questions_a_commit() {
        let f = RenewalFacts {
            band: Some(Band::Red),
            sponsor_left_days_ago: Some(20),
            days_to_renewal: 45,
            usage: Some(0.42),
            ..facts()
        };
        let l = likelihood(&f);
        // 80 − 30 (red) − 15 (sponsor) − 10 (42 % used) − 8 (45 days, no proposal) = 17.
        assert_eq!(l.percent, 17);
        let points: Vec<i32> = l.contributions.iter().map(|c| c.points).collect();
        assert_eq!(points, [-30, -15, -10, -8], "largest effect first");
        assert_eq!(
            disagreement(ForecastCategory::Commit, &l).as_deref(),
            Some("Commit, but likelihood 17 %: health red, sponsor left 20 days ago")
        );
        assert_eq!(disagreement(ForecastCategory::AtRisk, &l), None, "the call agrees");
    }

    #[test]
    fn a_healthy_renewal_called_churn_expected_is_questioned_too() {
        let f = RenewalFacts { stage: RenewalStage::VerbalYes, usage: Some(1.1), ..facts() };
        let l = likelihood(&f);
        // 80 + 12 (verbal yes) + 8 (green) + 5 (110 % used) = 105, held at 95.
        assert_eq!(l.percent, 95);
        assert_eq!(
            disagreement(ForecastCategory::ChurnExpected, &l).as_deref(),
            Some("Churn expected, but likelihood 95 %: verbal yes, health green")
        );
    }

    #[test]
    fn signed_and_lost_are_certain_and_bounds_hold() {
        assert_eq!(
            likelihood(&RenewalFacts { stage: RenewalStage::Signed, band: Some(Band::Red), ..facts() }).percent,
            100
        );
        assert_eq!(likelihood(&RenewalFacts { stage: RenewalStage::Lost, ..facts() }).percent, 0);
        let worst = RenewalFacts {
            band: Some(Band::Red),
            trend_30d: Some(-25),
            critical_tickets_open: 5,
            sponsor_left_days_ago: Some(3),
            detractor: true,
            invoice_overdue_days: 60,
            days_to_renewal: 10,
            stage: RenewalStage::NotStarted,
            usage: Some(0.1),
            open_risk: None,
        };
        let l = likelihood(&worst);
        assert_eq!(l.percent, 5, "never certain while open");
        assert!(
            l.contributions.iter().any(|c| c.reason == "5 critical tickets open" && c.points == -16),
            "capped at two"
        );
    }

    fn deal(closed: bool, won: Option<bool>, amount: Option<i64>) -> Deal {
        Deal {
            remote_id: "d1".into(),
            company_remote_id: "c1".into(),
            name: "Renewal 2027".into(),
            amount: amount.map(|a| Money::new(a, "USD")),
            close_date: None,
            stage: "contractsent".into(),
            pipeline: "default".into(),
            kind: crate::model::DealKind::Renewal,
            closed,
            won,
            forecast_category: None,
            probability: None,
            modified_at: Default::default(),
        }
    }

    #[test]
    fn a_closed_deal_suggests_an_outcome_by_its_amount_and_a_lost_one_a_churn() {
        let arr = Money::new(12_000_000, "USD");
        let outcome = |d: &Deal| match deal_suggests(d, &arr) {
            SuggestedChange::Outcome { outcome, new_arr } => (outcome, new_arr.minor),
            other => panic!("{other:?}"),
        };
        assert_eq!(outcome(&deal(true, Some(true), Some(14_000_000))), (OutcomeKind::Expansion, 14_000_000));
        assert_eq!(outcome(&deal(true, Some(true), Some(12_000_000))), (OutcomeKind::Flat, 12_000_000));
        assert_eq!(outcome(&deal(true, Some(true), Some(9_000_000))), (OutcomeKind::Contraction, 9_000_000));
        assert_eq!(outcome(&deal(true, Some(false), Some(12_000_000))), (OutcomeKind::Churn, 0));
    }

    #[test]
    fn what_the_desk_cannot_read_for_sure_is_said_not_guessed() {
        let arr = Money::new(12_000_000, "USD");
        let reason = |d: &Deal| match deal_suggests(d, &arr) {
            SuggestedChange::Unclear { reason } => reason,
            other => panic!("{other:?}"),
        };
        assert!(reason(&deal(true, Some(true), None)).contains("no amount"));
        let mut euros = deal(true, Some(true), Some(100));
        euros.amount = Some(Money::new(11_000_000, "EUR"));
        assert!(reason(&euros).contains("billed in USD"));
        assert!(reason(&deal(true, None, Some(100))).contains("does not say"));
        assert!(reason(&deal(false, None, Some(100))).contains("stage “contractsent” has no probability"));
        let mut odd = deal(false, None, Some(100));
        odd.forecast_category = Some("Maybe".into());
        assert!(reason(&odd).contains("“Maybe”"));
    }

    #[test]
    fn an_open_deal_suggests_the_crms_forecast_category() {
        let arr = Money::new(12_000_000, "USD");
        let category = |forecast: Option<&str>, probability: Option<f64>| {
            let mut d = deal(false, None, Some(100));
            d.forecast_category = forecast.map(str::to_owned);
            d.probability = probability;
            deal_suggests(&d, &arr)
        };
        let is = |category| SuggestedChange::Category { category };
        assert_eq!(category(Some("Commit"), Some(0.2)), is(ForecastCategory::Commit), "Salesforce's category first");
        assert_eq!(category(Some("Best Case"), None), is(ForecastCategory::Probable));
        assert_eq!(category(Some("Omitted"), None), is(ForecastCategory::ChurnExpected));
        assert_eq!(category(None, Some(0.9)), is(ForecastCategory::Commit));
        assert_eq!(category(None, Some(0.3)), is(ForecastCategory::AtRisk));
    }

    #[test]
    fn windows_are_calendar_quarters_or_twelve_months_from_today() {
        let day = |t: &str| t.parse::<NaiveDate>().unwrap();
        let today = day("2026-12-03");
        assert_eq!(window_days(RenewalWindow::ThisQuarter, today), (day("2026-10-01"), day("2026-12-31")));
        assert_eq!(window_days(RenewalWindow::NextQuarter, today), (day("2027-01-01"), day("2027-03-31")));
        assert_eq!(window_days(RenewalWindow::LastQuarter, today), (day("2026-07-01"), day("2026-09-30")));
        assert_eq!(window_days(RenewalWindow::Next12Months, today), (today, day("2027-12-02")));
        assert_eq!(window_days(RenewalWindow::Last12Months, today), (day("2025-12-04"), today));
    }

    #[test]
    fn an_uncalled_renewal_is_suggested_a_category_but_never_commit() {
        assert_eq!(suggested_category(95), ForecastCategory::Probable);
        assert_eq!(suggested_category(50), ForecastCategory::AtRisk);
        assert_eq!(suggested_category(20), ForecastCategory::ChurnExpected);
    }

    #[test]
    fn an_unscored_account_with_no_usage_known_starts_from_the_starting_point() {
        let f = RenewalFacts { band: None, trend_30d: None, usage: None, ..facts() };
        assert_eq!(likelihood(&f).percent, STARTING_POINT as u32);
    }
}
