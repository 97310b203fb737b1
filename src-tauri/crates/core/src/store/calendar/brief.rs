//! The facts a brief is made of, read for one account in a handful of indexed queries; the brief
//! itself is `crate::brief`, a pure function.

use std::collections::HashSet;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use super::super::columns::date;
use super::super::health::parse_mapped;
use super::super::risks::{first_line, query_all};
use super::{internal_domains_in, Store};
use crate::brief::{self, BriefFacts, HealthMark, Item, NoteFact, PersonFact, RenewalFact, TicketReading};
use crate::error::{Error, Result};
use crate::model::{Band, Brief, ContactRole, ForecastCategory, Meeting, Money, NoteInput, RiskStage, Stance};

/// Notes read to find the last touch with the attendees.
const NOTES_READ: usize = 50;
/// Without a meeting, the brief lists the account's people in these roles.
const KEY_ROLES: [ContactRole; 3] = [ContactRole::ExecutiveSponsor, ContactRole::Champion, ContactRole::DecisionMaker];

struct Person {
    id: String,
    name: String,
    email: String,
    role: ContactRole,
    stance: Option<Stance>,
    last_touch: Option<NaiveDate>,
}

fn people(conn: &Connection, account_id: &str) -> Result<Vec<Person>> {
    query_all(
        conn,
        "SELECT c.id, c.name, coalesce(lower(trim(c.email)), ''), c.role, c.stance, \
         (SELECT max(substr(n.occurred_at, 1, 10)) FROM note_attendees na JOIN notes n ON n.id = na.note_id \
          WHERE na.contact_id = c.id) FROM contacts c WHERE c.account_id = ?1 AND c.left_on IS NULL ORDER BY c.name",
        [account_id],
        |r| {
            Ok(Person {
                id: r.get(0)?,
                name: r.get(1)?,
                email: r.get(2)?,
                role: ContactRole::parse(&r.get::<_, String>(3)?).unwrap_or(ContactRole::Other),
                stance: r.get::<_, Option<String>>(4)?.as_deref().and_then(Stance::parse),
                last_touch: date(r, 5)?,
            })
        },
    )
}

fn notes(conn: &Connection, account_id: &str) -> Result<Vec<NoteFact>> {
    query_all(
        conn,
        "SELECT n.id, substr(n.occurred_at, 1, 10), n.title, n.body_md, \
         (SELECT group_concat(na.contact_id) FROM note_attendees na WHERE na.note_id = n.id) \
         FROM notes n WHERE n.account_id = ?1 ORDER BY n.occurred_at DESC, n.id LIMIT ?2",
        params![account_id, NOTES_READ],
        |r| {
            let title: String = r.get(2)?;
            let body: String = r.get(3)?;
            Ok(NoteFact {
                id: r.get(0)?,
                day: date(r, 1)?.unwrap_or_default(),
                first_line: if title.trim().is_empty() { first_line(&body) } else { title },
                contact_ids: r
                    .get::<_, Option<String>>(4)?
                    .map(|c| c.split(',').map(str::to_owned).collect())
                    .unwrap_or_default(),
            })
        },
    )
}

/// The account's health on `day` (the latest score on or before it); `None`: its latest.
fn health_on(conn: &Connection, account_id: &str, day: Option<NaiveDate>) -> Result<Option<HealthMark>> {
    Ok(conn
        .prepare_cached(
            "SELECT day, score, band, explanation FROM health_snapshots WHERE account_id = ?1 \
             AND (?2 IS NULL OR day <= ?2) ORDER BY day DESC LIMIT 1",
        )?
        .query_row(params![account_id, day], |r| {
            let band = match r.get::<_, String>(2)?.as_str() {
                "red" => Band::Red,
                "yellow" => Band::Yellow,
                _ => Band::Green,
            };
            Ok(HealthMark {
                day: date(r, 0)?.unwrap_or_default(),
                score: r.get(1)?,
                band,
                measures: parse_mapped(&r.get::<_, String>(3)?),
            })
        })
        .optional()?)
}

