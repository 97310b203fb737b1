//! Playbooks as pure functions: the playbooks in force + what is known of each account + today →
//! the tasks that should exist, each with a stable `source_ref` so running twice never duplicates.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Days, NaiveDate};

use crate::facts::{day_text, role_label, AccountFacts};
use crate::model::{Cadence, LifecycleStage, Playbook, PlaybookRun, PlaybookStep, PlaybookTrigger, Priority, Segment};

/// A step is turned into a task once its date is at most this many days ahead…
pub const LOOKAHEAD_DAYS: u64 = 30;
/// …and while its date is not before the last run, nor more than this many days past (older
/// steps were missed, not pending). The first run starts from today: a new book inherits no backlog.
pub const GRACE_DAYS: u64 = 7;

/// The earliest step date a run creates, given the day of the previous run.
pub fn window_start(last_run: Option<NaiveDate>, today: NaiveDate) -> NaiveDate {
    last_run.map_or(today, |last| last.clamp(today - Days::new(GRACE_DAYS), today))
}

/// The defaults from domain.md §4. Effort in minutes.
pub fn default_playbooks() -> Vec<Playbook> {
    use PlaybookTrigger::*;
    use Priority::*;
    let step = |key: &str, title: &str, offset_days, effort_minutes, priority| PlaybookStep {
        key: key.to_owned(),
        title: title.to_owned(),
        offset_days,
        effort_minutes,
        priority,
    };
    let engaged = vec![Segment::HighTouch, Segment::LowTouch];
    let book = |id: &str, name: &str, trigger, segments: &Vec<Segment>, steps| Playbook {
        id: id.to_owned(),
        name: name.to_owned(),
        trigger,
        enabled: true,
        segments: segments.clone(),
        repeat_days: None,
        steps,
    };
    vec![
        book(
            "onboarding",
            "Onboarding",
            ContractStart,
            &engaged,
            vec![
                step("kickoff", "Hold the kickoff call", 3, 60, High),
                step("metrics", "Agree success metrics with the sponsor", 10, 45, High),
                step("first-value", "Check the first value milestone", 30, 30, Normal),
                step("go-live", "Confirm go-live", 45, 30, Normal),
                step("day-60", "60-day check", 60, 30, Normal),
                step("day-90", "90-day check and handoff", 90, 45, Normal),
            ],
        ),
        book(
            "renewal",
            "Renewal",
            RenewalDate,
            &engaged,
            vec![
                step("t-120", "Review health and risks before renewal", -120, 45, Normal),
                step("t-90", "Send NPS; plan a rescue if at risk", -90, 30, Normal),
                step("t-60", "Send the renewal proposal", -60, 60, High),
                step("t-30", "Confirm renewal paperwork", -30, 30, High),
            ],
        ),
        Playbook {
            repeat_days: Some(Cadence { high_touch: 91, low_touch: 182, tech_touch: 0 }),
            ..book(
                "qbr",
                "QBR",
                QbrCadence,
                &engaged,
                vec![
                    step("prepare", "Prepare the QBR deck", -7, 150, Normal),
                    step("hold", "Hold the QBR", 0, 60, High),
                    step("follow-up", "Send the QBR follow-up", 2, 30, Normal),
                ],
            )
        },
        book(
            "risk",
            "Risk response",
            HealthRisk,
            &Segment::ALL.to_vec(),
            vec![
                step("call-sponsor", "Call the sponsor about the risk", 2, 30, High),
                step("action-plan", "Write the risk action plan", 5, 60, High),
                step("review-1", "Weekly risk review", 12, 20, Normal),
                step("review-2", "Weekly risk review", 19, 20, Normal),
            ],
        ),
        book(
            "detractor",
            "Detractor follow-up",
            DetractorNps,
            &engaged,
            vec![
                step("call", "Call the detractor to understand the score", 3, 30, High),
                step("close-loop", "Close the loop on what they raised", 14, 30, Normal),
            ],
        ),
        book(
            "sponsor-left",
            "Sponsor left",
            SponsorLeft,
            &engaged,
            vec![
                step("find-new", "Find the new sponsor or champion", 3, 45, High),
                step("introduce", "Introduce yourself and re-confirm goals", 10, 45, Normal),
            ],
        ),
    ]
}

