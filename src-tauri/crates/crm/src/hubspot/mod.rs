//! The HubSpot connector (date-versioned CRM API 2026-03): pulls companies and contacts changed
//! since a watermark through search, sliced so the 10,000-result cap is never hit, reads
//! contact→company associations in bulk, and pushes notes and tasks idempotently (upsert by our
//! own id in the `csm_local_id` property, so a retried push never makes a second record).

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use csm_core::model::{RemoteRecord, SyncEntity};
use csm_core::store::{PushNote, PushTask};
use reqwest::Method;
use serde_json::{json, Value};

pub use crate::connector::FieldMap;
use crate::connector::{Connector, OnDeals, OnPage, Owner, Page, Pushed};
use crate::fields::instant;
use crate::http::{Dialect, Http, Limit, Limits};
use crate::{CrmError, CrmSystem};

pub const VERSION: &str = "2026-03";
/// Search pages hold at most 200 results; one query reaches at most 10,000.
const PAGE: usize = 200;
pub const SEARCH_CAP: usize = 10_000;
/// A cursor that keeps going past this many pages is broken, not a big book.
const MAX_PAGES: usize = 5_000;
/// Search lags writes by a few seconds: each pull starts a little before the watermark.
const OVERLAP_MS: i64 = 5 * 60 * 1000;

pub mod read;

/// How HubSpot words its limits: a 429 whose policy is `DAILY` stops the run until tomorrow
/// (the ten-second one is waited out like any 429).
pub struct Words;

impl Dialect for Words {
    fn name(&self) -> &'static str {
        "HubSpot"
    }

    fn limit(&self, status: reqwest::StatusCode, body: &str) -> Option<Limit> {
        let policy = serde_json::from_str::<Value>(body).ok()?["policyName"].as_str().map(str::to_owned)?;
        (status == reqwest::StatusCode::TOO_MANY_REQUESTS && policy.starts_with("DAILY")).then_some(Limit::Daily)
    }
}

pub struct HubSpot {
    http: Http,
    map: FieldMap,
    /// Only companies owned by this HubSpot user (None: all companies).
    owner: Option<String>,
    /// Owner ids to names, read at the start of a pull.
    owner_names: parking_lot::Mutex<BTreeMap<String, Owner>>,
    /// The search cap (10,000; lower in tests to exercise the slicing).
    search_cap: usize,
}

impl HubSpot {
    /// A connection to the portal at `base` with a private-app token or Service Key (built like
    /// `Salesforce::new`: credentials, field map, limits, cancel switch).
    pub fn new(
        base: &str,
        token: &str,
        map: FieldMap,
        limits: Limits,
        cancel: Arc<AtomicBool>,
    ) -> Result<HubSpot, CrmError> {
        let http = Http::new(base, token, limits, cancel)?.speaking(Arc::new(Words));
        Ok(HubSpot { http, map, owner: None, owner_names: Default::default(), search_cap: SEARCH_CAP })
    }

    /// Only the companies of one HubSpot user (None: every company).
    pub fn scoped_to(self, owner: Option<String>) -> HubSpot {
        HubSpot { owner, ..self }
    }

    /// A lower search cap than HubSpot's 10,000 (tests exercise the slicing with it).
    pub fn with_search_cap(self, search_cap: usize) -> HubSpot {
        HubSpot { search_cap, ..self }
    }

    /// Checks the token with the cheapest read there is.
    pub fn test_connection(&self) -> Result<(), CrmError> {
        self.http.json(Method::GET, &format!("/crm/objects/{VERSION}/companies?limit=1"), None).map(|_| ())
    }

    fn company_properties(&self) -> Vec<String> {
        let mut list: Vec<String> =
            ["name", "domain", "industry", "numberofemployees", "hubspot_owner_id", "hs_lastmodifieddate"]
                .map(str::to_owned)
                .to_vec();
        for custom in self.map.names() {
            if !list.contains(custom) {
                list.push(custom.clone());
            }
        }
        list
    }

