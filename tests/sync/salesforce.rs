//! The shared scenarios against the fake Salesforce, and Salesforce's own: the PKCE sign-in
//! through the loopback redirect, refresh with rotation (single-flight, kept before use), revoked
//! refresh tokens, removals beyond the deleted-records window, Collections partial failures and
//! batch sizes, the daily allocation, and fields the org does not have.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use parking_lot::Mutex;
use std::time::Duration;

use chrono::Utc;
use csm_core::model::NoteInput;
use csm_core::validate;
use csm_crm::connector::FieldMap;
use csm_crm::http::{Http, Limits, Method};
use csm_crm::oauth::{self, Loopback, Tokens};
use csm_crm::salesforce::{Salesforce, Session};
use csm_crm::{engine, Connector, CrmError};
use csm_e2e::fake_salesforce::{FakeSalesforce, Fault};
use serde_json::json;

use crate::scenarios::{apply_all, book, count, limits, scenarios, sync, FakeCrm, Pushed, TOKEN};

const CLIENT_ID: &str = "3MVG9FAKE.consumer-key";

type Kept = Arc<Mutex<Vec<Tokens>>>;

fn session(fake: &FakeSalesforce, tokens: Tokens, kept: Kept) -> Arc<Session> {
    let keep = Box::new(move |t: &Tokens| {
        kept.lock().push(t.clone());
        Ok(())
    });
    Session::new(&fake.url, CLIENT_ID, tokens, keep)
}

fn salesforce(fake: &FakeSalesforce, tokens: Tokens, kept: Kept, cancel: Arc<AtomicBool>) -> Salesforce {
    Salesforce::new(session(fake, tokens, kept), FieldMap::salesforce(), limits(), cancel).expect("client")
}

fn tokens_for(fake: &FakeSalesforce, access: &str, refresh: &str) -> Tokens {
    Tokens { access_token: access.into(), refresh_token: refresh.into(), instance_url: fake.url.clone() }
}

fn only(s: &csm_e2e::fake_salesforce::State, sobject: &str, pick: impl Fn(&serde_json::Value) -> bool) -> String {
    let records = s.records(sobject);
    records.iter().find(|r| pick(&serde_json::Value::Object(r.fields.clone()))).map(|r| r.id.clone()).expect("a record")
}

impl FakeCrm for FakeSalesforce {
    const SYSTEM: &'static str = "salesforce";
    const REFUSED: &'static str = "sign in again";
    const EXPIRED: Option<&'static str> = None;
    /// A Task's Description is plain text, which Salesforce shows as text.
    const SCRIPT_AS: &'static str = "<script>alert(1)</script>";

    fn start(token: &str) -> Self {
        let fake = FakeSalesforce::start(CLIENT_ID);
        {
            let mut s = fake.lock();
            s.access_tokens.insert(token.to_owned());
            s.refresh_tokens.insert(format!("{token}-refresh"));
            // Smaller batches than the 2,000 maximum, so the scenarios follow nextRecordsUrl.
            s.batch_size = 200;
        }
        fake
    }

    fn url(&self) -> String {
        self.url.clone()
    }

    fn seed(&self, accounts: usize, per_account: usize) {
        FakeSalesforce::seed(self, accounts, per_account);
    }

    fn client(&self, token: &str, owner: Option<String>, cancel: Arc<AtomicBool>) -> Box<dyn Connector> {
        let tokens = tokens_for(self, token, &format!("{token}-refresh"));
        Box::new(salesforce(self, tokens, Kept::default(), cancel).scoped_to(owner))
    }

    fn quick_client(&self, token: &str) -> Box<dyn Connector> {
        let tokens = tokens_for(self, token, &format!("{token}-refresh"));
        let limits = Limits { timeout: crate::matrix::TIMEOUT, ..limits() };
        let session = session(self, tokens, Kept::default());
        Box::new(Salesforce::new(session, FieldMap::salesforce(), limits, Arc::default()).expect("client"))
    }

