//! The risk register's rules, pure: how stages may move, when a risk is stale, when the book's
//! facts suggest opening one, and the totals the Risks page shows.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::facts::{day_text, AccountFacts};
use crate::model::{Band, Risk, RiskStage, RiskSuggestion, RiskTotal};
use crate::rates::{MissingRates, Rates};

/// An open risk with no update for this many days is stale: the Week suggests a touch.
pub const STALE_AFTER_DAYS: i64 = 7;
/// A risk still "identified" with no save plan this many days after it was opened is a reason.
pub const NO_PLAN_AFTER_DAYS: i64 = 3;
/// A critical ticket open this long, or an invoice this overdue, suggests a risk.
pub const TICKET_OPEN_DAYS: i64 = 7;
pub const INVOICE_OVERDUE_DAYS: f64 = 30.0;
/// A sponsor or champion who left within this many days suggests a risk.
pub const DEPARTURE_DAYS: i64 = 90;
/// A dismissed suggestion stays quiet this long.
pub const DISMISS_DAYS: i64 = 30;

/// What the planner and the renewal likelihood know of an open risk.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenRisk {
    pub id: String,
    pub title: String,
    pub severity: crate::model::RiskSeverity,
    pub stage: RiskStage,
    pub opened_on: NaiveDate,
    pub last_update_on: Option<NaiveDate>,
    pub plan_steps: u32,
}

impl OpenRisk {
    pub fn days_since_update(&self, today: NaiveDate) -> i64 {
        days_since_update(self.opened_on, self.last_update_on, today)
    }

    /// Still identified, with no plan, `NO_PLAN_AFTER_DAYS` after it was opened.
    pub fn needs_a_plan(&self, today: NaiveDate) -> bool {
        self.stage == RiskStage::Identified
            && self.plan_steps == 0
            && (today - self.opened_on).num_days() >= NO_PLAN_AFTER_DAYS
    }
}

pub fn days_since_update(opened_on: NaiveDate, last_update_on: Option<NaiveDate>, today: NaiveDate) -> i64 {
    (today - last_update_on.unwrap_or(opened_on).max(opened_on)).num_days().max(0)
}

pub fn is_stale(stage: RiskStage, opened_on: NaiveDate, last_update_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    !stage.is_closed() && days_since_update(opened_on, last_update_on, today) >= STALE_AFTER_DAYS
}

/// Whether a risk may move from one stage to another: a closed risk stays closed (a new risk
/// is opened if it comes back); open stages move freely, both ways.
pub fn check_move(from: RiskStage, to: RiskStage) -> Result<(), String> {
    if from.is_closed() && to != from {
        return Err(format!(
            "This risk is closed as {}; it cannot move back to {}. Open a new risk if it has come back.",
            from.label(),
            to.label()
        ));
    }
    Ok(())
}

