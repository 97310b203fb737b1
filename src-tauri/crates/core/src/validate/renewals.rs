//! The renewal desk's inputs as typed: the CSM's call on a renewal, an outcome, and the settings
//! (category names, reasons, reporting currency and rates). Every problem is named at its field.

use std::collections::BTreeSet;

use chrono::{Months, NaiveDate};

use super::{amount, clean, excerpt, Checker};
use crate::error::{Error, FieldError};
use crate::model::{
    is_currency, ContractionBy, ExchangeRate, ForecastCategory, Money, OutcomeInput, OutcomeKind, RenewalInput,
    RenewalSettings, RenewalSettingsInput, RenewalStage,
};

/// An expected ARR above this many times today's is a typo, not a forecast.
const EXPECTED_MAX_FACTOR: i64 = 10;
/// …and above this (in major units) for an account with no ARR yet.
const EXPECTED_MAX_MAJOR: i64 = 100_000_000;
const STEP_MAX: usize = 200;
const COMMENT_MAX: usize = 2_000;
const NAME_MAX: usize = 40;
const REASON_MAX: usize = 60;
const REASONS_MAX: usize = 30;
const RATES_MAX: usize = 500;
/// One unit of any currency is worth less than a million of another (IRR to KWD is ~1e-5).
const RATE_MAX: f64 = 1e6;

/// A checked call on a renewal.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidRenewal {
    /// None: the same as today's ARR.
    pub expected_minor: Option<i64>,
    /// None: not set; the likelihood suggests one.
    pub category: Option<ForecastCategory>,
    pub stage: RenewalStage,
    pub confidence: Option<u32>,
    pub next_step: String,
    pub next_step_on: Option<NaiveDate>,
    pub notice_days: Option<u32>,
    pub auto_renews: bool,
}

/// A checked outcome, with the ARR it leaves and the next renewal date.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidOutcome {
    pub kind: OutcomeKind,
    pub decided_on: NaiveDate,
    pub arr_after: Money,
    pub contraction_by: Option<ContractionBy>,
    pub reasons: Vec<String>,
    pub comment: String,
    pub avoidable: Option<bool>,
    /// None after a churn.
    pub next_renewal_date: Option<NaiveDate>,
}

/// What an outcome is checked against: the account as it stands.
pub struct OutcomeContext<'a> {
    pub arr: &'a Money,
    pub contract_start: Option<NaiveDate>,
    pub renewal_date: Option<NaiveDate>,
    pub term_months: Option<i64>,
    /// The reasons offered in Settings.
    pub reasons: &'a [String],
    pub today: NaiveDate,
}

fn choice<T: Copy>(
    c: &mut Checker,
    field: &str,
    label: &str,
    text: &str,
    parse: fn(&str) -> Option<T>,
    all: &[&str],
) -> Option<T> {
    let text = text.trim();
    parse(text).or_else(|| {
        let message = if text.is_empty() {
            format!("Choose {label}.")
        } else {
            format!("{} “{}” is not one of: {}.", capitalised(label), excerpt(text), all.join(", "))
        };
        c.fail(field, message)
    })
}

