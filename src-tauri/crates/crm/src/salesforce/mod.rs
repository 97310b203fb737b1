//! The Salesforce connector (REST API v67.0): SOQL pulls ordered by `SystemModstamp, Id` from a
//! watermark, following `nextRecordsUrl`; removals from the deleted-records endpoint (a full id
//! reconcile when the watermark is older than its 15-day window); pushes as one sObject
//! Collections upsert per 200 items, keyed by our own id in the external-id field
//! `CSM_Local_Id__c`, so a repeated push updates instead of duplicating. Access tokens are renewed
//! once on `INVALID_SESSION_ID` through [`Session`]; the rotated refresh token is kept first.

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use parking_lot::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use csm_core::model::{RemoteRecord, SyncEntity};
use csm_core::store::{PushNote, PushTask};
use reqwest::{Method, Url};
use serde_json::{json, Value};

use crate::connector::{Connector, FieldMap, OnDeals, OnPage, Owner, Pushed};
use crate::fields::{instant, text};
use crate::http::{error_code, message_of, Auth, Dialect, Http, Limit, Limits};
use crate::oauth::{self, Tokens};
use crate::{CrmError, CrmSystem};
use read::id_of;

pub const API: &str = "v67.0";
/// The external-id field on Task that carries our own id (it must exist, External ID + Unique).
pub const EXTERNAL_ID: &str = "CSM_Local_Id__c";
/// sObject Collections take at most 200 records per request.
pub const COLLECTION_MAX: usize = 200;
/// The deleted-records endpoint reaches back at most 15 days.
pub const DELETED_WINDOW_DAYS: i64 = 15;
/// Changes committed out of order can carry a slightly older `SystemModstamp`: overlap a little.
const OVERLAP_MS: i64 = 5 * 60 * 1000;
/// A query that keeps paging past this many batches is broken, not a big org.
const MAX_PAGES: usize = 20_000;

/// Keeps rotated tokens (the OS keychain in the app) before they are used.
pub type KeepTokens = Box<dyn Fn(&Tokens) -> Result<(), CrmError> + Send + Sync>;

/// The signed-in session: tokens, and how to keep rotated ones.
pub struct Session {
    login: String,
    client_id: String,
    tokens: Mutex<Tokens>,
    keep: KeepTokens,
    renewing: Mutex<()>,
    /// Rotated tokens the keychain did not take yet: kept here and offered again.
    unkept: std::sync::atomic::AtomicBool,
}

impl Session {
    pub fn new(login: &str, client_id: &str, tokens: Tokens, keep: KeepTokens) -> Arc<Session> {
        Arc::new(Session {
            login: login.to_owned(),
            client_id: client_id.to_owned(),
            tokens: Mutex::new(tokens),
            keep,
            renewing: Mutex::new(()),
            unkept: std::sync::atomic::AtomicBool::new(false),
        })
    }

    pub fn tokens(&self) -> Tokens {
        self.tokens.lock().clone()
    }

    pub fn refresh_token(&self) -> String {
        self.tokens().refresh_token
    }

    /// Hands the current tokens to the keychain; on failure they stay in memory, marked to be
    /// offered again (the old refresh token no longer works, so the new one is never dropped).
    fn keep_current(&self) {
        use std::sync::atomic::Ordering;
        match (self.keep)(&self.tokens()) {
            Ok(()) => self.unkept.store(false, Ordering::SeqCst),
            Err(err) => {
                log::warn!("the renewed Salesforce sign-in could not be kept in the keychain ({err}); kept in memory, retrying");
                self.unkept.store(true, Ordering::SeqCst);
            }
        }
    }
}

impl Auth for Session {
    fn bearer(&self) -> String {
        if self.unkept.load(std::sync::atomic::Ordering::SeqCst) {
            self.keep_current();
        }
        self.tokens().access_token
    }

    /// One refresh at a time: a request that waited finds the token already renewed. The new
    /// tokens replace the old at once (the old refresh token now fails), then go to the keychain.
    fn renew(&self, refused: &str) -> Result<(), CrmError> {
        let _one = self.renewing.lock();
        let current = self.tokens();
        if current.access_token != refused {
            return Ok(());
        }
        let fresh = oauth::refresh(&self.login, &self.client_id, &current.refresh_token)?;
        *self.tokens.lock() = fresh;
        self.keep_current();
        Ok(())
    }
}

/// Salesforce has no per-second budget for these calls (its limit is a daily allocation); stay
/// gentle anyway.
/// How Salesforce words its limits: `REQUEST_LIMIT_EXCEEDED` (HTTP 403) both for too many long
/// requests at once (wait and retry) and for the rolling daily allocation (stop); usage comes in
/// `Sforce-Limit-Info`.
pub struct Words;