    fn requests(&self) -> u64 {
        self.lock().requests
    }

    fn aim(&self, request: u64, fault: Fault) {
        self.lock().aimed.at(request, fault);
    }

    fn accounts(&self) -> Vec<String> {
        self.lock().records("Account").iter().map(|r| r.id.clone()).collect()
    }

    fn contacts(&self) -> Vec<String> {
        self.lock().records("Contact").iter().map(|r| r.id.clone()).collect()
    }

    fn set_industry(&self, account: &str, industry: &str) {
        self.lock().update("Account", account, json!({ "Industry": industry }));
    }

    fn set_odd_values(&self, account: &str) {
        let odd = json!({ "AnnualRevenue": 1e300, "Renewal_Date__c": "someday", "CS_Segment__c": "platinum" });
        self.lock().update("Account", account, odd);
    }

    fn remove_account(&self, account: &str) {
        self.lock().delete("Account", account);
    }

    fn remove_contact(&self, contact: &str) {
        self.lock().delete("Contact", contact);
    }

    fn create_account(&self, name: &str) -> String {
        self.lock().create("Account", json!({ "Name": name }))
    }

    fn notes(&self) -> Vec<Pushed> {
        pushed(self, true)
    }

    fn tasks(&self) -> Vec<Pushed> {
        pushed(self, false)
    }

    fn inject(&self, faults: Vec<Fault>) {
        self.lock().faults.extend(faults);
    }

    fn clear_faults(&self) {
        let mut s = self.lock();
        s.faults.clear();
        s.aimed.clear();
    }

    fn revoke(&self) {
        self.lock().revoke_all();
    }

    fn owner(&self) -> String {
        only(&self.lock(), "User", |u| u["Name"] == "Jordan Lee")
    }

    fn close_urgent_ticket(&self, account: &str) {
        let mut s = self.lock();
        let case = only(&s, "Case", |c| c["AccountId"] == account && c["Priority"] == "High");
        s.update("Case", &case, json!({ "IsClosed": true }));
    }

    fn set_upsell_amount(&self, amount: &str) {
        let mut s = self.lock();
        let opp = only(&s, "Opportunity", |o| o["Name"] == "Expansion: 20 more seats");
        s.update("Opportunity", &opp, json!({ "Amount": amount }));
    }

    fn close_first_renewal(&self, won: bool, amount: &str) {
        let mut s = self.lock();
        let opp = only(&s, "Opportunity", |o| o["Name"] == "Renewal 2027 — Northwind 1");
        let stage = if won { "Closed Won" } else { "Closed Lost" };
        let amount: f64 = amount.parse().expect("an amount");
        let closed = json!({ "StageName": stage, "IsClosed": true, "IsWon": won, "Amount": amount,
                             "ForecastCategoryName": if won { "Closed" } else { "Omitted" }, "Probability": if won { 100.0 } else { 0.0 } });
        s.update("Opportunity", &opp, closed);
    }
}

/// Notes arrive as logged calls (Type Call); tasks as the rest.
fn pushed(fake: &FakeSalesforce, calls: bool) -> Vec<Pushed> {
    let s = fake.lock();
    let text =
        |r: &csm_e2e::fake_salesforce::Record, k: &str| r.fields.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    s.records("Task")
        .into_iter()
        .filter(|t| (text(t, "Type").as_deref() == Some("Call")) == calls)
        .map(|t| Pushed {
            text: text(t, if calls { "Description" } else { "Subject" }).unwrap_or_default(),
            account: text(t, "WhatId"),
            contacts: text(t, "WhoId").into_iter().collect(),
            done: text(t, "Status").as_deref() == Some("Completed"),
        })
        .collect()
}

scenarios!(FakeSalesforce);

#[test]
fn a_renewal_lost_in_salesforce_is_suggested_as_a_churn_and_never_applied() {
    crate::scenarios::a_closed_renewal_deal_is_suggested_as_an_outcome_and_never_applied::<FakeSalesforce>(false);
}

