//! The customers' asks, pure: matching a typed ask to one already recorded (by its words), and
//! ranking asks by the ARR of the accounts asking.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::model::{Ask, AsksView, Money};
use crate::rates::{MissingRates, Rates};
use crate::validate::format_amount;

/// Words that say nothing about what is asked.
const STOP_WORDS: [&str; 40] = [
    "a", "an", "the", "and", "or", "for", "to", "of", "in", "on", "with", "by", "at", "from", "our", "their", "we",
    "they", "it", "is", "be", "can", "could", "would", "should", "want", "wants", "need", "needs", "please", "support",
    "add", "more", "better", "able", "allow", "let", "like", "us", "team",
];

/// Two asks are the same when this share of their words match (Dice coefficient).
pub const SAME_ASK: f64 = 0.6;

/// The words of an ask that carry its meaning: lower case, without stop words or plural "s".
pub fn words(text: &str) -> BTreeSet<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !STOP_WORDS.contains(w))
        .map(|w| if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") { &w[..w.len() - 1] } else { w })
        .map(str::to_owned)
        .collect()
}

/// How alike two asks' words are, 0–1.
pub fn similarity(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let shared = a.intersection(b).count();
    2.0 * shared as f64 / (a.len() + b.len()) as f64
}

/// The recorded ask a typed one is the same as, if any: the most alike at `SAME_ASK` or above,
/// sharing at least two words unless both are one word.
pub fn best_match<'a>(text: &str, asks: impl IntoIterator<Item = (&'a str, &'a str)>) -> Option<&'a str> {
    let typed = words(text);
    asks.into_iter()
        .map(|(id, title)| {
            let theirs = words(title);
            let shared = typed.intersection(&theirs).count();
            let enough = shared >= 2 || (typed.len() == 1 && theirs.len() == 1);
            (id, if enough { similarity(&typed, &theirs) } else { 0.0 })
        })
        .filter(|(_, score)| *score >= SAME_ASK)
        .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(id, _)| id)
}

/// Fills each ask's ARR-weighted demand (the ARR of the accounts asking, in the reporting
/// currency) and ranks them: most demand first, then most accounts, then newest.
pub fn rank_by_demand(asks: &mut [Ask], rates: &Rates) -> Result<(), MissingRates> {
    let mut converting = rates.converting();
    for ask in asks.iter_mut() {
        ask.demand_minor = ask.accounts.iter().map(|a| converting.minor(&a.arr)).sum();
    }
    asks.sort_by(|a, b| {
        b.demand_minor
            .cmp(&a.demand_minor)
            .then(b.accounts.len().cmp(&a.accounts.len()))
            .then(b.status_on.cmp(&a.status_on))
            .then(a.id.cmp(&b.id))
    });
    converting.finish(())
}

/// The ranked asks as a spreadsheet for the product team: one row per ask, the accounts asking
/// in one cell. Demand is in the reporting currency's major units.
pub fn to_csv(view: &AsksView) -> Vec<u8> {
    let demand = |minor: i64| format_amount(&Money::new(minor, &view.reporting_currency));
    let rows = view.asks.iter().map(|a| {
        vec![
            a.title.clone(),
            a.problem.clone(),
            a.status.as_str().to_owned(),
            a.reference.clone(),
            a.accounts.len().to_string(),
            demand(a.demand_minor),
            a.accounts.iter().map(|k| k.account_name.as_str()).collect::<Vec<_>>().join("; "),
            a.accounts.iter().map(|k| k.asked_on).min().map(|d| d.to_string()).unwrap_or_default(),
        ]
    });
    let demand_header = format!("arr_demand_{}", view.reporting_currency.to_lowercase());
    crate::exchange::csv_write::to_csv(
        &["ask", "problem", "status", "reference", "accounts", &demand_header, "asking", "first_asked"],
        rows,
    )
}

