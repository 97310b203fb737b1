use chrono::{DateTime, NaiveDate, Utc};

use crate::error::Error;
use crate::model::{
    AccountInput, ForecastCategory, OutcomeInput, RenewalInput, RenewalSettings, RenewalWindow, DEFAULT_REASONS,
};
use crate::store::migrate::{apply, MIGRATIONS};
use crate::{validate, Store};

fn day(text: &str) -> NaiveDate {
    text.parse().expect("day")
}

fn now() -> DateTime<Utc> {
    "2026-12-03T09:00:00Z".parse().expect("instant")
}

fn today() -> NaiveDate {
    day("2026-12-03")
}

fn account(store: &Store, name: &str, arr: &str, currency: &str, renewal: &str) -> String {
    let draft = validate::account(&AccountInput {
        name: name.into(),
        segment: "high_touch".into(),
        lifecycle_stage: "value".into(),
        arr: arr.into(),
        currency: currency.into(),
        contract_start: "2025-01-15".into(),
        customer_since: "2025-01-15".into(),
        renewal_date: renewal.into(),
        contract_term_months: "12".into(),
        ..Default::default()
    })
    .expect("draft");
    store.create_account(&draft, now()).expect("account").id
}

fn call(store: &Store, id: &str, category: &str, expected: &str) {
    let current = store.account(id).expect("account").arr;
    let input = RenewalInput { category: category.into(), expected_arr: expected.into(), ..Default::default() };
    store.update_renewal(id, &validate::renewal(&input, &current).expect("call"), now()).expect("saved");
}

fn count(store: &Store, table: &str) -> i64 {
    store.conn().query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).expect("count")
}

#[test]
fn the_page_rolls_up_the_window_and_suggests_a_category_where_the_csm_has_not_called_one() {
    let store = Store::open_in_memory().unwrap();
    let a = account(&store, "Acme", "120,000", "USD", "2026-12-20");
    let _b = account(&store, "Birch", "80,000", "USD", "2027-02-10");
    call(&store, &a, "commit", "130,000");
    let view = store.renewals(RenewalWindow::ThisQuarter, today()).unwrap();
    assert_eq!(view.lines.len(), 1, "Birch renews next quarter");
    let line = &view.lines[0];
    assert_eq!(
        (line.category, line.category_set, line.expected_arr.minor),
        (ForecastCategory::Commit, true, 13_000_000)
    );
    assert_eq!(view.total.expected_minor, 13_000_000);
    let year = store.renewals(RenewalWindow::Next12Months, today()).unwrap();
    let birch = year.lines.iter().find(|l| l.account_name == "Birch").unwrap();
    assert!(!birch.category_set);
    assert_eq!(birch.category, ForecastCategory::Probable, "80 % with nothing known: suggested Probable");
    assert_eq!(year.months.len(), 2);
}

#[test]
fn a_renewal_in_a_currency_without_a_rate_names_it_until_a_rate_is_given() {
    let store = Store::open_in_memory().unwrap();
    account(&store, "Acme", "120,000", "USD", "2026-12-20");
    account(&store, "Birch", "10,000", "USD", "2027-06-20");
    account(&store, "Bosch", "50,000", "EUR", "2026-12-22");
    let view = store.renewals(RenewalWindow::ThisQuarter, today()).unwrap();
    assert_eq!(view.missing_rates, ["EUR"]);
    assert_eq!(view.total.renewals, 0, "no total at face value");
    let mut settings = store.renewal_settings().unwrap();
    assert_eq!(settings.reporting_currency, "USD", "the book's most common currency");
    settings.rates =
        vec![crate::model::ExchangeRate { currency: "EUR".into(), valid_from: day("2026-01-01"), per_unit: 1.1 }];
    store.save_renewal_settings(&settings).unwrap();
    let view = store.renewals(RenewalWindow::ThisQuarter, today()).unwrap();
    assert_eq!(view.total.current_minor, 12_000_000 + 5_500_000);
    assert_eq!(view.rates_used.len(), 1, "the rate it used is named");
}

