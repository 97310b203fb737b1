//! The week planner as a pure, deterministic function: the book's facts + tasks + settings + a
//! week → a plan with reasons. Fixed appointments and due tasks come first; the remaining hours
//! are offered to the accounts that most need a touch, and never more than fits.

use std::collections::HashSet;

use chrono::{Datelike, Days, NaiveDate};

use crate::facts::{day_text, role_label, AccountFacts, RenewalCall};
use crate::model::money::minor_digits;
use crate::model::{
    Band, Cadence, Coverage, DealRole, ForecastCategory, Meeting, PlanDay, PlannerSettings, Reason, ReasonKind,
    RenewalStage, Suggestion, Task, TaskStatus, WeekPlan,
};

/// Signals and departures older than this no longer make an account a suggestion.
const RECENT_DAYS: i64 = 90;

/// Every pending task due before today, when the plan is given only the first of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overdue {
    pub total: usize,
    pub accounts: HashSet<String>,
}

pub struct WeekInput<'a> {
    /// Any day of the week to plan; the plan starts on its Monday.
    pub week_of: NaiveDate,
    pub today: NaiveDate,
    pub settings: &'a PlannerSettings,
    pub cadence: &'a Cadence,
    pub accounts: &'a [AccountFacts],
    /// Tasks done or due within the week, and pending tasks due before today (or the first of
    /// them, with `overdue` saying how many there are and on which accounts).
    pub tasks: &'a [Task],
    pub overdue: Option<&'a Overdue>,
    /// Accounts whose suggestion the CSM dismissed for this week.
    pub dismissed: &'a HashSet<String>,
    /// The week's meetings from the CSM's calendars, by day and time.
    pub meetings: &'a [Meeting],
}

/// The Monday of the week holding `day`. Dates are the CSM's calendar days: no time zone moves them.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

/// The week to open by default: this one while a working day is left in it, else the next
/// (on a Saturday or Sunday the CSM plans the coming week).
pub fn week_to_plan(today: NaiveDate, work_days: &[bool]) -> NaiveDate {
    let from = today.weekday().num_days_from_monday() as usize;
    if work_days.iter().skip(from).any(|works| *works) {
        today
    } else {
        monday_of(today) + Days::new(7)
    }
}

pub fn plan_week(input: &WeekInput<'_>) -> WeekPlan {
    let week_start = monday_of(input.week_of);
    let week_end = week_start + Days::new(6);
    let (today, settings) = (input.today, input.settings);
    let mut days: Vec<PlanDay> = (0..7u64).map(|i| empty_day(week_start + Days::new(i), today, settings)).collect();
    let mut overdue = Vec::new();
    let mut busy: HashSet<&str> = input.overdue.iter().flat_map(|o| o.accounts.iter().map(String::as_str)).collect();
    for task in input.tasks {
        let Some(day) = task.plan_day() else { continue };
        let pending = task.is_pending();
        if pending && day < today {
            busy.extend(task.account_id.as_deref());
            overdue.push(task.clone());
        } else if (week_start..=week_end).contains(&day) && task.status != TaskStatus::Cancelled {
            busy.extend(task.account_id.as_deref());
            let slot = &mut days[day.signed_duration_since(week_start).num_days() as usize];
            slot.planned_minutes += task.effort_minutes.unwrap_or(settings.unestimated_minutes);
            if task.is_appointment() { &mut slot.appointments } else { &mut slot.tasks }.push(task.clone());
        }
    }
    for meeting in input.meetings.iter().filter(|m| (week_start..=week_end).contains(&m.day)) {
        busy.extend(meeting.account_id.as_deref());
        let slot = &mut days[meeting.day.signed_duration_since(week_start).num_days() as usize];
        slot.planned_minutes += meeting.minutes;
        slot.meetings.push(meeting.clone());
    }
    overdue.sort_by(|a, b| (a.plan_day(), &a.title, &a.id).cmp(&(b.plan_day(), &b.title, &b.id)));
    for day in &mut days {
        day.appointments.sort_by(|a, b| (&a.due_time, &a.title, &a.id).cmp(&(&b.due_time, &b.title, &b.id)));
        day.tasks.sort_by_key(|t| (!t.is_pending(), std::cmp::Reverse(t.priority), t.title.clone(), t.id.clone()));
    }

    let mut ranked: Vec<Suggestion> = if week_end < today {
        Vec::new()
    } else {
        let max_arr = input.accounts.iter().map(|a| a.arr_minor).max().unwrap_or(0);
        input
            .accounts
            .iter()
            .filter(|a| !busy.contains(a.id.as_str()) && !input.dismissed.contains(&a.id))
            .filter_map(|a| suggest(a, today, input.cadence, settings, max_arr))
            .collect()
    };
    ranked.sort_by(|a, b| (b.points, &a.account_name, &a.account_id).cmp(&(a.points, &b.account_name, &b.account_id)));
    let overflow = place(&mut days, ranked, settings);

    for day in &mut days {
        day.overloaded = day.planned_minutes > day.capacity_minutes && (day.work_day || day.planned_minutes > 0);
    }
    let sum = |f: fn(&PlanDay) -> u32| days.iter().map(f).sum();
    WeekPlan {
        week_start,
        today,
        overdue_total: input.overdue.map_or(overdue.len(), |o| o.total.max(overdue.len())) as u32,
        capacity_minutes: sum(|d| d.capacity_minutes),
        planned_minutes: sum(|d| d.planned_minutes),
        suggested_minutes: sum(|d| d.suggested_minutes),
        days,
        overdue,
        overflow,
        held_back_tasks: 0,
    }
}