impl Dialect for Words {
    fn name(&self) -> &'static str {
        "Salesforce"
    }

    fn limit(&self, _: reqwest::StatusCode, body: &str) -> Option<Limit> {
        (error_code(body)? == "REQUEST_LIMIT_EXCEEDED").then(|| {
            if body.contains("Concurrent") {
                Limit::Busy
            } else {
                Limit::Daily
            }
        })
    }

    fn usage_header(&self) -> Option<&'static str> {
        Some("sforce-limit-info")
    }
}

pub fn limits() -> Limits {
    Limits { per_window: 25, window: Duration::from_secs(1), ..Limits::default() }
}

pub mod read;

pub struct Salesforce {
    http: Http,
    map: FieldMap,
    /// Only accounts owned by this Salesforce user (None: all accounts).
    owner: Option<String>,
}

/// A SOQL string literal.
fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// A SOQL dateTime literal (whole seconds; the overlap covers the rest).
fn soql_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn encoded(name: &str, value: &str) -> String {
    let mut url = Url::parse("http://x/").expect("valid");
    url.query_pairs_mut().append_pair(name, value);
    url.query().unwrap_or_default().to_owned()
}

/// "https://www.acme.com/about" → "acme.com".
fn clip(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

impl Salesforce {
    pub fn new(
        session: Arc<Session>,
        map: FieldMap,
        limits: Limits,
        cancel: Arc<AtomicBool>,
    ) -> Result<Self, CrmError> {
        let base = session.tokens().instance_url;
        let http = Http::with_auth(&base, session, limits, cancel)?.speaking(Arc::new(Words));
        Ok(Salesforce { http, map, owner: None })
    }

    /// Only the accounts of one Salesforce user (None: every account).
    pub fn scoped_to(self, owner: Option<String>) -> Salesforce {
        Salesforce { owner, ..self }
    }

    /// Runs a SOQL query, passing each batch on; ids seen in an earlier batch are passed once.
    fn query(&self, soql: &str, on_batch: &mut dyn FnMut(Vec<Value>) -> Result<(), CrmError>) -> Result<(), CrmError> {
        let mut path = format!("/services/data/{API}/query?{}", encoded("q", soql));
        let (mut visited, mut seen) = (HashSet::new(), HashSet::new());
        for _ in 0..MAX_PAGES {
            let reply = self.http.json(Method::GET, &path, None)?;
            let records = reply["records"]
                .as_array()
                .ok_or_else(|| CrmError::Malformed("Salesforce's query reply has no records list.".into()))?;
            let fresh: Vec<Value> =
                records.iter().filter(|r| id_of(r).is_none_or(|id| seen.insert(id.to_owned()))).cloned().collect();
            on_batch(fresh)?;
            if reply["done"].as_bool() != Some(false) {
                return Ok(());
            }
            let next = reply["nextRecordsUrl"]
                .as_str()
                .filter(|n| n.starts_with("/services/data/"))
                .ok_or_else(|| CrmError::Malformed("Salesforce said there is more but gave no next page.".into()))?;
            if !visited.insert(next.to_owned()) {
                break;
            }
            path = next.to_owned();
        }
        Err(CrmError::Malformed("Salesforce's query kept paging without end; the sync stopped.".into()))
    }

    /// `WHERE` conditions: always `fixed`, plus the watermark (minus the overlap) and the scope.
    fn conditions(&self, fixed: &[&str], since: Option<DateTime<Utc>>, owner_field: Option<&str>) -> String {
        let mut all: Vec<String> = fixed.iter().map(|c| (*c).to_owned()).collect();
        if let Some(since) = since {
            let from = since - chrono::Duration::milliseconds(OVERLAP_MS);
            all.push(format!("SystemModstamp >= {}", soql_time(from)));
        }
        if let (Some(field), Some(owner)) = (owner_field, &self.owner) {
            all.push(format!("{field} = {}", quote(owner)));
        }
        if all.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", all.join(" AND "))
        }
    }

    fn account_fields(&self) -> Vec<String> {
        let mut list: Vec<String> =
            ["Id", "Name", "Website", "Industry", "NumberOfEmployees", "OwnerId", "Owner.Name", "SystemModstamp"]
                .map(str::to_owned)
                .to_vec();
        for custom in self.map.names() {
            if !list.contains(custom) {
                list.push(custom.clone());
            }
        }
        list
    }

    fn account(&self, raw: &Value) -> Result<RemoteRecord, String> {
        read::account(&self.map, raw)
    }

    /// Every id of an sObject, to find what was removed when the deleted-records window no longer
    /// reaches back to the last sync.
    fn reconcile(
        &self,
        sobject: &str,
        entity: SyncEntity,
        known: &HashSet<String>,
        on_page: OnPage,
    ) -> Result<Option<DateTime<Utc>>, CrmError> {
        let now = Utc::now();
        let mut present = HashSet::new();
        self.query(&format!("SELECT Id FROM {sobject}"), &mut |batch| {
            present.extend(batch.iter().filter_map(|r| id_of(r).map(str::to_owned)));
            Ok(())
        })?;
        on_page(known.iter().filter(|id| !present.contains(*id)).map(|id| Ok(removed(entity, id, now))).collect())?;
        Ok(Some(now))
    }

    fn upsert_tasks(&self, records: Vec<Value>) -> Result<Pushed, CrmError> {
        let count = records.len();
        let body = json!({ "allOrNone": false, "records": records });
        let path = format!("/services/data/{API}/composite/sobjects/Task/{EXTERNAL_ID}");
        let reply = self.http.json(Method::PATCH, &path, Some(&body))?;
        let results = reply
            .as_array()
            .filter(|r| r.len() == count)
            .ok_or_else(|| CrmError::Malformed("Salesforce's reply does not account for every item pushed.".into()))?;
        Ok(results
            .iter()
            .map(|r| match (r["success"].as_bool(), r["id"].as_str()) {
                (Some(true), Some(id)) => Ok(id.to_owned()),
                _ => Err(format!("Salesforce refused it: {}", message_of(&r["errors"].to_string()))),
            })
            .collect())
    }
}

