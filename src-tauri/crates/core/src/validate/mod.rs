//! Turns what the CSM typed into checked domain values, reporting every problem next to its field.
//! Nothing reaches the store without passing through here.

use chrono::NaiveDate;

use crate::error::{Error, FieldError};
use crate::model::money::minor_digits;
use crate::model::{
    AccountInput, ContactInput, ContactRole, LifecycleStage, Measure, MeasureConfig, Money, Scorecard, Segment,
    SignalInput, SignalKind,
};

mod calendar;
mod crm;
mod notes;
mod planner;
mod qbr;
mod queries;
mod relationships;
mod renewals;
mod risks;

pub use calendar::{calendar, calendar_address, internal_domains, meeting_id, reminders, ValidCalendar};
pub use crm::{crm_address, crm_owner_id, crm_settings, preview_query};
pub use notes::{draft_payload, keep_text, note, note_templates, ValidNote, NOTE_MAX_BYTES};
pub use planner::{
    day, planner_settings, playbooks, snooze_until, task, ValidTask, MAX_EFFORT_MINUTES, MAX_OFFSET_DAYS,
};
pub use qbr::{deck_edits, deck_style, milestone, qbr, success_metric, ValidMilestone, ValidQbr, ValidSuccessMetric};
pub use queries::{backups_kept, id, search_query, timeline_query};
pub use relationships::{stakeholder, ValidStakeholder};
pub use renewals::{outcome, renewal, renewal_settings, OutcomeContext, ValidOutcome, ValidRenewal};
pub use risks::{ask, asker, plan_step, risk, risk_reasons, risk_trigger, risk_update, ValidAsk, ValidRisk};

const NAME_MAX: usize = 200;
const TEXT_MAX: usize = 500;

/// A checked account, ready for the store.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidAccount {
    pub name: String,
    pub domain: Option<String>,
    pub segment: Segment,
    pub lifecycle_stage: LifecycleStage,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub employees: Option<i64>,
    pub owner: Option<String>,
    pub arr: Money,
    pub contract_start: Option<NaiveDate>,
    pub contract_end: Option<NaiveDate>,
    pub renewal_date: Option<NaiveDate>,
    pub contract_term_months: Option<i64>,
    pub products: Vec<String>,
    pub licences_purchased: Option<i64>,
    pub discount_bps: Option<i64>,
    pub customer_since: Option<NaiveDate>,
}

/// A checked contact, ready for the store.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidContact {
    pub name: String,
    pub email: Option<String>,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub role: ContactRole,
    pub left_on: Option<NaiveDate>,
}

/// Collects field errors so the CSM sees all of them at once.
#[derive(Default)]
struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    fn fail<T>(&mut self, field: &str, message: impl Into<String>) -> Option<T> {
        self.errors.push(FieldError::new(field, message));
        None
    }

    fn required(&mut self, field: &str, label: &str, value: &str) -> String {
        let value = clean(value);
        if value.is_empty() {
            self.errors.push(FieldError::new(field, format!("{label} is required.")));
        } else {
            self.text_rules(field, label, &value, NAME_MAX);
        }
        value
    }

    fn optional(&mut self, field: &str, label: &str, value: &str) -> Option<String> {
        let value = clean(value);
        if value.is_empty() {
            return None;
        }
        self.text_rules(field, label, &value, TEXT_MAX);
        Some(value)
    }

    fn text_rules(&mut self, field: &str, label: &str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.fail::<()>(field, format!("{label} is too long (at most {max} characters)."));
        } else if value.chars().any(char::is_control) {
            self.fail::<()>(field, format!("{label} contains control characters."));
        }
    }

    fn date(&mut self, field: &str, label: &str, value: &str) -> Option<NaiveDate> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
            Ok(date) if (1900..=2200).contains(&chrono::Datelike::year(&date)) => Some(date),
            _ => self.fail(field, format!("{label} must be a date like 2026-03-31.")),
        }
    }

    fn count(&mut self, field: &str, label: &str, value: &str, max: i64) -> Option<i64> {
        let digits: String = value.trim().chars().filter(|c| !matches!(c, ',' | '_' | ' ')).collect();
        if digits.is_empty() {
            return None;
        }
        match digits.parse::<i64>() {
            Ok(n) if n < 0 => self.fail(field, format!("{label} can't be negative.")),
            Ok(n) if n > max => self.fail(field, format!("{label} is too large.")),
            Ok(n) => Some(n),
            Err(_) => self.fail(field, format!("{label} must be a whole number.")),
        }
    }

    fn finish<T>(self, value: T) -> Result<T, Error> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(Error::Invalid(self.errors))
        }
    }
}

