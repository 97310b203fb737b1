use chrono::NaiveDate;

use super::*;
use crate::facts::{Departure, HealthNow};
use crate::health::Reading;
use crate::model::{ContactRole, Money, RiskSeverity};

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn open(title: &str, severity: RiskSeverity, opened: &str, updated: Option<&str>, steps: u32) -> OpenRisk {
    OpenRisk {
        id: title.into(),
        title: title.into(),
        severity,
        stage: RiskStage::Identified,
        opened_on: day(opened),
        last_update_on: updated.map(day),
        plan_steps: steps,
    }
}

fn risk(id: &str, stage: RiskStage, arr: i64, currency: &str, reasons: &[&str]) -> Risk {
    Risk {
        id: id.into(),
        account_id: "a".into(),
        account_name: "A".into(),
        title: id.into(),
        reasons: reasons.iter().map(|r| (*r).to_owned()).collect(),
        severity: RiskSeverity::Medium,
        arr_at_risk: Money::new(arr, currency),
        stage,
        help_needed: Vec::new(),
        opened_on: day("2026-11-01"),
        stage_since: day("2026-11-01"),
        last_update_on: None,
        closed_on: stage.is_closed().then(|| day("2026-11-20")),
        days_in_stage: 0,
        days_since_update: 0,
        stale: false,
        plan_open: 0,
        plan_steps: 0,
    }
}

#[test]
fn a_closed_risk_stays_closed_and_open_stages_move_both_ways() {
    assert!(check_move(RiskStage::Identified, RiskStage::Saving).is_ok());
    assert!(check_move(RiskStage::Saving, RiskStage::PlanInPlace).is_ok());
    assert!(check_move(RiskStage::Saving, RiskStage::Lost).is_ok());
    assert!(check_move(RiskStage::Lost, RiskStage::Lost).is_ok(), "saving it again unchanged");
    let err = check_move(RiskStage::Recovered, RiskStage::Saving).unwrap_err();
    assert!(err.contains("closed as recovered"), "{err}");
    assert!(check_move(RiskStage::Lost, RiskStage::Recovered).is_err());
}

#[test]
fn staleness_counts_from_the_last_update_or_the_opening() {
    let today = day("2026-12-03");
    assert!(is_stale(RiskStage::Saving, day("2026-11-20"), None, today));
    assert!(!is_stale(RiskStage::Saving, day("2026-11-20"), Some(day("2026-11-30")), today));
    assert!(is_stale(RiskStage::Saving, day("2026-11-01"), Some(day("2026-11-26")), today), "exactly 7 days");
    assert!(!is_stale(RiskStage::Lost, day("2026-01-01"), None, today), "closed risks are never stale");
    assert_eq!(days_since_update(day("2026-12-01"), Some(day("2026-11-01")), today), 2, "an update before opening");
    assert_eq!(days_since_update(day("2026-12-05"), None, today), 0, "a future day is not negative");
}

#[test]
fn the_week_asks_for_a_plan_first_then_for_an_update() {
    let today = day("2026-12-03");
    let no_plan = open("Budget cut", RiskSeverity::High, "2026-11-29", None, 0);
    let (_, text) = planner_reason(std::slice::from_ref(&no_plan), today).unwrap();
    assert_eq!(text, "risk “Budget cut” identified 4 days ago, no save plan");
    let young = open("New", RiskSeverity::High, "2026-12-02", None, 0);
    assert_eq!(planner_reason(&[young], today), None, "a day-old risk is not yet a reason");
    let planned = open("Planned", RiskSeverity::Low, "2026-11-01", Some("2026-11-20"), 2);
    let (points, text) = planner_reason(std::slice::from_ref(&planned), today).unwrap();
    assert_eq!(text, "risk “Planned”: no update in 13 days");
    let critical = OpenRisk { severity: RiskSeverity::Critical, ..planned.clone() };
    assert!(planner_reason(&[critical], today).unwrap().0 > points, "severity weighs");
    let fresh = open("Fresh", RiskSeverity::Low, "2026-11-01", Some("2026-12-01"), 1);
    assert_eq!(planner_reason(&[fresh], today), None);
}

