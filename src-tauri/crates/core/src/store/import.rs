//! Importing a CSV file: every row is planned first (validated like a form, matched to an
//! existing record by CRM id, domain, name or email), the preview shows the plan, and applying
//! writes it in one transaction. Nothing is written until the CSM applies.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::{accounts, contacts, health, search, Store};
use crate::error::{Error, Result};
use crate::exchange::csv_read::CsvTable;
use crate::exchange::import::{self, ImportKind, Row};
use crate::model::{
    new_id, AccountInput, ContactInput, ImportAction, ImportColumn, ImportField, ImportPreview, ImportResult,
    ImportRow, SearchKind, Signal,
};
use crate::store::renewals::history::ArrSource;
use crate::validate::{self, ValidAccount, ValidContact, ValidSignal};

/// What a row will do.
enum Plan {
    CreateAccount(ValidAccount, Option<String>),
    UpdateAccount(String, ValidAccount),
    CreateContact(String, ValidContact),
    UpdateContact(String, ValidContact),
    CreateSignal(String, ValidSignal),
    Skip(Vec<String>),
}

struct Planned {
    line: usize,
    label: String,
    plan: Plan,
}

fn problems(err: Error) -> Vec<String> {
    match err {
        Error::Invalid(fields) => fields.into_iter().map(|f| f.message).collect(),
        other => vec![other.to_string()],
    }
}

/// Existing records by the keys an import matches on, read once per import (a lookup per row
/// would scan the book for every line of a 50,000-row file).
struct Lookup {
    account_by_domain: HashMap<String, String>,
    account_by_name: HashMap<String, String>,
    contact_by_email: HashMap<String, String>,
    linked: HashMap<(String, String), String>,
}

impl Lookup {
    fn load(conn: &Connection) -> Result<Lookup> {
        let pairs = |sql: &str| -> Result<HashMap<String, String>> {
            let mut stmt = conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let mut stmt = conn.prepare("SELECT entity, remote_id, local_id FROM crm_links")?;
        let links = stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?;
        Ok(Lookup {
            account_by_domain: pairs("SELECT domain, id FROM accounts WHERE domain IS NOT NULL")?,
            account_by_name: pairs("SELECT lower(name), id FROM accounts")?,
            contact_by_email: pairs("SELECT lower(email), id FROM contacts WHERE email IS NOT NULL")?,
            linked: links.collect::<rusqlite::Result<_>>()?,
        })
    }

    /// The account a cell names, by domain or name (any case).
    fn account(&self, text: &str) -> Option<String> {
        let text = text.trim();
        let domain = text
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_start_matches("www.")
            .trim_end_matches('/');
        self.account_by_domain
            .get(&domain.to_lowercase())
            .or_else(|| self.account_by_name.get(&text.to_lowercase()))
            .cloned()
    }

    fn linked(&self, entity: &str, remote_id: &str) -> Option<String> {
        self.linked.get(&(entity.to_owned(), remote_id.to_owned())).cloned()
    }
}

/// The CRM an id comes from, by its shape: HubSpot ids are numbers, Salesforce ids 15 or 18
/// letters and digits.
fn crm_system(remote_id: &str) -> Option<&'static str> {
    if !remote_id.is_empty() && remote_id.chars().all(|c| c.is_ascii_digit()) {
        Some("hubspot")
    } else if matches!(remote_id.len(), 15 | 18) && remote_id.chars().all(|c| c.is_ascii_alphanumeric()) {
        Some("salesforce")
    } else {
        None
    }
}

/// Copies onto `base` the fields the row actually fills (an update keeps what the file leaves out).
fn overlay_account(mut base: AccountInput, new: AccountInput, row: &Row<'_>) -> AccountInput {
    let filled = |key: &str| !row.get(key).is_empty();
    macro_rules! take {
        ($($field:ident),*) => { $( if filled(stringify!($field)) { base.$field = new.$field.clone(); } )* };
    }
    take!(
        name,
        domain,
        segment,
        lifecycle_stage,
        industry,
        region,
        employees,
        owner,
        arr,
        currency,
        contract_start,
        contract_end,
        renewal_date,
        customer_since,
        licences_purchased
    );
    base
}

