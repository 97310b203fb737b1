//! Risks, save-plan steps, updates and asks as typed. Whether a stage may move and whether the
//! ARR at risk fits the account are checked against the record as it stands (`ValidRisk::against`).

use chrono::{Days, NaiveDate};

use super::{amount, Checker};
use crate::error::Error;
use crate::model::{
    AskInput, AskStatus, AskerInput, HelpNeeded, Money, PlanStepInput, RiskInput, RiskSeverity, RiskStage,
};

const REASON_MAX: usize = 60;
const REASONS_MAX: usize = 10;
const REASONS_LISTED: usize = 40;
const UPDATE_MAX: usize = 1_000;
const PROBLEM_MAX: usize = 2_000;
/// A save-plan step further out than this is a typo, not a plan.
const PLAN_HORIZON_DAYS: u64 = 730;

/// A checked risk; `arr_at_risk` (as typed) None: the account's ARR.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidRisk {
    pub account_id: String,
    pub title: String,
    pub reasons: Vec<String>,
    pub severity: RiskSeverity,
    pub arr_at_risk: Option<String>,
    pub stage: RiskStage,
    pub help_needed: Vec<HelpNeeded>,
}

impl ValidRisk {
    /// The ARR at risk in the account's currency, refused above its ARR; and the move from the
    /// stage it is at (None: a new risk).
    pub fn against(&self, arr: &Money, from: Option<RiskStage>) -> Result<Money, Error> {
        let mut c = Checker::default();
        let typed = self.arr_at_risk.as_deref().unwrap_or_default();
        let minor = match typed {
            "" => arr.minor,
            text => amount(&mut c, "arr_at_risk", "ARR at risk", text, &arr.currency).unwrap_or(0),
        };
        if minor > arr.minor {
            c.fail::<()>(
                "arr_at_risk",
                format!("ARR at risk is more than the account's ARR ({}).", super::format_amount(arr)),
            );
        }
        if let Some(from) = from {
            if let Err(message) = crate::risks::check_move(from, self.stage) {
                c.fail::<()>("stage", message);
            }
        } else if self.stage.is_closed() {
            c.fail::<()>("stage", "A new risk starts open: record it, then close it.");
        }
        c.finish(Money::new(minor, &arr.currency))
    }
}

fn pick<T: Copy>(c: &mut Checker, field: &str, typed: &str, parse: fn(&str) -> Option<T>, all: &[&str]) -> Option<T> {
    parse(typed.trim())
        .or_else(|| c.fail(field, format!("“{}” is not one of: {}.", super::excerpt(typed), all.join(", "))))
}

pub fn risk(input: &RiskInput) -> Result<ValidRisk, Error> {
    let mut c = Checker::default();
    let account_id =
        super::id("account_id", &input.account_id).map_err(|_| c.fail::<()>("account_id", "Choose an account.")).ok();
    let title = c.required("title", "Title", &input.title);
    let mut reasons: Vec<String> = Vec::new();
    for typed in &input.reasons {
        let reason = super::clean(typed).to_lowercase();
        if reason.is_empty() || reasons.contains(&reason) {
            continue;
        }
        c.text_rules("reasons", "A reason", &reason, REASON_MAX);
        reasons.push(reason);
    }
    if reasons.is_empty() {
        c.fail::<()>("reasons", "Give at least one reason.");
    } else if reasons.len() > REASONS_MAX {
        c.fail::<()>("reasons", format!("At most {REASONS_MAX} reasons."));
    }
    let severities: Vec<&str> = RiskSeverity::ALL.iter().map(|s| s.as_str()).collect();
    let severity = pick(&mut c, "severity", &input.severity, RiskSeverity::parse, &severities);
    let stages: Vec<&str> = RiskStage::ALL.iter().map(|s| s.as_str()).collect();
    let stage = match input.stage.trim() {
        "" => Some(RiskStage::Identified),
        typed => pick(&mut c, "stage", typed, RiskStage::parse, &stages),
    };
    // Read in the account's currency by `against`; a sign or letters are refused here already.
    let arr_at_risk = match input.arr_at_risk.trim() {
        "" => None,
        text => amount(&mut c, "arr_at_risk", "ARR at risk", text, "XXX").map(|_| text.to_owned()),
    };
    let helps: Vec<&str> = HelpNeeded::ALL.iter().map(|h| h.as_str()).collect();
    let mut help_needed = Vec::new();
    for typed in &input.help_needed {
        if let Some(help) = pick(&mut c, "help_needed", typed, HelpNeeded::parse, &helps) {
            if !help_needed.contains(&help) {
                help_needed.push(help);
            }
        }
    }
    help_needed.sort();
    let valid = ValidRisk {
        account_id: account_id.map(|_| input.account_id.trim().to_owned()).unwrap_or_default(),
        title,
        reasons,
        severity: severity.unwrap_or(RiskSeverity::Medium),
        arr_at_risk,
        stage: stage.unwrap_or(RiskStage::Identified),
        help_needed,
    };
    c.finish(valid)
}

