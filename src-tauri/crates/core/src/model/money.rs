use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An amount in integer minor units (cents) of an ISO 4217 currency. Never a float.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Money {
    #[ts(type = "number")]
    pub minor: i64,
    pub currency: String,
}

impl Money {
    pub fn new(minor: i64, currency: &str) -> Self {
        Self { minor, currency: currency.to_owned() }
    }

    /// The amount as people read it: thousands grouped, the currency after ("26,500 USD",
    /// "1,200,000,000 KRW", "120,000.50 EUR").
    pub fn text(&self) -> String {
        format!("{} {}", group_thousands(&crate::validate::format_amount(self)), self.currency)
    }

    /// Monthly recurring revenue from an annual amount, rounded to the nearest minor unit.
    pub fn monthly_from_annual(&self) -> Money {
        Money { minor: (self.minor + 6) / 12, currency: self.currency.clone() }
    }
}

/// A decimal number with its thousands grouped: "-1200000.5" → "-1,200,000.5".
pub fn group_thousands(text: &str) -> String {
    let (sign, rest) = text.strip_prefix('-').map_or(("", text), |r| ("-", r));
    let (whole, frac) = rest.split_once('.').map_or((rest, None), |(w, f)| (w, Some(f)));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// How many decimal places a currency's minor unit has (ISO 4217), for parsing and display;
/// 2 for a code ISO 4217 does not know or gives no minor unit (gold, SDR).
pub fn minor_digits(currency: &str) -> u32 {
    iso_currency::Currency::from_code(currency).and_then(|c| c.exponent()).map_or(2, u32::from)
}

/// Whether `code` is an ISO 4217 currency code ("KRW"; not "NAN").
pub fn is_currency(code: &str) -> bool {
    iso_currency::Currency::from_code(code).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mrr_is_a_twelfth_of_arr_rounded() {
        assert_eq!(Money::new(12_000_000, "USD").monthly_from_annual().minor, 1_000_000);
        assert_eq!(Money::new(100, "USD").monthly_from_annual().minor, 8);
        assert_eq!(minor_digits("KRW"), 0);
        assert_eq!(minor_digits("EUR"), 2);
    }

    #[test]
    fn amounts_read_with_grouped_thousands_and_their_currency() {
        assert_eq!(Money::new(2_650_000, "USD").text(), "26,500 USD");
        assert_eq!(Money::new(1_200_000_000, "KRW").text(), "1,200,000,000 KRW");
        assert_eq!(Money::new(12_000_050, "EUR").text(), "120,000.50 EUR");
        assert_eq!(Money::new(-150_000, "GBP").text(), "-1,500 GBP");
        assert_eq!(Money::new(0, "USD").text(), "0 USD");
    }
}