fn overlay_contact(mut base: ContactInput, new: ContactInput, row: &Row<'_>) -> ContactInput {
    let filled = |key: &str| !row.get(key).is_empty();
    if filled("name") || filled("first_name") || filled("last_name") {
        base.name = new.name;
    }
    macro_rules! take {
        ($($field:ident),*) => { $( if filled(stringify!($field)) { base.$field = new.$field.clone(); } )* };
    }
    take!(email, title, phone, role, left_on);
    base
}

fn plan_rows(
    conn: &Connection,
    kind: ImportKind,
    table: &CsvTable,
    mapping: &[Option<String>],
    today: NaiveDate,
) -> Result<Vec<Planned>> {
    let lookup = Lookup::load(conn)?;
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::with_capacity(table.rows.len());
    let dates = date_order(table, mapping);
    for (line, cells) in &table.rows {
        let row = Row::from_record(mapping, cells).with_dates(dates);
        let (label, plan) = match kind {
            ImportKind::Accounts => plan_account(conn, &lookup, &row)?,
            ImportKind::Contacts => plan_contact(conn, &lookup, &row)?,
            ImportKind::Signals => plan_signal(conn, &lookup, &row, today)?,
        };
        let mut plan = plan;
        let formulas = row.formulas();
        if !formulas.is_empty() {
            plan = Plan::Skip(formulas);
        }
        // The same record twice in one file: the first one wins, the second is pointed at it.
        let key = match &plan {
            Plan::CreateAccount(d, _) => Some(d.domain.clone().unwrap_or_else(|| d.name.to_lowercase())),
            Plan::CreateContact(_, d) | Plan::UpdateContact(_, d) => d.email.as_deref().map(str::to_lowercase),
            Plan::UpdateAccount(id, _) => Some(id.clone()),
            _ => None,
        };
        if let Some(key) = key {
            if let Some(first) = seen.get(&key) {
                plan = Plan::Skip(vec![format!("The same record as line {first}.")]);
            } else {
                seen.insert(key, *line);
            }
        }
        out.push(Planned { line: *line, label, plan });
    }
    Ok(out)
}

/// How the file writes its dates, from every cell of its date columns.
fn date_order(table: &CsvTable, mapping: &[Option<String>]) -> import::DateOrder {
    let columns: Vec<usize> = mapping
        .iter()
        .enumerate()
        .filter(|(_, f)| f.as_deref().is_some_and(|f| import::DATE_FIELDS.contains(&f)))
        .map(|(i, _)| i)
        .collect();
    let cells = table.rows.iter().flat_map(|(_, r)| columns.iter().filter_map(|&i| r.get(i)));
    import::guess_date_order(cells)
}

fn plan_account(conn: &Connection, lookup: &Lookup, row: &Row<'_>) -> Result<(String, Plan)> {
    let (new, unreadable) = import::account_input(row);
    let label = if new.name.is_empty() { row.get("domain").to_owned() } else { new.name.clone() };
    if !unreadable.is_empty() {
        return Ok((label, Plan::Skip(unreadable)));
    }
    let crm_id = row.get("crm_id").trim().to_owned();
    let by_domain = || Some(new.domain.as_str()).filter(|d| !d.is_empty()).and_then(|d| lookup.account(d));
    let by_name = || {
        Some(new.name.trim())
            .filter(|n| !n.is_empty())
            .and_then(|n| lookup.account_by_name.get(&n.to_lowercase()).cloned())
    };
    let existing = lookup.linked("account", &crm_id).or_else(by_domain).or_else(by_name);
    let plan = match existing {
        Some(id) => {
            let current: AccountInput = conn
                .prepare_cached(&format!("SELECT {} FROM accounts WHERE id = ?1", accounts::COLUMNS))?
                .query_row([&id], accounts::from_row)?
                .to_input();
            let merged = overlay_account(current, new, row);
            match (import::arr_currency(row), validate::account(&merged)) {
                // An amount in another currency than the account's is never relabelled.
                (Some(sign), _) if sign != merged.currency => Plan::Skip(vec![format!(
                    "ARR is in {sign}, but {} is kept in {}: add a currency column to change it.",
                    merged.name, merged.currency
                )]),
                (_, Ok(draft)) => Plan::UpdateAccount(id, draft),
                (_, Err(err)) => Plan::Skip(problems(err)),
            }
        }
        None => match validate::account(&new) {
            Ok(draft) => Plan::CreateAccount(draft, Some(crm_id).filter(|c| !c.is_empty())),
            Err(err) => Plan::Skip(problems(err)),
        },
    };
    Ok((label, plan))
}