/// The "Open a risk?" suggestions for one account: red health, a sponsor or champion gone, a
/// critical ticket open `TICKET_OPEN_DAYS`, an invoice `INVOICE_OVERDUE_DAYS` overdue. None when
/// the account already has an open risk; `dismissed` lists the triggers dismissed lately.
pub fn suggestions(
    a: &AccountFacts,
    has_open_risk: bool,
    critical_open_since: Option<NaiveDate>,
    dismissed: &[&str],
    today: NaiveDate,
) -> Vec<RiskSuggestion> {
    if has_open_risk {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut offer = |trigger: String, reason: &str, title: String, why: String| {
        if !dismissed.contains(&trigger.as_str()) {
            out.push(RiskSuggestion {
                account_id: a.id.clone(),
                account_name: a.name.clone(),
                trigger,
                reason: reason.to_owned(),
                title,
                why,
            });
        }
    };
    if let Some(h) = a.health.filter(|h| h.band == Band::Red) {
        let since = h.red_since.map_or(String::new(), |d| format!(" since {}", day_text(d)));
        offer("red".into(), "low adoption", format!("{} is red", a.name), format!("Health {} (red){since}", h.score));
    }
    for d in a.departures.iter().filter(|d| (0..=DEPARTURE_DAYS).contains(&(today - d.left_on).num_days())) {
        let role = crate::facts::role_label(d.role);
        offer(
            format!("left:{}", d.contact_id),
            "sponsor left",
            format!("Our {role} {} left", d.name),
            format!("{} ({role}) left on {}", d.name, day_text(d.left_on)),
        );
    }
    if let (Some((n, _)), Some(since)) = (a.critical_open(), critical_open_since) {
        let days = (today - since).num_days();
        if days >= TICKET_OPEN_DAYS {
            let tickets = if n == 1 { "1 critical ticket".to_owned() } else { format!("{n} critical tickets") };
            offer(
                "tickets".into(),
                "support escalation",
                format!("{tickets} open for {days} days"),
                format!("Critical tickets open since {}", day_text(since)),
            );
        }
    }
    if let Some(r) = a.invoice_overdue_days.filter(|r| r.value >= INVOICE_OVERDUE_DAYS) {
        let days = r.value as i64;
        offer(
            "invoice".into(),
            "budget cut",
            format!("Invoice {days} days overdue"),
            format!("Invoice {days} days overdue (as of {})", day_text(r.recorded_on)),
        );
    }
    out
}

/// Open risks totalled by stage (in stage order) and by reason (largest first), with the total,
/// in the reporting currency. A risk with several reasons counts under each.
pub fn totals(risks: &[Risk], rates: &Rates) -> Result<(Vec<RiskTotal>, Vec<RiskTotal>, RiskTotal), MissingRates> {
    let mut converting = rates.converting();
    let mut by_stage: BTreeMap<RiskStage, RiskTotal> = BTreeMap::new();
    let mut by_reason: BTreeMap<&str, RiskTotal> = BTreeMap::new();
    let mut total = RiskTotal { label: "Open".into(), ..RiskTotal::default() };
    for r in risks.iter().filter(|r| !r.stage.is_closed()) {
        let minor = converting.minor(&r.arr_at_risk);
        let add = |t: &mut RiskTotal| {
            t.risks += 1;
            t.arr_minor += minor;
        };
        add(by_stage
            .entry(r.stage)
            .or_insert_with(|| RiskTotal { label: r.stage.label().into(), ..Default::default() }));
        for reason in &r.reasons {
            add(by_reason.entry(reason).or_insert_with(|| RiskTotal { label: reason.clone(), ..Default::default() }));
        }
        add(&mut total);
    }
    let mut by_reason: Vec<RiskTotal> = by_reason.into_values().collect();
    by_reason.sort_by(|a, b| b.arr_minor.cmp(&a.arr_minor).then_with(|| a.label.cmp(&b.label)));
    converting.finish((by_stage.into_values().collect(), by_reason, total))
}

/// Open risks first by ARR at risk (converted), then by severity and age: the Risks page order.
pub fn sort_open(risks: &mut [Risk], rates: &Rates) {
    let key = |r: &Risk| rates.convert(&r.arr_at_risk).unwrap_or(r.arr_at_risk.minor);
    risks.sort_by(|a, b| {
        key(b).cmp(&key(a)).then(b.severity.cmp(&a.severity)).then(a.opened_on.cmp(&b.opened_on)).then(a.id.cmp(&b.id))
    });
}

/// The open risk a note's `risk:` line is an update to: the one whose title's words the line
/// covers most, at least half of them and two (one for a one-word title). An update tells more
/// than the title, so this is coverage of the title, not likeness of the two.
pub fn update_target<'a>(line: &str, open: impl IntoIterator<Item = (&'a str, &'a str)>) -> Option<&'a str> {
    let said = crate::asks::words(line);
    open.into_iter()
        .filter_map(|(id, title)| {
            let theirs = crate::asks::words(title);
            let shared = said.intersection(&theirs).count();
            let covered = shared as f64 / theirs.len().max(1) as f64;
            (shared >= 2.min(theirs.len()) && shared > 0 && covered >= 0.5).then_some((id, covered))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(id, _)| id)
}

/// A reason for the Week: a stale risk asks for a touch, an identified one for a plan.
pub fn planner_reason(risks: &[OpenRisk], today: NaiveDate) -> Option<(u32, String)> {
    let stale = risks.iter().filter(|r| r.days_since_update(today) >= STALE_AFTER_DAYS).max_by_key(|r| r.severity);
    let no_plan = risks.iter().find(|r| r.needs_a_plan(today));
    match (no_plan, stale) {
        (Some(r), _) => Some((
            30 + severity_points(r),
            format!("risk “{}” identified {} days ago, no save plan", r.title, (today - r.opened_on).num_days()),
        )),
        (None, Some(r)) => Some((
            20 + severity_points(r),
            format!("risk “{}”: no update in {} days", r.title, r.days_since_update(today)),
        )),
        _ => None,
    }
}

fn severity_points(r: &OpenRisk) -> u32 {
    match r.severity {
        crate::model::RiskSeverity::Critical => 20,
        crate::model::RiskSeverity::High => 12,
        crate::model::RiskSeverity::Medium => 6,
        crate::model::RiskSeverity::Low => 0,
    }
}

/// What open risks take off a renewal's likelihood: the most severe one counts.
pub fn likelihood_points(risks: &[OpenRisk]) -> Option<(String, i32)> {
    let worst = risks.iter().max_by_key(|r| r.severity)?;
    let points = match worst.severity {
        crate::model::RiskSeverity::Critical => -30,
        crate::model::RiskSeverity::High => -20,
        crate::model::RiskSeverity::Medium => -12,
        crate::model::RiskSeverity::Low => -6,
    };
    let more = if risks.len() > 1 { format!(" (+{} more)", risks.len() - 1) } else { String::new() };
    Some((format!("open {} risk “{}”{more}", worst.severity.as_str(), worst.title), points))
}

#[cfg(test)]
mod tests;
