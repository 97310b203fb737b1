//! Notes, drafts and templates as typed, checked before they are saved. Text is kept as typed
//! (Markdown, HTML, script, SQL: all stored and later shown as text); only NUL and other control
//! characters from pasted binary are dropped.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

use super::Checker;
use crate::error::{Error, FieldError};
use crate::model::{Attendee, NoteInput, NoteTemplate, Sentiment};

/// A note's text may be long (pasted minutes, a transcript), not unbounded.
pub const NOTE_MAX_BYTES: usize = 2 * 1024 * 1024;
const TAGS_MAX: usize = 20;
const ATTENDEES_MAX: usize = 50;

/// A checked note, ready for the store.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidNote {
    pub account_id: String,
    pub occurred_at: DateTime<Utc>,
    pub template: Option<String>,
    pub title: String,
    pub body_md: String,
    pub sentiment: Option<Sentiment>,
    pub private: bool,
    pub attendees: Vec<Attendee>,
    pub tags: Vec<String>,
    /// Next steps to turn into tasks: title and due date.
    pub action_items: Vec<(String, Option<NaiveDate>)>,
}

/// Keeps text as typed except for control characters (tabs and line breaks stay).
pub fn keep_text(text: &str) -> String {
    text.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t')).collect::<String>().replace("\r\n", "\n")
}

/// Checks a note. `occurred_at` is the CSM's local wall-clock time, read in `zone`; empty is now.
pub fn note<Tz: TimeZone>(input: &NoteInput, now: DateTime<Utc>, zone: &Tz) -> Result<ValidNote, Error> {
    let mut c = Checker::default();
    let account_id = input.account_id.trim().to_owned();
    if account_id.is_empty() {
        c.fail::<()>("account_id", "Choose the account the note is about.");
    }
    let occurred_at = match input.occurred_at.trim() {
        "" => Some(now),
        text => NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
            .ok()
            .and_then(|local| zone.from_local_datetime(&local).earliest())
            .map(|t| t.with_timezone(&Utc))
            .or_else(|| c.fail("occurred_at", "Give the date and time like 2026-11-20T14:30.")),
    };
    let body_md = keep_text(&input.body_md);
    if body_md.len() > NOTE_MAX_BYTES {
        c.fail::<()>("body_md", "The note is longer than 2 MB; split it in two.");
    }
    let title = c.optional("title", "Title", &input.title).unwrap_or_default();
    let sentiment = match input.sentiment.trim() {
        "" => None,
        text => Sentiment::parse(text).or_else(|| c.fail("sentiment", "Sentiment is positive, neutral or negative.")),
    };
    let template = Some(input.template.trim().to_owned()).filter(|t| !t.is_empty());
    let valid = ValidNote {
        account_id,
        occurred_at: occurred_at.unwrap_or(now),
        template,
        title,
        body_md,
        sentiment,
        private: input.private,
        attendees: attendees(&mut c, &input.attendees),
        tags: tags(&mut c, &input.tags),
        action_items: action_items(&mut c, input),
    };
    c.finish(valid)
}