    /// The portal's users who own records: id → name (or email).
    pub fn owners(&self) -> Result<BTreeMap<String, Owner>, CrmError> {
        let mut out = BTreeMap::new();
        let mut after: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let cursor = after.as_deref().map(|a| format!("&after={a}")).unwrap_or_default();
            let response = self.http.json(Method::GET, &format!("/crm/owners/{VERSION}?limit=100{cursor}"), None)?;
            for owner in response["results"].as_array().into_iter().flatten().filter_map(read::owner) {
                out.insert(owner.id.clone(), owner);
            }
            match response["paging"]["next"]["after"].as_str() {
                Some(next) if after.as_deref() != Some(next) => after = Some(next.to_owned()),
                _ => return Ok(out),
            }
        }
        Ok(out)
    }

    fn company(&self, raw: &Value) -> Result<RemoteRecord, String> {
        read::company(&self.map, &self.owner_names.lock(), raw)
    }

    /// Pages through everything of `object` modified since `since`, in ascending order of
    /// modification. Near the search cap the query restarts from the last timestamp seen, so no
    /// query pages past 10,000 results; records seen twice at the boundary are passed once.
    #[allow(clippy::too_many_arguments)]
    fn search(
        &self,
        object: &str,
        modified: &str,
        properties: &[String],
        extra: &[Value],
        since: Option<DateTime<Utc>>,
        on_page: &mut dyn FnMut(Vec<Value>) -> Result<(), CrmError>,
    ) -> Result<(), CrmError> {
        let mut floor = since.map(|t| t.timestamp_millis() - OVERLAP_MS);
        let mut after = 0usize;
        let mut seen: HashSet<String> = HashSet::new();
        let mut last_seen: Option<i64> = None;
        for _ in 0..MAX_PAGES {
            let mut group: Vec<Value> = extra.to_vec();
            if let Some(f) = floor {
                group.push(json!({ "propertyName": modified, "operator": "GTE", "value": f.to_string() }));
            }
            let filters = if group.is_empty() { Vec::new() } else { vec![json!({ "filters": group })] };
            let body = json!({
                "filterGroups": filters,
                "sorts": [{ "propertyName": modified, "direction": "ASCENDING" }],
                "properties": properties,
                "limit": PAGE,
                "after": after.to_string(),
            });
            let response =
                self.http.json(Method::POST, &format!("/crm/objects/{VERSION}/{object}/search"), Some(&body))?;
            let results = response["results"]
                .as_array()
                .ok_or_else(|| CrmError::Malformed(format!("HubSpot's {object} search reply has no results list.")))?;
            let mut page = Vec::new();
            for raw in results {
                let id = raw["id"].as_str().unwrap_or_default().to_owned();
                if let Some(ms) = instant(&raw["properties"][modified]).map(|t| t.timestamp_millis()) {
                    last_seen = Some(last_seen.map_or(ms, |l| l.max(ms)));
                }
                if id.is_empty() || seen.insert(id) {
                    page.push(raw.clone());
                }
            }
            on_page(page)?;
            let Some(next) = response["paging"]["next"]["after"].as_str() else { return Ok(()) };
            let next: usize = next.parse().map_err(|_| {
                CrmError::Malformed(format!("HubSpot's {object} search returned a cursor that is not an offset."))
            })?;
            if (next <= after && next != 0) || (next == 0 && after == 0 && results.is_empty()) {
                return Err(CrmError::Malformed(format!(
                    "HubSpot's {object} search kept paging without end; the sync stopped."
                )));
            }
            if next + PAGE > self.search_cap {
                // Restart from the latest modification seen; it must move, or the slice cannot shrink.
                match last_seen {
                    Some(ts) if floor.is_none_or(|f| ts > f) => {
                        floor = Some(ts);
                        after = 0;
                    }
                    _ => {
                        return Err(CrmError::Malformed(format!(
                            "More than {} {object} share one modification time; the sync cannot page through them.",
                            self.search_cap
                        )))
                    }
                }
            } else {
                after = next;
            }
        }
        Err(CrmError::Malformed(format!("HubSpot's {object} search kept paging without end; the sync stopped.")))
    }

    /// Companies modified since `since`, a page at a time.
    pub fn pull_companies(&self, since: Option<DateTime<Utc>>, on_page: OnPage) -> Result<(), CrmError> {
        let properties = self.company_properties();
        let scope: Vec<Value> = self
            .owner
            .iter()
            .map(|o| json!({ "propertyName": "hubspot_owner_id", "operator": "EQ", "value": o }))
            .collect();
        self.search("companies", "hs_lastmodifieddate", &properties, &scope, since, &mut |raw| {
            on_page(raw.iter().map(|r| self.company(r)).collect())
        })
    }

    /// The companies of a page of contacts or tickets, read in one request.
    fn companies_of(&self, object: &str, ids: &[String]) -> Result<BTreeMap<String, String>, CrmError> {
        if ids.is_empty() {
            return Ok(BTreeMap::new());
        }
        let inputs: Vec<Value> = ids.iter().map(|id| json!({ "id": id })).collect();
        let response = self.http.json(
            Method::POST,
            &format!("/crm/associations/{VERSION}/{object}/companies/batch/read"),
            Some(&json!({ "inputs": inputs })),
        )?;
        let mut out = BTreeMap::new();
        for result in response["results"].as_array().into_iter().flatten() {
            let from = result["from"]["id"].as_str().unwrap_or_default();
            let to = result["to"].as_array().and_then(|t| t.first()).map(|t| match &t["toObjectId"] {
                Value::Number(n) => n.to_string(),
                Value::String(s) => s.clone(),
                _ => String::new(),
            });
            if let Some(to) = to.filter(|t| !t.is_empty()) {
                out.insert(from.to_owned(), to);
            }
        }
        Ok(out)
    }

    /// Contacts modified since `since` with their company, a page at a time. A contact with no
    /// company is left out (the book files people under accounts).
    pub fn pull_contacts(&self, since: Option<DateTime<Utc>>, on_page: OnPage) -> Result<(), CrmError> {
        let properties: Vec<String> =
            ["firstname", "lastname", "email", "jobtitle", "phone", "lastmodifieddate"].map(str::to_owned).to_vec();
        self.search("contacts", "lastmodifieddate", &properties, &[], since, &mut |raw| {
            let ids: Vec<String> = raw.iter().filter_map(|r| r["id"].as_str().map(str::to_owned)).collect();
            let companies = self.companies_of("contacts", &ids)?;
            let mut page: Page =
                raw.iter().map(|r| read::contact(r, r["id"].as_str().and_then(|id| companies.get(id)))).collect();
            page.records.retain(|r| r.parent_remote_id.is_some());
            on_page(page)
        })
    }

    /// Deals (renewals, upsells) modified since `since`, with their company, a page at a time.
    pub fn pull_deals(&self, since: Option<DateTime<Utc>>, on_page: OnDeals) -> Result<(), CrmError> {
        let properties: Vec<String> = [
            "dealname",
            "amount",
            "deal_currency_code",
            "closedate",
            "dealstage",
            "pipeline",
            "dealtype",
            "hs_is_closed",
            "hs_is_closed_won",
            "hs_deal_stage_probability",
            "hs_lastmodifieddate",
        ]
        .map(str::to_owned)
        .to_vec();
        self.search("deals", "hs_lastmodifieddate", &properties, &[], since, &mut |raw| {
            let ids: Vec<String> = raw.iter().filter_map(|r| r["id"].as_str().map(str::to_owned)).collect();
            let companies = self.companies_of("deals", &ids)?;
            let (mut deals, mut rejected) = (Vec::new(), Vec::new());
            for r in &raw {
                let Some(company) = r["id"].as_str().and_then(|id| companies.get(id)) else { continue };
                match read::deal(r, company) {
                    Ok(d) => deals.push(d),
                    Err(why) => rejected.push(why),
                }
            }
            on_page(deals, rejected)
        })
    }

    /// Open tickets per company (open, urgent): tickets with no close date; HIGH or URGENT
    /// priority counts as critical. Read whole each run: it is a count of what is open now.
    pub fn open_tickets(&self) -> Result<BTreeMap<String, (u32, u32)>, CrmError> {
        let properties: Vec<String> =
            ["hs_ticket_priority", "closed_date", "hs_lastmodifieddate"].map(str::to_owned).to_vec();
        let open = [json!({ "propertyName": "closed_date", "operator": "NOT_HAS_PROPERTY" })];
        let mut counts: BTreeMap<String, (u32, u32)> = BTreeMap::new();
        self.search("tickets", "hs_lastmodifieddate", &properties, &open, None, &mut |raw| {
            let ids: Vec<String> = raw.iter().filter_map(|r| r["id"].as_str().map(str::to_owned)).collect();
            let companies = self.companies_of("tickets", &ids)?;
            for r in &raw {
                let Some(company) = r["id"].as_str().and_then(|id| companies.get(id)) else { continue };
                let urgent = read::critical_ticket(r);
                let entry = counts.entry(company.clone()).or_default();
                entry.0 += 1;
                entry.1 += u32::from(urgent);
            }
            Ok(())
        })?;
        Ok(counts)
    }

    /// Companies or contacts archived in HubSpot (search never returns them): listed, to archive
    /// locally what the book has (a company is archived; a person is marked as having left).
    pub fn archived(&self, object: &str, on_page: OnPage) -> Result<(), CrmError> {
        let (modified, entity) = match object {
            "contacts" => ("lastmodifieddate", SyncEntity::Contact),
            _ => ("hs_lastmodifieddate", SyncEntity::Account),
        };
        let mut after: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let cursor = after.as_deref().map(|a| format!("&after={a}")).unwrap_or_default();
            let path =
                format!("/crm/objects/{VERSION}/{object}?archived=true&limit=100&properties=name,{modified}{cursor}");
            let response = self.http.json(Method::GET, &path, None)?;
            let results = response["results"].as_array().ok_or_else(|| {
                CrmError::Malformed(format!("HubSpot's archived {object} reply has no results list."))
            })?;
            let page = results.iter().map(|raw| {
                let record = match entity {
                    SyncEntity::Account => self.company(raw),
                    SyncEntity::Contact => read::contact(raw, None),
                };
                record.map(|record| RemoteRecord { archived: true, fields: BTreeMap::new(), ..record })
            });
            on_page(page.collect())?;
            match response["paging"]["next"]["after"].as_str() {
                Some(next) if after.as_deref() == Some(next) => break,
                Some(next) => after = Some(next.to_owned()),
                None => return Ok(()),
            }
        }
        Err(CrmError::Malformed(format!("HubSpot's archived {object} kept paging without end; the sync stopped.")))
    }

    /// Creates or updates one engagement by our own id (idempotent) and files it under the
    /// company and contacts. Returns HubSpot's id.
    fn upsert(
        &self,
        object: &str,
        local_id: &str,
        mut properties: Value,
        associate: &[(&str, &str)],
    ) -> Result<String, CrmError> {
        properties["csm_local_id"] = json!(local_id);
        let body = json!({ "inputs": [{ "idProperty": "csm_local_id", "id": local_id, "objectWriteTraceId": local_id, "properties": properties }] });
        let response =
            self.http.json(Method::POST, &format!("/crm/objects/{VERSION}/{object}/batch/upsert"), Some(&body))?;
        let remote = response["results"][0]["id"]
            .as_str()
            .ok_or_else(|| CrmError::Malformed(format!("HubSpot did not return the {object} it saved.")))?
            .to_owned();
        for (to, id) in associate {
            let path = format!("/crm/objects/{VERSION}/{object}/{remote}/associations/default/{to}/{id}");
            self.http.json(Method::PUT, &path, None)?;
        }
        Ok(remote)
    }

    pub fn push_note(&self, note: &PushNote) -> Result<String, CrmError> {
        let body = format!(
            "<p><strong>{}</strong></p><p>{}</p>",
            escape(&note.title),
            escape(&note.body_md).replace('\n', "<br>")
        );
        let properties = json!({ "hs_timestamp": note.occurred_at.to_rfc3339(), "hs_note_body": body });
        let mut to = vec![("companies", note.account_remote_id.as_str())];
        to.extend(note.contact_remote_ids.iter().map(|c| ("contacts", c.as_str())));
        self.upsert("notes", &note.local_id, properties, &to)
    }

    pub fn push_task(&self, task: &PushTask) -> Result<String, CrmError> {
        let due = task.due_date.and_then(|d| d.and_hms_opt(9, 0, 0)).map(|t| t.and_utc()).unwrap_or_else(Utc::now);
        let priority = match task.priority.as_str() {
            "high" => "HIGH",
            "low" => "LOW",
            _ => "MEDIUM",
        };
        let properties = json!({
            "hs_timestamp": due.to_rfc3339(),
            "hs_task_subject": task.title,
            "hs_task_body": escape(&task.details),
            "hs_task_status": if task.done { "COMPLETED" } else { "NOT_STARTED" },
            "hs_task_priority": priority,
            "hs_task_type": "TODO",
        });
        self.upsert("tasks", &task.local_id, properties, &[("companies", task.account_remote_id.as_str())])
    }
}