/// Plays the CSM's browser: opens the authorize page and follows its redirect to the loopback.
fn browser(url: String) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || match ureq::get(&url).call() {
        Ok(r) => r.into_string().unwrap_or_default(),
        Err(ureq::Error::Status(_, r)) => r.into_string().unwrap_or_default(),
        Err(e) => e.to_string(),
    })
}

#[test]
fn signing_in_with_pkce_through_the_loopback_redirect_gives_a_working_session() {
    let fake = FakeSalesforce::start(CLIENT_ID);
    fake.seed(2, 1);
    let never = AtomicBool::new(false);
    let loopback = Loopback::bind(0).expect("listener");
    let (pkce, state) = (oauth::pkce().expect("pkce"), oauth::state().expect("state"));
    let url = oauth::authorize_url(&fake.url, CLIENT_ID, &loopback.redirect_uri(), &pkce.challenge, &state);
    let page = browser(url.clone());
    let code = loopback.wait_for_code(&state, Duration::from_secs(20), &never).expect("code");
    assert!(page.join().expect("browser").contains("connected to Salesforce"));
    let tokens =
        oauth::exchange_code(&fake.url, CLIENT_ID, &code, &pkce.verifier, &loopback.redirect_uri()).expect("tokens");
    assert_eq!(tokens.instance_url, fake.url);
    assert!(!tokens.refresh_token.is_empty());
    let sf = salesforce(&fake, tokens, Kept::default(), Arc::default());
    assert!(sf.test_connection().is_ok());
    // A code is good once; a wrong verifier is refused.
    let again = oauth::exchange_code(&fake.url, CLIENT_ID, &code, &pkce.verifier, &loopback.redirect_uri());
    assert!(matches!(again, Err(CrmError::Rejected(400, ref m)) if m.contains("authentication failure")), "{again:?}");
    let page = browser(url);
    let code = loopback.wait_for_code(&state, Duration::from_secs(20), &never).expect("code");
    page.join().expect("browser");
    let wrong = oauth::exchange_code(&fake.url, CLIENT_ID, &code, "not-the-verifier", &loopback.redirect_uri());
    assert!(matches!(wrong, Err(CrmError::Rejected(400, ref m)) if m.contains("invalid code verifier")), "{wrong:?}");

    // The CSM refuses access on Salesforce's page: the wait ends with Salesforce's words.
    fake.lock().deny = true;
    let url = oauth::authorize_url(&fake.url, CLIENT_ID, &loopback.redirect_uri(), &pkce.challenge, &state);
    let page = browser(url);
    let err = loopback.wait_for_code(&state, Duration::from_secs(20), &never).expect_err("denied");
    page.join().expect("browser");
    assert!(err.to_string().contains("end-user denied authorization"), "{err}");
}

#[test]
fn an_expired_session_is_refreshed_once_and_the_rotated_refresh_token_is_kept_before_use() {
    let fake = FakeSalesforce::start(CLIENT_ID);
    fake.seed(3, 1);
    let (access, refresh) = fake.lock().issue();
    let kept = Kept::default();
    let sf = Arc::new(salesforce(&fake, tokens_for(&fake, &access, &refresh), kept.clone(), Arc::default()));
    assert!(sf.test_connection().is_ok());
    fake.lock().expire_sessions();
    // Four requests meet the expired session at once: one refresh serves them all.
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let sf = sf.clone();
            std::thread::spawn(move || sf.test_connection().is_ok())
        })
        .collect();
    assert!(workers.into_iter().all(|w| w.join().expect("worker")));
    assert_eq!(fake.lock().refreshes, 1, "single-flight refresh");
    let kept_now = kept.lock().clone();
    assert_eq!(kept_now.len(), 1, "the rotated tokens were kept");
    assert_ne!(kept_now[0].refresh_token, refresh, "rotation: a new refresh token");
    // The old refresh token no longer works: the CSM would be asked to sign in again.
    assert!(matches!(oauth::refresh(&fake.url, CLIENT_ID, &refresh), Err(CrmError::SignInAgain)));
    let book = book();
    let run = sync(&book, &*sf);
    assert_eq!((run.status.as_str(), run.pulled), ("done", 6), "{:?}", run.errors);

    // Revoked by an admin: the run fails with words, and asks for a sign-in.
    fake.lock().revoke_all();
    let run = sync(&book, &*sf);
    assert_eq!(run.status, "failed");
    assert!(run.errors.last().is_some_and(|e| e.contains("sign in again")), "{:?}", run.errors);
}

