//! Taking everything out: the whole book as one CSV file per entity plus one JSON file, written
//! into a new folder all or nothing; and one account as a Markdown dossier.

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde_json::{json, Value};

use super::Store;
use crate::error::{Error, Result};
use crate::exchange::csv_write::to_csv;
use crate::exchange::write_atomically;
use crate::model::{words, ExportSummary, ExportedFile};
use crate::validate::{format_amount, format_bps};

/// One entity's export: its file stem, the CSV columns, and the query (columns in that order).
struct Table {
    name: &'static str,
    columns: &'static [&'static str],
    sql: &'static str,
}

const TABLES: &[Table] = &[
    Table {
        name: "accounts",
        columns: &[
            "id", "name", "domain", "segment", "lifecycle_stage", "industry", "region", "employees", "owner", "arr",
            "currency", "contract_start", "contract_end", "renewal_date", "contract_term_months", "products",
            "licences_purchased", "discount_bps", "customer_since", "last_touch_at", "archived_at", "created_at",
            "updated_at",
        ],
        sql: "SELECT id, name, domain, segment, lifecycle_stage, industry, region, employees, owner, arr_minor, currency, \
              contract_start, contract_end, renewal_date, contract_term_months, products, licences_purchased, \
              discount_bps, customer_since, last_touch_at, archived_at, created_at, updated_at FROM accounts ORDER BY name",
    },
    Table {
        name: "contacts",
        columns: &["id", "account_id", "account", "name", "email", "title", "phone", "role", "left_on", "created_at", "updated_at"],
        sql: "SELECT c.id, c.account_id, a.name, c.name, c.email, c.title, c.phone, c.role, c.left_on, c.created_at, \
              c.updated_at FROM contacts c JOIN accounts a ON a.id = c.account_id ORDER BY a.name, c.name",
    },
    Table {
        name: "tasks",
        columns: &[
            "id", "account_id", "account", "title", "due_date", "due_time", "priority", "effort_minutes", "status",
            "snoozed_until", "source", "provenance", "details", "completed_at", "created_at", "updated_at",
        ],
        sql: "SELECT t.id, t.account_id, a.name, t.title, t.due_date, t.due_time, t.priority, t.effort_minutes, t.status, \
              t.snoozed_until, t.source, t.provenance, t.details, t.completed_at, t.created_at, t.updated_at FROM tasks t \
              LEFT JOIN accounts a ON a.id = t.account_id ORDER BY t.due_date, t.title",
    },
    Table {
        name: "notes",
        columns: &[
            "id", "account_id", "account", "occurred_at", "template", "title", "sentiment", "private", "attendees", "tags",
            "body_md",
        ],
        sql: "SELECT n.id, n.account_id, a.name, n.occurred_at, n.template, n.title, n.sentiment, n.private, \
              (SELECT group_concat(name, '; ') FROM note_attendees WHERE note_id = n.id), \
              (SELECT group_concat(tag, ' ') FROM note_tags WHERE note_id = n.id), n.body_md \
              FROM notes n JOIN accounts a ON a.id = n.account_id ORDER BY n.occurred_at",
    },
    Table {
        name: "signals",
        columns: &["id", "account_id", "account", "kind", "value", "recorded_on", "expires_on", "source", "comment"],
        sql: "SELECT s.id, s.account_id, a.name, s.kind, s.value, s.recorded_on, s.expires_on, s.source, s.comment \
              FROM signals s JOIN accounts a ON a.id = s.account_id ORDER BY a.name, s.recorded_on",
    },
    Table {
        name: "risks",
        columns: &[
            "id", "account_id", "account", "title", "reasons", "severity", "arr_at_risk_minor", "currency", "stage",
            "help_needed", "opened_on", "stage_since", "last_update_on", "closed_on", "updates",
        ],
        sql: "SELECT r.id, r.account_id, a.name, r.title, r.reasons, r.severity, r.arr_at_risk_minor, r.currency, r.stage, \
              r.help_needed, r.opened_on, r.stage_since, r.last_update_on, r.closed_on, \
              (SELECT group_concat(u.on_day || ': ' || u.body, char(10)) FROM risk_updates u WHERE u.risk_id = r.id) \
              FROM risks r JOIN accounts a ON a.id = r.account_id ORDER BY a.name, r.opened_on",
    },
    Table {
        name: "asks",
        columns: &["id", "title", "problem", "status", "reference", "status_on", "accounts"],
        sql: "SELECT s.id, s.title, s.problem, s.status, s.reference, s.status_on, \
              (SELECT group_concat(a.name, '; ') FROM ask_accounts k JOIN accounts a ON a.id = k.account_id \
               WHERE k.ask_id = s.id) FROM asks s ORDER BY s.title",
    },
];

