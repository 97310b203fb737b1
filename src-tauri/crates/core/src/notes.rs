//! Call notes as pure functions: the default templates, and the next steps a note's checklist
//! holds, with due dates understood from everyday phrasings relative to the note's day.

use std::sync::LazyLock;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use regex::Regex;

use crate::model::{ActionItem, NoteTemplate};

/// The templates from domain.md §6; editable in Settings.
pub fn default_templates() -> Vec<NoteTemplate> {
    let t = |id: &str, name: &str, body: &str| NoteTemplate { id: id.into(), name: name.into(), body_md: body.into() };
    vec![
        t("check_in", "Check-in", "## How things are going\n\n\n## Risks\n\n\n## Next steps\n- [ ] "),
        t(
            "discovery",
            "Discovery",
            "## Their goals\n\n\n## How they measure success\n\n\n## Stakeholders\n\n\n## Next steps\n- [ ] ",
        ),
        t(
            "escalation",
            "Escalation",
            "## The issue\n\n\n## Impact on the customer\n\n\n## What we committed to\n\n\n## Next steps\n- [ ] ",
        ),
        t("qbr", "QBR", "## Goals reviewed\n\n\n## Wins\n\n\n## Asks and feedback\n\n\n## Next steps\n- [ ] "),
        t(
            "renewal",
            "Renewal",
            "## Renewal status\n\n\n## Commercial points\n\n\n## Risks to the renewal\n\n\n## Next steps\n- [ ] ",
        ),
        t("onboarding", "Onboarding", "## Progress\n\n\n## Blockers\n\n\n## Next steps\n- [ ] "),
    ]
}

static CHECKBOX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:[-*+]|\d+[.)])\s+\[ \]\s+(\S.*?)\s*$").expect("checkbox pattern"));

/// Every unchecked checklist line ("- [ ] …", "* [ ] …", "1. [ ] …") as a next step.
pub fn action_items(body_md: &str, note_day: NaiveDate) -> Vec<ActionItem> {
    body_md
        .lines()
        .filter_map(|line| CHECKBOX.captures(line))
        .filter_map(|caps| caps.get(1))
        .map(|title| {
            let title = title.as_str().to_owned();
            let due = due_date(&title, note_day);
            ActionItem { due_date: due.as_ref().map(|(d, _)| *d), due_text: due.map(|(_, text)| text), title }
        })
        .collect()
}

const WEEKDAYS: &str =
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun";
const MONTHS: &str = "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec";

static ISO: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(\d{4})-(\d{2})-(\d{2})\b").expect("iso"));
static RELATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:today|tonight|tomorrow|next week|end of (?:the )?week|eow|this week|end of (?:the )?month|eom|next month)\b")
        .expect("relative")
});
static IN_N: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bin (\d{1,3}) (day|days|week|weeks|month|months)\b").expect("in n"));
static WEEKDAY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?i)\b(next )?({WEEKDAYS})\b")).expect("weekday"));
static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(\d{{1,2}})(?:st|nd|rd|th)?(?: of)? ({MONTHS})\b|\b({MONTHS}) (\d{{1,2}})(?:st|nd|rd|th)?\b"
    ))
    .expect("day month")
});

/// The due date a next step's words give, relative to the note's day, with the words it came
/// from: ISO dates, "today", "tomorrow", weekdays ("by Friday", "next Tuesday"), "next week"
/// (its Monday), "end of week" (Friday), "end of month", "next month", "in 3 days", "Dec 1".
pub fn due_date(text: &str, day: NaiveDate) -> Option<(NaiveDate, String)> {
    if let Some(c) = ISO.captures(text) {
        let (y, m, d) = (c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
        if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
            return Some((date, c[0].to_owned()));
        }
    }
    if let Some(m) = RELATIVE.find(text) {
        let words = m.as_str().to_lowercase();
        let date = match words.as_str() {
            "today" | "tonight" => day,
            "tomorrow" => day + Days::new(1),
            "next week" => monday(day) + Days::new(7),
            "end of month" | "end of the month" | "eom" => last_of_month(day)?,
            "next month" => first_of_month(day).checked_add_months(Months::new(1))?,
            _ => (monday(day) + Days::new(4)).max(day), // end of (this) week: its Friday
        };
        return Some((date, m.as_str().to_owned()));
    }
    if let Some(c) = IN_N.captures(text) {
        let n: u32 = c[1].parse().ok()?;
        let date = match c[2].to_lowercase().trim_end_matches('s') {
            "day" => day.checked_add_days(Days::new(u64::from(n)))?,
            "week" => day.checked_add_days(Days::new(7 * u64::from(n)))?,
            _ => day.checked_add_months(Months::new(n))?,
        };
        return Some((date, c[0].to_owned()));
    }
    if let Some(c) = WEEKDAY.captures(text) {
        let weekday = parse_weekday(&c[2])?;
        let date = if c.get(1).is_some() {
            // "next Tuesday": that day in the coming week.
            monday(day) + Days::new(7 + u64::from(weekday.num_days_from_monday()))
        } else {
            // "by Friday": the first Friday after the note's day.
            (1..=7).map(|i| day + Days::new(i)).find(|d| d.weekday() == weekday)?
        };
        return Some((date, c[0].to_owned()));
    }
    if let Some(c) = DAY_MONTH.captures(text) {
        let (d, month) = match (c.get(1), c.get(2), c.get(3), c.get(4)) {
            (Some(d), Some(m), _, _) | (_, _, Some(m), Some(d)) => {
                (d.as_str().parse::<u32>().ok()?, month_number(m.as_str())?)
            }
            _ => return None,
        };
        let this_year = NaiveDate::from_ymd_opt(day.year(), month, d)?;
        let date = if this_year < day { NaiveDate::from_ymd_opt(day.year() + 1, month, d)? } else { this_year };
        return Some((date, c[0].to_owned()));
    }
    None
}

