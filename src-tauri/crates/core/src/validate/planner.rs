//! Tasks, playbooks and planner settings as the CSM typed them, checked before they are saved.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveTime};

use super::Checker;
use crate::error::{Error, FieldError};
use crate::model::{PlannerSettings, Playbook, PlaybookTrigger, Priority, TaskInput};

/// More than a working week of effort on one task is a typo, not a plan.
pub const MAX_EFFORT_MINUTES: i64 = 40 * 60;
/// Playbook offsets stay within ten years of their anchor.
pub const MAX_OFFSET_DAYS: i64 = 3650;
const DETAILS_MAX: usize = 10_000;

/// A checked task, ready for the store.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidTask {
    pub account_id: Option<String>,
    pub title: String,
    pub due_date: Option<NaiveDate>,
    pub due_time: Option<String>,
    pub priority: Priority,
    pub effort_minutes: Option<u32>,
    pub details: String,
}

/// Checks a task. A due date before `today` is allowed and returned as a warning to show.
pub fn task(input: &TaskInput, today: NaiveDate) -> Result<(ValidTask, Vec<FieldError>), Error> {
    let mut c = Checker::default();
    let title = c.required("title", "Title", &input.title);
    let due_date = c.date("due_date", "Due date", &input.due_date);
    let due_time = time(&mut c, &input.due_time);
    if due_time.is_some() && due_date.is_none() && input.due_date.trim().is_empty() {
        c.fail::<()>("due_date", "Give a date for the time.");
    }
    let priority = match input.priority.trim() {
        "" => Some(Priority::Normal),
        text => Priority::parse(text).or_else(|| c.fail("priority", "Choose low, normal or high priority.")),
    };
    let details = input.details.trim().to_owned();
    if details.chars().count() > DETAILS_MAX {
        c.fail::<()>("details", format!("Details are too long (at most {DETAILS_MAX} characters)."));
    }
    let account_id = Some(input.account_id.trim().to_owned()).filter(|id| !id.is_empty());
    let valid = ValidTask {
        account_id,
        title,
        due_date,
        due_time,
        priority: priority.unwrap_or(Priority::Normal),
        effort_minutes: effort(&mut c, &input.effort_minutes),
        details,
    };
    let warnings = match due_date {
        Some(day) if day < today => vec![FieldError::new("due_date", "This due date is in the past.")],
        _ => Vec::new(),
    };
    c.finish((valid, warnings))
}

fn time(c: &mut Checker, text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match NaiveTime::parse_from_str(text, "%H:%M") {
        Ok(t) => Some(t.format("%H:%M").to_string()),
        Err(_) => c.fail("due_time", "Time must be like 09:30 (24-hour)."),
    }
}

/// Effort as minutes: "45", "45m", "2h", "1h30", "1.5h".
fn effort(c: &mut Checker, text: &str) -> Option<u32> {
    let text: String = text.trim().to_lowercase().chars().filter(|ch| !ch.is_whitespace()).collect();
    if text.is_empty() {
        return None;
    }
    let Some(minutes) = parse_minutes(&text) else {
        return c.fail("effort_minutes", "Effort must be minutes (45) or hours (1h30).");
    };
    if minutes <= 0.0 {
        return c.fail("effort_minutes", "Effort must be more than 0 minutes.");
    }
    if minutes > MAX_EFFORT_MINUTES as f64 {
        return c.fail("effort_minutes", "Effort can be at most 40 hours.");
    }
    Some(minutes.round().max(1.0) as u32)
}

fn parse_minutes(text: &str) -> Option<f64> {
    let number = |s: &str| s.parse::<f64>().ok().filter(|n| n.is_finite());
    if let Some((hours, rest)) = text.split_once('h') {
        let rest = rest.trim_end_matches("min").trim_end_matches('m');
        let minutes = if rest.is_empty() { 0.0 } else { number(rest)? };
        return Some(number(hours)? * 60.0 + minutes);
    }
    number(text.trim_end_matches("min").trim_end_matches('m'))
}

/// A day typed for snoozing or rescheduling; snoozing into the past makes no sense.
pub fn snooze_until(text: &str, today: NaiveDate) -> Result<NaiveDate, Error> {
    let mut c = Checker::default();
    let day = match c.date("snoozed_until", "Snooze until", text) {
        Some(day) if day <= today => c.fail("snoozed_until", "Snooze until a day after today."),
        None if text.trim().is_empty() => c.fail("snoozed_until", "Choose a day to snooze until."),
        other => other,
    };
    c.finish(day.unwrap_or(today))
}