fn capitalised(label: &str) -> String {
    let mut chars = label.trim_start_matches("a ").trim_start_matches("the ").chars();
    chars.next().map(|f| f.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

pub fn renewal(input: &RenewalInput, current: &Money) -> Result<ValidRenewal, Error> {
    let mut c = Checker::default();
    let expected_minor = match input.expected_arr.trim() {
        "" => None,
        text => amount(&mut c, "expected_arr", "Expected ARR", text, &current.currency)
            .and_then(|minor| plausible_expected(&mut c, minor, current)),
    };
    let category = match input.category.trim() {
        "" => None,
        text => {
            let names: Vec<&str> = ForecastCategory::ALL.iter().map(|c| c.label()).collect();
            choice(&mut c, "category", "a category", text, ForecastCategory::parse, &names)
        }
    };
    let stages: Vec<&str> = RenewalStage::ALL.iter().map(|s| s.as_str()).collect();
    let stage = match input.stage.trim() {
        "" => Some(RenewalStage::NotStarted),
        text => choice(&mut c, "stage", "a stage", text, RenewalStage::parse, &stages),
    };
    let confidence = c.count("confidence", "Confidence", &input.confidence, 100).map(|n| n as u32);
    let next_step = clean(&input.next_step);
    if next_step.chars().count() > STEP_MAX {
        c.fail::<()>("next_step", format!("Next step is too long (at most {STEP_MAX} characters)."));
    }
    let valid = ValidRenewal {
        expected_minor,
        category,
        stage: stage.unwrap_or(RenewalStage::NotStarted),
        confidence,
        next_step,
        next_step_on: c.date("next_step_on", "Next step date", &input.next_step_on),
        notice_days: c.count("notice_days", "Notice period", &input.notice_days, 730).map(|n| n as u32),
        auto_renews: input.auto_renews,
    };
    c.finish(valid)
}

fn plausible_expected(c: &mut Checker, minor: i64, current: &Money) -> Option<i64> {
    let unit = 10i64.pow(crate::model::minor_digits(&current.currency));
    let ceiling = (current.minor.saturating_mul(EXPECTED_MAX_FACTOR)).max(EXPECTED_MAX_MAJOR.saturating_mul(unit));
    if minor > ceiling {
        return c.fail("expected_arr", "Expected ARR is more than ten times today's ARR: check the amount.");
    }
    Some(minor)
}

pub fn outcome(input: &OutcomeInput, at: &OutcomeContext<'_>) -> Result<ValidOutcome, Error> {
    let mut c = Checker::default();
    let kinds: Vec<&str> = OutcomeKind::ALL.iter().map(|k| k.as_str()).collect();
    let kind = choice(&mut c, "kind", "what happened", &input.kind, OutcomeKind::parse, &kinds);
    let decided_on = decided_on(&mut c, &input.decided_on, at);
    let arr_after = kind.and_then(|k| arr_after(&mut c, k, &input.new_arr, at.arr));
    let contraction_by = match (kind, input.contraction_by.trim()) {
        (Some(OutcomeKind::Contraction), text) => {
            choice(&mut c, "contraction_by", "seats or price", text, ContractionBy::parse, &["seats", "price"])
        }
        _ => None,
    };
    let reasons = reasons(&mut c, kind, &input.reasons, at.reasons);
    let comment = super::keep_text(input.comment.trim());
    if comment.chars().count() > COMMENT_MAX {
        c.fail::<()>("comment", format!("Comment is too long (at most {COMMENT_MAX} characters)."));
    }
    let next_renewal_date = match kind {
        Some(OutcomeKind::Churn) | None => None,
        Some(_) => next_renewal(&mut c, &input.next_renewal_date, decided_on, at),
    };
    let (Some(kind), Some(decided_on), Some(arr_after)) = (kind, decided_on, arr_after) else {
        return Err(c
            .finish(())
            .err()
            .unwrap_or_else(|| Error::Invalid(vec![FieldError::new("kind", "Choose what happened.")])));
    };
    c.finish(ValidOutcome {
        kind,
        decided_on,
        arr_after,
        contraction_by,
        reasons,
        comment,
        avoidable: input.avoidable,
        next_renewal_date,
    })
}

fn decided_on(c: &mut Checker, text: &str, at: &OutcomeContext<'_>) -> Option<NaiveDate> {
    let day = match text.trim() {
        "" => Some(at.today),
        text => c.date("decided_on", "Decided on", text),
    }?;
    if day > at.today {
        return c.fail("decided_on", "An outcome can't be dated in the future.");
    }
    if let Some(start) = at.contract_start.filter(|start| day < *start) {
        return c.fail("decided_on", format!("Decided on is before the contract started ({start})."));
    }
    Some(day)
}

fn arr_after(c: &mut Checker, kind: OutcomeKind, text: &str, before: &Money) -> Option<Money> {
    let money = |minor| Money { minor, currency: before.currency.clone() };
    match kind {
        OutcomeKind::Flat => Some(before.clone()),
        OutcomeKind::Churn => Some(money(0)),
        OutcomeKind::Expansion | OutcomeKind::Contraction if text.trim().is_empty() => {
            c.fail("new_arr", "Give the ARR from now on.")
        }
        OutcomeKind::Expansion => {
            let minor = amount(c, "new_arr", "New ARR", text, &before.currency)?;
            if minor <= before.minor {
                return c.fail("new_arr", format!("An expansion ends above today's ARR ({}).", before.text()));
            }
            plausible_expected_as(c, "new_arr", minor, before).map(money)
        }
        OutcomeKind::Contraction => {
            let minor = amount(c, "new_arr", "New ARR", text, &before.currency)?;
            if minor >= before.minor || minor == 0 {
                let message = format!("A contraction ends below today's ARR ({}) and above zero.", before.text());
                return c.fail("new_arr", message);
            }
            Some(money(minor))
        }
    }
}

fn plausible_expected_as(c: &mut Checker, field: &str, minor: i64, current: &Money) -> Option<i64> {
    let mut inner = Checker::default();
    let ok = plausible_expected(&mut inner, minor, current);
    if ok.is_none() {
        return c.fail(field, "New ARR is more than ten times today's ARR: check the amount.");
    }
    ok
}

fn reasons(c: &mut Checker, kind: Option<OutcomeKind>, typed: &[String], offered: &[String]) -> Vec<String> {
    let mut chosen: Vec<String> = Vec::new();
    for reason in typed.iter().map(|r| clean(r)).filter(|r| !r.is_empty()) {
        if !offered.contains(&reason) {
            c.fail::<()>("reasons", format!("“{}” is not one of the reasons in Settings.", excerpt(&reason)));
        } else if !chosen.contains(&reason) {
            chosen.push(reason);
        }
    }
    if matches!(kind, Some(OutcomeKind::Churn | OutcomeKind::Contraction)) && chosen.is_empty() {
        c.fail::<()>("reasons", "Pick at least one reason: churn and contraction are explained.");
    }
    chosen
}

fn next_renewal(
    c: &mut Checker,
    text: &str,
    decided_on: Option<NaiveDate>,
    at: &OutcomeContext<'_>,
) -> Option<NaiveDate> {
    let day = match text.trim() {
        "" => {
            let from = at.renewal_date.or(decided_on)?;
            let months = at.term_months.filter(|m| (1..=120).contains(m)).unwrap_or(12) as u32;
            from.checked_add_months(Months::new(months))
        }
        text => c.date("next_renewal_date", "Next renewal", text),
    }?;
    if decided_on.is_some_and(|d| day <= d) {
        return c.fail("next_renewal_date", "The next renewal comes after this outcome.");
    }
    Some(day)
}

pub fn renewal_settings(input: &RenewalSettingsInput) -> Result<RenewalSettings, Error> {
    let mut c = Checker::default();
    let reporting = currency_code(&mut c, "reporting_currency", "Reporting currency", &input.reporting_currency);
    let category_names = category_names(&mut c, &input.category_names);
    let reasons = reason_list(&mut c, &input.reasons);
    if input.rates.len() > RATES_MAX {
        c.fail::<()>("rates", format!("Keep at most {RATES_MAX} rates."));
    }
    let mut seen = BTreeSet::new();
    let mut rates = Vec::new();
    for (i, rate) in input.rates.iter().enumerate().take(RATES_MAX) {
        let field = |name: &str| format!("rates.{i}.{name}");
        let currency = currency_code(&mut c, &field("currency"), "Currency", &rate.currency);
        if currency.as_deref().is_some_and(|code| Some(code) == reporting.as_deref()) {
            c.fail::<()>(&field("currency"), "The reporting currency needs no rate.");
        }
        let valid_from = match rate.valid_from.trim() {
            "" => c.fail(&field("valid_from"), "Give the day the rate applies from."),
            text => c.date(&field("valid_from"), "Valid from", text),
        };
        let per_unit = per_unit(&mut c, &field("per_unit"), &rate.per_unit);
        if let (Some(currency), Some(valid_from), Some(per_unit)) = (currency, valid_from, per_unit) {
            if !seen.insert((currency.clone(), valid_from)) {
                c.fail::<()>(&field("valid_from"), format!("{currency} already has a rate from {valid_from}."));
            }
            rates.push(ExchangeRate { currency, valid_from, per_unit });
        }
    }
    rates.sort_by(|a, b| (&a.currency, a.valid_from).cmp(&(&b.currency, b.valid_from)));
    let valid = RenewalSettings {
        reporting_currency: reporting.unwrap_or_else(|| "USD".into()),
        category_names,
        reasons,
        rates,
    };
    c.finish(valid)
}

fn currency_code(c: &mut Checker, field: &str, label: &str, text: &str) -> Option<String> {
    let code = text.trim().to_uppercase();
    if !is_currency(&code) {
        return c.fail(field, format!("{label} must be an ISO 4217 code such as USD, EUR or JPY."));
    }
    Some(code)
}

fn per_unit(c: &mut Checker, field: &str, text: &str) -> Option<f64> {
    let cleaned: String = text.trim().chars().filter(|ch| !matches!(ch, ',' | '_' | ' ')).collect();
    match cleaned.parse::<f64>() {
        Ok(rate) if rate.is_finite() && rate > 0.0 && rate <= RATE_MAX => Some(rate),
        Ok(rate) if rate.is_finite() && rate > RATE_MAX => c.fail(field, "That rate is too large: check it."),
        Ok(_) => c.fail(field, "A rate is more than zero."),
        Err(_) => c.fail(field, "A rate is a number, like 1.08."),
    }
}

fn category_names(c: &mut Checker, names: &[String]) -> Vec<String> {
    if names.len() != ForecastCategory::ALL.len() {
        c.fail::<()>("category_names", "Name each of the four categories.");
        return ForecastCategory::ALL.iter().map(|c| c.label().to_owned()).collect();
    }
    let mut out: Vec<String> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let name = clean(name);
        let field = format!("category_names.{i}");
        if name.is_empty() || name.chars().count() > NAME_MAX {
            c.fail::<()>(&field, format!("A category's name has 1 to {NAME_MAX} characters."));
        } else if out.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
            c.fail::<()>(&field, "Two categories can't share a name.");
        }
        out.push(name);
    }
    out
}

