//! Turning CSV rows into accounts, contacts and signals, as pure functions: which column holds
//! which field (recognising HubSpot and Salesforce export names), and each row as the same text
//! input the forms send, so it passes the same validation. Amounts with currency signs and
//! thousands separators and dates in the usual formats are normalised first.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{AccountInput, ContactInput, SignalInput};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Accounts,
    Contacts,
    Signals,
}

/// A field a column can fill: its key, its label, and the header names that mean it.
pub struct Field {
    pub key: &'static str,
    pub label: &'static str,
    names: &'static [&'static str],
}

const fn f(key: &'static str, label: &'static str, names: &'static [&'static str]) -> Field {
    Field { key, label, names }
}

const ACCOUNT_FIELDS: &[Field] = &[
    f("name", "Name", &["name", "company", "companyname", "accountname"]),
    f("domain", "Domain", &["domain", "website", "companydomainname", "companydomain", "web", "url"]),
    f("segment", "Segment", &["segment", "touchmodel", "tier", "customertier"]),
    f("lifecycle_stage", "Lifecycle stage", &["stage", "lifecyclestage", "customerstage"]),
    f("industry", "Industry", &["industry"]),
    f("region", "Region", &["region", "country", "countryregion", "billingcountry"]),
    f("employees", "Employees", &["employees", "numberofemployees", "companysize"]),
    f("owner", "Owner", &["owner", "accountowner", "companyowner", "csm"]),
    f("arr", "ARR", &["arr", "annualrecurringrevenue", "acv", "contractvalue"]),
    f("currency", "Currency", &["currency", "currencyisocode", "accountcurrency"]),
    f("contract_start", "Contract start", &["contractstart", "contractstartdate", "startdate"]),
    f("contract_end", "Contract end", &["contractend", "contractenddate", "enddate"]),
    f("renewal_date", "Renewal date", &["renewaldate", "renewal", "nextrenewaldate"]),
    f("licences_purchased", "Licences", &["licences", "licenses", "seats", "licencespurchased", "licensespurchased"]),
    f("crm_id", "CRM id", &["recordid", "accountid", "companyid", "hubspotid", "salesforceid", "id"]),
];

const CONTACT_FIELDS: &[Field] = &[
    f(
        "account",
        "Account (name or domain)",
        &["company", "companyname", "accountname", "account", "associatedcompany", "companydomainname"],
    ),
    f("name", "Name", &["name", "fullname", "contactname"]),
    f("first_name", "First name", &["firstname", "givenname"]),
    f("last_name", "Last name", &["lastname", "surname", "familyname"]),
    f("email", "Email", &["email", "emailaddress", "workemail"]),
    f("title", "Title", &["title", "jobtitle", "position"]),
    f("phone", "Phone", &["phone", "phonenumber", "mobilephone", "mobile"]),
    f("role", "Role", &["role", "contactrole", "persona"]),
    f("left_on", "Left on", &["lefton", "leftdate", "departed"]),
    f("crm_id", "CRM id", &["recordid", "contactid", "hubspotid", "salesforceid", "id"]),
];

const SIGNAL_FIELDS: &[Field] = &[
    f("account", "Account (name or domain)", &["account", "accountname", "company", "companyname", "domain"]),
    f("kind", "Signal", &["signal", "kind", "metric", "type", "measure"]),
    f("value", "Value", &["value", "count", "score", "amount"]),
    f("recorded_on", "Date", &["date", "recordedon", "day", "asof"]),
    f("comment", "Comment", &["comment", "note", "notes", "reason"]),
];

pub fn fields(kind: ImportKind) -> &'static [Field] {
    match kind {
        ImportKind::Accounts => ACCOUNT_FIELDS,
        ImportKind::Contacts => CONTACT_FIELDS,
        ImportKind::Signals => SIGNAL_FIELDS,
    }
}

fn squash(header: &str) -> String {
    header.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The field each column fills, by its header (each field taken by one column at most).
pub fn propose_mapping(kind: ImportKind, headers: &[String]) -> Vec<Option<String>> {
    let mut taken: Vec<&str> = Vec::new();
    headers
        .iter()
        .map(|h| {
            let name = squash(h);
            let field = fields(kind).iter().find(|f| !taken.contains(&f.key) && f.names.contains(&name.as_str()))?;
            taken.push(field.key);
            Some(field.key.to_owned())
        })
        .collect()
}

/// One row's cells by field key, with the cell text as typed.
pub struct Row<'a> {
    cells: Vec<(&'a str, &'a str)>,
}

