//! The shared scenarios against the fake HubSpot, and HubSpot's own: search slicing below the
//! 10,000-result cap.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use csm_crm::http::Limits;
use csm_crm::hubspot::{FieldMap, HubSpot};
use csm_crm::Connector;
use csm_e2e::fake_hubspot::{FakeHubSpot, Fault};
use serde_json::json;

use crate::scenarios::{book, limits, scenarios, sync, FakeCrm, Pushed, TOKEN};

fn id(text: &str) -> u64 {
    text.parse().expect("a HubSpot id")
}

fn hubspot(fake: &FakeHubSpot, token: &str, cancel: Arc<AtomicBool>) -> HubSpot {
    HubSpot::new(&fake.url, token, FieldMap::hubspot(), limits(), cancel).expect("client")
}

impl FakeCrm for FakeHubSpot {
    const SYSTEM: &'static str = "hubspot";
    const REFUSED: &'static str = "refused the token";
    /// A private app's token is not renewed: the CSM pastes a new one.
    const EXPIRED: Option<&'static str> = Some("refused the token");
    const SCRIPT_AS: &'static str = "&lt;script&gt;";

    fn start(token: &str) -> Self {
        FakeHubSpot::start(token)
    }

    fn url(&self) -> String {
        self.url.clone()
    }

    fn seed(&self, accounts: usize, per_account: usize) {
        FakeHubSpot::seed(self, accounts, per_account);
    }

    fn client(&self, token: &str, owner: Option<String>, cancel: Arc<AtomicBool>) -> Box<dyn Connector> {
        Box::new(hubspot(self, token, cancel).scoped_to(owner))
    }

    fn quick_client(&self, token: &str) -> Box<dyn Connector> {
        let limits = Limits { timeout: crate::matrix::TIMEOUT, ..limits() };
        Box::new(HubSpot::new(&self.url, token, FieldMap::hubspot(), limits, Arc::default()).expect("client"))
    }

    fn requests(&self) -> u64 {
        self.lock().requests
    }

    fn aim(&self, request: u64, fault: Fault) {
        self.lock().aimed.at(request, fault);
    }

    fn accounts(&self) -> Vec<String> {
        self.lock().records("companies").iter().map(|r| r.id.to_string()).collect()
    }

    fn contacts(&self) -> Vec<String> {
        self.lock().records("contacts").iter().map(|r| r.id.to_string()).collect()
    }

    fn set_industry(&self, account: &str, industry: &str) {
        self.lock().update("companies", id(account), json!({ "industry": industry }));
    }

    fn set_odd_values(&self, account: &str) {
        let odd = json!({ "annualrevenue": "1e300", "renewal_date": "someday", "cs_segment": "platinum" });
        self.lock().update("companies", id(account), odd);
    }

    fn remove_account(&self, account: &str) {
        self.lock().archive("companies", id(account));
    }

    fn remove_contact(&self, contact: &str) {
        self.lock().archive("contacts", id(contact));
    }

    fn create_account(&self, name: &str) -> String {
        self.lock().create("companies", json!({ "name": name }), None).to_string()
    }

    fn notes(&self) -> Vec<Pushed> {
        let s = self.lock();
        let records = s.records("notes");
        let pushed = records.iter().map(|n| Pushed {
            text: n.properties["hs_note_body"].as_str().unwrap_or_default().to_owned(),
            account: s.associated("notes", n.id, "companies").first().map(u64::to_string),
            contacts: s.associated("notes", n.id, "contacts").iter().map(u64::to_string).collect(),
            done: false,
        });
        pushed.collect()
    }

    fn tasks(&self) -> Vec<Pushed> {
        let s = self.lock();
        let records = s.records("tasks");
        let pushed = records.iter().map(|t| Pushed {
            text: t.properties["hs_task_subject"].as_str().unwrap_or_default().to_owned(),
            account: s.associated("tasks", t.id, "companies").first().map(u64::to_string),
            contacts: Vec::new(),
            done: t.properties["hs_task_status"] == "COMPLETED",
        });
        pushed.collect()
    }

    fn inject(&self, faults: Vec<Fault>) {
        self.lock().faults.extend(faults);
    }

    fn clear_faults(&self) {
        let mut s = self.lock();
        s.faults.clear();
        s.aimed.clear();
        s.expired = false;
    }

    fn revoke(&self) {
        self.lock().expired = true;
    }

    fn owner(&self) -> String {
        "7001".into()
    }

    fn close_urgent_ticket(&self, account: &str) {
        let mut s = self.lock();
        let ticket = s
            .records("tickets")
            .iter()
            .find(|t| {
                t.properties["hs_ticket_priority"] == "HIGH"
                    && s.associated("tickets", t.id, "companies") == [id(account)]
            })
            .map(|t| t.id)
            .expect("an urgent ticket");
        s.update("tickets", ticket, json!({ "closed_date": "2026-11-20T00:00:00.000Z" }));
    }

    fn set_upsell_amount(&self, amount: &str) {
        let mut s = self.lock();
        let deal =
            s.records("deals").iter().find(|d| d.properties["dealname"] == "Expansion: 20 more seats").map(|d| d.id);
        s.update("deals", deal.expect("an upsell"), json!({ "amount": amount }));
    }

    fn close_first_renewal(&self, won: bool, amount: &str) {
        let mut s = self.lock();
        let deal =
            s.records("deals").iter().find(|d| d.properties["dealname"] == "Renewal 2027 — Northwind 1").map(|d| d.id);
        let stage = if won { "closedwon" } else { "closedlost" };
        let closed = json!({ "dealstage": stage, "hs_is_closed": "true", "hs_is_closed_won": won.to_string(),
                             "amount": amount, "deal_currency_code": "USD", "hs_deal_stage_probability": if won { "1" } else { "0" } });
        s.update("deals", deal.expect("a renewal"), closed);
    }
}

scenarios!(FakeHubSpot);

#[test]
fn a_renewal_won_in_hubspot_is_suggested_as_an_expansion_and_never_applied() {
    crate::scenarios::a_closed_renewal_deal_is_suggested_as_an_outcome_and_never_applied::<FakeHubSpot>(true);
}

#[test]
fn searches_are_sliced_below_the_result_cap() {
    let fake = FakeHubSpot::start(TOKEN);
    fake.seed(1_300, 0);
    fake.lock().search_cap = 500;
    let (book, hs) = (book(), hubspot(&fake, TOKEN, Arc::default()).with_search_cap(500));
    let run = sync(&book, &hs);
    assert_eq!((run.status.as_str(), run.pulled), ("done", 1_300), "{:?}", run.errors);
}