#[test]
fn the_most_severe_open_risk_lowers_the_renewal_likelihood() {
    assert_eq!(likelihood_points(&[]), None);
    let risks = [
        open("Price", RiskSeverity::Low, "2026-11-01", None, 0),
        open("Champion left", RiskSeverity::High, "2026-11-01", None, 0),
    ];
    assert_eq!(likelihood_points(&risks), Some(("open high risk “Champion left” (+1 more)".into(), -20)));
}

#[test]
fn suggestions_follow_the_facts_and_respect_open_risks_and_dismissals() {
    let today = day("2026-12-03");
    let mut a = AccountFacts::new("a", "Acme");
    a.health = Some(HealthNow { score: 31, band: Band::Red, trend_30d: None, red_since: Some(day("2026-11-28")) });
    a.departures.push(Departure {
        contact_id: "c1".into(),
        name: "Ana Ruiz".into(),
        role: ContactRole::Champion,
        left_on: day("2026-11-15"),
    });
    a.departures.push(Departure {
        contact_id: "c0".into(),
        name: "Old Timer".into(),
        role: ContactRole::ExecutiveSponsor,
        left_on: day("2025-01-15"),
    });
    a.critical_tickets = Some(Reading { value: 2.0, recorded_on: day("2026-12-01"), expires_on: None });
    a.invoice_overdue_days = Some(Reading { value: 45.0, recorded_on: day("2026-12-01"), expires_on: None });
    let triggers = |s: Vec<RiskSuggestion>| s.into_iter().map(|s| s.trigger).collect::<Vec<_>>();
    let all = suggestions(&a, false, Some(day("2026-11-20")), &[], today);
    assert_eq!(all[1].reason, "sponsor left");
    assert_eq!(all[1].title, "Our champion Ana Ruiz left");
    assert_eq!(triggers(all), ["red", "left:c1", "tickets", "invoice"]);
    assert_eq!(
        triggers(suggestions(&a, false, Some(day("2026-11-30")), &["red", "invoice"], today)),
        ["left:c1"],
        "tickets open 3 days are not yet a risk; dismissed triggers stay quiet"
    );
    assert!(suggestions(&a, true, Some(day("2026-11-20")), &[], today).is_empty(), "already has an open risk");
    assert!(suggestions(&AccountFacts::new("b", "Calm"), false, None, &[], today).is_empty());
}

#[test]
fn totals_convert_and_count_each_reason_and_leave_closed_risks_out() {
    let rates = Rates { reporting: "USD".into(), per_unit: [("EUR".to_owned(), 1.1)].into() };
    let risks = [
        risk("r1", RiskStage::Identified, 10_000, "USD", &["budget cut", "competitor"]),
        risk("r2", RiskStage::Saving, 10_000, "EUR", &["competitor"]),
        risk("r3", RiskStage::Lost, 99_900, "USD", &["price"]),
    ];
    let (by_stage, by_reason, total) = totals(&risks, &rates).unwrap();
    assert_eq!(total.risks, 2);
    assert_eq!(total.arr_minor, 21_000);
    let stages: Vec<(&str, u32)> = by_stage.iter().map(|t| (t.label.as_str(), t.risks)).collect();
    assert_eq!(stages, [("identified", 1), ("saving", 1)]);
    let reasons: Vec<(&str, i64)> = by_reason.iter().map(|t| (t.label.as_str(), t.arr_minor)).collect();
    assert_eq!(reasons, [("competitor", 21_000), ("budget cut", 10_000)]);
    let mut sorted = risks.to_vec();
    sort_open(&mut sorted, &rates);
    assert_eq!(sorted.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["r3", "r2", "r1"]);
}

#[test]
fn a_risk_line_updates_the_open_risk_whose_words_it_covers() {
    let open = [("r1", "Budget review may cut the seat count"), ("r2", "Champion leaving"), ("r3", "Churn")];
    let target = |line| update_target(line, open.iter().map(|(i, t)| (*i, *t)));
    assert_eq!(target("budget review moved to January, seat count still at stake"), Some("r1"));
    assert_eq!(target("Champion is leaving in Q1, successor unknown"), Some("r2"));
    assert_eq!(target("churn talk again"), Some("r3"), "a one-word title needs its word");
    assert_eq!(target("budget looks fine"), None, "one word of six is not the same risk");
    assert_eq!(target("a new competitor appeared"), None);
}