impl<'a> Row<'a> {
    pub fn new(mapping: &'a [Option<String>], cells: &'a [String]) -> Row<'a> {
        let cells = mapping
            .iter()
            .zip(cells)
            .filter_map(|(field, cell)| field.as_deref().map(|f| (f, cell.as_str())))
            .collect();
        Row { cells }
    }

    /// A cell's text; an apostrophe that kept a spreadsheet from running it (as exports write
    /// "'+1 555 0100") is removed.
    pub fn get(&self, key: &str) -> &'a str {
        let cell = self.cells.iter().find(|(k, _)| *k == key).map_or("", |(_, v)| *v);
        match cell.strip_prefix('\'') {
            Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
            _ => cell,
        }
    }

    /// Cells a spreadsheet would run as a formula: refused rather than stored.
    pub fn formulas(&self) -> Vec<String> {
        self.cells
            .iter()
            .filter(|(k, _)| self.get(k).starts_with(['=', '@']))
            .map(|(k, _)| format!("{k} looks like a spreadsheet formula"))
            .collect()
    }
}

/// "$1,200.50", "1.200,50 €", "EUR 90 000" → "1200.50", "1200.50", "90000".
pub fn amount(text: &str) -> String {
    let kept: String = text.chars().filter(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-')).collect();
    let (last_dot, last_comma) = (kept.rfind('.'), kept.rfind(','));
    let decimal_comma = match (last_dot, last_comma) {
        (Some(d), Some(c)) => c > d,
        (None, Some(c)) => kept.len() - c - 1 != 3, // "90,5" is a decimal; "90,000" groups thousands
        _ => false,
    };
    if decimal_comma {
        kept.replace('.', "").replace(',', ".")
    } else {
        kept.replace(',', "")
    }
}

/// Dates as spreadsheets and CRMs write them → "YYYY-MM-DD"; unknown text is passed on as is
/// (validation then says what is wrong).
pub fn date(text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        return String::new();
    }
    let head = text.get(..10).unwrap_or(text);
    for format in ["%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(head, format) {
            return d.to_string();
        }
    }
    let first_word = text.split_whitespace().next().unwrap_or(text);
    if let Some((a, rest)) = first_word.split_once('/') {
        // 3/1/2024 is US (March 1st) unless the first number cannot be a month.
        let format = if a.parse::<u32>().is_ok_and(|n| n > 12) { "%d/%m/%Y" } else { "%m/%d/%Y" };
        if let Ok(d) = NaiveDate::parse_from_str(&format!("{a}/{rest}"), format) {
            return d.to_string();
        }
    }
    for format in ["%d %b %Y", "%b %d, %Y", "%d %B %Y", "%B %d, %Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(text, format) {
            return d.to_string();
        }
    }
    text.to_owned()
}

fn segment(text: &str) -> String {
    let t = text.to_lowercase();
    let key = if t.is_empty() || t.contains("low") || t.contains("mid") {
        "low_touch"
    } else if t.contains("high") || t.contains("enterprise") || t.contains("strategic") {
        "high_touch"
    } else if t.contains("tech") || t.contains("scale") || t.contains("digital") {
        "tech_touch"
    } else {
        text
    };
    key.to_owned()
}

fn keyed(text: &str, default: &str) -> String {
    let key = squash(text);
    if key.is_empty() {
        default.to_owned()
    } else {
        text.trim().to_lowercase().replace([' ', '-'], "_")
    }
}

pub fn account_input(row: &Row<'_>) -> AccountInput {
    AccountInput {
        name: row.get("name").to_owned(),
        domain: row.get("domain").to_owned(),
        segment: segment(row.get("segment")),
        lifecycle_stage: keyed(row.get("lifecycle_stage"), "adoption"),
        industry: row.get("industry").to_owned(),
        region: row.get("region").to_owned(),
        employees: amount(row.get("employees")),
        owner: row.get("owner").to_owned(),
        arr: amount(row.get("arr")),
        currency: match row.get("currency") {
            "" => "USD".to_owned(),
            c => c.to_uppercase(),
        },
        contract_start: date(row.get("contract_start")),
        contract_end: date(row.get("contract_end")),
        renewal_date: date(row.get("renewal_date")),
        licences_purchased: amount(row.get("licences_purchased")),
        ..Default::default()
    }
}