/// A required calendar day ("2026-11-23"), e.g. the week to plan or the day to move a task to.
pub fn day(field: &str, label: &str, text: &str) -> Result<NaiveDate, Error> {
    let mut c = Checker::default();
    let day = c.date(field, label, text);
    if day.is_none() && text.trim().is_empty() {
        c.fail::<()>(field, format!("{label} is required."));
    }
    c.finish(day.unwrap_or_default())
}

pub fn planner_settings(s: &PlannerSettings) -> Result<(), Error> {
    let mut c = Checker::default();
    if s.work_days.len() != 7 {
        c.fail::<()>("work_days", "Give all seven days of the week.");
    } else if !s.work_days.iter().any(|d| *d) {
        c.fail::<()>("work_days", "Choose at least one working day.");
    }
    if s.minutes_per_day == 0 || s.minutes_per_day > 16 * 60 {
        c.fail::<()>("minutes_per_day", "Hours per day must be more than 0 and at most 16.");
    }
    if !(5..=480).contains(&s.touch_minutes) {
        c.fail::<()>("touch_minutes", "A touch takes 5 to 480 minutes.");
    }
    if !(1..=480).contains(&s.unestimated_minutes) {
        c.fail::<()>("unestimated_minutes", "Count 1 to 480 minutes for a task without an estimate.");
    }
    if s.suggestions_per_day > 20 {
        c.fail::<()>("suggestions_per_day", "At most 20 suggestions a day.");
    }
    if !(1..=200).contains(&s.playbook_tasks_per_day) {
        c.fail::<()>("playbook_tasks_per_day", "Playbooks create 1 to 200 tasks a day.");
    }
    c.finish(())
}

/// Checks every playbook and gives new steps a stable key. One bad step rejects the whole set.
pub fn playbooks(books: &[Playbook]) -> Result<Vec<Playbook>, Error> {
    let mut c = Checker::default();
    let mut ids = HashSet::new();
    let mut out = Vec::with_capacity(books.len());
    for book in books {
        if !ids.insert(book.id.as_str()) || book.id.trim().is_empty() {
            c.fail::<()>("id", format!("Playbook id {:?} is missing or used twice.", book.id));
        }
        out.push(playbook(&mut c, book));
    }
    c.finish(out)
}

fn playbook(c: &mut Checker, book: &Playbook) -> Playbook {
    let name = c.required("name", "Playbook name", &book.name);
    let label = if name.is_empty() { book.id.clone() } else { name.clone() };
    if book.steps.is_empty() || book.steps.len() > 30 {
        c.fail::<()>("steps", format!("{label}: give 1 to 30 steps."));
    }
    if book.segments.is_empty() {
        c.fail::<()>("segments", format!("{label}: choose at least one segment."));
    }
    match (book.trigger, book.repeat_days) {
        (PlaybookTrigger::QbrCadence, None) => {
            c.fail::<()>("repeat_days", format!("{label}: say how often QBRs happen per segment."));
        }
        (PlaybookTrigger::QbrCadence, Some(every))
            if [every.high_touch, every.low_touch, every.tech_touch].iter().any(|d| *d > 730) =>
        {
            c.fail::<()>("repeat_days", format!("{label}: QBRs happen at most every 730 days (0 for none)."));
        }
        _ => {}
    }
    let mut keys = HashSet::new();
    let mut steps = Vec::with_capacity(book.steps.len());
    for (i, step) in book.steps.iter().enumerate() {
        let mut step = step.clone();
        let at = format!("{label}, step {}", i + 1);
        step.title = super::clean(&step.title);
        if step.title.is_empty() {
            c.fail::<()>("title", format!("{at}: give the step a title."));
        } else {
            c.text_rules("title", &at, &step.title, super::NAME_MAX);
        }
        if step.offset_days.abs() > MAX_OFFSET_DAYS {
            c.fail::<()>("offset_days", format!("{at}: the offset must be within {MAX_OFFSET_DAYS} days."));
        }
        if step.effort_minutes <= 0 || step.effort_minutes > MAX_EFFORT_MINUTES {
            c.fail::<()>("effort_minutes", format!("{at}: effort must be 1 minute to 40 hours."));
        }
        step.key = step_key(&step.key, i, &keys);
        if !step.key.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-') || step.key.len() > 40 {
            c.fail::<()>("key", format!("{at}: the step key may use letters, digits and '-' only."));
        }
        keys.insert(step.key.clone());
        steps.push(step);
    }
    Playbook { name, steps, ..book.clone() }
}

