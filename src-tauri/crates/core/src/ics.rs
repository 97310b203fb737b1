//! The week as an iCalendar file (RFC 5545) to import into a calendar. Appointments keep their
//! local wall-clock time (floating time, so they stay at 10:00 wherever the calendar is); tasks
//! are all-day events on their day, so a task due Monday stays on Monday.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};

use crate::model::{Task, TaskStatus, WeekPlan};

const DEFAULT_APPOINTMENT_MINUTES: u32 = 30;

pub fn week_ics(plan: &WeekPlan, now: DateTime<Utc>) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//CSM Desk//Week plan//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        format!("X-WR-CALNAME:{}", text(&format!("CSM week of {}", plan.week_start))),
    ];
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    for day in &plan.days {
        for task in day.appointments.iter().chain(&day.tasks).filter(|t| t.status != TaskStatus::Cancelled) {
            lines.extend(event(task, day.date, &stamp));
        }
    }
    lines.push("END:VCALENDAR".to_owned());
    lines.iter().map(|line| fold(line)).collect::<Vec<_>>().join("")
}

fn event(task: &Task, day: NaiveDate, stamp: &str) -> Vec<String> {
    let mut summary = match &task.account_name {
        Some(account) => format!("{} — {account}", task.title),
        None => task.title.clone(),
    };
    if task.status == TaskStatus::Done {
        summary = format!("Done: {summary}");
    }
    let mut out = vec!["BEGIN:VEVENT".to_owned(), format!("UID:{}@csmdesk.app", task.id), format!("DTSTAMP:{stamp}")];
    match task.due_time.as_deref().and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok()) {
        Some(time) => {
            let start = day.and_time(time);
            let minutes = task.effort_minutes.unwrap_or(DEFAULT_APPOINTMENT_MINUTES);
            let end = start + chrono::TimeDelta::minutes(i64::from(minutes));
            out.push(format!("DTSTART:{}", start.format("%Y%m%dT%H%M%S")));
            out.push(format!("DTEND:{}", end.format("%Y%m%dT%H%M%S")));
        }
        None => {
            out.push(format!("DTSTART;VALUE=DATE:{}", day.format("%Y%m%d")));
            out.push(format!("DTEND;VALUE=DATE:{}", (day + Days::new(1)).format("%Y%m%d")));
            out.push("TRANSP:TRANSPARENT".to_owned());
        }
    }
    out.push(format!("SUMMARY:{}", text(&summary)));
    let description: Vec<&str> =
        [task.details.as_str(), task.provenance.as_str()].into_iter().filter(|s| !s.is_empty()).collect();
    if !description.is_empty() {
        out.push(format!("DESCRIPTION:{}", text(&description.join("\n\n"))));
    }
    out.push("END:VEVENT".to_owned());
    out
}

/// Escapes a TEXT value (RFC 5545 §3.3.11); control characters other than newlines are dropped.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for ch in value.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets without splitting a UTF-8 character, and ends it with CRLF.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for ch in line.chars() {
        if width + ch.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += ch.len_utf8();
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use icalendar::{CalendarDateTime, Component, DatePerhapsTime};

    use super::*;
    use crate::model::{Cadence, PlannerSettings, Priority, TaskSource};
    use crate::planner::{plan_week, WeekInput};

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn task(id: &str, title: &str, due: &str, time: Option<&str>) -> Task {
        let at = day("2026-11-20").and_hms_opt(9, 0, 0).unwrap().and_utc();
        Task {
            id: id.into(),
            account_id: Some("acc".into()),
            account_name: Some("Hanbit Logistics 한빛".into()),
            title: title.into(),
            due_date: Some(day(due)),
            due_time: time.map(Into::into),
            priority: Priority::Normal,
            effort_minutes: Some(45),
            status: TaskStatus::Open,
            snoozed_until: None,
            source: TaskSource::Manual,
            provenance: "Renewal playbook · 60 days before · renewal on 2027-01-22".into(),
            is_touch: false,
            details: "Bring: pricing, the SLA; and \\ notes\nline two".into(),
            completed_at: None,
            created_at: at,
            updated_at: at,
        }
    }

    fn week(tasks: &[Task]) -> WeekPlan {
        let settings = PlannerSettings::default();
        let cadence = Cadence { high_touch: 14, low_touch: 30, tech_touch: 90 };
        plan_week(&WeekInput {
            meetings: &[],
            week_of: day("2026-11-23"),
            today: day("2026-11-23"),
            settings: &settings,
            cadence: &cadence,
            accounts: &[],
            tasks,
            overdue: None,
            dismissed: &HashSet::new(),
        })
    }

    #[test]
    fn the_week_parses_with_a_standard_parser() {
        let long =
            "Send the renewal proposal, with the pricing sheet; the sponsor wants it before the board meeting 🚀";
        let tasks = [task("t1", long, "2026-11-23", None), task("t2", "QBR", "2026-11-25", Some("14:30"))];
        let ics = week_ics(&week(&tasks), day("2026-11-22").and_hms_opt(8, 0, 0).unwrap().and_utc());
        assert!(ics.lines().all(|line| line.len() <= 76), "lines are folded at 75 octets");
        assert!(ics.ends_with("END:VCALENDAR\r\n"));

        let calendar: icalendar::Calendar = ics.parse().expect("a valid iCalendar file");
        let events: Vec<&icalendar::Event> = calendar.components.iter().filter_map(|c| c.as_event()).collect();
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].get_summary(), Some(format!("{long} — Hanbit Logistics 한빛").as_str()));
        assert_eq!(events[0].get_start(), Some(DatePerhapsTime::Date(day("2026-11-23"))));
        let start = day("2026-11-25").and_hms_opt(14, 30, 0).unwrap();
        assert_eq!(events[1].get_start(), Some(DatePerhapsTime::DateTime(CalendarDateTime::Floating(start))));
        let end = start + chrono::TimeDelta::minutes(45);
        assert_eq!(events[1].get_end(), Some(DatePerhapsTime::DateTime(CalendarDateTime::Floating(end))));
        assert!(events[0].get_description().unwrap().contains("renewal on 2027-01-22"));
    }

    #[test]
    fn cancelled_tasks_stay_out_and_text_is_escaped() {
        let mut cancelled = task("t1", "Dropped", "2026-11-24", None);
        cancelled.status = TaskStatus::Cancelled;
        let ics = week_ics(&week(&[cancelled, task("t2", "A, B; C", "2026-11-24", None)]), Utc::now());
        assert!(!ics.contains("Dropped"));
        assert!(ics.contains("SUMMARY:A\\, B\\; C — Hanbit"));
        assert!(ics.contains("\\\\ notes\\nline two"));
    }
}
