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
    f("lifecycle_stage", "Lifecycle stage", &["stage", "lifecyclestage", "customerstage", "type", "accounttype"]),
    f("industry", "Industry", &["industry"]),
    f("region", "Region", &["region", "country", "countryregion", "billingcountry"]),
    f("employees", "Employees", &["employees", "numberofemployees", "companysize"]),
    f("owner", "Owner", &["owner", "accountowner", "companyowner", "csm", "contactowner"]),
    // HubSpot's "Annual Revenue" and Salesforce's AnnualRevenue: what sync maps to ARR too.
    f("arr", "ARR", &["arr", "annualrecurringrevenue", "acv", "contractvalue", "annualrevenue"]),
    f("currency", "Currency", &["currency", "currencyisocode", "accountcurrency"]),
    f("contract_start", "Contract start", &["contractstart", "contractstartdate", "startdate"]),
    f("contract_end", "Contract end", &["contractend", "contractenddate", "enddate"]),
    f("renewal_date", "Renewal date", &["renewaldate", "renewal", "nextrenewaldate"]),
    f("licences_purchased", "Licences", &["licences", "licenses", "seats", "licencespurchased", "licensespurchased"]),
    f("customer_since", "Customer since", &["customersince", "createdate", "createddate", "becameacustomerdate"]),
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

/// How a file writes dates like 01/02/2027: month first (US), unless a date in the file can only
/// be read day first (31/12/2026). Guessed once per file and shown in the preview.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    #[default]
    MonthFirst,
    DayFirst,
}

/// The fields that hold dates.
pub const DATE_FIELDS: &[&str] =
    &["contract_start", "contract_end", "renewal_date", "customer_since", "left_on", "recorded_on"];

/// Day first when some slashed date in the file starts with a number that cannot be a month.
pub fn guess_date_order<'a>(cells: impl IntoIterator<Item = &'a str>) -> DateOrder {
    let day_first = cells.into_iter().any(|cell| {
        let first = cell.split_whitespace().next().unwrap_or_default();
        let mut parts = first.split('/');
        let (Some(a), Some(_), Some(_)) = (parts.next(), parts.next(), parts.next()) else { return false };
        a.parse::<u32>().is_ok_and(|n| (13..=31).contains(&n))
    });
    if day_first {
        DateOrder::DayFirst
    } else {
        DateOrder::MonthFirst
    }
}

/// One row's cells by field key, with the cell text as typed.
pub struct Row<'a> {
    cells: Vec<(&'a str, &'a str)>,
    dates: DateOrder,
}

impl<'a> Row<'a> {
    pub fn new(mapping: &'a [Option<String>], cells: &'a [String]) -> Row<'a> {
        Self::from_cells(mapping, cells.iter().map(String::as_str))
    }

    /// A row of a file as the CSV reader keeps it.
    pub fn from_record(mapping: &'a [Option<String>], record: &'a csv::StringRecord) -> Row<'a> {
        Self::from_cells(mapping, record.iter())
    }

    fn from_cells(mapping: &'a [Option<String>], cells: impl Iterator<Item = &'a str>) -> Row<'a> {
        let cells = mapping.iter().zip(cells).filter_map(|(field, cell)| field.as_deref().map(|f| (f, cell))).collect();
        Row { cells, dates: DateOrder::default() }
    }

    /// The same row, reading slashed dates in the file's order.
    pub fn with_dates(self, dates: DateOrder) -> Row<'a> {
        Row { dates, ..self }
    }

    /// A date cell as "YYYY-MM-DD" (or as typed, for validation to refuse).
    pub fn date(&self, key: &str) -> String {
        date_in(self.get(key), self.dates)
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

    /// Cells a spreadsheet would run as a formula (OWASP's =, +, -, @, tab, carriage return at
    /// the start): refused rather than stored. A number or phone number ("-5", "+1 555 0100") is
    /// not one.
    pub fn formulas(&self) -> Vec<String> {
        self.cells
            .iter()
            .filter(|(k, _)| is_formula(self.get(k)))
            .map(|(k, _)| format!("{k} looks like a spreadsheet formula"))
            .collect()
    }
}