/// Open-ticket readings from the last one on or before `since` to now (just the latest without).
fn tickets(conn: &Connection, account_id: &str, since: Option<NaiveDate>) -> Result<Vec<TicketReading>> {
    let mut out = Vec::new();
    for (kind, critical) in [("tickets_open", false), ("critical_tickets_open", true)] {
        let from: Option<String> = match since {
            Some(since) => conn
                .query_row(
                    "SELECT max(recorded_on) FROM signals WHERE account_id = ?1 AND kind = ?2 AND recorded_on <= ?3",
                    params![account_id, kind, since],
                    |r| r.get(0),
                )
                .optional()?
                .flatten()
                .or(Some(since.to_string())),
            None => conn
                .query_row(
                    "SELECT max(recorded_on) FROM signals WHERE account_id = ?1 AND kind = ?2",
                    params![account_id, kind],
                    |r| r.get(0),
                )
                .optional()?
                .flatten(),
        };
        let Some(from) = from else { continue };
        out.extend(query_all(
            conn,
            "SELECT id, recorded_on, value FROM signals WHERE account_id = ?1 AND kind = ?2 AND recorded_on >= ?3 \
             ORDER BY recorded_on, id",
            params![account_id, kind, from],
            |r| {
                Ok(TicketReading {
                    signal_id: r.get(0)?,
                    critical,
                    day: date(r, 1)?.unwrap_or_default(),
                    open: r.get(2)?,
                })
            },
        )?);
    }
    Ok(out)
}

fn items(conn: &Connection, sql: &str, args: impl rusqlite::Params) -> Result<Vec<Item>> {
    query_all(conn, sql, args, |r| Ok(Item { id: r.get(0)?, text: r.get(1)?, day: date(r, 2)? }))
}

fn renewal(conn: &Connection, account_id: &str, today: NaiveDate) -> Result<Option<RenewalFact>> {
    Ok(conn
        .query_row(
            "SELECT a.renewal_date, a.arr_minor, a.currency, r.category FROM accounts a \
             LEFT JOIN renewals r ON r.account_id = a.id WHERE a.id = ?1 AND a.renewal_date >= ?2",
            params![account_id, today],
            |r| {
                Ok(RenewalFact {
                    date: date(r, 0)?.unwrap_or(today),
                    arr: Money::new(r.get(1)?, &r.get::<_, String>(2)?),
                    forecast: r
                        .get::<_, Option<String>>(3)?
                        .as_deref()
                        .and_then(ForecastCategory::parse)
                        .map(|c| c.label().to_owned()),
                })
            },
        )
        .optional()?)
}

fn risks(conn: &Connection, account_id: &str) -> Result<Vec<Item>> {
    let rows = query_all(
        conn,
        "SELECT id, title, stage, severity FROM risks WHERE account_id = ?1 AND closed_on IS NULL ORDER BY opened_on",
        [account_id],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?)),
    )?;
    Ok(rows
        .into_iter()
        .map(|(id, title, stage, severity)| {
            let stage = RiskStage::parse(&stage).map_or(stage.clone(), |s| s.label().to_owned());
            Item { id, text: format!("{title} — {stage}, {severity}"), day: None }
        })
        .collect())
}

/// The people of the brief: the meeting's external attendees (contacts where known), or without a
/// meeting the account's sponsors, champions and decision makers.
fn people_facts(all: &[Person], meeting: Option<&Meeting>, internal: &[String]) -> Vec<PersonFact> {
    let fact = |p: &Person| PersonFact {
        contact_id: Some(p.id.clone()),
        name: p.name.clone(),
        email: p.email.clone(),
        role: Some(p.role.as_str().replace('_', " ")),
        stance: p.stance.map(|s| s.as_str().to_owned()),
        last_touch: p.last_touch,
    };
    let Some(meeting) = meeting else {
        return all.iter().filter(|p| KEY_ROLES.contains(&p.role)).map(fact).collect();
    };
    meeting
        .attendees
        .iter()
        .filter(|a| a.domain().is_some_and(|d| !internal.iter().any(|i| i == d)))
        .map(|a| match all.iter().find(|p| p.email == a.email) {
            Some(p) => fact(p),
            None => PersonFact {
                contact_id: None,
                name: a.name.clone().unwrap_or_else(|| a.email.clone()),
                email: a.email.clone(),
                role: None,
                stance: None,
                last_touch: None,
            },
        })
        .collect()
}