fn reason_list(c: &mut Checker, reasons: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, reason) in reasons.iter().enumerate() {
        let reason = clean(reason);
        let field = format!("reasons.{i}");
        if reason.is_empty() || reason.chars().count() > REASON_MAX {
            c.fail::<()>(&field, format!("A reason has 1 to {REASON_MAX} characters."));
        } else if out.iter().any(|r| r.eq_ignore_ascii_case(&reason)) {
            c.fail::<()>(&field, "That reason is already in the list.");
        } else {
            out.push(reason);
        }
    }
    if out.is_empty() || out.len() > REASONS_MAX {
        c.fail::<()>("reasons", format!("Keep 1 to {REASONS_MAX} reasons."));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RateInput;

    use crate::validate::tests::{day, fields};

    fn reasons() -> Vec<String> {
        crate::model::DEFAULT_REASONS.iter().map(|r| r.to_string()).collect()
    }

    fn context<'a>(arr: &'a Money, offered: &'a [String]) -> OutcomeContext<'a> {
        OutcomeContext {
            arr,
            contract_start: Some(day("2025-03-01")),
            renewal_date: Some(day("2026-12-15")),
            term_months: Some(12),
            reasons: offered,
            today: day("2026-12-03"),
        }
    }

    #[test]
    fn a_call_is_read_with_its_amount_in_the_accounts_currency() {
        let input = RenewalInput {
            expected_arr: "130,000".into(),
            category: "commit".into(),
            stage: "proposal_sent".into(),
            confidence: "80".into(),
            next_step: "  Send the  order form ".into(),
            next_step_on: "2026-12-10".into(),
            ..Default::default()
        };
        let v = renewal(&input, &Money::new(12_000_000, "USD")).unwrap();
        assert_eq!(v.expected_minor, Some(13_000_000));
        assert_eq!(
            (v.category, v.stage, v.confidence),
            (Some(ForecastCategory::Commit), RenewalStage::ProposalSent, Some(80))
        );
        assert_eq!(v.next_step, "Send the order form");
    }

    #[test]
    fn a_negative_or_absurd_amount_and_unknown_lists_are_refused_at_their_fields() {
        let input = RenewalInput {
            expected_arr: "-5".into(),
            category: "maybe".into(),
            stage: "won".into(),
            confidence: "140".into(),
            ..Default::default()
        };
        let f = fields(renewal(&input, &Money::new(10_000, "USD")).unwrap_err());
        assert_eq!(f, ["expected_arr", "category", "stage", "confidence"]);
        let absurd = RenewalInput { expected_arr: "5,000,000,000".into(), ..Default::default() };
        assert_eq!(fields(renewal(&absurd, &Money::new(12_000_000, "USD")).unwrap_err()), ["expected_arr"]);
    }

    #[test]
    fn a_churn_needs_a_reason_and_a_contraction_its_kind_and_a_lower_amount() {
        let arr = Money::new(12_000_000, "USD");
        let offered = reasons();
        let churn = OutcomeInput { kind: "churn".into(), ..Default::default() };
        assert_eq!(fields(outcome(&churn, &context(&arr, &offered)).unwrap_err()), ["reasons"]);
        let contraction = OutcomeInput { kind: "contraction".into(), new_arr: "130000".into(), ..Default::default() };
        assert_eq!(
            fields(outcome(&contraction, &context(&arr, &offered)).unwrap_err()),
            ["new_arr", "contraction_by", "reasons"]
        );
        let ok = OutcomeInput {
            kind: "contraction".into(),
            new_arr: "90,000".into(),
            contraction_by: "seats".into(),
            reasons: vec!["Budget".into(), "Budget".into()],
            ..Default::default()
        };
        let v = outcome(&ok, &context(&arr, &offered)).unwrap();
        assert_eq!((v.arr_after.minor, v.reasons.len()), (9_000_000, 1));
        assert_eq!(v.next_renewal_date, Some(day("2027-12-15")), "a term after the renewal it settles");
    }

    #[test]
    fn an_outcome_before_the_contract_or_in_the_future_or_with_an_unknown_reason_is_refused() {
        let arr = Money::new(12_000_000, "USD");
        let offered = reasons();
        let early = OutcomeInput { kind: "flat".into(), decided_on: "2024-01-01".into(), ..Default::default() };
        assert_eq!(fields(outcome(&early, &context(&arr, &offered)).unwrap_err()), ["decided_on"]);
        let later = OutcomeInput { kind: "flat".into(), decided_on: "2027-01-01".into(), ..Default::default() };
        assert_eq!(fields(outcome(&later, &context(&arr, &offered)).unwrap_err()), ["decided_on"]);
        let odd = OutcomeInput { kind: "churn".into(), reasons: vec!["Aliens".into()], ..Default::default() };
        assert_eq!(fields(outcome(&odd, &context(&arr, &offered)).unwrap_err()), ["reasons", "reasons"]);
        let churn = OutcomeInput { kind: "churn".into(), reasons: vec!["Competitor".into()], ..Default::default() };
        let v = outcome(&churn, &context(&arr, &offered)).unwrap();
        assert_eq!((v.arr_after.minor, v.next_renewal_date), (0, None));
    }

    #[test]
    fn settings_refuse_a_zero_rate_a_made_up_currency_and_a_duplicate() {
        let rate = |currency: &str, from: &str, per_unit: &str| RateInput {
            currency: currency.into(),
            valid_from: from.into(),
            per_unit: per_unit.into(),
        };
        let input = RenewalSettingsInput {
            reporting_currency: "usd".into(),
            category_names: vec!["Commit".into(), "Best case".into(), "At risk".into(), "Churn expected".into()],
            reasons: reasons(),
            rates: vec![rate("EUR", "2026-01-01", "1.08"), rate("GBP", "2026-01-01", "1.27")],
        };
        let ok = renewal_settings(&input).unwrap();
        assert_eq!((ok.reporting_currency.as_str(), ok.rates.len()), ("USD", 2));
        let bad = RenewalSettingsInput {
            rates: vec![
                rate("EUR", "2026-01-01", "0"),
                rate("XYZ", "2026-01-01", "1"),
                rate("GBP", "2026-01-01", "1.2"),
                rate("GBP", "2026-01-01", "1.3"),
            ],
            ..input
        };
        assert_eq!(
            fields(renewal_settings(&bad).unwrap_err()),
            ["rates.0.per_unit", "rates.1.currency", "rates.3.valid_from"]
        );
    }
}