fn attendees(c: &mut Checker, list: &[Attendee]) -> Vec<Attendee> {
    if list.len() > ATTENDEES_MAX {
        c.fail::<()>("attendees", format!("At most {ATTENDEES_MAX} attendees."));
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for a in list.iter().take(ATTENDEES_MAX) {
        let name = c.required("attendees", "An attendee's name", &a.name);
        let contact_id = a.contact_id.as_deref().map(str::trim).filter(|id| !id.is_empty()).map(str::to_owned);
        if contact_id.as_deref().is_some_and(|id| !id.chars().all(|ch| ch.is_ascii_hexdigit() || ch == '-')) {
            c.fail::<()>("attendees", "That attendee is not one of the account's contacts.");
        }
        if !name.is_empty() && seen.insert(name.to_lowercase()) {
            out.push(Attendee { contact_id, name });
        }
    }
    out
}

/// Tags are lower case words ("win", "risk", "feature-request"), each once.
fn tags(c: &mut Checker, list: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in list {
        let tag = tag.trim().trim_start_matches('#').to_lowercase();
        if tag.is_empty() {
            continue;
        }
        if tag.chars().count() > 40 || !tag.chars().all(|ch| ch.is_alphanumeric() || ch == '-' || ch == '_') {
            c.fail::<()>("tags", format!("Tag {tag:?}: use letters, digits and '-' only (up to 40)."));
        } else if !out.contains(&tag) {
            out.push(tag);
        }
    }
    if out.len() > TAGS_MAX {
        c.fail::<()>("tags", format!("At most {TAGS_MAX} tags."));
    }
    out
}

fn action_items(c: &mut Checker, input: &NoteInput) -> Vec<(String, Option<NaiveDate>)> {
    let mut out = Vec::new();
    for item in input.action_items.iter().filter(|i| i.include) {
        let title = c.required("action_items", "A next step", &item.title);
        let due = c.date("action_items", "A next step's due date", &item.due_date);
        if !title.is_empty() {
            out.push((title, due));
        }
    }
    out
}

/// Checks note templates: each with an id, a name and at most 100 KB of text; ids unique.
pub fn note_templates(list: &[NoteTemplate]) -> Result<(), Error> {
    let mut c = Checker::default();
    let mut ids = HashSet::new();
    for t in list {
        c.required("name", "A template's name", &t.name);
        if t.id.trim().is_empty() || !ids.insert(t.id.trim()) {
            c.fail::<()>("id", format!("Template {:?} needs its own id.", t.name));
        }
        if t.body_md.len() > 100 * 1024 {
            c.fail::<()>("body_md", format!("Template {:?} is too long.", t.name));
        }
    }
    if list.len() > 50 {
        c.fail::<()>("templates", "At most 50 templates.");
    }
    c.finish(())
}

/// A draft's content is the editor's JSON; it only has to be of a sane size.
pub fn draft_payload(payload: &str) -> Result<(), Error> {
    if payload.len() > NOTE_MAX_BYTES + 64 * 1024 {
        return Err(Error::Invalid(vec![FieldError::new("payload", "The draft is too large to keep.")]));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ActionItemInput;

    fn now() -> DateTime<Utc> {
        "2026-11-20T15:00:00Z".parse().unwrap()
    }

    fn input() -> NoteInput {
        NoteInput { account_id: "0190e3a4-0000-7000-8000-000000000001".into(), ..Default::default() }
    }

    #[test]
    fn hostile_text_is_kept_as_typed_and_binary_junk_is_dropped() {
        let body = "<img src=x onerror=alert(1)> [x](javascript:alert(1)) '; DROP TABLE notes; -- \u{0}\u{7}**bold";
        let valid = note(&NoteInput { body_md: body.into(), ..input() }, now(), &Utc).unwrap();
        assert_eq!(
            valid.body_md,
            "<img src=x onerror=alert(1)> [x](javascript:alert(1)) '; DROP TABLE notes; -- **bold"
        );
        assert_eq!(valid.occurred_at, now());
    }

    #[test]
    fn a_one_megabyte_note_is_fine_and_a_huge_one_is_refused() {
        let mb = "lorem ipsum ".repeat(90_000);
        assert!(note(&NoteInput { body_md: mb.clone(), ..input() }, now(), &Utc).is_ok());
        let huge = mb.repeat(3);
        assert!(note(&NoteInput { body_md: huge, ..input() }, now(), &Utc).is_err());
    }

    #[test]
    fn time_tags_sentiment_and_next_steps_are_checked() {
        let typed = NoteInput {
            occurred_at: "2026-11-19T14:30".into(),
            sentiment: "positive".into(),
            tags: vec!["#Win".into(), "win".into(), "feature-request".into()],
            attendees: vec![Attendee { contact_id: None, name: " Ana  Ruiz ".into() }],
            action_items: vec![
                ActionItemInput { title: "Send the deck".into(), due_date: "2026-11-20".into(), include: true },
                ActionItemInput { title: "Skipped".into(), due_date: String::new(), include: false },
            ],
            ..input()
        };
        let d = note(&typed, now(), &Utc).unwrap();
        assert_eq!(d.occurred_at.to_rfc3339(), "2026-11-19T14:30:00+00:00");
        assert_eq!(d.tags, ["win", "feature-request"]);
        assert_eq!(d.attendees[0].name, "Ana Ruiz");
        assert_eq!(d.action_items, [("Send the deck".to_owned(), NaiveDate::from_ymd_opt(2026, 11, 20))]);

        let bad = NoteInput {
            account_id: String::new(),
            occurred_at: "yesterday".into(),
            sentiment: "furious".into(),
            tags: vec!["<script>".into()],
            ..Default::default()
        };
        let Error::Invalid(errors) = note(&bad, now(), &Utc).unwrap_err() else { panic!("invalid") };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["account_id", "occurred_at", "sentiment", "tags"]);
    }
}