/// Every row of a table as (CSV cells, JSON object).
fn rows(conn: &Connection, table: &Table) -> Result<Vec<(Vec<String>, Value)>> {
    let mut stmt = conn.prepare(table.sql)?;
    let out = stmt
        .query_map([], |row| {
            let mut cells = Vec::with_capacity(table.columns.len());
            let mut object = serde_json::Map::new();
            for (i, column) in table.columns.iter().enumerate() {
                let value = match row.get_ref(i)? {
                    rusqlite::types::ValueRef::Null => Value::Null,
                    rusqlite::types::ValueRef::Integer(n) => json!(n),
                    rusqlite::types::ValueRef::Real(x) => json!(x),
                    rusqlite::types::ValueRef::Text(t) => json!(String::from_utf8_lossy(t)),
                    rusqlite::types::ValueRef::Blob(_) => Value::Null,
                };
                cells.push(match &value {
                    Value::Null => String::new(),
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                });
                object.insert((*column).to_owned(), value);
            }
            Ok((cells, Value::Object(object)))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(out)
}

/// ARR is stored in minor units; people (and the importer) read it as an amount ("120000.50").
fn arr_as_amount(rows: &mut [(Vec<String>, Value)]) {
    for (cells, object) in rows {
        let minor = cells[9].parse().unwrap_or(0);
        let amount = format_amount(&crate::model::Money::new(minor, &cells[10]));
        cells[9] = amount.clone();
        object["arr"] = json!(amount);
    }
}

impl Store {
    /// Writes the whole book into a new folder inside `dir`: accounts, contacts, tasks, notes,
    /// signals, risks and asks as CSV (cells that a spreadsheet would run are neutralised) and
    /// everything as one JSON file. Read in one transaction, so the files agree; on any failure the folder is removed.
    pub fn export_book(&self, dir: &Path, now: DateTime<Utc>) -> Result<ExportSummary> {
        let folder = dir.join(format!("csm-desk-export-{}", now.format("%Y-%m-%d-%H%M%S")));
        let fail = |reason: String| Error::Export { path: folder.clone(), reason };
        std::fs::create_dir(&folder).map_err(|e| fail(e.to_string()))?;
        let written = self.write_export(&folder, now);
        if written.is_err() {
            let _ = std::fs::remove_dir_all(&folder);
        }
        written
    }

    fn write_export(&self, folder: &Path, now: DateTime<Utc>) -> Result<ExportSummary> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let mut files = Vec::new();
        let mut book = serde_json::Map::new();
        book.insert("exported_at".into(), json!(now.to_rfc3339()));
        book.insert(
            "schema_version".into(),
            json!(tx.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))?),
        );
        for table in TABLES {
            let mut rows = rows(&tx, table)?;
            if table.name == "accounts" {
                arr_as_amount(&mut rows);
            }
            let (cells, objects): (Vec<_>, Vec<_>) = rows.into_iter().unzip();
            let count = cells.len();
            write_atomically(&folder.join(format!("{}.csv", table.name)), &to_csv(table.columns, cells))?;
            files.push(ExportedFile { name: format!("{}.csv", table.name), rows: count as u64 });
            book.insert(table.name.to_owned(), Value::Array(objects));
        }
        let json = serde_json::to_vec_pretty(&Value::Object(book))
            .map_err(|e| Error::Export { path: folder.to_owned(), reason: e.to_string() })?;
        write_atomically(&folder.join("book.json"), &json)?;
        files.push(ExportedFile { name: "book.json".into(), rows: files.iter().map(|f| f.rows).sum() });
        Ok(ExportSummary { folder: folder.display().to_string(), files })
    }

    /// One account as a Markdown document: overview, contacts, open tasks, notes, health history.
    pub fn account_dossier(&self, id: &str, today: NaiveDate) -> Result<String> {
        let overview = self.account_overview(id, today)?;
        let report = self.health_report(id, today)?;
        let a = &overview.account;
        let mut md = format!("# {}\n\n", inert(&a.name));
        let money = |m: &crate::model::Money| m.text();
        let opt = |v: &Option<String>| v.as_deref().map_or_else(|| "—".to_owned(), inert);
        let day = |d: Option<NaiveDate>| d.map_or("—".to_owned(), |d| d.to_string());
        md.push_str(&format!(
            "| | |\n|---|---|\n| Domain | {} |\n| Segment | {} |\n| Stage | {} |\n| ARR | {} |\n| Renewal | {} |\n| Owner | {} |\n| Discount | {} |\n| Health | {} |\n\n",
            opt(&a.domain),
            words(a.segment.as_str()),
            words(a.lifecycle_stage.as_str()),
            money(&a.arr),
            day(a.renewal_date),
            opt(&a.owner),
            a.discount_bps.map_or("—".to_owned(), |b| format!("{}%", format_bps(b))),
            report.current.as_ref().map_or("not scored".to_owned(), |h| format!("{} ({})", h.score, h.band.as_str())),
        ));
        md.push_str("## Contacts\n\n");
        for c in &overview.contacts {
            let left = c.left_on.map(|d| format!(" — left {d}")).unwrap_or_default();
            md.push_str(&format!(
                "- **{}**, {} ({}) {}{left}\n",
                inert(&c.name),
                opt(&c.title),
                words(c.role.as_str()),
                opt(&c.email)
            ));
        }
        md.push_str("\n## Open tasks\n\n");
        for t in self.account_tasks(id)?.iter().filter(|t| t.is_pending()) {
            md.push_str(&format!("- [ ] {} (due {})\n", inert(&t.title), day(t.due_date)));
        }
        md.push_str("\n## Notes\n\n");
        let notes: Vec<String> = self
            .conn()
            .prepare("SELECT id FROM notes WHERE account_id = ?1 ORDER BY occurred_at DESC")?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for note_id in notes {
            let n = self.note(&note_id)?;
            md.push_str(&format!(
                "### {} — {}\n\n{}\n\n",
                n.occurred_at.format("%Y-%m-%d %H:%M UTC"),
                inert(&n.title),
                inert(&n.body_md)
            ));
        }
        md.push_str("## Health history\n\n| Day | Score | Band |\n|---|---|---|\n");
        for p in report.history.iter().rev().step_by(7).take(26) {
            md.push_str(&format!("| {} | {} | {} |\n", p.day, p.score, p.band.as_str()));
        }
        Ok(md)
    }
}