/// A save-plan step: a title and a due date between the risk's opening and two years out.
pub fn plan_step(
    input: &PlanStepInput,
    opened_on: NaiveDate,
    today: NaiveDate,
) -> Result<(String, Option<NaiveDate>), Error> {
    let mut c = Checker::default();
    let title = c.required("title", "The step", &input.title);
    let due = c.date("due_date", "Due date", &input.due_date);
    if let Some(d) = due {
        let latest = today.checked_add_days(Days::new(PLAN_HORIZON_DAYS)).unwrap_or(today);
        if d < opened_on {
            c.fail::<()>("due_date", "The step is due before the risk was opened.");
        } else if d > latest {
            c.fail::<()>("due_date", "The step is due more than two years out.");
        }
    }
    c.finish((title, due))
}

/// A weekly update: a short line, dated today or earlier (never before the risk was opened).
pub fn risk_update(
    body: &str,
    on_day: &str,
    opened_on: NaiveDate,
    today: NaiveDate,
) -> Result<(String, NaiveDate), Error> {
    let mut c = Checker::default();
    let body = super::clean(body);
    if body.is_empty() {
        c.fail::<()>("body", "Write what happened.");
    } else {
        c.text_rules("body", "The update", &body, UPDATE_MAX);
    }
    let day = c.date("on_day", "The day", on_day).unwrap_or(today);
    if day > today {
        c.fail::<()>("on_day", "An update can't be dated in the future.");
    } else if day < opened_on {
        c.fail::<()>("on_day", "An update can't be older than the risk.");
    }
    c.finish((body, day))
}

/// The CSM's list of risk reasons: each cleaned and lower-cased, once, at most `REASONS_LISTED`.
pub fn risk_reasons(list: &[String]) -> Result<Vec<String>, Error> {
    let mut c = Checker::default();
    let mut out: Vec<String> = Vec::new();
    for typed in list {
        let reason = super::clean(typed).to_lowercase();
        if reason.is_empty() || out.contains(&reason) {
            continue;
        }
        c.text_rules("reasons", "A reason", &reason, REASON_MAX);
        out.push(reason);
    }
    if out.is_empty() {
        c.fail::<()>("reasons", "Keep at least one reason.");
    } else if out.len() > REASONS_LISTED {
        c.fail::<()>("reasons", format!("At most {REASONS_LISTED} reasons."));
    }
    c.finish(out)
}

/// What prompted a suggestion, as `risks::suggestions` names it: "red", "tickets", "invoice"
/// or "left:<contact id>".
pub fn risk_trigger(text: &str) -> Result<String, Error> {
    let text = text.trim();
    let known = match text.strip_prefix("left:") {
        Some(contact) => super::id("trigger", contact).is_ok(),
        None => matches!(text, "red" | "tickets" | "invoice"),
    };
    if known {
        Ok(text.to_owned())
    } else {
        Err(Error::invalid("trigger", "That is not a suggestion the app makes."))
    }
}

/// A checked ask.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidAsk {
    pub title: String,
    pub problem: String,
    pub status: AskStatus,
    pub reference: String,
}

pub fn ask(input: &AskInput) -> Result<ValidAsk, Error> {
    let mut c = Checker::default();
    let title = c.required("title", "What they ask for", &input.title);
    let problem = input.problem.trim().replace("\r\n", "\n");
    if problem.chars().count() > PROBLEM_MAX {
        c.fail::<()>("problem", format!("The problem is too long (at most {PROBLEM_MAX} characters)."));
    } else if problem.chars().any(|ch| ch.is_control() && ch != '\n' && ch != '\t') {
        c.fail::<()>("problem", "The problem contains control characters.");
    }
    let statuses: Vec<&str> = AskStatus::ALL.iter().map(|s| s.as_str()).collect();
    let status = match input.status.trim() {
        "" => Some(AskStatus::New),
        typed => pick(&mut c, "status", typed, AskStatus::parse, &statuses),
    };
    let reference = c.optional("reference", "The reference", &input.reference).unwrap_or_default();
    c.finish(ValidAsk { title, problem, status: status.unwrap_or(AskStatus::New), reference })
}

