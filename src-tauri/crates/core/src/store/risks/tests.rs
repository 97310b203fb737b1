//! The risk register and the asks in the store: note lines recorded with the note, stages and
//! amounts refused whole, the Risks and Asks pages, suggestions, search, and old tagged notes.

use chrono::{DateTime, NaiveDate, Utc};

use crate::model::{
    AccountInput, AskInput, AskStatus, CaptureKind, NoteInput, RiskInput, RiskStage, SearchKind, SearchQuery,
    SignalInput, TimelineKind,
};
use crate::store::{Asker, Store, TimelineFilter};
use crate::validate;

fn now() -> DateTime<Utc> {
    "2026-12-03T10:00:00Z".parse().expect("instant")
}

fn today() -> NaiveDate {
    now().date_naive()
}

fn account(store: &Store, name: &str, arr: &str) -> String {
    let input = AccountInput {
        name: name.into(),
        segment: "high_touch".into(),
        lifecycle_stage: "value".into(),
        arr: arr.into(),
        currency: "EUR".into(),
        ..Default::default()
    };
    store.create_account(&validate::account(&input).expect("valid"), now()).expect("account").id
}

fn note(store: &Store, account: &str, body: &str) -> crate::Result<crate::model::NoteSaved> {
    let input = NoteInput {
        account_id: account.into(),
        occurred_at: "2026-12-03T09:00".into(),
        body_md: body.into(),
        ..Default::default()
    };
    let valid = validate::note(&input, now(), &chrono::Utc)?;
    store.create_note(&valid, None, now(), today())
}

fn risk_input(account: &str, title: &str) -> RiskInput {
    RiskInput {
        account_id: account.into(),
        title: title.into(),
        reasons: vec!["budget cut".into()],
        severity: "high".into(),
        ..Default::default()
    }
}

fn timeline(store: &Store, account: &str, kind: TimelineKind) -> Vec<String> {
    let filter =
        TimelineFilter { account_id: Some(account.into()), kinds: vec![kind], limit: 50, ..Default::default() };
    store.timeline(&filter).expect("timeline").entries.into_iter().map(|e| e.title).collect()
}

#[test]
fn risk_and_ask_lines_are_previewed_then_recorded_with_the_note() {
    let store = Store::open_in_memory().expect("store");
    let (acme, globex) = (account(&store, "Acme", "120,000"), account(&store, "Globex", "40,000"));
    let body = "Call went ok.\nrisk: Budget review may cut the seat count\nrisk: Champion is leaving in Q1\n\
                ask: SSO with Okta for the EU team\nask: ...";
    let preview = store.capture_preview(&acme, body).expect("preview");
    let outcomes: Vec<(CaptureKind, &str, bool)> =
        preview.iter().map(|l| (l.kind, l.outcome.as_str(), l.ignored)).collect();
    assert_eq!(
        outcomes,
        [
            (CaptureKind::Risk, "New risk (identified, medium)", false),
            (CaptureKind::Risk, "New risk (identified, medium)", false),
            (CaptureKind::Ask, "New ask", false),
            (CaptureKind::Ask, "Ignored: only punctuation after the colon.", true),
        ]
    );
    let saved = note(&store, &acme, body).expect("saved");

    let risks = store.account_risks(&acme, today()).expect("risks");
    let titles: Vec<&str> = risks.open.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles.len(), 2);
    assert!(titles.contains(&"Budget review may cut the seat count"));
    assert_eq!(risks.open[0].arr_at_risk.minor, 12_000_000, "defaults to the account's ARR");
    assert_eq!(risks.asks.len(), 1);
    assert_eq!(risks.asks[0].accounts[0].note_id.as_deref(), Some(saved.note.id.as_str()));

    // The same ask in other words from another account joins it; a risk line about the budget is
    // an update to the open budget risk.
    let again = "risk: budget review moved to January, seat count still at stake\nask: Okta SSO for EU";
    let preview = store.capture_preview(&acme, again).expect("preview");
    assert_eq!(preview[0].outcome, "Update to the risk “Budget review may cut the seat count”");
    assert_eq!(preview[1].outcome, "Joins the ask “SSO with Okta for the EU team” (1 account)");
    note(&store, &acme, again).expect("second note");
    note(&store, &globex, "ask: SSO with Okta please").expect("globex asks");
    let asks = store.asks(today()).expect("asks");
    assert_eq!(asks.asks.len(), 1, "one ask shared by both accounts");
    assert_eq!(asks.asks[0].accounts.len(), 2);
    assert_eq!(asks.asks[0].demand_minor, 16_000_000, "ARR-weighted demand");
    let budget = store
        .account_risks(&acme, today())
        .expect("risks")
        .open
        .into_iter()
        .find(|r| r.title.starts_with("Budget"))
        .expect("budget risk");
    let detail = store.risk(&budget.id, today()).expect("detail");
    assert_eq!(detail.updates.len(), 1);
    assert_eq!(detail.risk.last_update_on, Some(today()));
    assert_eq!(timeline(&store, &acme, TimelineKind::Risk).len(), 3, "two opened, one update");
    assert_eq!(timeline(&store, &globex, TimelineKind::Ask), ["Asked for: SSO with Okta for the EU team"]);

    let hits = |text: &str, kind| {
        let q = SearchQuery { text: text.into(), kinds: vec![kind], ..Default::default() };
        store.search(&q).expect("search").hits.len()
    };
    assert_eq!(hits("january", SearchKind::Risk), 1, "updates are searchable");
    assert_eq!(hits("okta", SearchKind::Ask), 1);
}