/// Text for a Markdown file with any raw HTML shown as text, not run by the viewer that opens it
/// (a note pasted from an email may hold tags); the Markdown itself is kept.
fn inert(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ContactInput, NoteInput};
    use crate::sample::{generate, SampleSpec};
    use crate::validate;

    fn now() -> DateTime<Utc> {
        "2026-11-22T09:30:00Z".parse().unwrap()
    }

    #[test]
    fn the_whole_book_goes_out_as_csv_and_json_with_formulas_neutralised() {
        let store = Store::open_in_memory().unwrap();
        store.start_book(Some(&generate(&SampleSpec::DEMO, now().date_naive())), now()).unwrap();
        let account = store.book(now().date_naive()).unwrap()[0].id.clone();
        let hostile = ContactInput {
            name: "=HYPERLINK(\"http://evil\",\"Ana\")".into(),
            role: "user".into(),
            ..Default::default()
        };
        store.create_contact(&account, &validate::contact(&hostile).unwrap(), now(), now().date_naive()).unwrap();
        let note = NoteInput {
            account_id: account.clone(),
            body_md: "Zoë said \"ok\", then\nleft".into(),
            ..Default::default()
        };
        store.create_note(&validate::note(&note, now(), &Utc).unwrap(), None, now(), now().date_naive()).unwrap();

        let dir = tempfile::tempdir().unwrap();
        let summary = store.export_book(dir.path(), now()).unwrap();
        let folder = Path::new(&summary.folder);
        let names: Vec<&str> = summary.files.iter().map(|f| f.name.as_str()).collect();
        let expected = [
            "accounts.csv",
            "contacts.csv",
            "tasks.csv",
            "notes.csv",
            "signals.csv",
            "risks.csv",
            "asks.csv",
            "book.json",
        ];
        assert_eq!(names, expected);
        assert_eq!(summary.files[0].rows, 40);
        assert_eq!(summary.files[5].rows, 5, "the sample's risks, open and closed");

        let contacts = std::fs::read_to_string(folder.join("contacts.csv")).unwrap();
        assert!(contacts.contains("'=HYPERLINK"), "a formula is shown, never run");
        let mut reader = csv::Reader::from_path(folder.join("notes.csv")).unwrap();
        let bodies: Vec<String> = reader.records().map(|r| r.unwrap()[10].to_owned()).collect();
        assert!(bodies.contains(&"Zoë said \"ok\", then\nleft".to_owned()), "quotes and newlines survive");

        let book: Value = serde_json::from_slice(&std::fs::read(folder.join("book.json")).unwrap()).unwrap();
        assert_eq!(book["accounts"].as_array().unwrap().len(), 40);
        assert_eq!(book["contacts"].as_array().unwrap().len() as u64, summary.files[1].rows);
        assert!(
            book["contacts"].as_array().unwrap().iter().any(|c| c["name"] == "=HYPERLINK(\"http://evil\",\"Ana\")"),
            "JSON keeps data as it is"
        );
    }

    #[test]
    fn an_export_to_a_missing_folder_fails_clearly_and_leaves_nothing() {
        let store = Store::open_in_memory().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("gone");
        let err = store.export_book(&missing, now()).unwrap_err();
        assert_eq!(err.kind(), "export_failed");
        assert!(!missing.exists());
    }

    #[test]
    fn one_account_goes_out_as_a_markdown_dossier() {
        let store = Store::open_in_memory().unwrap();
        store.start_book(Some(&generate(&SampleSpec::DEMO, now().date_naive())), now()).unwrap();
        let row = store.book(now().date_naive()).unwrap()[0].clone();
        let pasted = NoteInput {
            account_id: row.id.clone(),
            body_md: "From the email: <img src=x onerror=alert(1)> **renewal** & pricing".into(),
            ..Default::default()
        };
        let draft = validate::note(&pasted, now(), &Utc).unwrap();
        store.create_note(&draft, None, now(), now().date_naive()).unwrap();
        let md = store.account_dossier(&row.id, now().date_naive()).unwrap();
        assert!(md.starts_with(&format!("# {}\n", row.name)));
        for section in ["## Contacts", "## Open tasks", "## Notes", "## Health history"] {
            assert!(md.contains(section), "{section}");
        }
        assert!(md.contains("&lt;img src=x onerror=alert(1)&gt; **renewal** &amp; pricing"), "raw HTML shown as text");
        assert!(!md.contains("<img"));
    }
}