/// A web address the app sends a secret to (a CRM token, a calendar's secret address): HTTPS, or
/// plain HTTP to this computer only (a local fake in tests and demos). `refusal` says why not.
fn secure_address(field: &str, text: &str, refusal: &str) -> Result<(), Error> {
    let url = url::Url::parse(text).map_err(|_| Error::invalid(field, "That is not a web address."))?;
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    match url.scheme() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        _ => Err(Error::invalid(field, refusal)),
    }
}

/// Trims and folds runs of whitespace inside single-line text.
fn clean(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn account(input: &AccountInput) -> Result<ValidAccount, Error> {
    let mut c = Checker::default();
    let name = c.required("name", "Name", &input.name);
    let domain = domain(&mut c, &input.domain);
    let segment = Segment::parse(input.segment.trim())
        .or_else(|| c.fail("segment", "Choose a segment: high, low or tech touch."));
    let lifecycle_stage = LifecycleStage::parse(input.lifecycle_stage.trim()).or_else(|| {
        let choices: Vec<&str> = LifecycleStage::ALL.iter().map(|s| s.as_str()).collect();
        let message = match input.lifecycle_stage.trim() {
            "" => "Choose a lifecycle stage.".to_owned(),
            typed => format!("Lifecycle stage “{}” is not one of: {}.", excerpt(typed), choices.join(", ")),
        };
        c.fail("lifecycle_stage", message)
    });
    let currency = currency(&mut c, &input.currency);
    let arr = amount(&mut c, "arr", "ARR", &input.arr, &currency);
    let contract_start = c.date("contract_start", "Contract start", &input.contract_start);
    let contract_end = c.date("contract_end", "Contract end", &input.contract_end);
    if let (Some(start), Some(end)) = (contract_start, contract_end) {
        if end < start {
            c.fail::<()>("contract_end", "Contract end must be on or after contract start.");
        }
    }
    let valid = ValidAccount {
        name,
        domain,
        segment: segment.unwrap_or(Segment::LowTouch),
        lifecycle_stage: lifecycle_stage.unwrap_or(LifecycleStage::Onboarding),
        industry: c.optional("industry", "Industry", &input.industry),
        region: c.optional("region", "Region", &input.region),
        employees: c.count("employees", "Employees", &input.employees, 10_000_000),
        owner: c.optional("owner", "Owner", &input.owner),
        arr: Money { minor: arr.unwrap_or(0), currency },
        contract_start,
        contract_end,
        renewal_date: c.date("renewal_date", "Renewal date", &input.renewal_date),
        contract_term_months: term(&mut c, &input.contract_term_months),
        products: products(&mut c, &input.products),
        licences_purchased: c.count("licences_purchased", "Licences", &input.licences_purchased, 100_000_000),
        discount_bps: discount(&mut c, &input.discount_percent),
        customer_since: c.date("customer_since", "Customer since", &input.customer_since),
    };
    c.finish(valid)
}

pub fn contact(input: &ContactInput) -> Result<ValidContact, Error> {
    let mut c = Checker::default();
    let valid = ValidContact {
        name: c.required("name", "Name", &input.name),
        email: email(&mut c, &input.email),
        title: c.optional("title", "Title", &input.title),
        phone: phone(&mut c, &input.phone),
        role: ContactRole::parse(input.role.trim())
            .or_else(|| c.fail("role", "Choose a role."))
            .unwrap_or(ContactRole::Other),
        left_on: c.date("left_on", "Left on", &input.left_on),
    };
    c.finish(valid)
}

fn domain(c: &mut Checker, value: &str) -> Option<String> {
    let value = value.trim().to_lowercase();
    let value = value.trim_start_matches("https://").trim_start_matches("http://");
    let value = value.trim_start_matches("www.").trim_end_matches('/');
    if value.is_empty() {
        return None;
    }
    let labels_ok = value.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|ch| ch.is_alphanumeric() || ch == '-')
    });
    if value.len() > 253 || !value.contains('.') || !labels_ok {
        return c.fail("domain", "Domain must look like example.com.");
    }
    Some(value.to_owned())
}