/// A task a playbook says should exist.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedTask {
    pub source_ref: String,
    pub account_id: String,
    pub title: String,
    /// The step's own date (on a working day).
    pub step_date: NaiveDate,
    /// When a new task is due: the step date, or the next working day from today when the step
    /// date has just passed (a fresh task is never born overdue).
    pub due_date: NaiveDate,
    pub effort_minutes: u32,
    pub priority: Priority,
    pub provenance: String,
}

/// The event a playbook instance hangs on: its day, a stable key and words for it.
struct Anchor {
    day: NaiveDate,
    key: String,
    text: String,
}

/// Every task the enabled playbooks ask for today: steps dated from `from` (see `window_start`)
/// to the lookahead. A step falling on a day off (`work_days`, Monday first) moves to the next
/// working day.
pub fn planned_tasks(
    books: &[Playbook],
    accounts: &[AccountFacts],
    work_days: &[bool],
    from: NaiveDate,
    today: NaiveDate,
) -> Vec<PlannedTask> {
    let to = today + Days::new(LOOKAHEAD_DAYS);
    let mut out = Vec::new();
    for book in books.iter().filter(|b| b.enabled) {
        for account in
            accounts.iter().filter(|a| a.stage != LifecycleStage::Churned && book.segments.contains(&a.segment))
        {
            for anchor in anchors(book, account, from) {
                for step in &book.steps {
                    let Some(due) = offset(anchor.day, step.offset_days).filter(|d| (from..=to).contains(d)) else {
                        continue;
                    };
                    out.push(PlannedTask {
                        source_ref: source_ref(&book.id, &step.key, &account.id, &anchor.key),
                        account_id: account.id.clone(),
                        title: step.title.clone(),
                        step_date: next_work_day(due, work_days),
                        due_date: next_work_day(due.max(today), work_days),
                        effort_minutes: u32::try_from(step.effort_minutes).unwrap_or(30),
                        priority: step.priority,
                        provenance: format!(
                            "{} playbook · {} · {}",
                            book.name,
                            offset_text(step.offset_days),
                            anchor.text
                        ),
                    });
                }
            }
        }
    }
    out
}

fn next_work_day(day: NaiveDate, work_days: &[bool]) -> NaiveDate {
    use chrono::Datelike;
    let works = |d: NaiveDate| work_days.get(d.weekday().num_days_from_monday() as usize).copied().unwrap_or(true);
    (0..7).map(|i| day + Days::new(i)).find(|d| works(*d)).unwrap_or(day)
}

fn offset(day: NaiveDate, days: i64) -> Option<NaiveDate> {
    day.checked_add_signed(chrono::TimeDelta::try_days(days)?)
}

fn offset_text(days: i64) -> String {
    match days {
        0 => "on the day".to_owned(),
        d if d < 0 => format!("{} days before", -d),
        d => format!("{d} days after"),
    }
}

pub fn source_ref(book: &str, step: &str, account: &str, anchor: &str) -> String {
    format!("pb|{book}|{step}|{account}|{anchor}")
}

/// The playbook, account and anchor a source ref names: one instance of a playbook.
fn instance(source_ref: &str) -> Option<(&str, &str, &str)> {
    let mut parts = source_ref.strip_prefix("pb|")?.split('|');
    let (book, _step, account, anchor) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    Some((book, account, anchor))
}

fn anchors(book: &Playbook, a: &AccountFacts, from: NaiveDate) -> Vec<Anchor> {
    let dated = |day: NaiveDate, key: &str, text: String| Anchor { day, key: format!("{key}-{day}"), text };
    match book.trigger {
        PlaybookTrigger::ContractStart => a
            .contract_start
            .map(|d| dated(d, "start", format!("contract start on {}", day_text(d))))
            .into_iter()
            .collect(),
        PlaybookTrigger::RenewalDate => {
            a.renewal_date.map(|d| dated(d, "renewal", format!("renewal on {}", day_text(d)))).into_iter().collect()
        }
        PlaybookTrigger::QbrCadence => next_qbr(book, a, from).into_iter().collect(),
        PlaybookTrigger::HealthRisk => risk(a).into_iter().collect(),
        PlaybookTrigger::DetractorNps => {
            a.detractor().map(|(nps, d)| dated(d, "nps", format!("NPS {nps} on {}", day_text(d)))).into_iter().collect()
        }
        PlaybookTrigger::SponsorLeft => a
            .departures
            .iter()
            .map(|p| Anchor {
                day: p.left_on,
                key: format!("left-{}", p.contact_id),
                text: format!("{} {} left on {}", role_label(p.role), p.name, day_text(p.left_on)),
            })
            .collect(),
    }
}