#[test]
fn a_bad_line_or_a_bad_risk_saves_nothing() {
    let store = Store::open_in_memory().expect("store");
    let acme = account(&store, "Acme", "10,000");
    let over = RiskInput { arr_at_risk: "50,000".into(), ..risk_input(&acme, "Price") };
    let err = store.create_risk(&validate::risk(&over).expect("valid"), None, now(), today()).unwrap_err();
    assert!(err.to_string().contains("more than the account's ARR"), "{err}");
    assert!(store.account_risks(&acme, today()).expect("risks").open.is_empty());

    let risk = store.create_risk(&validate::risk(&risk_input(&acme, "Price")).unwrap(), None, now(), today()).unwrap();
    let lost = RiskInput { stage: "lost".into(), ..risk_input(&acme, "Price") };
    let closed = store.update_risk(&risk.id, &validate::risk(&lost).unwrap(), now(), today()).unwrap();
    assert_eq!(closed.closed_on, Some(today()));
    let back = RiskInput { stage: "saving".into(), ..risk_input(&acme, "Price") };
    let err = store.update_risk(&risk.id, &validate::risk(&back).unwrap(), now(), today()).unwrap_err();
    assert!(err.to_string().contains("closed as lost"), "{err}");
    assert_eq!(store.risk(&risk.id, today()).unwrap().risk.stage, RiskStage::Lost, "nothing half-written");
    assert!(store.add_plan_step(&risk.id, "Call", None, now(), today()).is_err(), "no plan on a closed risk");
    assert!(store.add_risk_update(&risk.id, "Still lost", today(), now(), today()).is_err());
}

#[test]
fn the_csms_own_reasons_are_offered_with_those_typed_before() {
    let store = Store::open_in_memory().expect("store");
    let acme = account(&store, "Acme", "10,000");
    let typed = RiskInput { reasons: vec!["reorg".into()], ..risk_input(&acme, "Reorg") };
    store.create_risk(&validate::risk(&typed).unwrap(), None, now(), today()).unwrap();
    assert!(store.risk_reasons().unwrap().starts_with(&["sponsor left".to_owned()]));
    let mine = validate::risk_reasons(&["Budget cut".into(), "Champion churn".into()]).unwrap();
    store.save_risk_reasons(&mine).unwrap();
    assert_eq!(store.risk_reasons().unwrap(), ["budget cut", "champion churn", "reorg"]);
    assert_eq!(store.configured_risk_reasons().unwrap(), ["budget cut", "champion churn"]);
}

#[test]
fn a_plan_step_is_a_task_and_the_page_totals_stages_and_marks_stale_risks() {
    let store = Store::open_in_memory().expect("store");
    let acme = account(&store, "Acme", "100,000");
    let globex = account(&store, "Globex", "30,000");
    let first =
        store.create_risk(&validate::risk(&risk_input(&acme, "Budget cut")).unwrap(), None, now(), today()).unwrap();
    let early = today() - chrono::Days::new(10);
    store.create_risk(&validate::risk(&risk_input(&globex, "Competitor")).unwrap(), None, now(), early).unwrap();

    let due = Some(today() + chrono::Days::new(7));
    let detail = store.add_plan_step(&first.id, "Exec call with the CFO", due, now(), today()).unwrap();
    assert_eq!(detail.plan.len(), 1);
    assert_eq!(detail.plan[0].account_id.as_deref(), Some(acme.as_str()));
    assert!(store.account_tasks(&acme).unwrap().iter().any(|t| t.title == "Exec call with the CFO"));
    let planned = RiskInput { stage: "plan_in_place".into(), ..risk_input(&acme, "Budget cut") };
    store.update_risk(&first.id, &validate::risk(&planned).unwrap(), now(), today()).unwrap();
    assert!(timeline(&store, &acme, TimelineKind::Risk).contains(&"Risk moved to plan in place: Budget cut".to_owned()));

    let page = store.risks(today()).unwrap();
    assert_eq!(page.risks.iter().map(|r| r.title.as_str()).collect::<Vec<_>>(), ["Budget cut", "Competitor"]);
    assert_eq!(page.total.risks, 2);
    assert_eq!(page.total.arr_minor, 13_000_000, "EUR is reported at the rate (here the reporting currency is EUR)");
    assert_eq!(page.stale, 1, "opened 10 days ago with no update");
    assert_eq!(page.risks[0].plan_open, 1);
    let stages: Vec<&str> = page.by_stage.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(stages, ["identified", "plan in place"]);
}