fn plan_contact(conn: &Connection, lookup: &Lookup, row: &Row<'_>) -> Result<(String, Plan)> {
    let new = import::contact_input(row);
    let label = if new.name.is_empty() { new.email.clone() } else { new.name.clone() };
    let email = new.email.trim().to_lowercase();
    let existing =
        lookup.linked("contact", row.get("crm_id").trim()).or_else(|| lookup.contact_by_email.get(&email).cloned());
    let plan = match existing {
        Some(id) => {
            let current = conn
                .prepare_cached(&format!("SELECT {} FROM contacts WHERE id = ?1", contacts::COLUMNS))?
                .query_row([&id], contacts::from_row)?
                .to_input();
            match validate::contact(&overlay_contact(current, new, row)) {
                Ok(draft) => Plan::UpdateContact(id, draft),
                Err(err) => Plan::Skip(problems(err)),
            }
        }
        None => match (lookup.account(row.get("account")), validate::contact(&new)) {
            (Some(account), Ok(draft)) => Plan::CreateContact(account, draft),
            (None, draft) => {
                let mut why = vec![match row.get("account") {
                    "" => "Say which account the contact belongs to.".to_owned(),
                    name => format!("No account named “{name}” in your book."),
                }];
                why.extend(draft.err().map(problems).unwrap_or_default());
                Plan::Skip(why)
            }
            (_, Err(err)) => Plan::Skip(problems(err)),
        },
    };
    Ok((label, plan))
}

fn plan_signal(conn: &Connection, lookup: &Lookup, row: &Row<'_>, today: NaiveDate) -> Result<(String, Plan)> {
    let input = import::signal_input(row);
    let label = format!("{} {} {}", row.get("account"), input.kind, input.value);
    let Some(account) = lookup.account(row.get("account")) else {
        return Ok((label, Plan::Skip(vec![format!("No account named “{}” in your book.", row.get("account"))])));
    };
    let licences: Option<i64> = conn
        .query_row("SELECT licences_purchased FROM accounts WHERE id = ?1", [&account], |r| r.get(0))
        .optional()?
        .flatten();
    let plan = match validate::signal(&input, licences, today) {
        Ok(draft) => {
            let duplicate: Option<i64> = conn
                .prepare_cached(
                    "SELECT 1 FROM signals WHERE account_id = ?1 AND kind = ?2 AND recorded_on = ?3 AND value = ?4",
                )?
                .query_row(params![account, draft.kind.as_str(), draft.recorded_on, draft.value], |r| r.get(0))
                .optional()?;
            if duplicate.is_some() {
                Plan::Skip(vec!["Already recorded.".to_owned()])
            } else {
                Plan::CreateSignal(account, draft)
            }
        }
        Err(err) => Plan::Skip(problems(err)),
    };
    Ok((label, plan))
}

const PREVIEW_ROWS: usize = 1_000;