fn email(c: &mut Checker, value: &str) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let valid = match value.split_once('@') {
        Some((local, host)) => {
            !local.is_empty()
                && host.contains('.')
                && !host.starts_with('.')
                && !host.ends_with('.')
                && !host.contains('@')
                && !value.chars().any(|ch| ch.is_whitespace() || ch.is_control() || "<>()[],;:\"".contains(ch))
        }
        None => false,
    };
    if !valid || value.len() > 254 {
        return c.fail("email", "Email must look like name@example.com.");
    }
    Some(value.to_owned())
}

fn phone(c: &mut Checker, value: &str) -> Option<String> {
    let value = clean(value);
    if value.is_empty() {
        return None;
    }
    let allowed = value.chars().all(|ch| ch.is_ascii_digit() || " +-().x".contains(ch));
    if !allowed || value.len() > 40 || !value.chars().any(|ch| ch.is_ascii_digit()) {
        return c.fail("phone", "Phone may hold digits, spaces and + - ( ) only.");
    }
    Some(value)
}

fn currency(c: &mut Checker, value: &str) -> String {
    let code = value.trim().to_uppercase();
    if code.is_empty() {
        return "USD".to_owned();
    }
    if code.len() != 3 || !code.chars().all(|ch| ch.is_ascii_uppercase()) {
        c.fail::<()>("currency", "Currency must be a three-letter code such as USD or EUR.");
        return "USD".to_owned();
    }
    code
}

/// A value as an error message quotes it: at most 40 characters (a 1 MB cell is not echoed).
pub fn excerpt(value: &str) -> String {
    match value.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &value[..cut]),
        None => value.to_owned(),
    }
}

/// Parses a typed amount ("120,000", "$1 250.50", "99") into minor units of `currency`.
fn amount(c: &mut Checker, field: &str, label: &str, value: &str, currency: &str) -> Option<i64> {
    let text: String = value
        .trim()
        .chars()
        .filter(|ch| !matches!(ch, ',' | '_' | ' ' | '\u{a0}' | '$' | '€' | '£' | '¥' | '₩'))
        .collect();
    if text.is_empty() {
        return Some(0);
    }
    if text.starts_with('-') {
        return c.fail(field, format!("{label} can't be negative."));
    }
    let digits = minor_digits(currency);
    match parse_decimal(&text, digits) {
        Some(minor) => Some(minor),
        None if text.contains('.') && !text.ends_with('.') && parse_decimal(&text, 9).is_some() => {
            c.fail(field, format!("{label} has more decimals than {currency} allows ({digits})."))
        }
        None => c.fail(field, format!("{label} must be an amount like 120000 or 99.50.")),
    }
}

/// Parses a non-negative decimal with at most `digits` decimals into an integer scaled by 10^digits.
fn parse_decimal(text: &str, digits: u32) -> Option<i64> {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let all_digits = |s: &str| s.chars().all(|ch| ch.is_ascii_digit());
    if whole.is_empty() || !all_digits(whole) || !all_digits(frac) || frac.len() > digits as usize {
        return None;
    }
    let scale = 10_i64.checked_pow(digits)?;
    let frac_value = format!("{frac:0<width$}", width = digits as usize);
    let frac_value: i64 = if digits == 0 { 0 } else { frac_value.parse().ok()? };
    whole.parse::<i64>().ok()?.checked_mul(scale)?.checked_add(frac_value)
}