#[test]
fn a_churn_without_a_reason_saves_nothing_and_with_one_moves_everything_in_one_go() {
    let store = Store::open_in_memory().unwrap();
    let a = account(&store, "Acme", "120,000", "USD", "2026-11-30");
    let b = account(&store, "Birch", "100,000", "USD", "2026-11-20");
    call(&store, &a, "at_risk", "");
    let before = (count(&store, "renewal_outcomes"), count(&store, "arr_history"), count(&store, "timeline_events"));
    let churn = OutcomeInput { kind: "churn".into(), decided_on: "2026-12-01".into(), ..Default::default() };
    assert!(matches!(store.record_outcome(&a, &churn, today(), now()), Err(Error::Invalid(_))));
    assert_eq!(
        (count(&store, "renewal_outcomes"), count(&store, "arr_history"), count(&store, "timeline_events")),
        before
    );

    let churn = OutcomeInput { reasons: vec!["Budget".into(), "Competitor".into()], avoidable: Some(false), ..churn };
    let outcome = store.record_outcome(&a, &churn, today(), now()).unwrap();
    assert_eq!((outcome.arr_before.minor, outcome.arr_after.minor), (12_000_000, 0));
    let acme = store.account(&a).unwrap();
    assert_eq!((acme.arr.minor, acme.renewal_date, acme.lifecycle_stage.as_str()), (0, None, "churned"));
    assert_eq!(count(&store, "renewals"), 0, "the call is settled");
    assert_eq!(count(&store, "timeline_events"), before.2 + 1);

    let up = OutcomeInput {
        kind: "expansion".into(),
        new_arr: "130,000".into(),
        decided_on: "2026-11-25".into(),
        ..Default::default()
    };
    store.record_outcome(&b, &up, today(), now()).unwrap();
    assert_eq!(store.account(&b).unwrap().renewal_date, Some(day("2027-11-20")), "a term later");

    // The quarter: start 220,000; churn 120,000; expansion 30,000.
    let r = store.retention(day("2026-10-01"), day("2026-12-31")).unwrap();
    let book = r.book.unwrap();
    assert_eq!((book.starting_minor, book.churn_minor, book.expansion_minor), (22_000_000, 12_000_000, 3_000_000));
    assert!((book.grr.unwrap() - 100.0 / 220.0).abs() < 1e-9);
    assert!((book.nrr.unwrap() - 130.0 / 220.0).abs() < 1e-9);
    assert_eq!(book.churned[0].reasons, ["Budget", "Competitor"], "the reasons one click away");
    let past = store.renewals(RenewalWindow::ThisQuarter, today()).unwrap();
    assert_eq!(past.lines.iter().filter(|l| l.outcome.is_some()).count(), 2, "settled renewals stay on the page");
}