fn is_formula(cell: &str) -> bool {
    let rest = cell.get(1..).unwrap_or_default();
    let has_digits = rest.chars().any(|c| c.is_ascii_digit());
    let number = has_digits && rest.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ','));
    let phone = has_digits && rest.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '(' | ')' | '-'));
    match cell.chars().next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('-') => !number,
        Some('+') => !phone,
        _ => false,
    }
}

/// An amount cell read as money: the number as the forms take it, and the currency its sign or
/// ISO code names ("₩1,200,000,000" → "1200000000" in KRW; "€ 9.999" → "9999" in EUR).
#[derive(Debug, Clone, PartialEq)]
pub struct Amount {
    pub number: String,
    pub currency: Option<String>,
}

/// Currency signs that name one currency in exports ("$" is taken as US dollars).
const SIGNS: &[(char, &str)] = &[
    ('$', "USD"),
    ('€', "EUR"),
    ('£', "GBP"),
    ('¥', "JPY"),
    ('₩', "KRW"),
    ('₹', "INR"),
    ('₪', "ILS"),
    ('₺', "TRY"),
    ('₱', "PHP"),
    ('₫', "VND"),
];

/// Reads an amount as money. Refused, with the value named: words that are not a currency code
/// ("NaN", "inf", "1e6"), two different currencies, anything else that is not a number.
pub fn money(text: &str) -> Result<Amount, String> {
    let trimmed = text.trim();
    let shown = crate::validate::excerpt(trimmed);
    let refuse = || format!("“{shown}” is not an amount");
    let mut currency: Option<String> = None;
    let mut name = |code: &str| match &currency {
        Some(other) if other != code => Err(format!("“{shown}” names two currencies ({other} and {code})")),
        _ => {
            currency = Some(code.to_owned());
            Ok(())
        }
    };
    let mut number = String::new();
    let body = match trimmed.strip_prefix("US$") {
        Some(rest) => {
            name("USD")?;
            rest
        }
        None => trimmed,
    };
    let mut chars = body.chars().peekable();
    while let Some(ch) = chars.next() {
        if ch.is_alphabetic() {
            let mut word = String::from(ch);
            while let Some(next) = chars.next_if(|c| c.is_alphabetic()) {
                word.push(next);
            }
            let code = word.to_uppercase();
            if code.len() != 3 || !crate::model::money::is_currency(&code) {
                return Err(refuse());
            }
            name(&code)?;
        } else if let Some((_, code)) = SIGNS.iter().find(|(sign, _)| *sign == ch) {
            name(code)?;
        } else if ch.is_ascii_digit() || matches!(ch, '.' | ',' | '-') {
            number.push(ch);
        } else if !matches!(ch, ' ' | '\u{a0}' | '\u{202f}' | '\'') {
            return Err(refuse());
        }
    }
    let digits = crate::model::money::minor_digits(currency.as_deref().unwrap_or("USD"));
    Ok(Amount { number: decimal(&number, digits), currency })
}

/// A number's separators resolved: "1.200,50" and "1,200.50" → "1200.50"; "90,000" → "90000";
/// "9.999" → "9999" when the currency has fewer than three decimals (a thousands dot).
fn decimal(kept: &str, minor_digits: u32) -> String {
    let (last_dot, last_comma) = (kept.rfind('.'), kept.rfind(','));
    let groups_of_three = |sep: char| kept.split(sep).skip(1).all(|group| group.len() == 3);
    let decimal_comma = match (last_dot, last_comma) {
        (Some(d), Some(c)) => c > d,
        (None, Some(_)) => !groups_of_three(','), // "90,5" is a decimal; "90,000" groups thousands
        _ => false,
    };
    let thousands_dots = last_comma.is_none()
        && last_dot.is_some()
        && groups_of_three('.')
        && (kept.matches('.').count() > 1 || minor_digits < 3);
    if decimal_comma {
        kept.replace('.', "").replace(',', ".")
    } else if thousands_dots {
        kept.replace('.', "")
    } else {
        kept.replace(',', "")
    }
}