fn term(c: &mut Checker, value: &str) -> Option<i64> {
    match c.count("contract_term_months", "Contract term", value, 120)? {
        0 => c.fail("contract_term_months", "Contract term must be at least one month."),
        months => Some(months),
    }
}

fn discount(c: &mut Checker, value: &str) -> Option<i64> {
    let text = value.trim().trim_end_matches('%').trim();
    if text.is_empty() {
        return None;
    }
    if text.starts_with('-') {
        return c.fail("discount_percent", "Discount can't be negative.");
    }
    match parse_decimal(text, 2) {
        Some(bps) if bps <= 10_000 => Some(bps),
        Some(_) => c.fail("discount_percent", "Discount can't be more than 100%."),
        None => c.fail("discount_percent", "Discount must be a percentage like 12.5."),
    }
}

fn products(c: &mut Checker, values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for value in values {
        if let Some(product) = c.optional("products", "Product name", value) {
            if !out.iter().any(|p| p.eq_ignore_ascii_case(&product)) {
                out.push(product);
            }
        }
    }
    out
}

/// Formats minor units back as the plain amount the CSM would type ("120000.50").
pub fn format_amount(money: &Money) -> String {
    let digits = minor_digits(&money.currency);
    if digits == 0 {
        return money.minor.to_string();
    }
    let scale = 10_i64.pow(digits);
    let (whole, frac) = (money.minor / scale, money.minor % scale);
    if frac == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{frac:0width$}", width = digits as usize)
    }
}