#[test]
fn a_red_or_escalated_account_is_offered_a_risk_once() {
    let store = Store::open_in_memory().expect("store");
    let acme = account(&store, "Acme", "100,000");
    let signal = |kind: &str, value: &str, on: &str| {
        let input =
            SignalInput { kind: kind.into(), value: value.into(), recorded_on: on.into(), ..Default::default() };
        store.record_signal(&acme, &validate::signal(&input, None, today()).expect("valid"), today()).expect("signal");
    };
    signal("critical_tickets_open", "0", "2026-11-10");
    signal("critical_tickets_open", "1", "2026-11-20");
    signal("critical_tickets_open", "2", "2026-12-01");
    signal("invoice_overdue_days", "35", "2026-12-02");
    let triggers: Vec<String> =
        store.account_risks(&acme, today()).unwrap().suggestions.into_iter().map(|s| s.trigger).collect();
    assert!(triggers.contains(&"tickets".to_owned()) && triggers.contains(&"invoice".to_owned()), "{triggers:?}");
    store.dismiss_risk_suggestion(&acme, "invoice", today()).unwrap();
    let after = store.risks(today()).unwrap().suggestions;
    assert_eq!(after.iter().map(|s| s.trigger.as_str()).collect::<Vec<_>>(), ["tickets"]);
    store.create_risk(&validate::risk(&risk_input(&acme, "Escalation")).unwrap(), None, now(), today()).unwrap();
    assert!(store.risks(today()).unwrap().suggestions.is_empty(), "an open risk quiets them");
}

#[test]
fn an_ask_moves_on_every_asking_account_and_shipped_asks_reach_the_qbr_source() {
    let store = Store::open_in_memory().expect("store");
    let (acme, globex) = (account(&store, "Acme", "100,000"), account(&store, "Globex", "30,000"));
    let input = AskInput { title: "Audit log export".into(), ..Default::default() };
    let asker = Asker { account_id: &acme, contact_id: None, asked_on: today(), note_id: None };
    let ask = store.create_ask(&validate::ask(&input).unwrap(), Some(&asker), now(), today()).unwrap();
    store.add_asker(&ask.id, &Asker { account_id: &globex, ..asker }, now()).unwrap();
    let shipped = AskInput { status: "shipped".into(), reference: "PROD-142".into(), ..input };
    let ask = store.update_ask(&ask.id, &validate::ask(&shipped).unwrap(), now(), today()).unwrap();
    assert_eq!((ask.status, ask.status_on), (AskStatus::Shipped, today()));
    for account in [&acme, &globex] {
        assert!(timeline(&store, account, TimelineKind::Ask).contains(&"Ask shipped: Audit log export".to_owned()));
    }
    let bad = Asker { account_id: "nope", contact_id: None, asked_on: today(), note_id: None };
    assert!(store.add_asker(&ask.id, &bad, now()).is_err());
    store.delete_ask(&ask.id).unwrap();
    assert!(store.asks(today()).unwrap().asks.is_empty());
    assert!(timeline(&store, &acme, TimelineKind::Ask).is_empty(), "its entries go with it");
}

#[test]
fn the_sample_book_has_risks_and_asks_to_show_on_first_run() {
    let store = Store::open_in_memory().expect("store");
    let sample = crate::sample::generate(&crate::sample::SampleSpec::DEMO, today());
    store.start_book(Some(&sample), now()).expect("sample");
    let page = store.risks(today()).expect("risks");
    assert_eq!(page.risks.len(), 4);
    assert!(page.stale >= 1, "one risk has gone a week without an update");
    assert_eq!(page.closed_recently.len(), 1);
    assert!(page.risks.iter().any(|r| r.plan_steps == 2 && r.plan_open == 1));
    let asks = store.asks(today()).expect("asks");
    assert_eq!(asks.asks.len(), 6);
    assert!(asks.asks[0].demand_minor >= asks.asks[1].demand_minor);
    assert!(asks.asks.iter().any(|a| a.status == AskStatus::Shipped && a.accounts.len() == 3));
    let week = store.week_plan(today(), today()).expect("week");
    let reasons: Vec<&str> =
        week.days.iter().flat_map(|d| &d.suggestions).flat_map(|s| &s.reasons).map(|r| r.text.as_str()).collect();
    let overflow: Vec<&str> = week.overflow.iter().flat_map(|s| &s.reasons).map(|r| r.text.as_str()).collect();
    assert!(
        reasons.iter().chain(&overflow).any(|r| r.contains("no save plan")),
        "the Week asks for a plan: {reasons:?}"
    );
}