/// One push at a time (an upsert, then its associations); a refusal fails only its own item.
fn each<T>(items: &[T], push: impl Fn(&T) -> Result<String, CrmError>) -> Result<Pushed, CrmError> {
    items
        .iter()
        .map(|item| match push(item) {
            Ok(id) => Ok(Ok(id)),
            Err(e @ (CrmError::Rejected(..) | CrmError::Malformed(_))) => Ok(Err(e.to_string())),
            Err(other) => Err(other),
        })
        .collect()
}

impl Connector for HubSpot {
    fn system(&self) -> CrmSystem {
        CrmSystem::Hubspot
    }

    fn http(&self) -> &Http {
        &self.http
    }

    fn test_connection(&self) -> Result<(), CrmError> {
        HubSpot::test_connection(self)
    }

    fn owners(&self) -> Result<BTreeMap<String, Owner>, CrmError> {
        HubSpot::owners(self)
    }

    fn scoped(&self) -> bool {
        self.owner.is_some()
    }

    fn prepare(&self) -> Result<(), CrmError> {
        *self.owner_names.lock() = HubSpot::owners(self)?;
        Ok(())
    }

    fn pull_accounts(&self, since: Option<DateTime<Utc>>, on_page: OnPage) -> Result<(), CrmError> {
        self.pull_companies(since, on_page)
    }