/// Formats basis points as the percentage the CSM would type ("12.5").
pub fn format_bps(bps: i64) -> String {
    let text = format!("{}.{:02}", bps / 100, bps % 100);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A checked signal, ready for the store.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidSignal {
    pub kind: SignalKind,
    pub value: f64,
    pub recorded_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub comment: String,
}

/// How long a sentiment counts when the CSM gives no expiry (domain.md §3: stale after 30 days).
pub const SENTIMENT_DAYS: u64 = 30;

/// Checks a hand-recorded signal. `licences_purchased` is the account's, for the used ≤ bought rule.
pub fn signal(input: &SignalInput, licences_purchased: Option<i64>, today: NaiveDate) -> Result<ValidSignal, Error> {
    let mut c = Checker::default();
    let kind = SignalKind::parse(input.kind.trim()).or_else(|| c.fail("kind", "Choose what you are recording."));
    let recorded_on = match c.date("recorded_on", "Date", &input.recorded_on) {
        Some(day) if day > today => c.fail("recorded_on", "The date can't be in the future."),
        Some(day) => Some(day),
        None if input.recorded_on.trim().is_empty() => Some(today),
        None => None,
    };
    let value = kind.and_then(|kind| signal_value(&mut c, kind, &input.value, licences_purchased));
    let comment = input.comment.trim().to_owned();
    if comment.chars().count() > 1000 {
        c.fail::<()>("comment", "The note is too long (at most 1000 characters).");
    }
    let mut expires_on = c.date("expires_on", "Expires on", &input.expires_on);
    if kind == Some(SignalKind::Sentiment) {
        if comment.is_empty() {
            c.fail::<()>("comment", "Say why: a sentiment needs a reason.");
        }
        let start = recorded_on.unwrap_or(today);
        expires_on = expires_on.or(Some(start + chrono::Days::new(SENTIMENT_DAYS)));
        if expires_on.is_some_and(|e| e < start) {
            c.fail::<()>("expires_on", "The expiry must be on or after the date.");
        }
    } else if expires_on.is_some() {
        c.fail::<()>("expires_on", "Only a sentiment expires.");
    }
    let valid = ValidSignal {
        kind: kind.unwrap_or(SignalKind::Sentiment),
        value: value.unwrap_or(0.0),
        recorded_on: recorded_on.unwrap_or(today),
        expires_on,
        comment,
    };
    c.finish(valid)
}

fn signal_value(c: &mut Checker, kind: SignalKind, text: &str, licences_purchased: Option<i64>) -> Option<f64> {
    let cleaned: String = text.trim().chars().filter(|ch| !matches!(ch, ',' | '_' | ' ')).collect();
    let Ok(value) = cleaned.parse::<f64>() else {
        return c.fail("value", "Enter a number.");
    };
    let whole = value.fract() == 0.0;
    let (low, high, label) = match kind {
        SignalKind::Nps => (0.0, 10.0, "NPS is a whole number from 0 to 10."),
        SignalKind::Csat | SignalKind::Sentiment => (1.0, 5.0, "Use a whole number from 1 to 5."),
        _ => (0.0, 1e9, "Enter a whole number of 0 or more."),
    };
    if !value.is_finite() || !whole || value < low || value > high {
        return c.fail("value", label);
    }
    if kind == SignalKind::LicencesUsed {
        if let Some(bought) = licences_purchased.filter(|b| value > *b as f64) {
            return c.fail("value", format!("Licences used can't exceed the {bought} purchased."));
        }
    }
    Some(value)
}

/// Checks a scorecard before it replaces the one in force.
pub fn scorecard(card: &Scorecard) -> Result<(), Error> {
    let mut c = Checker::default();
    for measure in Measure::ALL {
        let count = card.measures.iter().filter(|m| m.measure == measure).count();
        if count != 1 {
            c.fail::<()>("measures", format!("Each measure must appear once ({measure:?} appears {count} times)."));
        }
    }
    let total: u32 = card.measures.iter().map(|m| m.weight).sum();
    if total != 100 {
        c.fail::<()>("weights", format!("The weights must add up to 100; they add up to {total}."));
    }
    for m in &card.measures {
        thresholds(&mut c, m);
        if m.stale_after_days > 3650 {
            c.fail::<()>("stale_after_days", "Stale after at most 3650 days.");
        }
    }
    if card.min_coverage > 100 {
        c.fail::<()>("min_coverage", "The weight needed for a score is a share between 0 and 100.");
    }
    if card.green_above > 100 || card.red_below > 100 {
        c.fail::<()>("bands", "Band cut-offs must be between 0 and 100.");
    } else if card.red_below > card.green_above {
        c.fail::<()>("bands", "The red cut-off must not be above the green one.");
    }
    let cadence = card.cadence_days;
    if [cadence.high_touch, cadence.low_touch, cadence.tech_touch].iter().any(|d| !(1..=365).contains(d)) {
        c.fail::<()>("cadence_days", "Touch intervals must be 1 to 365 days.");
    }
    c.finish(())
}

fn thresholds(c: &mut Checker, m: &MeasureConfig) {
    let field = "thresholds";
    let name = format!("{:?}", m.measure);
    if m.thresholds.len() < 2 {
        c.fail::<()>(field, format!("{name}: give at least two thresholds."));
        return;
    }
    if m.thresholds.iter().any(|t| !t.raw.is_finite() || !t.score.is_finite() || !(0.0..=100.0).contains(&t.score)) {
        c.fail::<()>(field, format!("{name}: scores must be numbers from 0 to 100."));
    } else if m.thresholds.windows(2).any(|w| w[1].raw <= w[0].raw) {
        c.fail::<()>(field, format!("{name}: thresholds must be in increasing order, without overlaps."));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A day in a test: "2026-03-31".
    pub(crate) fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn valid_input() -> AccountInput {
        AccountInput {
            name: "  Acme   Corp ".into(),
            segment: "high_touch".into(),
            lifecycle_stage: "adoption".into(),
            arr: "$120,000.50".into(),
            currency: "usd".into(),
            domain: "https://www.Acme.com/".into(),
            discount_percent: "12.5%".into(),
            products: vec!["Analytics".into(), "analytics".into(), " ".into(), "Sync".into()],
            ..Default::default()
        }
    }

    /// The fields a validation error names, in order (shared by the other checks' tests).
    pub(crate) fn fields(err: Error) -> Vec<String> {
        err.fields().iter().map(|f| f.field.clone()).collect()
    }

    #[test]
    fn a_valid_account_is_normalised() {
        let valid = account(&valid_input()).expect("valid");
        assert_eq!(valid.name, "Acme Corp");
        assert_eq!(valid.domain.as_deref(), Some("acme.com"));
        assert_eq!(valid.arr, Money::new(12_000_050, "USD"));
        assert_eq!(valid.discount_bps, Some(1250));
        assert_eq!(valid.products, vec!["Analytics", "Sync"]);
    }

    #[test]
    fn empty_or_whitespace_names_are_refused() {
        for name in ["", "   ", "\t\n"] {
            let err = account(&AccountInput { name: name.into(), ..valid_input() }).unwrap_err();
            assert_eq!(fields(err), vec!["name"], "name {name:?}");
        }
    }

    #[test]
    fn negative_or_malformed_amounts_are_refused() {
        for arr in ["-5", "12.345", "abc", "1e6", "99999999999999999999"] {
            let err = account(&AccountInput { arr: arr.into(), ..valid_input() }).unwrap_err();
            assert_eq!(fields(err), vec!["arr"], "arr {arr:?}");
        }
        let yen = AccountInput { arr: "1,000".into(), currency: "JPY".into(), ..valid_input() };
        assert_eq!(account(&yen).unwrap().arr.minor, 1000);
    }

    #[test]
    fn end_before_start_and_malformed_dates_are_refused() {
        let input = AccountInput {
            contract_start: "2026-05-01".into(),
            contract_end: "2026-04-30".into(),
            renewal_date: "31/12/2026".into(),
            customer_since: "2026-02-30".into(),
            ..valid_input()
        };
        let got = fields(account(&input).unwrap_err());
        assert_eq!(got, vec!["contract_end", "renewal_date", "customer_since"]);
    }

    #[test]
    fn several_problems_are_reported_together() {
        let input = AccountInput {
            name: "".into(),
            segment: "enterprise".into(),
            employees: "-3".into(),
            contract_term_months: "0".into(),
            discount_percent: "120".into(),
            domain: "not a domain".into(),
            currency: "dollars".into(),
            ..valid_input()
        };
        let err = account(&input).unwrap_err();
        assert_eq!(err.to_string(), "7 fields need attention.");
        assert_eq!(
            fields(err),
            vec!["name", "domain", "segment", "currency", "employees", "contract_term_months", "discount_percent"]
        );
    }

    #[test]
    fn hostile_strings_are_kept_as_text_or_refused() {
        let input = AccountInput { name: "<script>alert(1)</script>'; DROP TABLE accounts;--".into(), ..valid_input() };
        assert_eq!(account(&input).unwrap().name, input.name);
        let nul = AccountInput { industry: "bad\u{0}byte".into(), ..valid_input() };
        assert_eq!(fields(account(&nul).unwrap_err()), vec!["industry"]);
        let long = AccountInput { name: "x".repeat(201), ..valid_input() };
        assert_eq!(fields(account(&long).unwrap_err()), vec!["name"]);
    }

    #[test]
    fn contacts_need_a_name_a_role_and_a_real_email() {
        let ok = ContactInput {
            name: "Ana Lima".into(),
            role: "champion".into(),
            email: "ana@acme.com".into(),
            ..Default::default()
        };
        assert_eq!(contact(&ok).unwrap().role, ContactRole::Champion);
        for email in ["ana", "ana@", "@acme.com", "ana@acme", "a b@acme.com", "ana@acme.com<script>"] {
            let err = contact(&ContactInput { email: email.into(), ..ok.clone() }).unwrap_err();
            assert_eq!(fields(err), vec!["email"], "email {email:?}");
        }
        let err = contact(&ContactInput { name: " ".into(), role: "boss".into(), ..ok }).unwrap_err();
        assert_eq!(fields(err), vec!["name", "role"]);
    }

    #[test]
    fn amounts_and_discounts_round_trip_as_text() {
        assert_eq!(format_amount(&Money::new(12_000_050, "USD")), "120000.50");
        assert_eq!(format_amount(&Money::new(500, "KRW")), "500");
        assert_eq!(format_bps(1250), "12.5");
        assert_eq!(format_bps(1000), "10");
        let valid = account(&valid_input()).unwrap();
        assert_eq!(format_amount(&valid.arr), "120000.50");
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).expect("date")
    }

    fn signal_input(kind: &str, value: &str) -> SignalInput {
        SignalInput { kind: kind.into(), value: value.into(), ..Default::default() }
    }

    #[test]
    fn signals_are_checked_against_their_ranges() {
        let ok = signal(&signal_input("nps", "9"), None, today()).expect("valid");
        assert_eq!((ok.value, ok.recorded_on), (9.0, today()));
        for (kind, value) in [
            ("nps", "11"),
            ("nps", "-1"),
            ("nps", "7.5"),
            ("tickets_open", "-2"),
            ("tickets_open", "NaN"),
            ("tickets_open", "inf"),
            ("csat", "0"),
            ("active_users", "lots"),
        ] {
            let err = signal(&signal_input(kind, value), None, today()).expect_err(value);
            assert_eq!(fields(err), vec!["value"], "{kind} {value}");
        }
        let err = signal(&signal_input("licences_used", "120"), Some(100), today()).expect_err("over");
        assert_eq!(err.to_string(), "Licences used can't exceed the 100 purchased.");
        let future = SignalInput { recorded_on: "2026-12-01".into(), ..signal_input("nps", "8") };
        assert_eq!(fields(signal(&future, None, today()).expect_err("future")), vec!["recorded_on"]);
    }

    #[test]
    fn a_sentiment_needs_a_reason_and_expires_after_30_days_by_default() {
        let bare = signal(&signal_input("sentiment", "2"), None, today()).expect_err("reason");
        assert_eq!(fields(bare), vec!["comment"]);
        let with_reason = SignalInput { comment: "Sponsor went quiet".into(), ..signal_input("sentiment", "2") };
        let valid = signal(&with_reason, None, today()).expect("valid");
        assert_eq!(valid.expires_on, Some(today() + chrono::Days::new(30)));
        let not_sentiment = SignalInput { expires_on: "2027-01-01".into(), ..signal_input("nps", "3") };
        assert_eq!(fields(signal(&not_sentiment, None, today()).expect_err("expiry")), vec!["expires_on"]);
    }

    #[test]
    fn a_broken_scorecard_is_refused_with_reasons() {
        let good = crate::health::default_scorecard();
        scorecard(&good).expect("the default is valid");

        let mut weights = good.clone();
        weights.measures[0].weight += 5;
        assert_eq!(
            scorecard(&weights).expect_err("weights").to_string(),
            "The weights must add up to 100; they add up to 105."
        );

        let mut unordered = good.clone();
        unordered.measures[1].thresholds.swap(0, 1);
        assert_eq!(fields(scorecard(&unordered).expect_err("order")), vec!["thresholds"]);

        let mut out_of_range = good.clone();
        out_of_range.green_above = 120;
        assert_eq!(fields(scorecard(&out_of_range).expect_err("bands")), vec!["bands"]);

        let mut nan = good.clone();
        nan.measures[2].thresholds[0].score = f64::NAN;
        assert_eq!(fields(scorecard(&nan).expect_err("nan")), vec!["thresholds"]);

        let mut missing = good;
        missing.measures.pop();
        assert!(fields(scorecard(&missing).expect_err("missing")).contains(&"measures".to_owned()));
    }
}