fn removed(entity: SyncEntity, id: &str, at: DateTime<Utc>) -> RemoteRecord {
    RemoteRecord {
        entity,
        remote_id: id.to_owned(),
        parent_remote_id: None,
        modified_at: at,
        archived: true,
        fields: BTreeMap::new(),
    }
}

impl Connector for Salesforce {
    fn system(&self) -> CrmSystem {
        CrmSystem::Salesforce
    }

    fn http(&self) -> &Http {
        &self.http
    }

    /// One query that proves the session and that every mapped field exists on Account.
    fn test_connection(&self) -> Result<(), CrmError> {
        let fields: Vec<&str> = std::iter::once("Id").chain(self.map.names().map(String::as_str)).collect();
        self.query(&format!("SELECT {} FROM Account LIMIT 1", fields.join(", ")), &mut |_| Ok(()))
    }

    fn owners(&self) -> Result<BTreeMap<String, Owner>, CrmError> {
        let mut out = BTreeMap::new();
        self.query("SELECT Id, Name, Email FROM User WHERE IsActive = true ORDER BY Name", &mut |batch| {
            for u in batch {
                let Some(id) = id_of(&u) else { continue };
                let (name, email) = (text(&u, "Name"), text(&u, "Email"));
                let name = if name.is_empty() { email.clone() } else { name };
                out.insert(id.to_owned(), Owner { id: id.to_owned(), name, email });
            }
            Ok(())
        })?;
        Ok(out)
    }

    fn scoped(&self) -> bool {
        self.owner.is_some()
    }

    fn pull_accounts(&self, since: Option<DateTime<Utc>>, on_page: OnPage) -> Result<(), CrmError> {
        let soql = format!(
            "SELECT {} FROM Account{} ORDER BY SystemModstamp, Id",
            self.account_fields().join(", "),
            self.conditions(&[], since, Some("OwnerId"))
        );
        self.query(&soql, &mut |batch| on_page(batch.iter().map(|raw| self.account(raw)).collect()))
    }

    fn pull_contacts(&self, since: Option<DateTime<Utc>>, on_page: OnPage) -> Result<(), CrmError> {
        let soql = format!(
            "SELECT Id, FirstName, LastName, Email, Title, Phone, AccountId, SystemModstamp FROM Contact{} \
             ORDER BY SystemModstamp, Id",
            self.conditions(&["AccountId != null"], since, Some("Account.OwnerId"))
        );
        self.query(&soql, &mut |batch| on_page(batch.iter().map(read::contact).collect()))
    }

    fn pull_deals(&self, since: Option<DateTime<Utc>>, on_deals: OnDeals) -> Result<(), CrmError> {
        let soql = format!(
            "SELECT Id, AccountId, Name, Amount, CloseDate, StageName, Type, IsClosed, IsWon, ForecastCategoryName, \
             Probability, SystemModstamp \
             FROM Opportunity{} ORDER BY SystemModstamp, Id",
            self.conditions(&["AccountId != null"], since, Some("Account.OwnerId"))
        );
        self.query(&soql, &mut |batch| {
            let (mut deals, mut rejected) = (Vec::new(), Vec::new());
            for raw in &batch {
                match read::deal(raw) {
                    Ok(d) => deals.push(d),
                    Err(why) => rejected.push(why),
                }
            }
            on_deals(deals, rejected)
        })
    }

