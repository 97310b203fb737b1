//! CRM values in the words of the book's forms: trimmed text, whole-or-cent amounts, ISO days and
//! the three segments. What cannot be read is passed on as it came, for the forms to refuse with
//! a reason (never guessed).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use csm_core::model::{is_currency, minor_digits, Money, RemoteFields, SyncField};
use serde_json::Value;

/// An instant from epoch ms, RFC 3339, or Salesforce's "2026-05-01T10:00:00.000+0000".
pub fn instant(value: &Value) -> Option<DateTime<Utc>> {
    let text = value.as_str()?;
    if let Ok(ms) = text.parse::<i64>() {
        return Utc.timestamp_millis_opt(ms).single();
    }
    DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z"))
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

pub fn text(properties: &Value, key: &str) -> String {
    match &properties[key] {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

pub fn segment(value: &str) -> String {
    let v = value.to_lowercase().replace(['-', ' '], "_");
    match v.as_str() {
        "high_touch" | "high" | "enterprise" => "high_touch".into(),
        "low_touch" | "low" | "mid_market" | "midmarket" => "low_touch".into(),
        "tech_touch" | "tech" | "digital" | "scaled" => "tech_touch".into(),
        _ => String::new(),
    }
}

/// A date in the local forms' words: "2026-03-31" from a date, an ISO instant or epoch ms.
pub fn day(value: &str) -> String {
    if value.is_empty() {
        return String::new();
    }
    if NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok() {
        return value.to_owned();
    }
    instant(&Value::String(value.to_owned())).map(|t| t.date_naive().to_string()).unwrap_or_else(|| value.to_owned())
}

/// A number as the forms take it; anything else is passed on for the forms to refuse.
pub fn amount(value: &str) -> String {
    match value.parse::<f64>() {
        Ok(v) if v.is_finite() => {
            if v.fract() == 0.0 {
                format!("{v:.0}")
            } else {
                format!("{v:.2}")
            }
        }
        _ => value.to_owned(),
    }
}

/// A deal amount in minor units of its currency (none for KRW or JPY, three for KWD): Some(None)
/// when empty, None when it is not a sane number. An unknown currency code is taken as USD.
pub fn money(amount: &str, currency: &str) -> Option<Option<Money>> {
    if amount.is_empty() {
        return Some(None);
    }
    let currency = currency.trim().to_uppercase();
    let currency = if is_currency(&currency) { currency } else { "USD".to_owned() };
    let scale = 10_f64.powi(minor_digits(&currency) as i32);
    match amount.parse::<f64>() {
        Ok(v) if v.is_finite() && v.abs() < 1e13 => Some(Some(Money { minor: (v * scale).round() as i64, currency })),
        _ => None,
    }
}

/// A calendar day from a date, an ISO instant or epoch ms.
pub fn calendar_day(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&day(value), "%Y-%m-%d").ok()
}

/// A person's fields in the forms' words; without a name, the email stands for it.
pub fn contact_fields(first: &str, last: &str, email: String, title: String, phone: String) -> RemoteFields {
    let name = format!("{first} {last}").trim().to_owned();
    BTreeMap::from([
        (SyncField::Name, if name.is_empty() { email.clone() } else { name }),
        (SyncField::Email, email),
        (SyncField::Title, title),
        (SyncField::Phone, phone),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deal_amounts_are_in_their_currency_minor_units() {
        let minor = |amount: &str, currency: &str| money(amount, currency).flatten().map(|m| (m.minor, m.currency));
        assert_eq!(minor("1200.50", "USD"), Some((120_050, "USD".into())));
        assert_eq!(minor("1200000000", "KRW"), Some((1_200_000_000, "KRW".into())), "the won has no minor unit");
        assert_eq!(minor("250000", "jpy"), Some((250_000, "JPY".into())));
        assert_eq!(minor("12.345", "KWD"), Some((12_345, "KWD".into())));
        assert_eq!(minor("99", "???"), Some((9_900, "USD".into())));
        assert_eq!(money("", "EUR"), Some(None));
        assert_eq!(money("NaN", "EUR"), None);
        assert_eq!(money("1e20", "EUR"), None);
    }
}
