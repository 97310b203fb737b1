//! The brief before a meeting, as a pure function of the account's records: what changed since the
//! last touch with these attendees, what is open, and who is coming. Every line names its record.
//! Also the note a meeting starts ("Log this call"): the account, who attended, when, a template.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;

use crate::facts::day_text;
use crate::model::{Attendee, Band, Brief, BriefLine, BriefSection, BriefSource, Measure, Meeting, Money, NoteInput};

/// A success metric not confirmed by the customer for this long is worth asking about.
pub const METRIC_STALE_DAYS: i64 = 90;
/// The brief quotes the first line of this many of the latest notes.
const NOTES_QUOTED: usize = 3;

#[derive(Debug, Clone, PartialEq)]
pub struct HealthMark {
    pub day: NaiveDate,
    pub score: u32,
    pub band: Band,
    pub measures: Vec<(Measure, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TicketReading {
    pub signal_id: String,
    pub critical: bool,
    pub day: NaiveDate,
    pub open: f64,
}

/// A task, a metric, a risk: an id, what to say, and a date.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: String,
    pub text: String,
    pub day: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PersonFact {
    pub contact_id: Option<String>,
    pub name: String,
    pub email: String,
    pub role: Option<String>,
    pub stance: Option<String>,
    pub last_touch: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NoteFact {
    pub id: String,
    pub day: NaiveDate,
    pub first_line: String,
    pub contact_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RenewalFact {
    pub date: NaiveDate,
    pub arr: Money,
    /// The CSM's forecast call, by its name.
    pub forecast: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct BriefFacts {
    pub account_id: String,
    pub account_name: String,
    pub meeting: Option<Meeting>,
    /// The account's notes, latest first.
    pub notes: Vec<NoteFact>,
    /// Health on the day of the last touch (or just before), and now.
    pub health_then: Option<HealthMark>,
    pub health_now: Option<HealthMark>,
    /// Open-ticket readings since the last touch (and the one just before it), oldest first.
    pub tickets: Vec<TicketReading>,
    pub overdue_tasks: Vec<Item>,
    /// Open tasks made from the last note's next steps.
    pub next_steps: Vec<Item>,
    /// Success metrics with the day they were last confirmed.
    pub metrics: Vec<Item>,
    pub renewal: Option<RenewalFact>,
    pub risks: Vec<Item>,
    pub people: Vec<PersonFact>,
}

/// The last touch with these attendees: the latest note one of them attended, else the latest
/// note on the account.
pub fn last_touch<'a>(notes: &'a [NoteFact], attendee_contacts: &HashSet<String>) -> Option<&'a NoteFact> {
    notes.iter().find(|n| n.contact_ids.iter().any(|c| attendee_contacts.contains(c))).or_else(|| notes.first())
}

fn line(text: String, source: BriefSource, id: &str) -> BriefLine {
    BriefLine { text, source, source_id: id.to_owned(), private: false }
}

fn ago(day: NaiveDate, today: NaiveDate) -> String {
    match (today - day).num_days() {
        0 => "today".to_owned(),
        1 => "yesterday".to_owned(),
        n if n > 0 => format!("{n} days ago"),
        n => format!("in {} days", -n),
    }
}

/// `attendee_contacts`: the meeting's attendees known as contacts (none: the account's brief).
pub fn brief(facts: &BriefFacts, attendee_contacts: &HashSet<String>, today: NaiveDate) -> Brief {
    let since = last_touch(&facts.notes, attendee_contacts);
    let sections = vec![
        BriefSection { title: "Since the last touch".into(), lines: since_lines(facts, since, today) },
        BriefSection { title: "Open on our side and theirs".into(), lines: open_lines(facts, today) },
        BriefSection { title: "Renewal and risks".into(), lines: renewal_lines(facts, today) },
        BriefSection { title: "Who is coming".into(), lines: people_lines(facts, today) },
        BriefSection { title: "Latest notes".into(), lines: note_lines(facts) },
    ];
    let markdown = markdown(facts, &sections);
    Brief {
        account_id: facts.account_id.clone(),
        account_name: facts.account_name.clone(),
        meeting: facts.meeting.clone(),
        since: since.map(|n| n.day),
        sections,
        markdown,
    }
}

fn since_lines(facts: &BriefFacts, since: Option<&NoteFact>, today: NaiveDate) -> Vec<BriefLine> {
    let mut lines = Vec::new();
    match since {
        Some(note) => lines.push(line(
            format!("Last touch {} ({}): {}", day_text(note.day), ago(note.day, today), note.first_line),
            BriefSource::Note,
            &note.id,
        )),
        None => lines.push(line("No note on this account yet.".into(), BriefSource::Account, &facts.account_id)),
    }
    if let Some(now) = &facts.health_now {
        let text = match &facts.health_then {
            Some(then) if then.day < now.day => {
                let moved = biggest_move(then, now)
                    .map(|(m, a, b)| format!("; {} moved most ({a:.0} → {b:.0})", m.label()))
                    .unwrap_or_default();
                format!(
                    "Health {} ({}) now, {} ({}) on {}{moved}",
                    now.score,
                    now.band.as_str(),
                    then.score,
                    then.band.as_str(),
                    day_text(then.day)
                )
            }
            _ => format!("Health {} ({})", now.score, now.band.as_str()),
        };
        lines.push(line(text, BriefSource::Health, &facts.account_id));
    }
    for critical in [false, true] {
        let readings: Vec<&TicketReading> = facts.tickets.iter().filter(|t| t.critical == critical).collect();
        let what = if critical { "Critical tickets open" } else { "Tickets open" };
        match (readings.first(), readings.last()) {
            (Some(first), Some(last)) if first.day < last.day => {
                let change = last.open - first.open;
                let said = if change > 0.0 {
                    format!("{change:.0} more")
                } else if change < 0.0 {
                    format!("{:.0} fewer", -change)
                } else {
                    "no change".to_owned()
                };
                lines.push(line(
                    format!(
                        "{what}: {:.0} on {} → {:.0} on {} ({said})",
                        first.open,
                        day_text(first.day),
                        last.open,
                        day_text(last.day)
                    ),
                    BriefSource::Signal,
                    &last.signal_id,
                ));
            }
            (Some(_), Some(last)) => lines.push(line(
                format!("{what}: {:.0} on {}", last.open, day_text(last.day)),
                BriefSource::Signal,
                &last.signal_id,
            )),
            _ => {}
        }
    }
    lines
}

/// The measure whose mapped value changed most between two scores.
fn biggest_move(then: &HealthMark, now: &HealthMark) -> Option<(Measure, f64, f64)> {
    let before: BTreeMap<Measure, f64> = then.measures.iter().copied().collect();
    now.measures
        .iter()
        .filter_map(|(m, b)| before.get(m).map(|a| (*m, *a, *b)))
        .filter(|(_, a, b)| (a - b).abs() >= 5.0)
        .max_by(|x, y| (x.1 - x.2).abs().total_cmp(&(y.1 - y.2).abs()))
}

fn open_lines(facts: &BriefFacts, today: NaiveDate) -> Vec<BriefLine> {
    let dated = |i: &Item, what: &str| match i.day {
        Some(d) => format!("{what}: {} (due {}, {})", i.text, day_text(d), ago(d, today)),
        None => format!("{what}: {}", i.text),
    };
    let mut lines: Vec<BriefLine> =
        facts.overdue_tasks.iter().map(|t| line(dated(t, "Overdue"), BriefSource::Task, &t.id)).collect();
    lines.extend(
        facts.next_steps.iter().map(|t| line(dated(t, "Next step from the last note"), BriefSource::Task, &t.id)),
    );
    for m in &facts.metrics {
        let stale = m.day.is_none_or(|d| (today - d).num_days() > METRIC_STALE_DAYS);
        if stale {
            let when = m.day.map_or("never confirmed".to_owned(), |d| format!("last confirmed {}", day_text(d)));
            lines.push(line(format!("Success metric to confirm: {} ({when})", m.text), BriefSource::Metric, &m.id));
        }
    }
    lines
}

fn renewal_lines(facts: &BriefFacts, today: NaiveDate) -> Vec<BriefLine> {
    let mut lines = Vec::new();
    if let Some(r) = &facts.renewal {
        let call =
            r.forecast.as_deref().map(|f| format!(", forecast {f}")).unwrap_or_else(|| ", no forecast call yet".into());
        lines.push(line(
            format!("Renewal {} ({}), {} ARR{call}", day_text(r.date), ago(r.date, today), r.arr.text()),
            BriefSource::Renewal,
            &facts.account_id,
        ));
    }
    lines.extend(facts.risks.iter().map(|r| line(format!("Open risk: {}", r.text), BriefSource::Risk, &r.id)));
    lines
}

fn people_lines(facts: &BriefFacts, today: NaiveDate) -> Vec<BriefLine> {
    let mut lines = Vec::new();
    for p in &facts.people {
        let role = p.role.as_deref().map(|r| format!(", {r}")).unwrap_or_default();
        let touch = match p.last_touch {
            Some(d) => format!("last in a note {} ({})", day_text(d), ago(d, today)),
            None => "never in a note".to_owned(),
        };
        let (source, id) = match &p.contact_id {
            Some(id) => (BriefSource::Contact, id.as_str()),
            None => (BriefSource::Account, facts.account_id.as_str()),
        };
        let known = if p.contact_id.is_some() { "" } else { " — not a contact yet" };
        lines.push(line(format!("{} <{}>{role}: {touch}{known}", p.name, p.email), source, id));
        if let Some(stance) = &p.stance {
            lines.push(BriefLine { private: true, ..line(format!("{}'s stance: {stance}", p.name), source, id) });
        }
    }
    lines
}

fn note_lines(facts: &BriefFacts) -> Vec<BriefLine> {
    facts
        .notes
        .iter()
        .take(NOTES_QUOTED)
        .map(|n| line(format!("{}: {}", day_text(n.day), n.first_line), BriefSource::Note, &n.id))
        .collect()
}

/// The brief as Markdown to paste or save; private lines (stances) left out.
fn markdown(facts: &BriefFacts, sections: &[BriefSection]) -> String {
    let mut out = format!("# Brief: {}\n", plain(&facts.account_name));
    if let Some(m) = &facts.meeting {
        let time = m.time.as_deref().map(|t| format!(" {t}")).unwrap_or_default();
        out.push_str(&format!("\n{} — {}{time}\n", plain(&m.title), day_text(m.day)));
    }
    for s in sections {
        let lines: Vec<&BriefLine> = s.lines.iter().filter(|l| !l.private).collect();
        if lines.is_empty() {
            continue;
        }
        out.push_str(&format!("\n## {}\n\n", s.title));
        for l in lines {
            out.push_str(&format!("- {}\n", plain(&l.text)));
        }
    }
    out
}

/// Text from a note or a calendar as Markdown that shows it as written (no links, no HTML).
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_{}[]<>#|!".contains(c) {
            out.push('\\');
        }
        out.push(if c == '\n' { ' ' } else { c });
    }
    out
}

