//! The success plan, QBRs, deck edits and the deck's look as typed, checked before they are saved.

use base64::Engine;
use chrono::{NaiveDate, NaiveDateTime};

use super::{keep_text, Checker};
use crate::error::{Error, FieldError};
use crate::model::{DeckEdits, DeckStyle, MilestoneInput, MilestoneStatus, QbrInput, QbrStatus, SuccessMetricInput};
use crate::qbr::{last_full_quarter, Period};

/// Metric values are business figures, not astronomy; bigger is a typo.
const VALUE_MAX: f64 = 1e12;
const UNIT_MAX: usize = 20;
/// A QBR looks back at most five years (and a day for the leap year).
const PERIOD_MAX_DAYS: i64 = 5 * 366;
const STORY_MAX: usize = 20_000;
const ITEM_MAX: usize = 2_000;
const LOGO_MAX_BYTES: usize = 512 * 1024;

#[derive(Debug, Clone, PartialEq)]
pub struct ValidSuccessMetric {
    pub name: String,
    pub unit: String,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub current: Option<f64>,
    pub confirmed_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidMilestone {
    pub title: String,
    pub due_on: Option<NaiveDate>,
    pub status: MilestoneStatus,
    pub reached_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidQbr {
    pub period: Period,
    pub meeting_at: Option<String>,
    pub status: QbrStatus,
}

fn value(c: &mut Checker, field: &str, label: &str, text: &str) -> Option<f64> {
    let cleaned: String = text.trim().chars().filter(|ch| !matches!(ch, ',' | '_' | ' ' | '%')).collect();
    if cleaned.is_empty() {
        return None;
    }
    match cleaned.parse::<f64>() {
        Ok(v) if v.is_finite() && v.abs() <= VALUE_MAX => Some(v),
        Ok(_) => c.fail(field, format!("{label} is too large.")),
        Err(_) => c.fail(field, format!("{label} must be a number, like 42 or 3.5.")),
    }
}

fn not_after_today(
    c: &mut Checker,
    field: &str,
    label: &str,
    day: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    match day {
        Some(d) if d > today => c.fail(field, format!("{label} can't be in the future.")),
        other => other,
    }
}

pub fn success_metric(input: &SuccessMetricInput, today: NaiveDate) -> Result<ValidSuccessMetric, Error> {
    let mut c = Checker::default();
    let name = c.required("name", "Name", &input.name);
    let unit = c.optional("unit", "Unit", &input.unit).unwrap_or_default();
    if unit.chars().count() > UNIT_MAX {
        c.fail::<()>("unit", format!("Unit is too long (at most {UNIT_MAX} characters)."));
    }
    let confirmed = c.date("confirmed_on", "Confirmed on", &input.confirmed_on);
    let valid = ValidSuccessMetric {
        name,
        unit,
        baseline: value(&mut c, "baseline", "Baseline", &input.baseline),
        target: value(&mut c, "target", "Target", &input.target),
        current: value(&mut c, "current", "Current", &input.current),
        confirmed_on: not_after_today(&mut c, "confirmed_on", "The confirmation date", confirmed, today),
    };
    c.finish(valid)
}

pub fn milestone(input: &MilestoneInput, today: NaiveDate) -> Result<ValidMilestone, Error> {
    let mut c = Checker::default();
    let title = c.required("title", "Title", &input.title);
    let due_on = c.date("due_on", "Due date", &input.due_on);
    let status = match input.status.trim() {
        "" => Some(MilestoneStatus::Planned),
        text => MilestoneStatus::parse(text)
            .or_else(|| c.fail("status", "A milestone is planned, reached, missed or dropped.")),
    };
    let reached = c.date("reached_on", "Reached on", &input.reached_on);
    let reached = not_after_today(&mut c, "reached_on", "The day it was reached", reached, today);
    let status = status.unwrap_or(MilestoneStatus::Planned);
    // A reached milestone has a day (today when none is given); others have none.
    let reached_on = (status == MilestoneStatus::Reached).then(|| reached.unwrap_or(today));
    c.finish(ValidMilestone { title, due_on, status, reached_on })
}

/// Checks a QBR: an empty period is the last full quarter; a period must have started, end by
/// today, and span at most five years.
pub fn qbr(input: &QbrInput, today: NaiveDate) -> Result<ValidQbr, Error> {
    let mut c = Checker::default();
    let start = c.date("period_start", "Start", &input.period_start);
    let end = c.date("period_end", "End", &input.period_end);
    let period = match (start, end, input.period_start.trim().is_empty(), input.period_end.trim().is_empty()) {
        (_, _, true, true) => Some(last_full_quarter(today)),
        (Some(start), Some(end), _, _) => period(&mut c, start, end, today),
        (None, _, true, false) => c.fail("period_start", "Give the first day of the period."),
        (_, None, false, true) => c.fail("period_end", "Give the last day of the period."),
        _ => None,
    };
    let meeting_at = match input.meeting_at.trim() {
        "" => None,
        text => NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
            .map(|t| t.format("%Y-%m-%dT%H:%M").to_string())
            .ok()
            .or_else(|| c.fail("meeting_at", "Give the meeting's date and time like 2026-12-03T14:00.")),
    };
    let status = match input.status.trim() {
        "" => Some(QbrStatus::Planned),
        text => {
            QbrStatus::parse(text).or_else(|| c.fail("status", "Choose planned, prepared, held or follow-up sent."))
        }
    };
    match (period, status) {
        (Some(period), Some(status)) => c.finish(ValidQbr { period, meeting_at, status }),
        _ => Err(Error::Invalid(c.errors)),
    }
}

fn period(c: &mut Checker, start: NaiveDate, end: NaiveDate, today: NaiveDate) -> Option<Period> {
    if end < start {
        return c.fail("period_end", "The period ends before it starts.");
    }
    if start > today {
        return c.fail("period_start", "The period is in the future: a QBR looks back at what happened.");
    }
    if end > today {
        return c.fail("period_end", "The period can't end after today: there is no data for those days yet.");
    }
    if (end - start).num_days() > PERIOD_MAX_DAYS {
        return c.fail("period_start", "A QBR covers at most five years.");
    }
    Some(Period { start, end })
}

/// Keeps the CSM's wording (control characters dropped) within sane lengths.
pub fn deck_edits(edits: &DeckEdits) -> Result<DeckEdits, Error> {
    let mut errors = Vec::new();
    let mut clean = edits.clone();
    for (key, section) in &mut clean.sections {
        let field = serde_json::to_value(key).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        section.story = keep_text(&section.story);
        section.title = section.title.as_deref().map(|t| keep_text(t).replace('\n', " "));
        if section.story.chars().count() > STORY_MAX {
            errors.push(FieldError::new(&field, format!("The story is too long (at most {STORY_MAX} characters).")));
        }
        for text in section.item_text.values_mut() {
            *text = keep_text(text);
            if text.chars().count() > ITEM_MAX {
                errors.push(FieldError::new(&field, format!("A line is too long (at most {ITEM_MAX} characters).")));
            }
        }
    }
    if errors.is_empty() {
        Ok(clean)
    } else {
        Err(Error::Invalid(errors))
    }
}

fn colour(c: &mut Checker, field: &str, text: &str) -> String {
    let text = text.trim();
    let ok = text.len() == 7 && text.starts_with('#') && text[1..].chars().all(|ch| ch.is_ascii_hexdigit());
    if !ok {
        c.fail::<()>(field, "Give a colour like #1F3A5F.");
    }
    text.to_uppercase()
}

/// Checks the deck's look: a company name, two colours, and a PNG or JPEG logo under 512 KB.
pub fn deck_style(style: &DeckStyle) -> Result<DeckStyle, Error> {
    let mut c = Checker::default();
    let company_name = c.optional("company_name", "Company name", &style.company_name).unwrap_or_default();
    let primary_color = colour(&mut c, "primary_color", &style.primary_color);
    let accent_color = colour(&mut c, "accent_color", &style.accent_color);
    let logo = style.logo_data_url.trim();
    if !logo.is_empty() {
        if let Err(message) = check_logo(logo) {
            c.fail::<()>("logo_data_url", message);
        }
    }
    c.finish(DeckStyle { company_name, primary_color, accent_color, logo_data_url: logo.to_owned() })
}

fn check_logo(data_url: &str) -> Result<(), &'static str> {
    let (kind, data) = data_url
        .strip_prefix("data:image/png;base64,")
        .map(|d| ("png", d))
        .or_else(|| data_url.strip_prefix("data:image/jpeg;base64,").map(|d| ("jpeg", d)))
        .ok_or("The logo must be a PNG or JPEG image.")?;
    if data.len() > LOGO_MAX_BYTES * 4 / 3 + 4 {
        return Err("The logo is larger than 512 KB; use a smaller image.");
    }
    let bytes = base64::engine::general_purpose::STANDARD.decode(data).map_err(|_| "The logo file is damaged.")?;
    let looks_right = match kind {
        "png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        _ => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
    };
    if looks_right {
        Ok(())
    } else {
        Err("The logo is not the image it claims to be.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::validate::tests::{day, fields};

    #[test]
    fn a_qbr_defaults_to_the_last_full_quarter_and_refuses_odd_periods() {
        let today = day("2026-11-22");
        let valid = qbr(&QbrInput::default(), today).unwrap();
        assert_eq!((valid.period.start, valid.period.end), (day("2026-07-01"), day("2026-09-30")));
        let input = |start: &str, end: &str| QbrInput {
            period_start: start.into(),
            period_end: end.into(),
            ..Default::default()
        };
        assert_eq!(fields(qbr(&input("2026-09-30", "2026-07-01"), today).unwrap_err()), ["period_end"]);
        assert_eq!(fields(qbr(&input("2026-12-01", "2026-12-31"), today).unwrap_err()), ["period_start"]);
        assert_eq!(fields(qbr(&input("2026-11-01", "2026-12-31"), today).unwrap_err()), ["period_end"]);
        assert_eq!(fields(qbr(&input("2026-11-23", "2026-11-23"), today).unwrap_err()), ["period_start"]);
        assert_eq!(fields(qbr(&input("2020-01-01", "2026-09-30"), today).unwrap_err()), ["period_start"]);
        assert_eq!(fields(qbr(&input("2026-07-01", ""), today).unwrap_err()), ["period_end"]);
        assert_eq!(fields(qbr(&input("2026-02-30", "2026-03-01"), today).unwrap_err()), ["period_start"]);
        assert!(qbr(&input("2026-11-22", "2026-11-22"), today).is_ok(), "today is a period of a day");
        let bad = QbrInput { meeting_at: "tomorrow".into(), status: "done".into(), ..Default::default() };
        assert_eq!(fields(qbr(&bad, today).unwrap_err()), ["meeting_at", "status"]);
    }

    #[test]
    fn metrics_take_typed_numbers_and_refuse_nonsense() {
        let today = day("2026-11-22");
        let input = SuccessMetricInput {
            name: "Tickets per month".into(),
            baseline: "1,200".into(),
            target: "80%".into(),
            current: " 3.5 ".into(),
            ..Default::default()
        };
        let valid = success_metric(&input, today).unwrap();
        assert_eq!((valid.baseline, valid.target, valid.current), (Some(1200.0), Some(80.0), Some(3.5)));
        let bad = SuccessMetricInput {
            name: " ".into(),
            baseline: "NaN".into(),
            target: "1e300".into(),
            current: "lots".into(),
            confirmed_on: "2027-01-01".into(),
            ..Default::default()
        };
        assert_eq!(
            fields(success_metric(&bad, today).unwrap_err()),
            ["name", "baseline", "target", "current", "confirmed_on"]
        );
    }

    #[test]
    fn a_reached_milestone_has_a_day() {
        let today = day("2026-11-22");
        let input = MilestoneInput { title: "SSO live".into(), status: "reached".into(), ..Default::default() };
        assert_eq!(milestone(&input, today).unwrap().reached_on, Some(today));
        let planned = MilestoneInput { reached_on: "2026-11-01".into(), ..input.clone() };
        assert_eq!(milestone(&MilestoneInput { status: "planned".into(), ..planned }, today).unwrap().reached_on, None);
        let bad = MilestoneInput { status: "maybe".into(), ..input };
        assert_eq!(fields(milestone(&bad, today).unwrap_err()), ["status"]);
    }

    #[test]
    fn the_logo_must_be_the_image_it_claims() {
        let png = format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(b"\x89PNG\r\n\x1a\nrest")
        );
        let style = DeckStyle { logo_data_url: png, primary_color: "#1f3a5f".into(), ..Default::default() };
        assert_eq!(deck_style(&style).unwrap().primary_color, "#1F3A5F");
        for logo in
            ["data:image/svg+xml;base64,PHN2Zz4=", "data:image/png;base64,!!!", "data:image/jpeg;base64,iVBORw0KGgo="]
        {
            let bad = DeckStyle { logo_data_url: logo.into(), ..Default::default() };
            assert_eq!(fields(deck_style(&bad).unwrap_err()), ["logo_data_url"], "{logo}");
        }
        let bad = DeckStyle { primary_color: "red".into(), ..Default::default() };
        assert_eq!(fields(deck_style(&bad).unwrap_err()), ["primary_color"]);
    }
}
