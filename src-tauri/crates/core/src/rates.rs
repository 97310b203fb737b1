//! The CSM's exchange rates: amounts in several currencies are converted into the reporting
//! currency before any sum, and a sum that would need a missing rate names the currencies instead
//! of adding amounts at face value.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{minor_digits, Money};

/// The reporting currency and how many of its units one unit of each other currency is worth.
#[derive(Debug, Clone, PartialEq)]
pub struct Rates {
    pub reporting: String,
    pub per_unit: BTreeMap<String, f64>,
}

/// Amounts in these currencies have no rate to the reporting currency (a rate of zero is none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingRates(pub BTreeSet<String>);

impl Rates {
    /// An amount in the reporting currency's minor units (rounded); None without a rate.
    pub fn convert(&self, money: &Money) -> Option<i64> {
        if money.currency == self.reporting {
            return Some(money.minor);
        }
        let rate = *self.per_unit.get(&money.currency).filter(|r| r.is_finite() && **r > 0.0)?;
        let major = money.minor as f64 / 10f64.powi(minor_digits(&money.currency) as i32);
        Some((major * rate * 10f64.powi(minor_digits(&self.reporting) as i32)).round() as i64)
    }

    /// Converts many amounts, noting every currency without a rate.
    pub fn converting(&self) -> Converting<'_> {
        Converting { rates: self, missing: BTreeSet::new() }
    }
}

/// A run of conversions that remembers the currencies it could not convert.
pub struct Converting<'a> {
    rates: &'a Rates,
    missing: BTreeSet<String>,
}

impl Converting<'_> {
    /// The amount in reporting minor units; 0 (and the currency noted) without a rate.
    pub fn minor(&mut self, money: &Money) -> i64 {
        self.rates.convert(money).unwrap_or_else(|| {
            self.missing.insert(money.currency.clone());
            0
        })
    }

    /// `value`, unless some amount could not be converted.
    pub fn finish<T>(self, value: T) -> Result<T, MissingRates> {
        if self.missing.is_empty() {
            Ok(value)
        } else {
            Err(MissingRates(self.missing))
        }
    }
}