/// The note a held meeting starts: its account, its day and time, who attended (contacts by name
/// where known, others by the name their invitation gives; the CSM's colleagues left out), and the
/// template its title suggests. `contacts`: the account's (id, name, email).
pub fn note_prefill(
    meeting: &Meeting,
    account_id: &str,
    contacts: &[(String, String, String)],
    internal: &[String],
) -> NoteInput {
    let attendees = meeting
        .attendees
        .iter()
        .filter(|a| a.domain().is_some_and(|d| !internal.iter().any(|i| i == d)))
        .map(|a| match contacts.iter().find(|(_, _, email)| email.eq_ignore_ascii_case(&a.email)) {
            Some((id, name, _)) => Attendee { contact_id: Some(id.clone()), name: name.clone() },
            None => Attendee { contact_id: None, name: a.name.clone().unwrap_or_else(|| a.email.clone()) },
        })
        .collect();
    let time = meeting.time.clone().unwrap_or_else(|| "09:00".to_owned());
    NoteInput {
        account_id: account_id.to_owned(),
        occurred_at: format!("{}T{time}", meeting.day),
        template: template_for(&meeting.title).to_owned(),
        title: meeting.title.chars().take(200).collect(),
        body_md: String::new(),
        sentiment: String::new(),
        private: true,
        attendees,
        tags: Vec::new(),
        action_items: Vec::new(),
    }
}

/// The note template a meeting's title suggests ("Q3 business review" → QBR).
pub fn template_for(title: &str) -> &'static str {
    let t = title.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if has(&["qbr", "business review", "ebr", "quarterly review"]) {
        "qbr"
    } else if has(&["renewal", "contract", "pricing"]) {
        "renewal"
    } else if has(&["onboarding", "kickoff", "kick-off", "kick off", "implementation", "go-live"]) {
        "onboarding"
    } else if has(&["escalation", "incident", "outage"]) {
        "escalation"
    } else if has(&["discovery", "intro"]) {
        "discovery"
    } else {
        "check_in"
    }
}

#[cfg(test)]
mod tests;