/// A new step (empty key) gets the first free "step-N"; an existing key is kept.
fn step_key(key: &str, index: usize, taken: &HashSet<String>) -> String {
    let key = key.trim();
    if !key.is_empty() && !taken.contains(key) {
        return key.to_owned();
    }
    (index + 1..).map(|n| format!("step-{n}")).find(|k| !taken.contains(k)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playbook::default_playbooks;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn input(title: &str, due: &str, effort: &str) -> TaskInput {
        TaskInput { title: title.into(), due_date: due.into(), effort_minutes: effort.into(), ..Default::default() }
    }

    fn fields(err: Error) -> Vec<String> {
        match err {
            Error::Invalid(errors) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected invalid, got {other}"),
        }
    }

    #[test]
    fn effort_reads_minutes_and_hours() {
        for (text, minutes) in [("45", 45), ("45m", 45), ("2h", 120), ("1h30", 90), ("1.5h", 90), (" 1 h 15 m ", 75)] {
            let (valid, _) = task(&input("Call", "", text), day("2026-11-23")).unwrap();
            assert_eq!(valid.effort_minutes, Some(minutes), "{text}");
        }
    }

    #[test]
    fn absurd_or_missing_effort_and_bad_fields_are_refused_together() {
        for effort in ["0", "-5", "41h", "2401", "lots", "NaNh"] {
            assert_eq!(fields(task(&input("Call", "", effort), day("2026-11-23")).unwrap_err()), ["effort_minutes"]);
        }
        let bad = TaskInput {
            title: " ".into(),
            due_date: "2026-02-30".into(),
            due_time: "25:00".into(),
            priority: "urgent".into(),
            ..Default::default()
        };
        assert_eq!(fields(task(&bad, day("2026-11-23")).unwrap_err()), ["title", "due_date", "due_time", "priority"]);
    }

    #[test]
    fn a_past_due_date_is_saved_with_a_warning() {
        let (valid, warnings) = task(&input("Call", "2026-11-01", ""), day("2026-11-23")).unwrap();
        assert_eq!(valid.due_date, Some(day("2026-11-01")));
        assert_eq!(warnings[0].field, "due_date");
        assert!(task(&input("Call", "2026-11-23", ""), day("2026-11-23")).unwrap().1.is_empty());
    }

    #[test]
    fn a_time_needs_a_date_and_is_normalised() {
        let timed = TaskInput { due_time: "9:05".into(), ..input("Call", "2026-11-24", "") };
        assert_eq!(task(&timed, day("2026-11-23")).unwrap().0.due_time.as_deref(), Some("09:05"));
        let no_day = TaskInput { due_time: "09:00".into(), ..input("Call", "", "") };
        assert_eq!(fields(task(&no_day, day("2026-11-23")).unwrap_err()), ["due_date"]);
    }

    #[test]
    fn snoozing_needs_a_day_after_today() {
        let today = day("2026-11-23");
        assert_eq!(snooze_until("2026-11-24", today).unwrap(), day("2026-11-24"));
        for text in ["2026-11-23", "2026-11-01", "", "someday"] {
            assert_eq!(fields(snooze_until(text, today).unwrap_err()), ["snoozed_until"], "{text}");
        }
    }

    #[test]
    fn default_playbooks_are_valid_and_keep_their_keys() {
        let books = default_playbooks();
        assert_eq!(playbooks(&books).unwrap(), books);
    }

    #[test]
    fn one_bad_step_rejects_the_whole_set() {
        let mut books = default_playbooks();
        books[1].steps[0].offset_days = i64::MAX;
        books[2].steps[0].effort_minutes = 0;
        assert_eq!(fields(playbooks(&books).unwrap_err()), ["offset_days", "effort_minutes"]);
        let mut empty = default_playbooks();
        empty[0].steps.clear();
        empty[3].segments.clear();
        assert_eq!(fields(playbooks(&empty).unwrap_err()), ["steps", "segments"]);
    }

    #[test]
    fn new_steps_get_free_keys() {
        let mut books = default_playbooks();
        let mut step = books[0].steps[0].clone();
        step.key = String::new();
        books[0].steps.push(step.clone());
        books[0].steps.push(step);
        let saved = playbooks(&books).unwrap();
        let keys: HashSet<&str> = saved[0].steps.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys.len(), saved[0].steps.len());
    }

    #[test]
    fn planner_settings_are_bounded() {
        assert!(planner_settings(&PlannerSettings::default()).is_ok());
        let none = PlannerSettings { work_days: vec![false; 7], minutes_per_day: 0, ..Default::default() };
        assert_eq!(fields(planner_settings(&none).unwrap_err()), ["work_days", "minutes_per_day"]);
    }
}