#[test]
fn removals_beyond_the_deleted_records_window_are_found_by_a_full_reconcile() {
    let fake = <FakeSalesforce as FakeCrm>::start(TOKEN);
    fake.seed(4, 0);
    let (book, crm) = (book(), fake.client(TOKEN, None, Arc::default()));
    sync(&book, &*crm);
    apply_all::<FakeSalesforce>(&book);
    // Within the window: getDeleted lists it.
    let ids = fake.accounts();
    fake.remove_account(&ids[0]);
    sync(&book, &*crm);
    apply_all::<FakeSalesforce>(&book);
    assert_eq!(count(&book, "SELECT count(*) FROM accounts WHERE archived_at IS NOT NULL"), 1);
    // The last sync was 20 days ago: getDeleted cannot reach back (the fake refuses such a
    // start), so every id is compared instead.
    let old = (Utc::now() - chrono::Duration::days(20)).to_rfc3339();
    let raw = rusqlite::Connection::open(book.store.path().expect("path")).expect("raw");
    raw.execute("UPDATE sync_watermarks SET modified_at = ?1 WHERE object LIKE 'removed_%'", [&old]).expect("rewind");
    let twenty_days_ago = (Utc::now() - chrono::Duration::days(20)).timestamp_millis();
    fake.lock().delete_at("Account", &ids[1], twenty_days_ago);
    let run = sync(&book, &*crm);
    assert_eq!(run.status, "done", "{:?}", run.errors);
    apply_all::<FakeSalesforce>(&book);
    assert_eq!(count(&book, "SELECT count(*) FROM accounts WHERE archived_at IS NOT NULL"), 2);
    // The recycle bin was emptied after the last sync: the log does not cover the gap either.
    fake.lock().purged_ms = Some(Utc::now().timestamp_millis());
    fake.remove_account(&ids[2]);
    sync(&book, &*crm);
    apply_all::<FakeSalesforce>(&book);
    assert_eq!(count(&book, "SELECT count(*) FROM accounts WHERE archived_at IS NOT NULL"), 3);
}

fn publish_notes(book: &crate::scenarios::Book, account: &str, subjects: &[String]) {
    for subject in subjects {
        let input = NoteInput {
            account_id: account.to_owned(),
            body_md: format!("# {subject}\nWeekly check-in."),
            private: false,
            ..Default::default()
        };
        let draft = validate::note(&input, Utc::now(), &Utc).expect("note");
        book.store.create_note(&draft, None, Utc::now(), Utc::now().date_naive()).expect("saved");
    }
}

#[test]
fn pushes_go_in_collections_of_200_and_a_refused_item_fails_alone() {
    let fake = <FakeSalesforce as FakeCrm>::start(TOKEN);
    fake.seed(1, 0);
    let (book, crm) = (book(), fake.client(TOKEN, None, Arc::default()));
    sync(&book, &*crm);
    apply_all::<FakeSalesforce>(&book);
    let account: String = rusqlite::Connection::open(book.store.path().expect("path"))
        .expect("raw")
        .query_row("SELECT id FROM accounts", [], |r| r.get(0))
        .expect("account");
    let mut subjects: Vec<String> = (0..249).map(|i| format!("Check-in {i}")).collect();
    subjects.push("TBD placeholder".into());
    publish_notes(&book, &account, &subjects);
    fake.lock().refuse_subject = Some("placeholder".into());
    let before = fake.lock().requests;
    let run = engine::push_run(&book.store, &*crm, None, &mut |_| {}).expect("push");
    assert_eq!(fake.lock().requests - before, 2, "250 notes in two Collections requests");
    assert_eq!(run.pushed, 249, "{:?}", run.errors);
    assert_eq!(run.errors.len(), 1);
    assert!(run.errors[0].contains("Subject must not be a placeholder (Subject)"), "{:?}", run.errors);
    assert_eq!(fake.notes().len(), 249);
    assert_eq!(book.store.notes_to_push("salesforce").expect("waiting").len(), 1, "the refused one waits");
}

