//! The sample book's risks and asks, so the Risks and Asks pages, the Week's risk reasons and a
//! QBR's "You asked, we did" have something real to show on first run.

use chrono::{DateTime, Days, Utc};
use rusqlite::{params, Transaction};

use super::on_timeline;
use crate::error::Result;
use crate::model::{new_id, Account, Segment};

/// (title, reasons, severity, share of ARR at risk %, stage, opened days ago, stage days ago,
///  last update days ago, plan steps (title, due in days, done)).
type SampleRisk = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static str,
    u64,
    u64,
    Option<u64>,
    &'static [(&'static str, i64, bool)],
);

const RISKS: [SampleRisk; 5] = [
    ("Budget review may cut the seat count", r#"["budget cut"]"#, "high", 40, "identified", 5, 5, None, &[]),
    (
        "Champion is leaving in Q1",
        r#"["sponsor left"]"#,
        "high",
        100,
        "plan_in_place",
        24,
        16,
        Some(9),
        &[("Meet the new head of operations", 4, false), ("Map a second champion in finance", -6, true)],
    ),
    (
        "Competitor pilot in the EMEA team",
        r#"["competitor", "product gap"]"#,
        "medium",
        30,
        "saving",
        40,
        12,
        Some(2),
        &[("Roadmap session on the EMEA gaps", 9, false)],
    ),
    (
        "Low adoption in the second business unit",
        r#"["low adoption", "poor onboarding"]"#,
        "medium",
        20,
        "identified",
        1,
        1,
        None,
        &[],
    ),
    ("Escalation on failed exports", r#"["support escalation"]"#, "critical", 60, "recovered", 50, 10, Some(10), &[]),
];

/// (title, problem, status, reference, status days ago, how many of the accounts ask).
const ASKS: [(&str, &str, &str, &str, u64, usize); 6] = [
    ("SSO with Okta", "Two logins for everyone; security wants one identity provider.", "planned", "PROD-142", 12, 4),
    ("Bulk user import from CSV", "Onboarding a new team means adding people one by one.", "new", "", 3, 3),
    ("Export dashboards to PDF", "Monthly board packs are screenshots today.", "sent_to_product", "PROD-188", 20, 2),
    ("Audit log export", "Compliance asks for a yearly export of who changed what.", "shipped", "PROD-97", 18, 3),
    ("Two-way Salesforce sync", "", "new", "", 6, 1),
    ("Dark mode in the mobile app", "", "declined", "PROD-61", 30, 1),
];

pub(crate) fn load(tx: &Transaction<'_>, accounts: &[Account], now: DateTime<Utc>) -> Result<()> {
    let today = now.date_naive();
    let mut ranked: Vec<&Account> = accounts.iter().filter(|a| a.arr.minor > 0).collect();
    ranked.sort_by_key(|a| (a.segment != Segment::HighTouch, -a.arr.minor, a.id.clone()));
    for (i, (title, reasons, severity, share, stage, opened, since, updated, steps)) in RISKS.iter().enumerate() {
        let Some(a) = ranked.get(1 + i * 2) else { break };
        let id = new_id();
        let day = |ago: u64| today - Days::new(ago);
        let closed = matches!(*stage, "recovered" | "lost").then(|| day(*since));
        tx.execute(
            "INSERT INTO risks (id, account_id, title, reasons, severity, arr_at_risk_minor, currency, stage, help_needed, \
             opened_on, stage_since, last_update_on, closed_on, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
            params![
                id,
                a.id,
                title,
                reasons,
                severity,
                a.arr.minor * share / 100,
                a.arr.currency,
                stage,
                if *severity == "critical" { r#"["support","executive"]"# } else { "[]" },
                day(*opened),
                day(*since),
                updated.map(day),
                closed,
                now
            ],
        )?;
        let risk = super::get(tx, &id, today)?;
        let at = |ago: u64| day(ago).and_hms_opt(11, 0, 0).unwrap_or_default().and_utc();
        on_timeline(tx, &risk, at(*opened), format!("Risk opened: {title}"), String::new())?;
        if let Some(ago) = updated {
            let body = "Spoke with the sponsor; next checkpoint booked.";
            tx.execute(
                "INSERT INTO risk_updates (risk_id, on_day, body) VALUES (?1, ?2, ?3)",
                params![id, day(*ago), body],
            )?;
            on_timeline(tx, &risk, at(*ago), format!("Risk update: {title}"), body.to_owned())?;
        }
        for (step, due_in, done) in steps.iter() {
            let task = new_id();
            let due =
                if *due_in >= 0 { today + Days::new(*due_in as u64) } else { today - Days::new(due_in.unsigned_abs()) };
            tx.execute(
                "INSERT INTO tasks (id, account_id, title, due_date, priority, status, source, provenance, completed_at, \
                 created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 'high', ?5, 'manual', ?6, ?7, ?8, ?8)",
                params![
                    task,
                    a.id,
                    step,
                    due,
                    if *done { "done" } else { "open" },
                    format!("Save plan for the risk “{title}”"),
                    done.then_some(now),
                    now
                ],
            )?;
            tx.execute("INSERT INTO risk_plan_steps (task_id, risk_id) VALUES (?1, ?2)", params![task, id])?;
        }
    }
    for (n, (title, problem, status, reference, ago, asking)) in ASKS.iter().enumerate() {
        let id = new_id();
        let on = today - Days::new(*ago);
        tx.execute(
            "INSERT INTO asks (id, title, problem, status, reference, status_on, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            params![id, title, problem, status, reference, on, now],
        )?;
        super::asks::write_words(tx, &id, title)?;
        for a in ranked.iter().skip(n).step_by(3).take(*asking) {
            let asked = on - Days::new(14 + 3 * n as u64);
            tx.execute(
                "INSERT INTO ask_accounts (ask_id, account_id, asked_on) VALUES (?1, ?2, ?3)",
                params![id, a.id, asked],
            )?;
        }
    }
    Ok(())
}