    fn pull_contacts(&self, since: Option<DateTime<Utc>>, on_page: OnPage) -> Result<(), CrmError> {
        HubSpot::pull_contacts(self, since, on_page)
    }

    fn pull_deals(&self, since: Option<DateTime<Utc>>, on_deals: OnDeals) -> Result<(), CrmError> {
        HubSpot::pull_deals(self, since, on_deals)
    }

    fn open_tickets(&self) -> Result<BTreeMap<String, (u32, u32)>, CrmError> {
        HubSpot::open_tickets(self)
    }

    /// HubSpot lists what is archived (search never shows it); all of it, each run.
    fn removed(
        &self,
        entity: SyncEntity,
        _since: Option<DateTime<Utc>>,
        _known: &HashSet<String>,
        on_page: OnPage,
    ) -> Result<Option<DateTime<Utc>>, CrmError> {
        let object = match entity {
            SyncEntity::Account => "companies",
            SyncEntity::Contact => "contacts",
        };
        self.archived(object, on_page)?;
        Ok(None)
    }

    fn push_batch(&self) -> usize {
        1
    }

    fn push_notes(&self, notes: &[PushNote]) -> Result<Pushed, CrmError> {
        each(notes, |n| self.push_note(n))
    }

    fn push_tasks(&self, tasks: &[PushTask]) -> Result<Pushed, CrmError> {
        each(tasks, |t| self.push_task(t))
    }
}