#[test]
fn the_daily_allocation_stops_the_run_with_the_usage_and_a_missing_field_is_named() {
    let fake = <FakeSalesforce as FakeCrm>::start(TOKEN);
    fake.seed(3, 1);
    fake.lock().daily_limit = 2;
    let book = book();
    let run = sync(&book, &*fake.client(TOKEN, None, Arc::default()));
    assert_eq!(run.status, "failed");
    let last = run.errors.last().cloned().unwrap_or_default();
    assert!(last.contains("daily API limit is used up (api-usage=3/2)"), "{last}");

    let fake = <FakeSalesforce as FakeCrm>::start(TOKEN);
    let tokens = tokens_for(&fake, TOKEN, "");
    let map = FieldMap { renewal_date: "Renewal__c".into(), ..FieldMap::salesforce() };
    let sf = Salesforce::new(session(&fake, tokens, Kept::default()), map, limits(), Arc::default()).expect("client");
    let err = sf.test_connection().expect_err("no such field");
    assert!(err.to_string().contains("No such column 'Renewal__c' on entity 'Account'"), "{err}");
}

#[test]
fn the_fake_keeps_salesforces_shapes_for_what_the_client_does_not_use() {
    let fake = <FakeSalesforce as FakeCrm>::start(TOKEN);
    fake.seed(2, 0);
    let gone = fake.accounts()[0].clone();
    fake.remove_account(&gone);
    let http = Http::new(&fake.url, TOKEN, limits(), Arc::default()).expect("http");
    let get = |path: &str| http.json(Method::GET, &format!("/services/data/v67.0{path}"), None);
    let all = get("/queryAll?q=SELECT+Id,+IsDeleted+FROM+Account").expect("queryAll");
    let deleted: Vec<_> =
        all["records"].as_array().expect("records").iter().filter(|r| r["IsDeleted"] == true).collect();
    assert_eq!(deleted.len(), 1, "queryAll returns deleted rows");
    let start = (Utc::now() - chrono::Duration::days(2)).format("%Y-%m-%dT%H:%M:%SZ");
    let end = (Utc::now() + chrono::Duration::minutes(1)).format("%Y-%m-%dT%H:%M:%SZ");
    let updated = get(&format!("/sobjects/Account/updated/?start={start}&end={end}")).expect("getUpdated");
    assert_eq!(updated["ids"].as_array().map(Vec::len), Some(1));
    assert!(updated["latestDateCovered"].is_string());
    let too_old = (Utc::now() - chrono::Duration::days(31)).format("%Y-%m-%dT%H:%M:%SZ");
    let refused = get(&format!("/sobjects/Account/updated/?start={too_old}&end={end}"));
    assert!(matches!(refused, Err(CrmError::Rejected(400, ref m)) if m.contains("30 days")), "{refused:?}");
    fake.lock().id_limit = 0;
    let capped = get(&format!("/sobjects/Account/deleted/?start={start}&end={end}"));
    assert!(matches!(capped, Err(CrmError::Rejected(400, _))), "EXCEEDED_ID_LIMIT");
    // allOrNone: one bad record rolls back the others.
    let body = json!({ "allOrNone": true, "records": [
        { "attributes": { "type": "Task" }, "CSM_Local_Id__c": "a", "Subject": "ok" },
        { "attributes": { "type": "Task" }, "CSM_Local_Id__c": "b", "Subject": "bad", "WhatId": "001nope" } ] });
    let reply = http
        .json(Method::PATCH, "/services/data/v67.0/composite/sobjects/Task/CSM_Local_Id__c", Some(&body))
        .expect("collections");
    assert_eq!(reply[0]["errors"][0]["statusCode"], "ALL_OR_NONE_OPERATION_ROLLED_BACK");
    assert_eq!(reply[1]["errors"][0]["statusCode"], "FIELD_INTEGRITY_EXCEPTION");
    assert!(fake.lock().records("Task").is_empty());
    let too_many = json!({ "allOrNone": false, "records": vec![json!({ "attributes": { "type": "Task" }, "CSM_Local_Id__c": "x" }); 201] });
    let refused =
        http.json(Method::PATCH, "/services/data/v67.0/composite/sobjects/Task/CSM_Local_Id__c", Some(&too_many));
    assert!(matches!(refused, Err(CrmError::Rejected(400, _))), "more than 200 records");
}