/// A plain number cell ("1,200", "12,5"); text that is no number is passed on as typed, so
/// validation refuses it with the value ("NaN" is not 0).
pub fn amount(text: &str) -> String {
    match money(text) {
        Ok(Amount { number, currency: None }) => number,
        _ => text.trim().to_owned(),
    }
}

/// Dates as spreadsheets and CRMs write them → "YYYY-MM-DD"; unknown text is passed on as is
/// (validation then says what is wrong). 3/1/2024 is read month first.
pub fn date(text: &str) -> String {
    date_in(text, DateOrder::MonthFirst)
}

/// As `date`, with slashed dates read in `order` (a number over 12 always reads as the day).
pub fn date_in(text: &str, order: DateOrder) -> String {
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
        // 3/1/2024 is US (March 1st) unless the file writes days first or the number cannot be a month.
        let day_first = order == DateOrder::DayFirst || a.parse::<u32>().is_ok_and(|n| n > 12);
        let format = if day_first { "%d/%m/%Y" } else { "%m/%d/%Y" };
        if let Ok(d) = NaiveDate::parse_from_str(&format!("{a}/{rest}"), format) {
            return d.to_string();
        }
    }
    for format in ["%d %b %Y", "%b %d, %Y", "%b %d %Y", "%d %B %Y", "%B %d, %Y", "%B %d %Y", "%d-%b-%Y", "%d %b, %Y"] {
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

/// Lifecycle stages as CRMs name them (HubSpot's lifecycle stages, Salesforce's account types)
/// → ours; anything else is kept as typed, and validation names it and the choices.
fn lifecycle_stage(text: &str) -> String {
    let key = match squash(text).as_str() {
        "" | "customer" | "customerdirect" | "customerchannel" | "active" | "live" | "other" => "adoption",
        "subscriber"
        | "lead"
        | "marketingqualifiedlead"
        | "salesqualifiedlead"
        | "opportunity"
        | "prospect"
        | "new"
        | "implementation"
        | "trial" => "onboarding",
        "evangelist" | "advocate" | "reference" | "partner" => "advocacy",
        "former" | "formercustomer" | "churned" | "cancelled" | "canceled" | "lost" => "churned",
        _ => return keyed(text, "adoption"),
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

/// A row as the account form's input, and what in it cannot be read (an amount that is not
/// one, or in another currency than the row's currency column says).
pub fn account_input(row: &Row<'_>) -> (AccountInput, Vec<String>) {
    let mut problems = Vec::new();
    let arr = money(row.get("arr")).unwrap_or_else(|why| {
        problems.push(format!("ARR: {why}."));
        Amount { number: String::new(), currency: None }
    });
    let column = row.get("currency").trim().to_uppercase();
    let currency = match (column.as_str(), arr.currency.as_deref()) {
        ("", sign) => sign.unwrap_or("USD").to_owned(),
        (column, Some(sign)) if sign != column => {
            problems.push(format!("ARR is in {sign}, but the row's currency is {column}."));
            column.to_owned()
        }
        (column, _) => column.to_owned(),
    };
    let input = AccountInput {
        name: row.get("name").to_owned(),
        domain: row.get("domain").to_owned(),
        segment: segment(row.get("segment")),
        lifecycle_stage: lifecycle_stage(row.get("lifecycle_stage")),
        industry: row.get("industry").to_owned(),
        region: row.get("region").to_owned(),
        employees: amount(row.get("employees")),
        owner: row.get("owner").to_owned(),
        arr: arr.number,
        currency,
        contract_start: row.date("contract_start"),
        contract_end: row.date("contract_end"),
        renewal_date: row.date("renewal_date"),
        customer_since: row.date("customer_since"),
        licences_purchased: amount(row.get("licences_purchased")),
        ..Default::default()
    };
    (input, problems)
}

/// The currency an amount cell names by its sign or code, if any.
pub fn arr_currency(row: &Row<'_>) -> Option<String> {
    money(row.get("arr")).ok().and_then(|a| a.currency)
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
        left_on: row.date("left_on"),
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
        recorded_on: row.date("recorded_on"),
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
        for (typed, read, currency) in [
            ("$1,200.50", "1200.50", Some("USD")),
            ("1.200,50 €", "1200.50", Some("EUR")),
            ("EUR 90 000", "90000", Some("EUR")),
            ("90,000", "90000", None),
            ("12,5", "12.5", None),
            ("₩1,200,000,000", "1200000000", Some("KRW")),
            ("€ 9.999", "9999", Some("EUR")),
            ("1.200.000 KRW", "1200000", Some("KRW")),
            ("£12.50", "12.50", Some("GBP")),
            ("¥ 250,000", "250000", Some("JPY")),
            ("CHF 1'250.00", "1250.00", Some("CHF")),
            ("US$ 99", "99", Some("USD")),
            ("9.999", "9999", None),
            ("0.125", "0125", None),
        ] {
            let got = money(typed).expect(typed);
            assert_eq!((got.number.as_str(), got.currency.as_deref()), (read, currency), "{typed}");
        }
        for refused in ["NaN", "nan", "inf", "-Infinity", "1e6", "1E+06", "12 apples", "$5 €5", "0x1F"] {
            assert!(money(refused).is_err(), "{refused} is not an amount");
            assert_eq!(amount(refused), refused.trim(), "{refused} goes on to validation as typed");
        }
        assert!(money("$5 €5").unwrap_err().contains("two currencies"));
        let huge = format!("NaN{}", "x".repeat(1_000_000));
        assert!(money(&huge).unwrap_err().chars().count() < 80, "a huge cell is not echoed whole");
        for (typed, read) in [
            ("2024-03-01", "2024-03-01"),
            ("2024-03-01 10:00", "2024-03-01"),
            ("3/1/2024", "2024-03-01"),
            ("25/12/2024", "2024-12-25"),
            ("01.02.2025", "2025-02-01"),
            ("1 Mar 2024", "2024-03-01"),
            ("March 1, 2024", "2024-03-01"),
            ("Dec 31 2026", "2026-12-31"),
            ("31 Dec 2026", "2026-12-31"),
            ("2026/12/31", "2026-12-31"),
            ("31-Dec-2026", "2026-12-31"),
            ("soon", "soon"),
        ] {
            assert_eq!(date(typed), read, "{typed}");
        }
        // 01/02/2027 follows the file: February 1st in a file that also writes 31/12/2026.
        assert_eq!(guess_date_order(["01/02/2027", "31/12/2026"]), DateOrder::DayFirst);
        assert_eq!(guess_date_order(["01/02/2027", "12/31/2026", "2026-01-05"]), DateOrder::MonthFirst);
        assert_eq!(date_in("01/02/2027", DateOrder::DayFirst), "2027-02-01");
        assert_eq!(date_in("01/02/2027", DateOrder::MonthFirst), "2027-01-02");
    }

    #[test]
    fn rows_become_the_same_inputs_the_forms_send() {
        let mapping = vec![Some("first_name".to_owned()), Some("last_name".to_owned()), Some("role".to_owned()), None];
        let cells = vec!["Ana".to_owned(), "Ruiz".to_owned(), "Executive sponsor".to_owned(), "x".to_owned()];
        let input = contact_input(&Row::new(&mapping, &cells));
        assert_eq!((input.name.as_str(), input.role.as_str()), ("Ana Ruiz", "executive_sponsor"));
        let name = vec![Some("name".to_owned())];
        for formula in
            ["=HYPERLINK(\"http://x\")", "+SUM(1+1)", "-2+3", "@SUM(A1)", "\tx", "\rx", "+", "-cmd|' /C calc'!A0"]
        {
            assert_eq!(Row::new(&name, &[formula.to_owned()]).formulas().len(), 1, "{formula:?}");
        }
        for plain in ["+1 555 0100", "-5", "-12.5", "(555) 0100", "Acme + Co", "Ab-Inbev"] {
            assert!(Row::new(&name, &[plain.to_owned()]).formulas().is_empty(), "{plain:?}");
        }
    }

    #[test]
    fn crm_lifecycle_stages_and_export_headers_map_by_default() {
        for (crm, ours) in [
            ("customer", "adoption"),
            ("Customer - Direct", "adoption"),
            ("evangelist", "advocacy"),
            ("opportunity", "onboarding"),
            ("Former Customer", "churned"),
            ("", "adoption"),
            ("Expansion", "expansion"),
            ("Mystery", "mystery"),
        ] {
            assert_eq!(lifecycle_stage(crm), ours, "{crm}");
        }
        let hubspot: Vec<String> =
            ["Record ID", "Name", "Annual Revenue", "Lifecycle Stage", "Create Date", "Company owner"]
                .map(String::from)
                .to_vec();
        let mapped: Vec<Option<String>> = propose_mapping(ImportKind::Accounts, &hubspot);
        let keys: Vec<&str> = mapped.iter().flatten().map(String::as_str).collect();
        assert_eq!(keys, ["crm_id", "name", "arr", "lifecycle_stage", "customer_since", "owner"]);
        let salesforce: Vec<String> =
            ["Id", "Name", "AnnualRevenue", "Type", "CreatedDate", "Industry", "Website"].map(String::from).to_vec();
        let keys: Vec<Option<String>> = propose_mapping(ImportKind::Accounts, &salesforce);
        let keys: Vec<&str> = keys.iter().flatten().map(String::as_str).collect();
        assert_eq!(keys, ["crm_id", "name", "arr", "lifecycle_stage", "customer_since", "industry", "domain"]);
    }

    #[test]
    fn an_amount_in_another_currency_than_the_row_says_is_refused_not_relabelled() {
        let mapping = vec![Some("name".to_owned()), Some("arr".to_owned()), Some("currency".to_owned())];
        let row = |arr: &str, currency: &str| vec!["Acme".to_owned(), arr.to_owned(), currency.to_owned()];
        let cells = row("₩1,200,000,000", "");
        let (input, problems) = account_input(&Row::new(&mapping, &cells));
        assert_eq!((input.arr.as_str(), input.currency.as_str(), problems.len()), ("1200000000", "KRW", 0));
        let cells = row("€ 9.999", "USD");
        let (_, problems) = account_input(&Row::new(&mapping, &cells));
        assert_eq!(problems, ["ARR is in EUR, but the row's currency is USD."]);
        let cells = row("NaN", "");
        let (_, problems) = account_input(&Row::new(&mapping, &cells));
        assert_eq!(problems, ["ARR: “NaN” is not an amount."]);
    }

    #[test]
    fn the_amount_reader_keeps_every_written_amount_and_never_panics() {
        // Generated amounts written the ways spreadsheets write them read back to the same value;
        // arbitrary text never panics and never yields a number with letters in it.
        let mut next = crate::testing::numbers(0x9E37_79B9_7F4A_7C15_u64);
        for _ in 0..5_000 {
            let whole = next(10_000_000_000);
            let cents = next(100);
            let grouped = |sep: &str| {
                let digits = whole.to_string();
                let mut out = String::new();
                for (i, ch) in digits.chars().enumerate() {
                    if i > 0 && (digits.len() - i).is_multiple_of(3) {
                        out.push_str(sep);
                    }
                    out.push(ch);
                }
                out
            };
            let expected = format!("{whole}.{cents:02}");
            for (typed, currency) in [
                (format!("${}.{cents:02}", grouped(",")), "USD"),
                (format!("{},{cents:02} €", grouped(".")), "EUR"),
                (format!("GBP {}.{cents:02}", grouped(" ")), "GBP"),
            ] {
                let got = money(&typed).expect(&typed);
                assert_eq!(
                    (got.number.as_str(), got.currency.as_deref()),
                    (expected.as_str(), Some(currency)),
                    "{typed}"
                );
            }
            let won = money(&format!("₩{}", grouped(","))).expect("won");
            assert_eq!(won.number, whole.to_string());
        }
        let alphabet: Vec<char> = "0123456789.,-+ $€₩eEnaNIf'xX\u{a0}".chars().collect();
        for _ in 0..20_000 {
            let len = next(12) as usize;
            let text: String = (0..len).map(|_| alphabet[next(alphabet.len() as u64) as usize]).collect();
            if let Ok(read) = money(&text) {
                assert!(
                    read.number.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-')),
                    "{text:?} → {read:?}"
                );
            }
        }
    }
}