fn empty_day(date: NaiveDate, today: NaiveDate, settings: &PlannerSettings) -> PlanDay {
    let work_day = settings.work_days.get(date.weekday().num_days_from_monday() as usize).copied().unwrap_or(false);
    PlanDay {
        date,
        work_day,
        is_today: date == today,
        is_past: date < today,
        capacity_minutes: if work_day { settings.minutes_per_day } else { 0 },
        planned_minutes: 0,
        suggested_minutes: 0,
        overloaded: false,
        appointments: Vec::new(),
        meetings: Vec::new(),
        tasks: Vec::new(),
        suggestions: Vec::new(),
    }
}

/// Puts each suggestion, best first, on the earliest working day from today with room for it.
/// What does not fit is returned, still ranked.
fn place(days: &mut [PlanDay], ranked: Vec<Suggestion>, settings: &PlannerSettings) -> Vec<Suggestion> {
    let mut overflow = Vec::new();
    for mut suggestion in ranked {
        let slot = days.iter_mut().find(|d| {
            d.work_day
                && !d.is_past
                && d.suggestions.len() < settings.suggestions_per_day as usize
                && d.planned_minutes + d.suggested_minutes + suggestion.effort_minutes <= d.capacity_minutes
        });
        match slot {
            Some(day) => {
                suggestion.day = Some(day.date);
                day.suggested_minutes += suggestion.effort_minutes;
                day.suggestions.push(suggestion);
            }
            None => overflow.push(suggestion),
        }
    }
    overflow
}

/// Why this account needs a touch now, if it does. ARR alone never makes a suggestion.
/// The CSM's own call asks for a touch: a renewal at risk with no next step, or one called
/// Commit that is not signed two weeks before its date.
fn renewal_call_reason(call: &RenewalCall, days_to_renewal: i64) -> Option<(u32, String)> {
    let at_risk = matches!(call.category, Some(ForecastCategory::AtRisk | ForecastCategory::ChurnExpected));
    let open = !matches!(call.stage, RenewalStage::Signed | RenewalStage::Lost);
    if at_risk && open && !call.has_next_step && (0..=120).contains(&days_to_renewal) {
        return Some((20, "renewal at risk with no next step".to_owned()));
    }
    let unsigned_commit = call.category == Some(ForecastCategory::Commit) && open;
    (unsigned_commit && (0..=14).contains(&days_to_renewal))
        .then(|| (25, format!("called Commit, not signed {days_to_renewal} days before the renewal")))
}