    /// Open cases per account; High or Critical priority counts as urgent.
    fn open_tickets(&self) -> Result<BTreeMap<String, (u32, u32)>, CrmError> {
        let mut counts: BTreeMap<String, (u32, u32)> = BTreeMap::new();
        let soql = format!(
            "SELECT Id, AccountId, Priority FROM Case{}",
            self.conditions(&["IsClosed = false", "AccountId != null"], None, Some("Account.OwnerId"))
        );
        self.query(&soql, &mut |batch| {
            for case in &batch {
                let urgent = read::critical_case(case);
                let entry = counts.entry(text(case, "AccountId")).or_default();
                entry.0 += 1;
                entry.1 += u32::from(urgent);
            }
            Ok(())
        })?;
        Ok(counts)
    }

    fn removed(
        &self,
        entity: SyncEntity,
        since: Option<DateTime<Utc>>,
        known: &HashSet<String>,
        on_page: OnPage,
    ) -> Result<Option<DateTime<Utc>>, CrmError> {
        let now = Utc::now();
        let sobject = match entity {
            SyncEntity::Account => "Account",
            SyncEntity::Contact => "Contact",
        };
        if known.is_empty() {
            return Ok(Some(now));
        }
        // An hour's margin inside the window, so the request is never refused at its edge.
        let window_start = now - chrono::Duration::days(DELETED_WINDOW_DAYS) + chrono::Duration::hours(1);
        // Never checked (a first sync, or one stopped before this step): what the book knows was
        // pulled recently, so the whole window covers it without reading every id.
        let start = match since.map(|t| t - chrono::Duration::milliseconds(OVERLAP_MS)) {
            None => window_start,
            Some(start) if start > window_start => start,
            Some(_) => return self.reconcile(sobject, entity, known, on_page),
        };
        let path = format!(
            "/services/data/{API}/sobjects/{sobject}/deleted/?{}&{}",
            encoded("start", &soql_time(start)),
            // Seconds are ignored and the last minute may not be covered yet: ask a minute
            // ahead; `latestDateCovered` says how far the answer really goes.
            encoded("end", &soql_time(now + chrono::Duration::minutes(1)))
        );
        let reply = match self.http.json(Method::GET, &path, None) {
            Err(CrmError::Rejected(400, _)) => return self.reconcile(sobject, entity, known, on_page),
            other => other?,
        };
        // The recycle bin was emptied since: the log no longer covers the gap.
        if instant(&reply["earliestDateAvailable"]).is_some_and(|earliest| earliest > start) {
            return self.reconcile(sobject, entity, known, on_page);
        }
        let list = reply["deletedRecords"]
            .as_array()
            .ok_or_else(|| CrmError::Malformed("Salesforce's deleted-records reply has no list.".into()))?;
        on_page(
            list.iter()
                .map(|item| match item["id"].as_str().filter(|id| !id.is_empty()) {
                    Some(id) => Ok(removed(entity, id, instant(&item["deletedDate"]).unwrap_or(now))),
                    None => Err("a removal without an id".to_owned()),
                })
                .collect(),
        )?;
        Ok(Some(instant(&reply["latestDateCovered"]).unwrap_or(now).min(now)))
    }

    fn push_batch(&self) -> usize {
        COLLECTION_MAX
    }

    /// A call note goes to Salesforce as a logged call: a completed Task on the account (and the
    /// first attendee), Salesforce's own record of a conversation, which takes our external id.
    fn push_notes(&self, notes: &[PushNote]) -> Result<Pushed, CrmError> {
        let records = notes
            .iter()
            .map(|n| {
                json!({
                    "attributes": { "type": "Task" },
                    EXTERNAL_ID: n.local_id,
                    "Subject": clip(&n.title, 255),
                    "Description": clip(&n.body_md, 32_000),
                    "ActivityDate": n.occurred_at.date_naive().to_string(),
                    "Status": "Completed",
                    "Type": "Call",
                    "Priority": "Normal",
                    "WhatId": n.account_remote_id,
                    "WhoId": n.contact_remote_ids.first(),
                })
            })
            .collect();
        self.upsert_tasks(records)
    }