/// The next QBR slot: every `repeat_days` from the last QBR (or from the contract start), the
/// first slot whose follow-up is not long past. Slots are fixed dates, so reruns agree.
fn next_qbr(book: &Playbook, a: &AccountFacts, from: NaiveDate) -> Option<Anchor> {
    let every = u64::from(book.repeat_days?.for_segment(a.segment));
    let base = a.last_qbr_on.or(a.contract_start).or(a.customer_since)?;
    if every == 0 {
        return None;
    }
    let latest_offset = book.steps.iter().map(|s| s.offset_days).max().unwrap_or(0).max(0) as u64;
    let since = (from - Days::new(latest_offset)).signed_duration_since(base).num_days().max(1) as u64;
    let slots = since.div_ceil(every).max(1);
    let day = base.checked_add_days(Days::new(slots.checked_mul(every)?))?;
    Some(Anchor { day, key: format!("qbr-{day}"), text: format!("QBR due {} (every {every} days)", day_text(day)) })
}

/// Health red, else an open critical ticket, else an invoice more than 30 days overdue.
fn risk(a: &AccountFacts) -> Option<Anchor> {
    if let Some(since) = a.health.filter(|h| h.band == crate::model::Band::Red).and_then(|h| h.red_since) {
        return Some(Anchor {
            day: since,
            key: format!("red-{since}"),
            text: format!("health turned red on {}", day_text(since)),
        });
    }
    if let Some((n, day)) = a.critical_open() {
        return Some(Anchor {
            day,
            key: format!("critical-{day}"),
            text: format!("{n} critical ticket{} open on {}", if n == 1 { "" } else { "s" }, day_text(day)),
        });
    }
    a.invoice_late().map(|(days, day)| Anchor {
        day,
        key: format!("invoice-{day}"),
        text: format!("invoice {days} days overdue on {}", day_text(day)),
    })
}

/// A playbook task already in the store.
#[derive(Debug, Clone, PartialEq)]
pub struct ExistingTask {
    pub id: String,
    pub source_ref: String,
    pub pending: bool,
    pub due_date: Option<NaiveDate>,
    /// The step date the playbook last gave it; when `due_date` differs, the CSM (or a late
    /// start) moved it, and an edited step leaves the due date alone.
    pub generated_due: Option<NaiveDate>,
    pub title: String,
    pub effort_minutes: Option<u32>,
    pub priority: Priority,
    pub provenance: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Create(PlannedTask),
    /// Bring a pending task in line with its edited step; `due_date` stays the CSM's if they moved it.
    Update {
        id: String,
        task: PlannedTask,
        move_due: bool,
    },
}

/// What to write so the store holds the planned tasks: create the missing ones, update pending
/// ones whose step changed, and leave done, cancelled and moved tasks as the CSM left them. A new
/// instance of a playbook (e.g. a second risk) waits while the account has one in progress.
pub fn reconcile(planned: Vec<PlannedTask>, existing: &[ExistingTask]) -> (Vec<Change>, PlaybookRun) {
    let by_ref: HashMap<&str, &ExistingTask> = existing.iter().map(|t| (t.source_ref.as_str(), t)).collect();
    let in_progress: HashSet<(&str, &str, &str)> =
        existing.iter().filter(|t| t.pending).filter_map(|t| instance(&t.source_ref)).collect();
    let mut run = PlaybookRun::default();
    let mut changes = Vec::new();
    for task in planned {
        match by_ref.get(task.source_ref.as_str()) {
            Some(old) => match update(old, &task) {
                Some(change) => {
                    run.updated += 1;
                    changes.push(change);
                }
                None => run.unchanged += 1,
            },
            None => {
                let Some((book, account, anchor)) = instance(&task.source_ref) else { continue };
                if in_progress.iter().any(|(b, a, k)| *b == book && *a == account && *k != anchor) {
                    continue;
                }
                run.created += 1;
                changes.push(Change::Create(task));
            }
        }
    }
    (changes, run)
}