/// The ranked asks as Markdown, to paste into the product team's doc. Text from the book is
/// escaped so a title cannot become a link or a heading.
pub fn to_markdown(view: &AsksView, today: NaiveDate) -> String {
    let mut out = format!(
        "# Customer asks, ranked by ARR ({})

",
        crate::facts::day_text(today)
    );
    out.push_str(&format!(
        "| # | Ask | Status | Accounts | ARR asking ({}) |\n|---|---|---|---|---|\n",
        view.reporting_currency
    ));
    for (i, a) in view.asks.iter().enumerate() {
        let demand = format_amount(&Money::new(a.demand_minor, &view.reporting_currency));
        out.push_str(&format!(
            "| {} | {} | {} | {} | {demand} |\n",
            i + 1,
            escape(&a.title),
            a.status.label(),
            a.accounts.len()
        ));
    }
    for (i, a) in view.asks.iter().enumerate() {
        out.push_str(&format!("\n## {}. {}\n\n", i + 1, escape(&a.title)));
        if !a.problem.is_empty() {
            out.push_str(&format!("**Problem:** {}\n\n", escape(&a.problem)));
        }
        if !a.reference.is_empty() {
            out.push_str(&format!("**Reference:** {}\n\n", escape(&a.reference)));
        }
        for k in &a.accounts {
            let who = k.contact_name.as_deref().map(|n| format!(" ({})", escape(n))).unwrap_or_default();
            out.push_str(&format!("- {}{who}, asked {}\n", escape(&k.account_name), k.asked_on));
        }
    }
    out
}

/// Markdown's special characters escaped, line breaks flattened.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '!' | '|' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::model::{AskAccount, AskStatus, Money};

    #[test]
    fn an_ask_matches_by_its_words_not_by_its_phrasing() {
        let asks = [("a1", "SSO with Okta"), ("a2", "Export dashboards to PDF"), ("a3", "Audit log")];
        let pick = |text| best_match(text, asks.iter().map(|(i, t)| (*i, *t)));
        assert_eq!(pick("SSO with Okta for the EU team"), Some("a1"));
        assert_eq!(pick("okta sso please"), Some("a1"));
        assert_eq!(pick("PDF export of dashboards"), Some("a2"));
        assert_eq!(pick("Audit logs"), Some("a3"), "plural folded");
        assert_eq!(pick("SSO with Azure AD"), None, "one shared word of three is not the same ask");
        assert_eq!(pick("Dark mode"), None);
        assert_eq!(pick("the and for"), None, "only stop words");
    }

    #[test]
    fn the_export_ranks_asks_and_keeps_text_as_text() {
        let view = AsksView {
            reporting_currency: "USD".into(),
            asks: vec![Ask {
                id: "a".into(),
                title: "[Click](javascript:alert(1)) # SSO".into(),
                problem: "Two logins\nfor everyone".into(),
                status: AskStatus::Planned,
                reference: "PROD-1".into(),
                status_on: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
                accounts: vec![],
                demand_minor: 1_234_500,
            }],
            missing_rates: vec![],
            offers: vec![],
        };
        let md = to_markdown(&view, NaiveDate::from_ymd_opt(2026, 12, 3).unwrap());
        assert!(md.contains("| 1 | \\[Click\\]\\(javascript:alert\\(1\\)\\) \\# SSO | planned | 0 | 12345 |"), "{md}");
        assert!(md.contains("**Problem:** Two logins for everyone"));
        let csv = String::from_utf8(to_csv(&view)).unwrap();
        assert!(csv.contains("arr_demand_usd"));
        assert!(csv.contains("planned,PROD-1,0,12345,"), "{csv}");
    }

    #[test]
    fn demand_is_the_converted_arr_of_the_accounts_asking() {
        let asker = |id: &str, minor: i64, currency: &str| AskAccount {
            account_id: id.into(),
            account_name: id.into(),
            arr: Money::new(minor, currency),
            contact_id: None,
            contact_name: None,
            note_id: None,
            asked_on: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        };
        let ask = |id: &str, accounts| Ask {
            id: id.into(),
            title: id.into(),
            problem: String::new(),
            status: AskStatus::New,
            reference: String::new(),
            status_on: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            accounts,
            demand_minor: 0,
        };
        let mut asks = vec![
            ask("small-many", vec![asker("x", 100_000, "USD"), asker("y", 200_000, "USD")]),
            ask("one-big", vec![asker("z", 10_000_000, "EUR")]),
        ];
        let rates = Rates { reporting: "USD".into(), per_unit: [("EUR".to_owned(), 1.1)].into() };
        rank_by_demand(&mut asks, &rates).unwrap();
        assert_eq!(asks[0].id, "one-big");
        assert_eq!(asks[0].demand_minor, 11_000_000);
        assert_eq!(asks[1].demand_minor, 300_000);
        let no_rate = Rates { reporting: "USD".into(), per_unit: Default::default() };
        assert!(rank_by_demand(&mut asks, &no_rate).is_err(), "a missing rate is named, not added at face value");
    }
}