impl Store {
    /// The brief for a meeting, or for an account (before its next meeting if it has one).
    pub fn brief(&self, account_id: Option<&str>, meeting_id: Option<&str>, today: NaiveDate) -> Result<Brief> {
        let meeting = match (meeting_id, account_id) {
            (Some(id), _) => Some(self.meeting(id)?),
            (None, Some(account)) => self.account_meetings(account, today)?.into_iter().find(|m| m.day >= today),
            (None, None) => return Err(Error::invalid("account_id", "Choose a meeting or an account.")),
        };
        let account_id = match meeting.as_ref().and_then(|m| m.account_id.clone()).or(account_id.map(str::to_owned)) {
            Some(id) => id,
            None => return Err(Error::invalid("meeting_id", "This meeting has no account yet: assign it first.")),
        };
        let conn = self.conn();
        let account_name: String = conn
            .query_row("SELECT name FROM accounts WHERE id = ?1", [&account_id], |r| r.get(0))
            .optional()?
            .ok_or(Error::NotFound("account"))?;
        let all_people = people(&conn, &account_id)?;
        let internal = internal_domains_in(&conn)?;
        let attendee_contacts: HashSet<String> = match &meeting {
            Some(m) => all_people
                .iter()
                .filter(|p| m.attendees.iter().any(|a| a.email == p.email))
                .map(|p| p.id.clone())
                .collect(),
            None => HashSet::new(),
        };
        let notes = notes(&conn, &account_id)?;
        let since = brief::last_touch(&notes, &attendee_contacts).map(|n| (n.day, n.id.clone()));
        let facts = BriefFacts {
            health_then: match since {
                Some((day, _)) => health_on(&conn, &account_id, Some(day))?,
                None => None,
            },
            health_now: health_on(&conn, &account_id, None)?,
            tickets: tickets(&conn, &account_id, since.as_ref().map(|s| s.0))?,
            overdue_tasks: items(
                &conn,
                "SELECT id, title, due_date FROM tasks WHERE account_id = ?1 AND status IN ('open', 'snoozed') \
                 AND due_date < ?2 ORDER BY due_date, id LIMIT 10",
                params![account_id, today],
            )?,
            next_steps: items(
                &conn,
                "SELECT id, title, due_date FROM tasks WHERE note_id = ?1 AND status IN ('open', 'snoozed') \
                 AND (due_date IS NULL OR due_date >= ?2) ORDER BY due_date, id LIMIT 10",
                params![since.as_ref().map(|s| s.1.as_str()), today],
            )?,
            metrics: items(
                &conn,
                "SELECT id, name, confirmed_on FROM success_metrics WHERE account_id = ?1 ORDER BY name, id",
                [&account_id],
            )?,
            renewal: renewal(&conn, &account_id, today)?,
            risks: risks(&conn, &account_id)?,
            people: people_facts(&all_people, meeting.as_ref(), &internal),
            notes,
            account_id,
            account_name,
            meeting,
        };
        Ok(brief::brief(&facts, &attendee_contacts, today))
    }

    /// "Log this call": the note editor's start for a meeting that happened.
    pub fn meeting_note(&self, meeting_id: &str) -> Result<NoteInput> {
        let meeting = self.meeting(meeting_id)?;
        let Some(account_id) = meeting.account_id.clone() else {
            return Err(Error::invalid("meeting_id", "This meeting has no account yet: assign it first."));
        };
        let conn = self.conn();
        let contacts: Vec<(String, String, String)> =
            people(&conn, &account_id)?.into_iter().map(|p| (p.id, p.name, p.email)).collect();
        Ok(brief::note_prefill(&meeting, &account_id, &contacts, &internal_domains_in(&conn)?))
    }
}
