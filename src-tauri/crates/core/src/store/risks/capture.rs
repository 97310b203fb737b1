//! A note's `risk:` and `ask:` lines: previewed as the CSM types, and recorded with the note (in
//! its transaction) as a risk update or a new risk, and as an account joining an ask or a new ask.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, Transaction};

use super::asks;
use crate::capture::{lines, Captured};
use crate::error::Result;
use crate::model::{AskStatus, CaptureKind, CaptureLine, RiskSeverity, RiskStage};
use crate::risks::update_target;
use crate::validate::{ValidAsk, ValidNote, ValidRisk};

/// The account's open risks, id and title, for matching a `risk:` line.
fn open_titles(conn: &Connection, account_id: &str) -> Result<Vec<(String, String)>> {
    super::query_all(
        conn,
        "SELECT id, title FROM risks WHERE account_id = ?1 AND closed_on IS NULL ORDER BY opened_on DESC",
        [account_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

fn matching_risk<'a>(open: &'a [(String, String)], text: &str) -> Option<&'a (String, String)> {
    let id = update_target(text, open.iter().map(|(id, title)| (id.as_str(), title.as_str())))?;
    open.iter().find(|(i, _)| i == id)
}

/// What each line will do when the note is saved.
pub(crate) fn preview(conn: &Connection, account_id: &str, body_md: &str) -> Result<Vec<CaptureLine>> {
    let found = lines(body_md);
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let open = open_titles(conn, account_id)?;
    let mut out = Vec::new();
    for Captured { kind, text } in found {
        let (text, outcome, ignored) = match text {
            Err(why) => (String::new(), why, true),
            Ok(text) => {
                let outcome = match kind {
                    CaptureKind::Risk => match matching_risk(&open, &text) {
                        Some((_, title)) => format!("Update to the risk “{title}”"),
                        None => "New risk (identified, medium)".to_owned(),
                    },
                    CaptureKind::Ask => match asks::matching(conn, &text)? {
                        Some((id, title)) => {
                            let n: u32 =
                                conn.query_row("SELECT count(*) FROM ask_accounts WHERE ask_id = ?1", [&id], |r| {
                                    r.get(0)
                                })?;
                            format!("Joins the ask “{title}” ({n} account{})", if n == 1 { "" } else { "s" })
                        }
                        None => "New ask".to_owned(),
                    },
                };
                (text, outcome, false)
            }
        };
        out.push(CaptureLine { kind, text, outcome, ignored });
    }
    Ok(out)
}

/// Records the note's lines inside its transaction.
pub(crate) fn apply_note_lines(
    tx: &Transaction<'_>,
    note_id: &str,
    d: &ValidNote,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<()> {
    let found = lines(&d.body_md);
    if found.is_empty() {
        return Ok(());
    }
    let note_day = d.occurred_at.date_naive().min(today);
    let contact = d.attendees.iter().find_map(|a| a.contact_id.as_deref());
    let mut open = open_titles(tx, &d.account_id)?;
    for Captured { kind, text } in found {
        let Ok(text) = text else { continue };
        match kind {
            CaptureKind::Risk => match matching_risk(&open, &text) {
                Some((id, _)) => {
                    let risk = super::get(tx, id, today)?;
                    super::insert_update(tx, &risk, &text, note_day.max(risk.opened_on), Some(note_id), now)?;
                }
                None => {
                    let draft = ValidRisk {
                        account_id: d.account_id.clone(),
                        title: text.clone(),
                        reasons: vec!["other".to_owned()],
                        severity: RiskSeverity::Medium,
                        arr_at_risk: None,
                        stage: RiskStage::Identified,
                        help_needed: Vec::new(),
                    };
                    let risk = super::insert(tx, &draft, Some(note_id), now, today)?;
                    open.push((risk.id, risk.title));
                }
            },
            CaptureKind::Ask => {
                let id = match asks::matching(tx, &text)? {
                    Some((id, _)) => id,
                    None => {
                        let draft = ValidAsk {
                            title: text.clone(),
                            problem: String::new(),
                            status: AskStatus::New,
                            reference: String::new(),
                        };
                        asks::insert(tx, &draft, today, now)?
                    }
                };
                asks::join(tx, &id, &d.account_id, contact, note_day, Some(note_id), now)?;
            }
        }
    }
    Ok(())
}