#[test]
fn an_edit_of_the_arr_is_kept_in_the_history_with_its_direction() {
    let store = Store::open_in_memory().unwrap();
    let a = account(&store, "Acme", "100,000", "USD", "2027-06-01");
    let mut input = AccountInput {
        name: "Acme".into(),
        segment: "high_touch".into(),
        lifecycle_stage: "value".into(),
        arr: "90,000".into(),
        currency: "USD".into(),
        customer_since: "2025-01-15".into(),
        ..Default::default()
    };
    store.update_account(&a, &validate::account(&input).unwrap(), now(), today()).unwrap();
    input.arr = "90,000".into();
    store.update_account(&a, &validate::account(&input).unwrap(), now(), today()).unwrap();
    let kinds: Vec<String> = store
        .conn()
        .prepare("SELECT kind || ':' || on_day || ':' || source FROM arr_history ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(kinds, ["new:2025-01-15:edit", "contraction:2026-12-03:edit"], "an unchanged ARR adds nothing");
}

#[test]
fn what_changed_since_the_last_snapshot_is_told_in_words_with_the_notes_in_between() {
    let store = Store::open_in_memory().unwrap();
    let a = account(&store, "Acme", "120,000", "USD", "2027-01-20");
    let b = account(&store, "Birch", "100,000", "USD", "2027-02-10");
    call(&store, &a, "probable", "");
    call(&store, &b, "commit", "");
    let last_week = day("2026-11-26");
    store.take_forecast_snapshot(last_week, "2026-11-26T09:00:00Z".parse().unwrap(), true).unwrap();
    assert_eq!(store.forecast_diff(last_week).unwrap().lines, [], "nothing moved yet");
    call(&store, &a, "at_risk", "90,000");
    let churn = OutcomeInput { kind: "churn".into(), reasons: vec!["Price".into()], ..Default::default() };
    store.record_outcome(&b, &churn, today(), now()).unwrap();
    let diff = store.forecast_diff(today()).unwrap();
    assert_eq!(diff.since, Some(last_week));
    let words: Vec<(&str, Vec<String>)> =
        diff.lines.iter().map(|l| (l.account_name.as_str(), l.changes.clone())).collect();
    assert_eq!(
        words,
        [
            ("Acme", vec!["Probable → At risk".to_owned(), "Expected ARR 120,000 USD → 90,000 USD".to_owned()]),
            ("Birch", vec!["Churned: Price".to_owned()]),
        ]
    );
    assert!(diff.lines[0].at_risk);
    assert!(store.ensure_weekly_forecast(today(), now()).unwrap(), "this week's first");
    assert!(!store.ensure_weekly_forecast(today(), now()).unwrap(), "once a week");
}

#[test]
fn settings_keep_names_reasons_and_rates_and_default_to_the_usual_ones() {
    let store = Store::open_in_memory().unwrap();
    let defaults = store.renewal_settings().unwrap();
    assert_eq!(defaults.reasons.len(), DEFAULT_REASONS.len());
    assert_eq!(defaults.category_names, ["Commit", "Probable", "At risk", "Churn expected"]);
    let mine = RenewalSettings {
        reporting_currency: "EUR".into(),
        category_names: vec!["A".into(), "B".into(), "C".into(), "D".into()],
        reasons: vec!["Budget".into()],
        rates: vec![],
    };
    store.save_renewal_settings(&mine).unwrap();
    assert_eq!(store.renewal_settings().unwrap(), mine);
}

#[test]
fn a_version_6_book_upgrades_with_its_arr_history_backfilled_and_nothing_lost() {
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    apply(&mut conn, &MIGRATIONS[..6]).expect("a version 6 book");
    conn.execute_batch(
        "INSERT INTO accounts (id, name, segment, lifecycle_stage, arr_minor, currency, customer_since, contract_start, \
           renewal_date, created_at, updated_at) VALUES \
           ('a1', 'Acme', 'high_touch', 'value', 12000000, 'USD', '2024-03-01', '2024-03-01', '2027-03-01', '2024-03-01T00:00:00Z', '2026-01-01T00:00:00Z'), \
           ('a2', 'Birch', 'low_touch', 'adoption', 5000000, 'EUR', NULL, '2025-06-01', '2026-06-01', '2025-05-20T00:00:00Z', '2026-01-01T00:00:00Z'), \
           ('a3', 'Cedar', 'tech_touch', 'onboarding', 0, 'USD', NULL, NULL, NULL, '2026-11-01T10:00:00Z', '2026-11-01T10:00:00Z');",
    )
    .unwrap();
    apply(&mut conn, MIGRATIONS).expect("upgrade");
    let rows: Vec<(String, String, String, i64)> = conn
        .prepare("SELECT account_id, on_day, kind, arr_minor FROM arr_history ORDER BY account_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        rows,
        [
            ("a1".to_owned(), "2024-03-01".to_owned(), "new".to_owned(), 12_000_000),
            ("a2".to_owned(), "2025-06-01".to_owned(), "new".to_owned(), 5_000_000),
        ],
        "an account without ARR has no history yet"
    );
    let accounts: i64 = conn.query_row("SELECT count(*) FROM accounts", [], |r| r.get(0)).unwrap();
    assert_eq!(accounts, 3);
}

#[test]
fn the_sample_book_shows_realistic_retention_a_forecast_and_last_weeks_changes() {
    use crate::sample::{generate, SampleSpec};
    let store = Store::open_in_memory().unwrap();
    store.start_book(Some(&generate(&SampleSpec::DEMO, today())), now()).unwrap();
    let r = store.retention(day("2025-12-04"), today()).unwrap();
    let book = r.book.expect("every currency has a rate");
    let (grr, nrr) = (book.grr.unwrap(), book.nrr.unwrap());
    eprintln!(
        "sample: GRR {grr:.3}, NRR {nrr:.3}, churned {}, contracted {}, expanded {}",
        book.churned.len(),
        book.contracted.len(),
        book.expanded.len()
    );
    assert!((0.85..0.95).contains(&grr), "GRR around 90 %: {grr}");
    assert!(nrr > 1.0, "NRR above 100 %: {nrr}");
    assert_eq!(book.churned.len(), 3);
    assert!(book.churned.iter().all(|a| !a.reasons.is_empty()), "churns have their reasons");
    let year = store.renewals(RenewalWindow::Next12Months, today()).unwrap();
    assert!(year.missing_rates.is_empty() && year.total.renewals >= 30);
    assert!(year.lines.iter().any(|l| l.category_set) && year.lines.iter().any(|l| !l.category_set));
    let diff = store.forecast_diff(today()).unwrap();
    assert!(diff.lines.len() >= 2, "last week's snapshot differs: {:?}", diff.lines);
}