/// Note text goes to HubSpot as HTML: the CSM's words are escaped, never markup.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use csm_core::model::SyncField;

    use super::*;

    fn hubspot() -> HubSpot {
        let map = FieldMap { arr: "arr".into(), ..FieldMap::hubspot() };
        HubSpot::new("http://127.0.0.1:9", "t", map, Limits::default(), Default::default()).unwrap()
    }

    #[test]
    fn a_company_maps_to_the_forms_words() {
        let raw = json!({ "id": "512", "archived": false, "properties": {
            "name": " Acme ", "domain": "acme.com", "arr": "120000.0", "renewal_date": "1767225600000",
            "cs_segment": "High touch", "licences_purchased": "250", "hs_lastmodifieddate": "2026-05-01T10:00:00.000Z" } });
        let r = hubspot().company(&raw).unwrap();
        assert_eq!(r.fields[&SyncField::Name], "Acme");
        assert_eq!(r.fields[&SyncField::Arr], "120000");
        assert_eq!(r.fields[&SyncField::RenewalDate], "2026-01-01");
        assert_eq!(r.fields[&SyncField::Segment], "high_touch");
        assert_eq!(r.modified_at.to_rfc3339(), "2026-05-01T10:00:00+00:00");
    }

    #[test]
    fn odd_records_are_refused_with_the_reason_not_guessed() {
        let hs = hubspot();
        assert!(hs.company(&json!({ "properties": {} })).is_err());
        assert!(hs.company(&json!({ "id": "1", "properties": { "hs_lastmodifieddate": "yesterday" } })).is_err());
        let unknown = json!({ "id": "2", "properties": { "cs_segment": "platinum", "arr": "a lot", "hs_lastmodifieddate": "1746093600000" } });
        let r = hs.company(&unknown).unwrap();
        assert!(!r.fields.contains_key(&SyncField::Segment), "an unknown segment is not guessed");
        assert_eq!(r.fields[&SyncField::Arr], "a lot", "passed on for the forms to refuse");
    }

    #[test]
    fn note_text_is_escaped() {
        assert_eq!(escape("<script>&\""), "&lt;script&gt;&amp;&quot;");
    }

    #[test]
    fn only_the_daily_policy_stops_a_run() {
        let daily = r#"{"status":"error","message":"You have reached your daily limit.","policyName":"DAILY"}"#;
        let ten = r#"{"status":"error","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"}"#;
        assert_eq!(Words.limit(reqwest::StatusCode::TOO_MANY_REQUESTS, daily), Some(Limit::Daily));
        assert_eq!(Words.limit(reqwest::StatusCode::TOO_MANY_REQUESTS, ten), None, "waited out as any 429");
        assert_eq!(Words.limit(reqwest::StatusCode::OK, daily), None);
    }
}