pub fn suggest(
    a: &AccountFacts,
    today: NaiveDate,
    cadence: &Cadence,
    settings: &PlannerSettings,
    max_arr: i64,
) -> Option<Suggestion> {
    if a.stage == crate::model::LifecycleStage::Churned {
        return None;
    }
    let mut reasons = Vec::new();
    let days_to_renewal = a.renewal_date.map(|d| d.signed_duration_since(today).num_days());
    let renewal_soon = days_to_renewal.is_some_and(|d| (-30..=90).contains(&d));
    match days_to_renewal {
        Some(d @ -30..=-1) => {
            add(&mut reasons, ReasonKind::Renewal, 40, format!("renewal date passed {} days ago", -d))
        }
        Some(0) => add(&mut reasons, ReasonKind::Renewal, 40, "renewal today".to_owned()),
        Some(d @ 1..=90) => {
            add(&mut reasons, ReasonKind::Renewal, 10 + (90 - d as u32) / 3, format!("renewal in {d} days"))
        }
        _ => {}
    }
    if let Some((points, why)) = days_to_renewal.and_then(|d| renewal_call_reason(a.renewal_call.as_ref()?, d)) {
        add(&mut reasons, ReasonKind::Renewal, points, why);
    }
    let falling = a.health.and_then(|h| h.trend_30d).filter(|t| *t <= -5);
    let weak = a.health.filter(|h| h.band != Band::Green);
    if let Some(h) = a.health.filter(|h| h.band != Band::Green || falling.is_some()) {
        let band_points = if h.band == Band::Red {
            25
        } else if h.band == Band::Yellow {
            8
        } else {
            0
        };
        let fall_points = falling.map_or(0, |t| (-t).min(20) as u32);
        let down = falling.map(|t| format!(", down {} in 30 days", -t)).unwrap_or_default();
        add(&mut reasons, ReasonKind::Health, band_points + fall_points, format!("health {}{down}", h.score));
    }
    let recent = |day: NaiveDate| today.signed_duration_since(day).num_days() <= RECENT_DAYS;
    let critical = a.critical_open();
    if let Some((n, _)) = critical {
        add(
            &mut reasons,
            ReasonKind::CriticalTickets,
            20,
            format!("{n} critical ticket{} open", if n == 1 { "" } else { "s" }),
        );
    }
    let invoice = a.invoice_late();
    if let Some((days, _)) = invoice {
        add(&mut reasons, ReasonKind::InvoiceOverdue, 15, format!("invoice {days} days overdue"));
    }
    if let Some((nps, _)) = a.detractor().filter(|(_, day)| recent(*day)) {
        add(&mut reasons, ReasonKind::Detractor, 15, format!("detractor NPS {nps}"));
    }
    let departed = a.departures.iter().filter(|p| recent(p.left_on)).max_by_key(|p| p.left_on);
    if let Some(p) = departed {
        add(
            &mut reasons,
            ReasonKind::SponsorLeft,
            20,
            format!("{} {} left on {}", role_label(p.role), p.name, day_text(p.left_on)),
        );
    }
    if let Some((points, why)) = a.coverage.as_ref().and_then(|c| relationship_reason(c, today)) {
        add(&mut reasons, ReasonKind::Relationship, points, why);
    }
    if let Some((points, why)) = crate::risks::planner_reason(&a.risks, today) {
        add(&mut reasons, ReasonKind::Risk, points, why);
    }
    let every = cadence.for_segment(a.segment).max(1);
    let idle = a.last_touch_on.map(|d| today.signed_duration_since(d).num_days());
    let past_cadence = idle.is_none_or(|d| d > i64::from(every));
    match idle {
        None => add(&mut reasons, ReasonKind::PastCadence, 15, "no touch on record".to_owned()),
        Some(d) if d > i64::from(every) => {
            let over = ((d - i64::from(every)) * 10 / i64::from(every)).min(20) as u32;
            add(&mut reasons, ReasonKind::PastCadence, 10 + over, format!("no touch for {d} days, cadence {every}"));
        }
        _ => {}
    }
    if renewal_soon && (weak.is_some() || falling.is_some()) {
        add(&mut reasons, ReasonKind::Combination, 20, "renewal soon while health is not holding".to_owned());
    }
    if critical.is_some() && invoice.is_some() {
        add(&mut reasons, ReasonKind::Combination, 15, "critical ticket and overdue invoice together".to_owned());
    }
    if past_cadence && departed.is_some() {
        add(&mut reasons, ReasonKind::Combination, 15, "out of touch after a key contact left".to_owned());
    }
    if reasons.is_empty() {
        return None;
    }
    if max_arr > 0 && a.arr_minor > 0 {
        let points = (a.arr_minor as f64 / max_arr as f64 * 10.0).round();
        if points >= 1.0 {
            add(
                &mut reasons,
                ReasonKind::Arr,
                points as u32,
                format!("ARR {}", compact_amount(a.arr_minor, &a.currency)),
            );
        }
    }
    Some(Suggestion {
        account_id: a.id.clone(),
        account_name: a.name.clone(),
        segment: a.segment,
        points: reasons.iter().map(|r| r.points).sum(),
        summary: reasons.iter().map(|r| r.text.as_str()).collect::<Vec<_>>().join(" · "),
        reasons,
        effort_minutes: settings.touch_minutes,
        day: None,
    })
}