impl Store {
    /// What importing `table` with `mapping` (a field per column) would do. Writes nothing.
    pub fn preview_import(
        &self,
        kind: ImportKind,
        table: &CsvTable,
        mapping: &[Option<String>],
        today: NaiveDate,
    ) -> Result<ImportPreview> {
        let planned = plan_rows(&self.conn(), kind, table, mapping, today)?;
        let mut rows: Vec<ImportRow> = planned
            .iter()
            .map(|p| {
                let (action, problems) = match &p.plan {
                    Plan::Skip(why) => (ImportAction::Skip, why.clone()),
                    Plan::UpdateAccount(..) | Plan::UpdateContact(..) => (ImportAction::Update, Vec::new()),
                    _ => (ImportAction::Create, Vec::new()),
                };
                ImportRow { line: p.line as u32, action, label: p.label.clone(), problems }
            })
            .collect();
        let count = |a: ImportAction| rows.iter().filter(|r| r.action == a).count() as u32;
        let (creates, updates, skips) =
            (count(ImportAction::Create), count(ImportAction::Update), count(ImportAction::Skip));
        rows.sort_by_key(|r| (r.action != ImportAction::Skip, r.line));
        rows.truncate(PREVIEW_ROWS);
        let columns = table
            .headers
            .iter()
            .enumerate()
            .map(|(i, header)| ImportColumn {
                header: header.clone(),
                sample: table
                    .rows
                    .iter()
                    .filter_map(|(_, r)| r.get(i))
                    .find(|c| !c.is_empty())
                    .map(str::to_owned)
                    .unwrap_or_default(),
                field: mapping.get(i).cloned().flatten(),
            })
            .collect();
        let fields = import::fields(kind)
            .iter()
            .map(|f| ImportField { key: f.key.to_owned(), label: f.label.to_owned() })
            .collect();
        let delimiter = match table.delimiter {
            '\t' => "tab".to_owned(),
            d => d.to_string(),
        };
        Ok(ImportPreview {
            kind,
            date_order: date_order(table, mapping),
            encoding: table.encoding.to_owned(),
            delimiter,
            columns,
            fields,
            rows,
            creates,
            updates,
            skips,
        })
    }

    /// Imports the rows the preview showed, in one transaction, then rescores the book.
    pub fn apply_import(
        &self,
        kind: ImportKind,
        table: &CsvTable,
        mapping: &[Option<String>],
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<ImportResult> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let planned = plan_rows(&tx, kind, table, mapping, today)?;
        let mut result = ImportResult { created: 0, updated: 0, skipped: 0 };
        let mut touched: Vec<String> = Vec::new();
        for p in planned {
            touched.extend(apply(&tx, p.plan, now, &mut result)?);
        }
        // Indexed together at the end: one pass instead of four statements per row.
        let searched = match kind {
            ImportKind::Accounts => Some(SearchKind::Account),
            ImportKind::Contacts => Some(SearchKind::Contact),
            ImportKind::Signals => None,
        };
        if let Some(searched) = searched {
            search::reindex_many(&tx, searched, &touched)?;
        }
        health::rescore_all_in(&tx, today)?;
        tx.commit()?;
        Ok(result)
    }
}