fn update(old: &ExistingTask, task: &PlannedTask) -> Option<Change> {
    if !old.pending {
        return None;
    }
    let untouched_due = old.due_date == old.generated_due;
    let move_due = untouched_due && old.due_date != Some(task.step_date);
    let same = old.title == task.title
        && old.effort_minutes == Some(task.effort_minutes)
        && old.priority == task.priority
        && old.provenance == task.provenance
        && old.generated_due == Some(task.step_date);
    (!same || move_due).then(|| Change::Update { id: old.id.clone(), task: task.clone(), move_due })
}

/// How many new tasks a run may create and where they may go.
pub struct Room<'a> {
    /// Tasks still allowed today.
    pub budget: u32,
    /// Minutes already planned per day (open tasks), from today on.
    pub load: &'a BTreeMap<NaiveDate, u32>,
    pub minutes_per_day: u32,
    pub work_days: &'a [bool],
    pub today: NaiveDate,
}

/// How many working days ahead a task may move to find room.
const SPREAD_DAYS: u64 = 14;

/// Admits the tasks to create within the day's budget, most urgent first (earliest due, then
/// high priority), each on the first working day from its due date with room for it; what does
/// not fit is held back and counted, never squeezed in.
pub fn admit(mut creates: Vec<PlannedTask>, room: &Room<'_>) -> (Vec<PlannedTask>, u32) {
    creates.sort_by(|a, b| {
        (a.due_date, a.priority != Priority::High, &a.source_ref).cmp(&(
            b.due_date,
            b.priority != Priority::High,
            &b.source_ref,
        ))
    });
    let mut load = room.load.clone();
    let mut admitted = Vec::new();
    let mut held_back = 0;
    for mut task in creates {
        let day = (admitted.len() < room.budget as usize).then(|| free_day(&load, room, &task)).flatten();
        match day {
            Some(day) => {
                *load.entry(day).or_default() += task.effort_minutes;
                task.due_date = day;
                admitted.push(task);
            }
            None => held_back += 1,
        }
    }
    (admitted, held_back)
}