pub fn contact_input(row: &Row<'_>) -> ContactInput {
    let name = match row.get("name") {
        "" => format!("{} {}", row.get("first_name"), row.get("last_name")).trim().to_owned(),
        name => name.to_owned(),
    };
    ContactInput {
        name,
        email: row.get("email").to_owned(),
        title: row.get("title").to_owned(),
        phone: row.get("phone").to_owned(),
        role: keyed(row.get("role"), "other"),
        left_on: date(row.get("left_on")),
    }
}

fn signal_kind(text: &str) -> String {
    let t = squash(text);
    let key = match t.as_str() {
        "nps" | "npsscore" => "nps",
        "csat" => "csat",
        "licencesused" | "licensesused" | "seatsused" => "licences_used",
        "activeusers" | "mau" | "dau" => "active_users",
        "tickets" | "opentickets" | "ticketsopen" => "tickets_open",
        "p1" | "p1tickets" | "criticaltickets" | "criticalticketsopen" | "p1p2" => "critical_tickets_open",
        "invoiceoverdue" | "invoiceoverduedays" | "daysoverdue" => "invoice_overdue_days",
        "sentiment" => "sentiment",
        _ => return text.trim().to_owned(),
    };
    key.to_owned()
}

pub fn signal_input(row: &Row<'_>) -> SignalInput {
    SignalInput {
        kind: signal_kind(row.get("kind")),
        value: amount(row.get("value")),
        recorded_on: date(row.get("recorded_on")),
        expires_on: String::new(),
        comment: row.get("comment").to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hubspot_and_salesforce_headers_are_recognised() {
        let hubspot: Vec<String> =
            ["Record ID", "Company name", "Company Domain Name", "Industry", "Country/Region", "Company owner"]
                .map(String::from)
                .to_vec();
        let mapped = propose_mapping(ImportKind::Accounts, &hubspot);
        assert_eq!(
            mapped.iter().flatten().map(String::as_str).collect::<Vec<_>>(),
            ["crm_id", "name", "domain", "industry", "region", "owner"]
        );
        let salesforce: Vec<String> = ["First Name", "Last Name", "Account Name", "Title", "Email", "Phone", "Mystery"]
            .map(String::from)
            .to_vec();
        let mapped = propose_mapping(ImportKind::Contacts, &salesforce);
        assert_eq!(mapped[..6].iter().flatten().count(), 6);
        assert_eq!(mapped[6], None);
    }

    #[test]
    fn amounts_and_dates_are_read_as_people_write_them() {
        for (typed, read) in [
            ("$1,200.50", "1200.50"),
            ("1.200,50 €", "1200.50"),
            ("EUR 90 000", "90000"),
            ("90,000", "90000"),
            ("12,5", "12.5"),
        ] {
            assert_eq!(amount(typed), read, "{typed}");
        }
        for (typed, read) in [
            ("2024-03-01", "2024-03-01"),
            ("2024-03-01 10:00", "2024-03-01"),
            ("3/1/2024", "2024-03-01"),
            ("25/12/2024", "2024-12-25"),
            ("01.02.2025", "2025-02-01"),
            ("1 Mar 2024", "2024-03-01"),
            ("March 1, 2024", "2024-03-01"),
            ("soon", "soon"),
        ] {
            assert_eq!(date(typed), read, "{typed}");
        }
    }

    #[test]
    fn rows_become_the_same_inputs_the_forms_send() {
        let mapping = vec![Some("first_name".to_owned()), Some("last_name".to_owned()), Some("role".to_owned()), None];
        let cells = vec!["Ana".to_owned(), "Ruiz".to_owned(), "Executive sponsor".to_owned(), "x".to_owned()];
        let input = contact_input(&Row::new(&mapping, &cells));
        assert_eq!((input.name.as_str(), input.role.as_str()), ("Ana Ruiz", "executive_sponsor"));
        let formula = vec!["=HYPERLINK(\"http://x\")".to_owned()];
        let name = vec![Some("name".to_owned())];
        assert_eq!(Row::new(&name, &formula).formulas().len(), 1);
    }
}