/// Writes one planned row; returns the id of the account or contact it wrote, for the index.
fn apply(tx: &Transaction<'_>, plan: Plan, now: DateTime<Utc>, result: &mut ImportResult) -> Result<Option<String>> {
    let written = match plan {
        Plan::CreateAccount(draft, crm_id) => {
            let account = accounts::new_account(&draft, now);
            accounts::insert(tx, &account, ArrSource::Import)?;
            if let Some((system, remote)) = crm_id.as_deref().and_then(|id| crm_system(id).map(|s| (s, id))) {
                tx.execute(
                    "INSERT OR IGNORE INTO crm_links (entity, local_id, system, remote_id) VALUES ('account', ?1, ?2, ?3)",
                    params![account.id, system, remote],
                )?;
            }
            result.created += 1;
            Some(account.id)
        }
        Plan::UpdateAccount(id, draft) => {
            accounts::write_update(tx, &id, &draft, now, ArrSource::Import)?;
            result.updated += 1;
            Some(id)
        }
        Plan::CreateContact(account, draft) => {
            let contact = contacts::new_contact(&account, &draft, now);
            contacts::insert(tx, &contact)?;
            result.created += 1;
            Some(contact.id)
        }
        Plan::UpdateContact(id, draft) => {
            contacts::write_update(tx, &id, &draft, now)?;
            result.updated += 1;
            Some(id)
        }
        Plan::CreateSignal(account, d) => {
            let signal = Signal {
                id: new_id(),
                account_id: account,
                kind: d.kind,
                value: d.value,
                recorded_on: d.recorded_on,
                expires_on: d.expires_on,
                comment: d.comment,
            };
            health::insert_signal(tx, &signal, "import")?;
            result.created += 1;
            None
        }
        Plan::Skip(_) => {
            result.skipped += 1;
            None
        }
    };
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::csv_read;
    use crate::sample::{generate, SampleSpec};

    fn now() -> DateTime<Utc> {
        "2026-11-22T09:30:00Z".parse().unwrap()
    }

    fn today() -> NaiveDate {
        now().date_naive()
    }

    fn sample() -> Store {
        let store = Store::open_in_memory().unwrap();
        store.start_book(Some(&generate(&SampleSpec::DEMO, today())), now()).unwrap();
        store
    }

    fn table(text: &str) -> (CsvTable, Vec<Option<String>>, ImportKind) {
        let t = csv_read::read(text.as_bytes()).unwrap();
        let kind =
            if t.headers.iter().any(|h| h.contains("mail")) { ImportKind::Contacts } else { ImportKind::Accounts };
        let mapping = import::propose_mapping(kind, &t.headers);
        (t, mapping, kind)
    }

    #[test]
    fn a_contacts_file_with_bad_rows_is_previewed_row_by_row_and_only_good_rows_are_written() {
        let store = sample();
        let account = store.book(today()).unwrap()[0].name.clone();
        let csv = format!(
            "First Name,Last Name,Email,Account Name,Job Title\n\
             Ana,Ruiz,ana@example.com,{account},VP Ops\n\
             Bo,Li,not-an-email,{account},CTO\n\
             Cy,Ng,cy@example.com,Nobody Inc,CFO\n\
             \"=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",X,x@example.com,{account},\n\
             Ana,Ruiz,ANA@example.com,{account},duplicate\n\
             Dee,<script>alert(1)</script>,dee@example.com,{account},\"line\nbreak\"\n"
        );
        let (t, mapping, kind) = table(&csv);
        let before = store.contacts(&store.book(today()).unwrap()[0].id).unwrap().len();
        let preview = store.preview_import(kind, &t, &mapping, today()).unwrap();
        assert_eq!((preview.creates, preview.updates, preview.skips), (2, 0, 4));
        let skipped: Vec<(u32, &str)> = preview
            .rows
            .iter()
            .filter(|r| r.action == ImportAction::Skip)
            .map(|r| (r.line, r.problems[0].as_str()))
            .collect();
        assert_eq!(skipped[0].0, 3);
        assert!(skipped[0].1.to_lowercase().contains("email"), "{skipped:?}");
        assert!(skipped[1].1.contains("Nobody Inc"));
        assert!(skipped[2].1.contains("formula"));
        assert!(skipped[3].1.contains("line 2"));
        assert_eq!(
            store.contacts(&store.book(today()).unwrap()[0].id).unwrap().len(),
            before,
            "a preview writes nothing"
        );

        let result = store.apply_import(kind, &t, &mapping, now(), today()).unwrap();
        assert_eq!(result, ImportResult { created: 2, updated: 0, skipped: 4 });
        let again = store.apply_import(kind, &t, &mapping, now(), today()).unwrap();
        assert_eq!((again.created, again.updated), (0, 2), "matched by email: no duplicates");
        let dee = store
            .contacts(&store.book(today()).unwrap()[0].id)
            .unwrap()
            .into_iter()
            .find(|c| c.email.as_deref() == Some("dee@example.com"))
            .unwrap();
        assert_eq!(dee.name, "Dee <script>alert(1)</script>", "stored as text");
    }

    /// The corpus in tests/imports: real-shaped exports (HubSpot, Salesforce, Excel in other
    /// locales, currency signs, hostile cells), each with the preview it must give on an empty
    /// book with the proposed mapping: counts, and the problem of each skipped line.
    #[test]
    fn real_export_files_preview_as_expected() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/imports");
        let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.retain(|p| p.extension().is_some_and(|e| e == "csv"));
        files.sort();
        assert!(files.len() >= 6);
        for path in files {
            let store = Store::open_in_memory().unwrap();
            store.start_book(None, now()).unwrap();
            let t = csv_read::read(&std::fs::read(&path).unwrap()).unwrap();
            let mapping = import::propose_mapping(ImportKind::Accounts, &t.headers);
            let preview = store.preview_import(ImportKind::Accounts, &t, &mapping, today()).unwrap();
            let mut got = vec![format!("creates {}", preview.creates), format!("skips {}", preview.skips)];
            let mut skipped: Vec<&ImportRow> = preview.rows.iter().filter(|r| r.action == ImportAction::Skip).collect();
            skipped.sort_by_key(|r| r.line);
            got.extend(skipped.iter().map(|r| format!("line {}: {}", r.line, r.problems.join(" | "))));
            let expected = std::fs::read_to_string(path.with_extension("expected")).unwrap();
            let expected: Vec<&str> = expected.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).collect();
            assert_eq!(got, expected, "{}", path.display());
            // What is created is what the preview said, with amounts in their own currency.
            let result = store.apply_import(ImportKind::Accounts, &t, &mapping, now(), today()).unwrap();
            assert_eq!(result.created, preview.creates, "{}", path.display());
        }
    }

    #[test]
    fn hubspot_and_salesforce_contact_exports_land_on_the_companies_imported_before() {
        let store = Store::open_in_memory().unwrap();
        store.start_book(None, now()).unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/imports");
        let import = |path: std::path::PathBuf, kind: ImportKind| {
            let t = csv_read::read(&std::fs::read(path).unwrap()).unwrap();
            let mapping = import::propose_mapping(kind, &t.headers);
            store.apply_import(kind, &t, &mapping, now(), today()).unwrap()
        };
        assert_eq!(import(dir.join("hubspot-companies.csv"), ImportKind::Accounts).created, 5);
        let hubspot = import(dir.join("contacts/hubspot-contacts.csv"), ImportKind::Contacts);
        assert_eq!((hubspot.created, hubspot.skipped), (3, 0));
        let salesforce = import(dir.join("contacts/salesforce-contacts.csv"), ImportKind::Contacts);
        assert_eq!((salesforce.created, salesforce.skipped), (2, 0));
        let northwind = store.book(today()).unwrap().into_iter().find(|r| r.name == "Northwind Traders").unwrap();
        let people = store.contacts(&northwind.id).unwrap();
        assert_eq!(people[0].phone.as_deref(), Some("+1 555 0100"), "a phone number is not a formula");
    }

    #[test]
    fn an_ambiguous_date_follows_how_the_file_writes_its_other_dates() {
        let store = Store::open_in_memory().unwrap();
        store.start_book(None, now()).unwrap();
        let (t, mapping, kind) = table("Company,Renewal date\nAlpha,01/02/2027\nBeta,31/12/2026\n");
        let preview = store.preview_import(kind, &t, &mapping, today()).unwrap();
        assert_eq!(preview.date_order, import::DateOrder::DayFirst);
        store.apply_import(kind, &t, &mapping, now(), today()).unwrap();
        let alpha = store.book(today()).unwrap().into_iter().find(|r| r.name == "Alpha").unwrap();
        assert_eq!(
            alpha.renewal_date,
            NaiveDate::from_ymd_opt(2027, 2, 1),
            "1 February, as the file writes days first"
        );
        let (t, mapping, kind) = table("Company,Renewal date\nGamma,01/02/2027\n");
        assert_eq!(
            store.preview_import(kind, &t, &mapping, today()).unwrap().date_order,
            import::DateOrder::MonthFirst
        );
    }

    #[test]
    fn amounts_keep_their_currency_and_its_minor_units() {
        let store = Store::open_in_memory().unwrap();
        store.start_book(None, now()).unwrap();
        let (t, mapping, kind) =
            table("Company,ARR\nHanwha,\"₩1,200,000,000\"\nSakura,¥ 250000\nMüller,\"1.234.567,89 €\"\n");
        store.apply_import(kind, &t, &mapping, now(), today()).unwrap();
        let arr: Vec<(String, i64, String)> =
            store.book(today()).unwrap().into_iter().map(|r| (r.name, r.arr.minor, r.arr.currency)).collect();
        assert!(arr.contains(&("Hanwha".into(), 1_200_000_000, "KRW".into())), "KRW has no minor unit: {arr:?}");
        assert!(arr.contains(&("Sakura".into(), 250_000, "JPY".into())));
        assert!(arr.contains(&("Müller".into(), 123_456_789, "EUR".into())));

        // Updating that account with an amount in another currency is refused, not relabelled.
        let (t, mapping, kind) = table("Company,ARR\nHanwha,$900\n");
        let preview = store.preview_import(kind, &t, &mapping, today()).unwrap();
        assert_eq!(preview.skips, 1);
        assert!(
            preview.rows[0].problems[0].contains("ARR is in USD, but Hanwha is kept in KRW"),
            "{:?}",
            preview.rows[0]
        );
    }

    #[test]
    fn accounts_from_a_crm_export_are_created_then_matched_by_crm_id_or_domain() {
        let store = Store::open_in_memory().unwrap();
        store.start_book(None, now()).unwrap();
        let csv = "Record ID,Company name,Company Domain Name,ARR,Renewal Date,Segment\n\
                   1001,Hanbit Logistics,hanbit.example,\"$1,200,000.00\",3/1/2027,Enterprise\n\
                   1002,Société Générale Tech,https://www.sgt.example/,\"90.000,50 €\",01.02.2027,Mid-market\n\
                   ,Broken Co,,lots,2027-13-01,\n";
        let (t, mapping, kind) = table(csv);
        let result = store.apply_import(kind, &t, &mapping, now(), today()).unwrap();
        assert_eq!(result, ImportResult { created: 2, updated: 0, skipped: 1 });
        let rows = store.book(today()).unwrap();
        let hanbit = rows.iter().find(|r| r.name == "Hanbit Logistics").unwrap();
        assert_eq!(hanbit.arr.minor, 120_000_000);
        assert_eq!(hanbit.renewal_date, NaiveDate::from_ymd_opt(2027, 3, 1));
        assert_eq!(hanbit.segment, crate::model::Segment::HighTouch);
        let sgt = rows.iter().find(|r| r.domain.as_deref() == Some("sgt.example")).unwrap();
        assert_eq!(sgt.arr.minor, 9_000_050);

        let update = "Record ID,Company name,Industry\n1001,,Logistics\n";
        let (t, mapping, kind) = table(update);
        let result = store.apply_import(kind, &t, &mapping, now(), today()).unwrap();
        assert_eq!(result.updated, 1);
        let account = store.account(&hanbit.id).unwrap();
        assert_eq!(
            (account.name.as_str(), account.industry.as_deref()),
            ("Hanbit Logistics", Some("Logistics")),
            "unfilled cells keep their values"
        );
    }

    #[test]
    fn an_export_imported_into_an_empty_book_gives_the_same_accounts_and_contacts() {
        let store = sample();
        let dir = tempfile::tempdir().unwrap();
        let summary = store.export_book(dir.path(), now()).unwrap();
        let folder = std::path::Path::new(&summary.folder);
        let fresh = Store::open_in_memory().unwrap();
        fresh.start_book(None, now()).unwrap();
        for (file, kind) in [("accounts.csv", ImportKind::Accounts), ("contacts.csv", ImportKind::Contacts)] {
            let t = csv_read::read(&std::fs::read(folder.join(file)).unwrap()).unwrap();
            let mut mapping = import::propose_mapping(kind, &t.headers);
            // The export's own id column is this book's id, not a CRM's.
            mapping[0] = None;
            let preview = fresh.preview_import(kind, &t, &mapping, today()).unwrap();
            assert_eq!(preview.skips, 0, "{file}: {:?}", preview.rows.first());
            fresh.apply_import(kind, &t, &mapping, now(), today()).unwrap();
        }
        let key = |s: &Store| {
            let mut rows: Vec<_> = s
                .book(today())
                .unwrap()
                .into_iter()
                .map(|r| (r.name, r.domain, r.arr.minor, r.arr.currency, r.renewal_date))
                .collect();
            rows.sort();
            rows
        };
        assert_eq!(key(&fresh), key(&store));
        let emails = |s: &Store| {
            let mut all: Vec<(String, Option<String>, String)> = s
                .book(today())
                .unwrap()
                .iter()
                .flat_map(|a| s.contacts(&a.id).unwrap())
                .map(|c| (c.name, c.email, c.role.as_str().to_owned()))
                .collect();
            all.sort();
            all
        };
        assert_eq!(emails(&fresh), emails(&store));
    }
}