    fn push_tasks(&self, tasks: &[PushTask]) -> Result<Pushed, CrmError> {
        let records = tasks
            .iter()
            .map(|t| {
                let priority = match t.priority.as_str() {
                    "high" => "High",
                    "low" => "Low",
                    _ => "Normal",
                };
                json!({
                    "attributes": { "type": "Task" },
                    EXTERNAL_ID: t.local_id,
                    "Subject": clip(&t.title, 255),
                    "Description": clip(&t.details, 32_000),
                    "ActivityDate": t.due_date.map(|d| d.to_string()),
                    "Status": if t.done { "Completed" } else { "Not Started" },
                    "Priority": priority,
                    "WhatId": t.account_remote_id,
                })
            })
            .collect();
        self.upsert_tasks(records)
    }
}

#[cfg(test)]
mod tests {
    use csm_core::model::SyncField;

    use super::*;

    fn salesforce() -> Salesforce {
        let tokens =
            Tokens { access_token: "a".into(), refresh_token: "r".into(), instance_url: "http://127.0.0.1:9".into() };
        let session = Session::new("http://127.0.0.1:9", "key", tokens, Box::new(|_| Ok(())));
        Salesforce::new(session, FieldMap::salesforce(), limits(), Default::default()).unwrap()
    }

    #[test]
    fn an_account_maps_to_the_forms_words() {
        let raw = json!({ "attributes": { "type": "Account" }, "Id": "001A", "Name": " Acme ",
            "Website": "https://www.Acme.com/about", "Industry": "Retail", "NumberOfEmployees": 250,
            "Owner": { "attributes": { "type": "User" }, "Name": "Jordan Lee" }, "AnnualRevenue": 120000.0,
            "Renewal_Date__c": "2027-01-31", "CS_Segment__c": "Tech touch", "Licences__c": 40,
            "SystemModstamp": "2026-05-01T10:00:00.000+0000" });
        let r = salesforce().account(&raw).unwrap();
        assert_eq!(r.fields[&SyncField::Name], "Acme");
        assert_eq!(r.fields[&SyncField::Domain], "acme.com");
        assert_eq!(r.fields[&SyncField::Owner], "Jordan Lee");
        assert_eq!(r.fields[&SyncField::Arr], "120000");
        assert_eq!(r.fields[&SyncField::Segment], "tech_touch");
        assert_eq!(r.fields[&SyncField::LicencesPurchased], "40");
        assert_eq!(r.modified_at.to_rfc3339(), "2026-05-01T10:00:00+00:00");
        assert!(salesforce().account(&json!({ "Id": "001B", "SystemModstamp": "soon" })).is_err());
    }

    #[test]
    fn soql_literals_are_quoted_and_scoped() {
        assert_eq!(quote("O'Brien \\ co"), "'O\\'Brien \\\\ co'");
        let sf = salesforce().scoped_to(Some("005X".into()));
        let since = DateTime::parse_from_rfc3339("2026-05-01T10:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(
            sf.conditions(&["AccountId != null"], Some(since), Some("Account.OwnerId")),
            " WHERE AccountId != null AND SystemModstamp >= 2026-05-01T09:55:00Z AND Account.OwnerId = '005X'"
        );
    }

    #[test]
    fn renewed_tokens_the_keychain_refuses_stay_in_memory_and_are_offered_again() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let tries = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&tries);
        let keep: KeepTokens = Box::new(move |_| match counted.fetch_add(1, Ordering::SeqCst) {
            0 => Err(CrmError::Config("the keychain is locked".into())),
            _ => Ok(()),
        });
        let tokens =
            Tokens { access_token: "new".into(), refresh_token: "rotated".into(), instance_url: String::new() };
        let session = Session::new("http://127.0.0.1:9", "key", tokens, keep);
        session.keep_current();
        assert_eq!(session.refresh_token(), "rotated", "not dropped when the keychain refused it");
        assert_eq!(session.bearer(), "new");
        assert_eq!(tries.load(Ordering::SeqCst), 2, "offered again, and taken");
        session.bearer();
        assert_eq!(tries.load(Ordering::SeqCst), 2, "once kept, not again");
    }

    #[test]
    fn request_limit_exceeded_is_busy_or_the_days_allocation() {
        let busy = r#"[{"message":"ConcurrentPerOrgLongTxn Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]"#;
        let daily = r#"[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]"#;
        let other = r#"[{"message":"Session expired","errorCode":"INVALID_SESSION_ID"}]"#;
        let forbidden = reqwest::StatusCode::FORBIDDEN;
        assert_eq!(Words.limit(forbidden, busy), Some(Limit::Busy));
        assert_eq!(Words.limit(forbidden, daily), Some(Limit::Daily));
        assert_eq!(Words.limit(forbidden, other), None);
    }
}