/// An account joining an ask: (account, contact, day asked).
pub fn asker(input: &AskerInput, today: NaiveDate) -> Result<(String, Option<String>, NaiveDate), Error> {
    let mut c = Checker::default();
    let account =
        super::id("account_id", &input.account_id).map_err(|_| c.fail::<()>("account_id", "Choose an account.")).ok();
    let contact = match input.contact_id.trim() {
        "" => None,
        id => {
            super::id("contact_id", id).map_err(|_| c.fail::<()>("contact_id", "Choose a contact from the list.")).ok()
        }
    };
    let day = c.date("asked_on", "The day", &input.asked_on).unwrap_or(today);
    if day > today {
        c.fail::<()>("asked_on", "An ask can't be dated in the future.");
    }
    c.finish((
        account.map(|_| input.account_id.trim().to_owned()).unwrap_or_default(),
        contact.map(|_| input.contact_id.trim().to_owned()),
        day,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::tests::{day, fields};

    fn input() -> RiskInput {
        RiskInput {
            account_id: "acc-1".into(),
            title: " Budget review may cut seats ".into(),
            reasons: vec!["Budget cut".into(), "budget  cut".into(), "competitor".into()],
            severity: "high".into(),
            arr_at_risk: "40,000".into(),
            stage: String::new(),
            help_needed: vec!["executive".into(), "executive".into()],
        }
    }

    #[test]
    fn a_risk_is_checked_field_by_field_and_against_its_account() {
        let valid = risk(&input()).unwrap();
        assert_eq!(valid.title, "Budget review may cut seats");
        assert_eq!(valid.reasons, ["budget cut", "competitor"]);
        assert_eq!((valid.stage, valid.help_needed.clone()), (RiskStage::Identified, vec![HelpNeeded::Executive]));
        let arr = Money::new(12_000_000, "EUR");
        assert_eq!(valid.against(&arr, None).unwrap(), Money::new(4_000_000, "EUR"));
        let small = Money::new(1_000_000, "EUR");
        assert_eq!(fields(valid.against(&small, None).unwrap_err()), ["arr_at_risk"]);
        let defaulted = ValidRisk { arr_at_risk: None, ..valid.clone() };
        assert_eq!(defaulted.against(&arr, None).unwrap(), arr, "defaults to the account's ARR");
        let reopened = ValidRisk { stage: RiskStage::Saving, ..valid.clone() };
        assert_eq!(fields(reopened.against(&arr, Some(RiskStage::Lost)).unwrap_err()), ["stage"]);
        let born_closed = ValidRisk { stage: RiskStage::Recovered, ..valid };
        assert_eq!(fields(born_closed.against(&arr, None).unwrap_err()), ["stage"]);

        let bad = RiskInput {
            account_id: "../x".into(),
            title: "  ".into(),
            reasons: vec![" ".into()],
            severity: "apocalyptic".into(),
            arr_at_risk: "-5".into(),
            stage: "reopened".into(),
            help_needed: vec!["magic".into()],
        };
        assert_eq!(
            fields(risk(&bad).unwrap_err()),
            ["account_id", "title", "reasons", "severity", "stage", "arr_at_risk", "help_needed"]
        );
    }

    #[test]
    fn the_reasons_list_is_cleaned_and_bounded() {
        let typed = vec![" Budget  cut ".into(), "budget cut".into(), "".into(), "Reorg".into()];
        assert_eq!(risk_reasons(&typed).unwrap(), ["budget cut", "reorg"]);
        assert_eq!(fields(risk_reasons(&[" ".into()]).unwrap_err()), ["reasons"]);
        assert_eq!(fields(risk_reasons(&["x\u{7}".into()]).unwrap_err()), ["reasons"]);
        let many: Vec<String> = (0..41).map(|i| format!("reason {i}")).collect();
        assert_eq!(fields(risk_reasons(&many).unwrap_err()), ["reasons"]);
    }

    #[test]
    fn plan_steps_and_updates_refuse_impossible_days() {
        let (opened, today) = (day("2026-11-20"), day("2026-12-03"));
        let step = |title: &str, due: &str| {
            plan_step(&PlanStepInput { title: title.into(), due_date: due.into() }, opened, today)
        };
        assert_eq!(step("Exec call", "2026-12-10").unwrap(), ("Exec call".into(), Some(day("2026-12-10"))));
        assert_eq!(fields(step("Exec call", "2026-02-30").unwrap_err()), ["due_date"]);
        assert_eq!(fields(step("Exec call", "2026-11-01").unwrap_err()), ["due_date"]);
        assert_eq!(fields(step("", "2031-01-01").unwrap_err()), ["title", "due_date"]);
        assert_eq!(risk_update(" Met the CFO ", "", opened, today).unwrap(), ("Met the CFO".into(), today));
        assert_eq!(fields(risk_update("", "2026-12-09", opened, today).unwrap_err()), ["body", "on_day"]);
    }

    #[test]
    fn an_ask_needs_what_is_asked_and_a_known_status() {
        let ok = ask(&AskInput { title: "SSO with Okta".into(), ..Default::default() }).unwrap();
        assert_eq!(ok.status, AskStatus::New);
        let bad =
            AskInput { title: "".into(), problem: "x\u{7}".into(), status: "maybe".into(), reference: "r".repeat(600) };
        assert_eq!(fields(ask(&bad).unwrap_err()), ["title", "problem", "status", "reference"]);
        let today = day("2026-12-03");
        let joined = asker(&AskerInput { account_id: "a1".into(), ..Default::default() }, today).unwrap();
        assert_eq!(joined, ("a1".into(), None, today));
        let future = AskerInput { account_id: "a1".into(), asked_on: "2027-01-01".into(), ..Default::default() };
        assert_eq!(fields(asker(&future, today).unwrap_err()), ["asked_on"]);
    }
}