fn free_day(load: &BTreeMap<NaiveDate, u32>, room: &Room<'_>, task: &PlannedTask) -> Option<NaiveDate> {
    let start = task.due_date.max(room.today);
    (0..SPREAD_DAYS)
        .map(|i| start + Days::new(i))
        .filter(|d| next_work_day(*d, room.work_days) == *d)
        .find(|d| load.get(d).copied().unwrap_or(0) + task.effort_minutes <= room.minutes_per_day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Departure, HealthNow};
    use crate::model::{Band, ContactRole};
    use chrono::Datelike;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    const TODAY: &str = "2026-11-23";
    const WEEKDAYS: &[bool] = &[true, true, true, true, true, false, false];

    /// A run a week after the previous one.
    fn week_back(today: NaiveDate) -> NaiveDate {
        window_start(Some(today - Days::new(30)), today)
    }

    fn account(id: &str) -> AccountFacts {
        AccountFacts::new(id, &format!("Account {id}"))
    }

    fn existing(task: &PlannedTask, id: &str) -> ExistingTask {
        ExistingTask {
            id: id.into(),
            source_ref: task.source_ref.clone(),
            pending: true,
            due_date: Some(task.due_date),
            generated_due: Some(task.step_date),
            title: task.title.clone(),
            effort_minutes: Some(task.effort_minutes),
            priority: task.priority,
            provenance: task.provenance.clone(),
        }
    }

    fn only(books: &[Playbook], id: &str) -> Vec<Playbook> {
        books.iter().filter(|b| b.id == id).cloned().collect()
    }

    #[test]
    fn renewal_steps_appear_when_due_within_the_window_and_say_why() {
        let mut a = account("a");
        a.renewal_date = Some(day("2027-02-21")); // 90 days out: T-90 is today, T-120 was 30 days ago
        let planned =
            planned_tasks(&only(&default_playbooks(), "renewal"), &[a], WEEKDAYS, week_back(day(TODAY)), day(TODAY));
        let steps: Vec<(&str, NaiveDate)> = planned.iter().map(|t| (t.title.as_str(), t.due_date)).collect();
        assert_eq!(
            steps,
            [("Send NPS; plan a rescue if at risk", day(TODAY)), ("Send the renewal proposal", day("2026-12-23"))]
        );
        assert_eq!(planned[0].due_date, day(TODAY));
        assert_eq!(planned[0].title, "Send NPS; plan a rescue if at risk");
        assert_eq!(planned[0].provenance, "Renewal playbook · 90 days before · renewal on 21 Feb 2027");
        assert_eq!(planned[0].source_ref, "pb|renewal|t-90|a|renewal-2027-02-21");
    }

    #[test]
    fn a_step_just_missed_is_due_today_and_stays_put_on_later_runs() {
        let mut a = account("a");
        a.renewal_date = Some(day("2027-01-19")); // T-60 was Friday 2026-11-20
        let books = only(&default_playbooks(), "renewal");
        let planned = planned_tasks(&books, &[a.clone()], WEEKDAYS, week_back(day(TODAY)), day(TODAY));
        assert_eq!((planned[0].step_date, planned[0].due_date), (day("2026-11-20"), day(TODAY)));
        let mut stored = existing(&planned[0], "t");
        stored.due_date = Some(planned[0].due_date);
        let tomorrow =
            planned_tasks(&books, &[a], WEEKDAYS, week_back(day(TODAY) + Days::new(1)), day(TODAY) + Days::new(1));
        let t60: Vec<PlannedTask> = tomorrow.into_iter().filter(|t| t.source_ref == planned[0].source_ref).collect();
        let (changes, run) = reconcile(t60, &[stored]);
        assert!(changes.is_empty(), "{changes:?}");
        assert_eq!(run.unchanged, 1);
    }

    #[test]
    fn the_first_run_starts_today_and_later_runs_catch_up_at_most_a_week() {
        let today = day(TODAY);
        assert_eq!(window_start(None, today), today);
        assert_eq!(window_start(Some(today - Days::new(2)), today), today - Days::new(2));
        assert_eq!(window_start(Some(today - Days::new(40)), today), today - Days::new(GRACE_DAYS));
        let mut a = account("a");
        a.renewal_date = Some(day("2027-01-19")); // T-60 was Friday 2026-11-20
        let books = only(&default_playbooks(), "renewal");
        let planned = planned_tasks(&books, &[a], WEEKDAYS, window_start(None, today), today);
        let steps: Vec<&str> = planned.iter().map(|t| t.title.as_str()).collect();
        assert_eq!(steps, ["Confirm renewal paperwork"], "T-60 passed before the first run");
    }

    #[test]
    fn a_step_falling_on_a_day_off_is_due_the_next_working_day() {
        let mut a = account("a");
        a.renewal_date = Some(day("2027-01-27")); // T-60 is Saturday 2026-11-28
        let planned = planned_tasks(
            &only(&default_playbooks(), "renewal"),
            &[a.clone()],
            WEEKDAYS,
            week_back(day(TODAY)),
            day(TODAY),
        );
        assert_eq!(planned[0].due_date, day("2026-11-30"));
        let every_day = [true; 7];
        let planned =
            planned_tasks(&only(&default_playbooks(), "renewal"), &[a], &every_day, week_back(day(TODAY)), day(TODAY));
        assert_eq!(planned[0].due_date, day("2026-11-28"));
    }

    #[test]
    fn running_twice_creates_nothing_the_second_time() {
        let mut a = account("a");
        a.renewal_date = Some(day("2027-01-10"));
        a.contract_start = Some(day("2026-11-15"));
        let books = default_playbooks();
        let planned = planned_tasks(&books, &[a], WEEKDAYS, week_back(day(TODAY)), day(TODAY));
        let (changes, run) = reconcile(planned.clone(), &[]);
        assert!(run.created >= 3, "{run:?}");
        let stored: Vec<ExistingTask> = planned.iter().enumerate().map(|(i, t)| existing(t, &i.to_string())).collect();
        let (again, run) = reconcile(planned, &stored);
        assert!(again.is_empty());
        assert_eq!(run, PlaybookRun { created: 0, updated: 0, unchanged: changes.len() as u32, held_back: 0 });
    }

    #[test]
    fn editing_a_step_updates_its_pending_tasks_but_not_one_the_csm_moved_or_closed() {
        let mut a = account("a");
        a.renewal_date = Some(day("2027-01-22")); // T-60 is today
        let mut books = only(&default_playbooks(), "renewal");
        let before = planned_tasks(&books, &[a.clone()], WEEKDAYS, week_back(day(TODAY)), day(TODAY));
        let t60 = before.iter().find(|t| t.source_ref.contains("|t-60|")).unwrap();
        let pending = existing(t60, "pending");
        let moved = ExistingTask { id: "moved".into(), due_date: Some(day("2026-11-27")), ..pending.clone() };
        let done = ExistingTask { id: "done".into(), pending: false, ..pending.clone() };

        let step = books[0].steps.iter_mut().find(|s| s.key == "t-60").unwrap();
        step.title = "Send the renewal quote".into();
        step.offset_days = -58;
        let after: Vec<PlannedTask> = planned_tasks(&books, &[a], WEEKDAYS, week_back(day(TODAY)), day(TODAY))
            .into_iter()
            .filter(|t| t.source_ref.contains("|t-60|"))
            .collect();
        assert_eq!(after[0].source_ref, t60.source_ref, "the step key keeps the task linked");

        let (changes, _) = reconcile(after.clone(), &[pending]);
        assert_eq!(changes, [Change::Update { id: "pending".into(), task: after[0].clone(), move_due: true }]);
        let (changes, _) = reconcile(after.clone(), &[moved]);
        assert_eq!(changes, [Change::Update { id: "moved".into(), task: after[0].clone(), move_due: false }]);
        let (changes, run) = reconcile(after, &[done]);
        assert!(changes.is_empty());
        assert_eq!(run.unchanged, 1);
    }

    #[test]
    fn a_new_risk_waits_while_one_is_in_progress() {
        let mut a = account("a");
        a.health = Some(HealthNow { score: 40, band: Band::Red, trend_30d: None, red_since: Some(day("2026-11-20")) });
        let books = only(&default_playbooks(), "risk");
        let planned = planned_tasks(&books, &[a], WEEKDAYS, week_back(day(TODAY)), day(TODAY));
        assert!(planned[0].provenance.ends_with("health turned red on 20 Nov 2026"));
        let mut older = existing(&planned[0], "old");
        older.source_ref = source_ref("risk", "call-sponsor", "a", "critical-2026-11-01");
        let (changes, run) = reconcile(planned.clone(), &[older.clone()]);
        assert!(changes.is_empty(), "{run:?}");
        older.pending = false;
        let (changes, _) = reconcile(planned, &[older]);
        assert!(!changes.is_empty());
    }

    #[test]
    fn triggers_follow_signals_departures_and_qbr_slots() {
        let mut a = account("a");
        a.segment = Segment::HighTouch;
        a.nps = Some(crate::health::Reading { value: 4.0, recorded_on: day("2026-11-21"), expires_on: None });
        a.departures.push(Departure {
            contact_id: "c1".into(),
            name: "Jo".into(),
            role: ContactRole::Champion,
            left_on: day("2026-11-18"),
        });
        a.last_qbr_on = Some(day("2026-09-01")); // every 91 days: next slot 2026-12-01
        let planned = planned_tasks(&default_playbooks(), &[a], WEEKDAYS, week_back(day(TODAY)), day(TODAY));
        let refs: Vec<&str> = planned.iter().map(|t| t.source_ref.as_str()).collect();
        assert!(refs.contains(&"pb|detractor|call|a|nps-2026-11-21"), "{refs:?}");
        assert!(refs.contains(&"pb|sponsor-left|find-new|a|left-c1"));
        assert!(refs.contains(&"pb|qbr|prepare|a|qbr-2026-12-01"));
        assert!(refs.contains(&"pb|qbr|hold|a|qbr-2026-12-01"));
    }

    #[test]
    fn a_qbr_slot_long_missed_moves_to_the_next_one_instead_of_piling_up() {
        let mut a = account("a");
        a.segment = Segment::HighTouch;
        a.contract_start = Some(day("2024-01-01"));
        let books = only(&default_playbooks(), "qbr");
        let today = day(TODAY);
        let anchors: HashSet<String> = planned_tasks(&books, &[a.clone()], WEEKDAYS, week_back(today), today)
            .into_iter()
            .map(|t| t.source_ref.rsplit('|').next().unwrap().to_owned())
            .collect();
        assert_eq!(anchors.len(), 1);
        let tomorrow: HashSet<String> =
            planned_tasks(&books, &[a], WEEKDAYS, week_back(today + Days::new(1)), today + Days::new(1))
                .into_iter()
                .map(|t| t.source_ref.rsplit('|').next().unwrap().to_owned())
                .collect();
        assert!(tomorrow.is_subset(&anchors) || tomorrow.is_empty(), "slots are fixed dates: {anchors:?} {tomorrow:?}");
    }

    #[test]
    fn disabled_playbooks_segments_and_churned_accounts_make_nothing() {
        let mut a = account("a");
        a.renewal_date = Some(day("2027-02-21"));
        let mut books = only(&default_playbooks(), "renewal");
        books[0].enabled = false;
        assert!(planned_tasks(&books, &[a.clone()], WEEKDAYS, week_back(day(TODAY)), day(TODAY)).is_empty());
        books[0].enabled = true;
        books[0].segments = vec![Segment::HighTouch];
        assert!(planned_tasks(&books, &[a.clone()], WEEKDAYS, week_back(day(TODAY)), day(TODAY)).is_empty());
        a.segment = Segment::HighTouch;
        a.stage = LifecycleStage::Churned;
        assert!(planned_tasks(&books, &[a], WEEKDAYS, week_back(day(TODAY)), day(TODAY)).is_empty());
    }

    #[test]
    fn an_offset_that_overflows_a_date_is_skipped_not_a_panic() {
        let mut a = account("a");
        a.renewal_date = Some(NaiveDate::MAX - Days::new(1));
        let mut books = only(&default_playbooks(), "renewal");
        books[0].steps[0].offset_days = i64::MAX;
        books[0].steps[1].offset_days = 3650;
        assert!(planned_tasks(&books, &[a], WEEKDAYS, week_back(day(TODAY)), day(TODAY)).is_empty());
    }

    #[test]
    fn a_flood_is_admitted_within_the_day_limit_and_the_calendar_the_rest_held_back() {
        // 5,000 red accounts at once, as after a first sync: four risk steps each.
        let accounts: Vec<AccountFacts> = (0..5_000)
            .map(|i| {
                let mut a = account(&format!("a{i:04}"));
                a.health = Some(HealthNow { score: 20, band: Band::Red, trend_30d: None, red_since: Some(day(TODAY)) });
                a
            })
            .collect();
        let planned = planned_tasks(&only(&default_playbooks(), "risk"), &accounts, WEEKDAYS, day(TODAY), day(TODAY));
        assert_eq!(planned.len(), 20_000);
        let mut load = BTreeMap::new();
        load.insert(day("2026-11-25"), 360); // Wednesday is already full
        let room = Room { budget: 15, load: &load, minutes_per_day: 360, work_days: WEEKDAYS, today: day(TODAY) };
        let (admitted, held_back) = admit(planned, &room);
        assert_eq!((admitted.len(), held_back), (15, 19_985));
        let mut per_day: BTreeMap<NaiveDate, u32> = BTreeMap::new();
        for t in &admitted {
            *per_day.entry(t.due_date).or_default() += t.effort_minutes;
            assert!(t.due_date >= t.step_date.min(day(TODAY)), "never earlier than its step");
        }
        assert!(per_day.values().all(|m| *m <= 360), "{per_day:?}");
        assert!(!per_day.contains_key(&day("2026-11-25")), "the full day is skipped");
        assert!(per_day.keys().all(|d| d.weekday().num_days_from_monday() < 5), "working days only");
        // The most urgent go first: the earliest step of the set is among the admitted.
        assert!(admitted.iter().any(|t| t.title == "Call the sponsor about the risk"));
    }

    #[test]
    fn a_task_with_no_day_of_room_within_two_weeks_is_held_back_not_squeezed_in() {
        let mut a = account("a");
        a.renewal_date = Some(day("2027-02-21"));
        let planned =
            planned_tasks(&only(&default_playbooks(), "renewal"), &[a], WEEKDAYS, week_back(day(TODAY)), day(TODAY));
        let full: BTreeMap<NaiveDate, u32> = day(TODAY).iter_days().take(90).map(|d| (d, 360)).collect();
        let room = Room { budget: 15, load: &full, minutes_per_day: 360, work_days: WEEKDAYS, today: day(TODAY) };
        let (admitted, held_back) = admit(planned.clone(), &room);
        assert!(admitted.is_empty());
        assert_eq!(held_back as usize, planned.len());
    }
}