/// "single-threaded: only Ana Ruiz in 90 days; the economic buyer last met 160 days ago".
fn relationship_reason(c: &Coverage, today: NaiveDate) -> Option<(u32, String)> {
    let mut parts = Vec::new();
    let mut points = 0;
    if let Some(one) = &c.single_threaded {
        parts.push(format!("single-threaded: only {one} in 90 days"));
        points += 15;
    }
    let quiet = c.key_roles.iter().filter(|r| r.role != DealRole::Champion && !r.engaged);
    if let Some((role, met)) = quiet.filter_map(|r| Some((r.role, r.last_touch_on?))).next() {
        parts.push(format!("the {} last met {} days ago", role.label(), (today - met).num_days()));
        points += 10;
    }
    (!parts.is_empty()).then(|| (points, parts.join("; ")))
}

fn add(reasons: &mut Vec<Reason>, kind: ReasonKind, points: u32, text: String) {
    reasons.push(Reason { kind, text, points });
}

/// "1.2M USD", "85K EUR", "900 GBP": enough to read a rank reason at a glance.
fn compact_amount(minor: i64, currency: &str) -> String {
    let major = minor as f64 / 10f64.powi(minor_digits(currency) as i32);
    let text = if major >= 1e6 {
        format!("{:.1}M", major / 1e6)
    } else if major >= 1e3 {
        format!("{:.0}K", major / 1e3)
    } else {
        format!("{major:.0}")
    };
    format!("{text} {currency}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Departure, HealthNow};
    use crate::health::Reading;
    use crate::model::{ContactRole, Priority, Segment, TaskSource};

    const TODAY: &str = "2026-11-23"; // a Monday

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn cadence() -> Cadence {
        Cadence { high_touch: 14, low_touch: 30, tech_touch: 90 }
    }

    /// An account touched yesterday, green, renewing in a year: nothing to suggest.
    fn calm(id: &str, arr: i64) -> AccountFacts {
        let mut a = AccountFacts::new(id, &format!("Account {id}"));
        a.arr_minor = arr;
        a.last_touch_on = Some(day("2026-11-22"));
        a.renewal_date = Some(day("2027-11-01"));
        a.health = Some(HealthNow { score: 82, band: Band::Green, trend_30d: Some(1), red_since: None });
        a
    }

    fn task(id: &str, account: Option<&str>, due: &str, effort: Option<u32>) -> Task {
        let at = day(TODAY).and_hms_opt(8, 0, 0).unwrap().and_utc();
        Task {
            id: id.into(),
            account_id: account.map(Into::into),
            account_name: None,
            title: format!("Task {id}"),
            due_date: Some(day(due)),
            due_time: None,
            priority: Priority::Normal,
            effort_minutes: effort,
            status: TaskStatus::Open,
            snoozed_until: None,
            source: TaskSource::Manual,
            provenance: String::new(),
            is_touch: false,
            details: String::new(),
            completed_at: None,
            created_at: at,
            updated_at: at,
        }
    }

    fn plan(accounts: &[AccountFacts], tasks: &[Task], settings: &PlannerSettings) -> WeekPlan {
        let dismissed = HashSet::new();
        plan_with(accounts, tasks, settings, &dismissed, day(TODAY))
    }

    fn plan_with(
        accounts: &[AccountFacts],
        tasks: &[Task],
        settings: &PlannerSettings,
        dismissed: &HashSet<String>,
        today: NaiveDate,
    ) -> WeekPlan {
        let cadence = cadence();
        plan_week(&WeekInput {
            meetings: &[],
            week_of: today,
            today,
            settings,
            cadence: &cadence,
            accounts,
            tasks,
            overdue: None,
            dismissed,
        })
    }

    fn suggested(plan: &WeekPlan) -> Vec<&str> {
        plan.days.iter().flat_map(|d| &d.suggestions).map(|s| s.account_id.as_str()).collect()
    }

    #[test]
    fn renewal_soon_with_falling_health_outranks_a_bigger_account_past_cadence() {
        let mut renewing = calm("renewing", 5_000_000);
        renewing.renewal_date = Some(day("2027-01-03")); // 41 days
        renewing.health = Some(HealthNow { score: 48, band: Band::Red, trend_30d: Some(-12), red_since: None });
        renewing.last_touch_on = Some(day("2026-10-31")); // 23 days, cadence 14
        renewing.segment = Segment::HighTouch;
        let mut idle = calm("idle", 90_000_000);
        idle.last_touch_on = Some(day("2026-10-01"));
        let accounts = [calm("calm", 100_000_000), idle, renewing];
        let plan = plan(&accounts, &[], &PlannerSettings::default());
        assert_eq!(suggested(&plan), ["renewing", "idle"]);
        let top = &plan.days[0].suggestions[0];
        assert_eq!(
            top.summary,
            "renewal in 41 days · health 48, down 12 in 30 days · no touch for 23 days, cadence 14 \
             · renewal soon while health is not holding · ARR 50K USD"
        );
        assert_eq!(top.points, top.reasons.iter().map(|r| r.points).sum::<u32>());
        assert_eq!(top.day, Some(day(TODAY)));
    }

    #[test]
    fn a_risk_without_a_plan_or_an_update_asks_for_a_touch() {
        let mut a = calm("a", 1_000_000);
        a.risks.push(crate::risks::OpenRisk {
            id: "r1".into(),
            title: "Budget cut".into(),
            severity: crate::model::RiskSeverity::High,
            stage: crate::model::RiskStage::Identified,
            opened_on: day(TODAY) - chrono::Days::new(6),
            last_update_on: None,
            plan_steps: 0,
        });
        let s = suggest(&a, day(TODAY), &cadence(), &PlannerSettings::default(), 0).expect("suggested");
        let reason = s.reasons.iter().find(|r| r.kind == ReasonKind::Risk).expect("the reason");
        assert_eq!(reason.text, "risk “Budget cut” identified 6 days ago, no save plan");
    }

    #[test]
    fn a_single_thread_and_a_quiet_economic_buyer_are_one_reason() {
        use crate::model::{Coverage, DealRole, RoleCoverage};
        let mut a = calm("a", 0);
        let quiet = RoleCoverage {
            role: DealRole::EconomicBuyer,
            people: vec!["Eve Baker".into()],
            engaged: false,
            last_touch_on: Some(day(TODAY) - chrono::Days::new(160)),
        };
        a.coverage =
            Some(Coverage { key_roles: vec![quiet], single_threaded: Some("Ana Ruiz".into()), ..Default::default() });
        let s = suggest(&a, day(TODAY), &cadence(), &PlannerSettings::default(), 0).unwrap();
        let reason = s.reasons.iter().find(|r| r.kind == ReasonKind::Relationship).expect("the reason");
        assert_eq!(reason.text, "single-threaded: only Ana Ruiz in 90 days; the economic buyer last met 160 days ago");
        assert_eq!(reason.points, 25);

        a.coverage = Some(Coverage::default());
        let calm_again = suggest(&a, day(TODAY), &cadence(), &PlannerSettings::default(), 0);
        assert!(calm_again.is_none_or(|s| s.reasons.iter().all(|r| r.kind != ReasonKind::Relationship)));
    }

    #[test]
    fn signals_and_departures_are_reasons_and_combinations_add_up() {
        let mut a = calm("a", 0);
        a.critical_tickets = Some(Reading { value: 2.0, recorded_on: day("2026-11-20"), expires_on: None });
        a.invoice_overdue_days = Some(Reading { value: 45.0, recorded_on: day("2026-11-20"), expires_on: None });
        a.nps = Some(Reading { value: 3.0, recorded_on: day("2026-10-01"), expires_on: None });
        a.last_touch_on = Some(day("2026-09-01"));
        a.departures.push(Departure {
            contact_id: "c".into(),
            name: "Ana Ruiz".into(),
            role: ContactRole::ExecutiveSponsor,
            left_on: day("2026-11-02"),
        });
        let s = suggest(&a, day(TODAY), &cadence(), &PlannerSettings::default(), 0).unwrap();
        let kinds: Vec<ReasonKind> = s.reasons.iter().map(|r| r.kind).collect();
        use ReasonKind::*;
        assert_eq!(
            kinds,
            [CriticalTickets, InvoiceOverdue, Detractor, SponsorLeft, PastCadence, Combination, Combination]
        );
        assert!(s.summary.contains("2 critical tickets open · invoice 45 days overdue · detractor NPS 3"));
        assert!(s.summary.contains("executive sponsor Ana Ruiz left on 2 Nov 2026"));
    }

    #[test]
    fn the_csms_own_renewal_call_asks_for_a_touch() {
        let call = |category, stage, has_next_step| RenewalCall { category: Some(category), stage, has_next_step };
        let mut risky = calm("risky", 10);
        risky.renewal_date = Some(day(TODAY) + Days::new(100));
        risky.renewal_call = Some(call(ForecastCategory::AtRisk, RenewalStage::InDiscussion, false));
        let s = suggest(&risky, day(TODAY), &cadence(), &PlannerSettings::default(), 0).expect("suggested");
        assert_eq!(s.summary, "renewal at risk with no next step");
        risky.renewal_call = Some(call(ForecastCategory::AtRisk, RenewalStage::InDiscussion, true));
        assert!(
            suggest(&risky, day(TODAY), &cadence(), &PlannerSettings::default(), 0).is_none(),
            "a next step is set"
        );

        let mut commit = calm("commit", 10);
        commit.renewal_date = Some(day(TODAY) + Days::new(10));
        commit.renewal_call = Some(call(ForecastCategory::Commit, RenewalStage::VerbalYes, true));
        let s = suggest(&commit, day(TODAY), &cadence(), &PlannerSettings::default(), 0).expect("suggested");
        assert!(s.summary.contains("called Commit, not signed 10 days before the renewal"), "{}", s.summary);
        commit.renewal_call = Some(call(ForecastCategory::Commit, RenewalStage::Signed, true));
        let s = suggest(&commit, day(TODAY), &cadence(), &PlannerSettings::default(), 0).expect("renewal soon");
        assert!(!s.summary.contains("Commit"), "signed: {}", s.summary);
    }

    #[test]
    fn arr_alone_or_an_old_signal_is_not_a_reason_to_call() {
        let mut old_detractor = calm("old", 10);
        old_detractor.nps = Some(Reading { value: 2.0, recorded_on: day("2026-01-01"), expires_on: None });
        let plan = plan(&[calm("big", 500_000_000), old_detractor], &[], &PlannerSettings::default());
        assert!(suggested(&plan).is_empty());
        assert!(plan.overflow.is_empty());
    }

    #[test]
    fn capacity_is_never_exceeded_and_the_rest_overflows_in_rank_order() {
        let accounts: Vec<AccountFacts> = (0..50)
            .map(|i| {
                let mut a = calm(&format!("a{i:02}"), 1000 * (i + 1));
                a.last_touch_on = Some(day("2026-09-01") + Days::new(i as u64 % 20));
                a
            })
            .collect();
        let tasks = [task("t1", None, "2026-11-23", Some(300)), task("t2", None, "2026-11-24", None)];
        let settings = PlannerSettings { minutes_per_day: 360, suggestions_per_day: 10, ..Default::default() };
        let plan = plan(&accounts, &tasks, &settings);
        for d in &plan.days {
            assert!(d.planned_minutes + d.suggested_minutes <= d.capacity_minutes, "{} overbooked", d.date);
            if !d.work_day {
                assert!(d.suggestions.is_empty());
            }
        }
        assert_eq!(plan.days[0].suggestions.len(), 2); // 300 planned + 2 × 30 = 360
        assert_eq!(plan.days[1].planned_minutes, 15); // unestimated task counts 15 minutes
        let placed = suggested(&plan).len();
        assert_eq!(placed + plan.overflow.len(), 50);
        assert_eq!(placed, 2 + 4 * 10);
        let ranks: Vec<u32> =
            plan.days.iter().flat_map(|d| &d.suggestions).chain(&plan.overflow).map(|s| s.points).collect();
        assert!(ranks.windows(2).all(|w| w[0] >= w[1]), "{ranks:?}");
        assert!(plan.overflow.iter().all(|s| s.day.is_none()));
    }

    #[test]
    fn an_overloaded_day_says_so() {
        let tasks = [task("t1", None, "2026-11-25", Some(400))];
        let plan = plan(&[], &tasks, &PlannerSettings::default());
        assert!(plan.days[2].overloaded);
        assert!(!plan.days[1].overloaded);
    }

    #[test]
    fn the_plan_is_deterministic_whatever_the_input_order() {
        let mut accounts: Vec<AccountFacts> = (0..30)
            .map(|i| {
                let mut a = calm(&format!("a{i:02}"), 5000);
                a.last_touch_on = Some(day("2026-10-01") + Days::new(i % 7));
                a
            })
            .collect();
        let tasks: Vec<Task> = (0..10).map(|i| task(&format!("t{i}"), None, "2026-11-26", Some(20))).collect();
        let first = plan(&accounts, &tasks, &PlannerSettings::default());
        accounts.reverse();
        let mut shuffled = tasks.clone();
        shuffled.reverse();
        assert_eq!(plan(&accounts, &shuffled, &PlannerSettings::default()), first);
    }

    #[test]
    fn the_weekend_opens_the_coming_week() {
        let weekdays = PlannerSettings::default().work_days;
        assert_eq!(week_to_plan(day("2026-11-27"), &weekdays), day("2026-11-27")); // Friday
        assert_eq!(week_to_plan(day("2026-11-28"), &weekdays), day("2026-11-30")); // Saturday
        assert_eq!(week_to_plan(day("2026-11-29"), &weekdays), day("2026-11-30")); // Sunday
        assert_eq!(week_to_plan(day("2026-11-29"), &[true; 7]), day("2026-11-29"));
    }

    #[test]
    fn weeks_start_on_monday_and_a_task_due_monday_stays_monday() {
        assert_eq!(monday_of(day("2026-11-29")), day("2026-11-23")); // Sunday
        assert_eq!(monday_of(day("2026-11-23")), day("2026-11-23"));
        assert_eq!(monday_of(day("2027-01-01")), day("2026-12-28")); // across a year end
        let tasks = [task("monday", None, "2026-11-30", Some(30)), task("sunday", None, "2026-11-29", Some(30))];
        let next_week = day("2026-11-30");
        let settings = PlannerSettings::default();
        let plan = plan_with(&[], &tasks, &settings, &HashSet::new(), next_week);
        assert_eq!(plan.week_start, next_week);
        assert_eq!(plan.days[0].tasks[0].id, "monday");
        assert_eq!(plan.overdue[0].id, "sunday");
        let this_week = plan_with(&[], &tasks, &settings, &HashSet::new(), day(TODAY));
        assert_eq!(this_week.days[6].tasks[0].id, "sunday");
        assert!(!this_week.days[6].work_day);
    }

    #[test]
    fn overdue_tasks_come_first_and_planned_accounts_are_not_suggested_again() {
        let mut idle = calm("idle", 100);
        idle.last_touch_on = None;
        let mut other = calm("other", 100);
        other.last_touch_on = None;
        let tasks = [task("late", Some("idle"), "2026-11-10", None)];
        let dismissed: HashSet<String> = ["other".to_owned()].into();
        let plan = plan_with(&[idle, other], &tasks, &PlannerSettings::default(), &dismissed, day(TODAY));
        assert_eq!(plan.overdue.len(), 1);
        assert!(suggested(&plan).is_empty());
    }

    #[test]
    fn a_snoozed_task_waits_for_its_day_and_past_days_get_no_suggestions() {
        let mut snoozed = task("s", None, "2026-11-20", Some(30));
        snoozed.status = TaskStatus::Snoozed;
        snoozed.snoozed_until = Some(day("2026-11-26"));
        let mut idle = calm("idle", 100);
        idle.last_touch_on = None;
        let wednesday = day("2026-11-25");
        let plan = plan_with(&[idle], &[snoozed], &PlannerSettings::default(), &HashSet::new(), wednesday);
        assert!(plan.overdue.is_empty());
        assert_eq!(plan.days[3].tasks[0].id, "s");
        assert_eq!(plan.days[2].suggestions.len(), 1);
        assert!(plan.days[..2].iter().all(|d| d.is_past && d.suggestions.is_empty()));
        let past_week = plan_with(&[], &[], &PlannerSettings::default(), &HashSet::new(), wednesday);
        assert!(past_week.overflow.is_empty());
    }
}