fn monday(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

fn last_of_month(day: NaiveDate) -> Option<NaiveDate> {
    first_of_month(day).checked_add_months(Months::new(1))?.pred_opt()
}

fn parse_weekday(text: &str) -> Option<Weekday> {
    let text = text.to_lowercase();
    let days = [
        ("mon", Weekday::Mon),
        ("tue", Weekday::Tue),
        ("wed", Weekday::Wed),
        ("thu", Weekday::Thu),
        ("fri", Weekday::Fri),
        ("sat", Weekday::Sat),
        ("sun", Weekday::Sun),
    ];
    days.into_iter().find(|(prefix, _)| text.starts_with(prefix)).map(|(_, d)| d)
}

fn month_number(text: &str) -> Option<u32> {
    let text = text.to_lowercase();
    let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    months.iter().position(|m| text.starts_with(m)).map(|i| i as u32 + 1)
}

static LINE_MARKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:#{1,6}\s+|>\s?)?(?:(?:[-*+]|\d+[.)])\s+)?(?:\[[ xX]\]\s*)?").expect("line marks")
});
static LINKS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"!?\[([^\]]*)\]\([^)]*\)").expect("links"));

/// Markdown as plain words, for one-line excerpts (the timeline, search snippets): headings,
/// list and checkbox marks, emphasis and link targets dropped; lines joined with " · ".
pub fn plain_text(markdown: &str) -> String {
    let lines = markdown.lines().filter_map(|line| {
        let line = LINE_MARKS.replace(line, "");
        let line = LINKS.replace_all(&line, "$1");
        let line = line.replace("**", "").replace("__", "").replace('`', "");
        let line = line.trim();
        (!line.is_empty()).then(|| line.to_owned())
    });
    lines.collect::<Vec<_>>().join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Thursday 19 November 2026.
    fn thursday() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 19).unwrap()
    }

    fn due(text: &str) -> Option<String> {
        due_date(text, thursday()).map(|(d, _)| d.to_string())
    }

    #[test]
    fn dates_are_read_relative_to_the_notes_day() {
        let cases = [
            ("Send the pricing sheet to the sponsor by Friday", "2026-11-20"),
            ("Call back tomorrow", "2026-11-20"),
            ("Share notes today", "2026-11-19"),
            ("Book the workshop next week", "2026-11-23"),
            ("Follow up on Monday", "2026-11-23"),
            ("Review next Tuesday", "2026-11-24"),
            ("Check again by thursday", "2026-11-26"),
            ("Draft the plan by end of week", "2026-11-20"),
            ("Invoice check EOM", "2026-11-30"),
            ("Kick off next month", "2026-12-01"),
            ("Ping them in 3 days", "2026-11-22"),
            ("Reassess in 2 weeks", "2026-12-03"),
            ("Renewal call on 2027-01-15", "2027-01-15"),
            ("QBR prep by Dec 3rd", "2026-12-03"),
            ("Plan for 15 January", "2027-01-15"),
            ("Send the deck by 1st of December", "2026-12-01"),
        ];
        for (text, expected) in cases {
            assert_eq!(due(text).as_deref(), Some(expected), "{text}");
        }
    }

    #[test]
    fn words_that_only_look_like_dates_give_none() {
        for text in
            ["Send the monthly report", "Discuss Friday-release process?", "2026-02-30 is not a day", "Mayor's office"]
        {
            let got = due(text);
            assert!(got.is_none() || text.contains("Friday"), "{text}: {got:?}");
        }
        assert_eq!(due("Fix it"), None);
        assert_eq!(due("Wednesday's standup notes").as_deref(), Some("2026-11-25"));
    }

    #[test]
    fn unchecked_checklist_lines_become_next_steps() {
        let body =
            "## Notes\nAll good.\n- a bullet\n- [ ] Send the pricing sheet by Friday\n  * [ ] Intro the new admin\n\
                    - [x] Already done\n1. [ ] Book QBR next week\n- [ ]   \n";
        let items = action_items(body, thursday());
        let titles: Vec<&str> = items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(titles, ["Send the pricing sheet by Friday", "Intro the new admin", "Book QBR next week"]);
        assert_eq!(items[0].due_date, NaiveDate::from_ymd_opt(2026, 11, 20));
        assert_eq!(items[0].due_text.as_deref(), Some("Friday"));
        assert_eq!(items[1].due_date, None);
    }

    #[test]
    fn every_template_ends_with_a_next_steps_checklist() {
        let templates = default_templates();
        assert_eq!(templates.len(), 6);
        assert!(templates.iter().all(|t| t.body_md.ends_with("## Next steps\n- [ ] ")));
    }

    #[test]
    fn markdown_reads_as_plain_words_in_excerpts() {
        let md = "## The issue\nExports **fail** since Monday.\n\n- [ ] Send the [fix notes](https://x.example)\n1. Call `Ana`\n> quoted";
        assert_eq!(plain_text(md), "The issue · Exports fail since Monday. · Send the fix notes · Call Ana · quoted");
        assert_eq!(plain_text("#hashtag stays"), "#hashtag stays");
        assert_eq!(plain_text(""), "");
    }
}