#[test]
fn the_fake_upserts_one_record_by_external_id_and_runs_composite_requests() {
    let fake = <FakeSalesforce as FakeCrm>::start(TOKEN);
    fake.seed(1, 0);
    let account = fake.accounts()[0].clone();
    let http = Http::new(&fake.url, TOKEN, limits(), Arc::default()).expect("http");
    let path = "/services/data/v67.0/sobjects/Task/CSM_Local_Id__c/local-1";
    let created = http.json(Method::PATCH, path, Some(&json!({ "Subject": "Call" }))).expect("created");
    assert_eq!(created["created"], true);
    let updated = http.json(Method::PATCH, path, Some(&json!({ "Subject": "Call, edited" }))).expect("updated");
    assert_eq!((updated["created"].as_bool(), updated["id"].clone()), (Some(false), created["id"].clone()));
    fake.lock().create("Task", json!({ "CSM_Local_Id__c": "local-1", "Subject": "a copy made elsewhere" }));
    let twice = http.json(Method::PATCH, path, Some(&json!({ "Subject": "x" })));
    assert!(matches!(twice, Err(CrmError::Rejected(300, _))), "two records match: {twice:?}");

    // A contact and a task on it in one call; the task refers to the contact by reference.
    let body = json!({ "allOrNone": true, "compositeRequest": [
        { "method": "POST", "url": "/services/data/v67.0/sobjects/Contact", "referenceId": "person",
          "body": { "LastName": "Okafor", "AccountId": account } },
        { "method": "PATCH", "url": "/services/data/v67.0/composite/sobjects/Task/CSM_Local_Id__c", "referenceId": "calls",
          "body": { "allOrNone": false, "records": [{ "attributes": { "type": "Task" }, "CSM_Local_Id__c": "local-2", "WhoId": "@{person.id}" }] } } ] });
    let reply = http.json(Method::POST, "/services/data/v67.0/composite", Some(&body)).expect("composite");
    assert_eq!(reply["compositeResponse"][0]["httpStatusCode"], 201);
    assert_eq!(reply["compositeResponse"][1]["body"][0]["success"], true, "{reply}");
    let contact = reply["compositeResponse"][0]["body"]["id"].as_str().expect("id").to_owned();
    let s = fake.lock();
    let task = s.records("Task").into_iter().find(|t| t.fields["CSM_Local_Id__c"] == "local-2").expect("task");
    assert_eq!(task.fields["WhoId"], contact.as_str(), "@{{person.id}} resolved");
    drop(s);
    let too_many = json!({ "compositeRequest": vec![json!({ "method": "GET", "url": "/services/data/v67.0/limits", "referenceId": "l" }); 26] });
    let refused = http.json(Method::POST, "/services/data/v67.0/composite", Some(&too_many));
    assert!(matches!(refused, Err(CrmError::Rejected(400, _))), "more than 25 subrequests");
}
