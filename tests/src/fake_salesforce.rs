//! A stateful fake of Salesforce (REST API v67.0 and the OAuth endpoints) on 127.0.0.1, for the
//! sync tests and for trying CSM Desk without an org (`cargo run -p csm-e2e --bin fake-salesforce`).
//! Faithful to `crm-apis.md` §2 and its §3 checklist: SOQL (the subset CSM Desk sends) with
//! `nextRecordsUrl` batches, `queryAll` with `IsDeleted` rows, `SystemModstamp` bumped on every
//! write (ties allowed), getUpdated/getDeleted with their 30/15-day windows and the 600k id cap,
//! the web-server flow with PKCE for a public client (no secret), refresh-token rotation (the old
//! one then gets `invalid_grant`), 401 `INVALID_SESSION_ID` arrays, `Sforce-Limit-Info` on every
//! reply, the daily allocation (403 `REQUEST_LIMIT_EXCEEDED`), sObject Collections upsert by an
//! external id (≤200, per-record `success:false`, `allOrNone`), single external-id upserts (201,
//! 200 or 300), Composite (≤25 subrequests, `@{ref.id}`, `allOrNone` rollback), and the HubSpot
//! fake's faults.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::Arc;

use parking_lot::Mutex;
use std::thread;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use tiny_http::{Header, Method, Request, Response};

use crate::fake_server::{now_ms, reply, reply_transport_fault, reply_truncated, Aimed, Listening};

pub use crate::fake_server::Fault;

const DATA: &str = "/services/data/v67.0";
const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Clone, Default)]
pub struct Record {
    pub id: String,
    pub fields: Map<String, Value>,
    pub modstamp_ms: i64,
    pub deleted_ms: Option<i64>,
}

#[derive(Default)]
pub struct State {
    pub client_id: String,
    pub access_tokens: HashSet<String>,
    pub refresh_tokens: HashSet<String>,
    /// code → (challenge, redirect_uri).
    codes: HashMap<String, (String, String)>,
    /// The user refuses access on the authorize page.
    pub deny: bool,
    pub refreshes: u32,
    pub objects: BTreeMap<String, BTreeMap<String, Record>>,
    pub faults: VecDeque<Fault>,
    pub aimed: Aimed,
    /// Records per query batch (Salesforce: up to 2,000, possibly fewer).
    pub batch_size: usize,
    pub daily_limit: u64,
    pub used: u64,
    /// getUpdated/getDeleted refuse more ids than this (600,000).
    pub id_limit: usize,
    /// When the recycle bin was last emptied: removals before it are no longer listed.
    pub purged_ms: Option<i64>,
    /// A Task whose Subject contains this is refused by a validation rule.
    pub refuse_subject: Option<String>,
    pub requests: u64,
    cursors: HashMap<String, Vec<Value>>,
    serial: u64,
    clock_ms: i64,
}

/// Salesforce's form: "2026-05-01T10:00:00.000+0000".
pub fn stamp(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3f+0000").to_string())
        .unwrap_or_default()
}

fn parse_time(text: &str) -> Option<i64> {
    let t = text.trim();
    chrono::DateTime::parse_from_rfc3339(t)
        .or_else(|_| chrono::DateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f%z"))
        .ok()
        .map(|t| t.timestamp_millis())
}

fn prefix(sobject: &str) -> &'static str {
    match sobject {
        "Account" => "001",
        "Contact" => "003",
        "Opportunity" => "006",
        "Case" => "500",
        "User" => "005",
        _ => "00T",
    }
}

/// The fields each sObject has (a query naming another gets `INVALID_FIELD`).
fn schema(sobject: &str) -> &'static [&'static str] {
    match sobject {
        "Account" => &[
            "Id",
            "Name",
            "Website",
            "Industry",
            "NumberOfEmployees",
            "OwnerId",
            "Owner.Name",
            "SystemModstamp",
            "IsDeleted",
            "AnnualRevenue",
            "Renewal_Date__c",
            "CS_Segment__c",
            "Licences__c",
        ],
        "Contact" => {
            &["Id", "FirstName", "LastName", "Email", "Title", "Phone", "AccountId", "SystemModstamp", "IsDeleted"]
        }
        "Opportunity" => &[
            "Id",
            "AccountId",
            "Name",
            "Amount",
            "CloseDate",
            "StageName",
            "Type",
            "IsClosed",
            "IsWon",
            "ForecastCategoryName",
            "Probability",
            "SystemModstamp",
            "IsDeleted",
        ],
        "Case" => &["Id", "AccountId", "Subject", "Priority", "IsClosed", "SystemModstamp", "IsDeleted"],
        "User" => &["Id", "Name", "Email", "IsActive", "SystemModstamp"],
        "Task" => &[
            "Id",
            "Subject",
            "Description",
            "ActivityDate",
            "Status",
            "Type",
            "Priority",
            "WhatId",
            "WhoId",
            "CSM_Local_Id__c",
            "SystemModstamp",
            "IsDeleted",
        ],
        _ => &[],
    }
}

impl State {
    /// A modification time after every earlier one (writes in one call may share it).
    pub fn tick(&mut self) -> i64 {
        self.clock_ms = now_ms().max(self.clock_ms + 1);
        self.clock_ms
    }

    fn new_id(&mut self, sobject: &str) -> String {
        self.serial += 1;
        format!("{}{:015}", prefix(sobject), self.serial)
    }

    /// Creates a record as a Salesforce user would; returns its id.
    pub fn create(&mut self, sobject: &str, fields: Value) -> String {
        let id = self.new_id(sobject);
        let ms = self.tick();
        let record = Record {
            id: id.clone(),
            fields: fields.as_object().cloned().unwrap_or_default(),
            modstamp_ms: ms,
            deleted_ms: None,
        };
        self.objects.entry(sobject.to_owned()).or_default().insert(id.clone(), record);
        id
    }

    /// Edits a record: its SystemModstamp moves.
    pub fn update(&mut self, sobject: &str, id: &str, fields: Value) {
        let ms = self.tick();
        if let Some(r) = self.objects.get_mut(sobject).and_then(|o| o.get_mut(id)) {
            r.fields.extend(fields.as_object().cloned().unwrap_or_default());
            r.modstamp_ms = ms;
        }
    }

    /// Deletes a record (to the recycle bin): it leaves `query`, stays in `queryAll`, and is
    /// listed by getDeleted.
    pub fn delete(&mut self, sobject: &str, id: &str) {
        self.delete_at(sobject, id, self.clock_ms.max(now_ms()));
    }

    pub fn delete_at(&mut self, sobject: &str, id: &str, at_ms: i64) {
        let ms = self.tick();
        if let Some(r) = self.objects.get_mut(sobject).and_then(|o| o.get_mut(id)) {
            r.deleted_ms = Some(at_ms);
            r.modstamp_ms = ms;
        }
    }

    pub fn records(&self, sobject: &str) -> Vec<&Record> {
        self.objects.get(sobject).map(|o| o.values().filter(|r| r.deleted_ms.is_none()).collect()).unwrap_or_default()
    }

    /// Issues a session as a sign-in would: (access token, refresh token).
    pub fn issue(&mut self) -> (String, String) {
        self.serial += 1;
        let access = format!("00DFAKE!access{}", self.serial);
        let refresh = format!("5AepFAKE.refresh{}", self.serial);
        self.access_tokens.insert(access.clone());
        self.refresh_tokens.insert(refresh.clone());
        (access, refresh)
    }

    /// Every session times out (refresh tokens stay good).
    pub fn expire_sessions(&mut self) {
        self.access_tokens.clear();
    }

    /// An admin revokes the app: nothing works until the user signs in again.
    pub fn revoke_all(&mut self) {
        self.access_tokens.clear();
        self.refresh_tokens.clear();
    }

    fn field(&self, r: &Record, name: &str) -> Value {
        match name {
            "Id" => json!(r.id),
            "SystemModstamp" => json!(stamp(r.modstamp_ms)),
            "IsDeleted" => json!(r.deleted_ms.is_some()),
            "Owner.Name" => {
                let owner = r.fields.get("OwnerId").and_then(Value::as_str).unwrap_or_default();
                let name =
                    self.objects.get("User").and_then(|u| u.get(owner)).and_then(|u| u.fields.get("Name").cloned());
                match name {
                    Some(n) => json!({ "attributes": { "type": "User" }, "Name": n }),
                    None => Value::Null,
                }
            }
            "Account.OwnerId" => {
                let account = r.fields.get("AccountId").and_then(Value::as_str).unwrap_or_default();
                self.objects
                    .get("Account")
                    .and_then(|a| a.get(account))
                    .and_then(|a| a.fields.get("OwnerId").cloned())
                    .unwrap_or(Value::Null)
            }
            other => r.fields.get(other).cloned().unwrap_or(Value::Null),
        }
    }
}

/// A running fake; stops when dropped.
pub struct FakeSalesforce {
    pub url: String,
    pub state: Arc<Mutex<State>>,
    _server: Listening,
}

impl FakeSalesforce {
    pub fn start(client_id: &str) -> FakeSalesforce {
        Self::start_on("127.0.0.1:0", client_id)
    }

    pub fn start_on(address: &str, client_id: &str) -> FakeSalesforce {
        let state = Arc::new(Mutex::new(State {
            client_id: client_id.to_owned(),
            batch_size: 2_000,
            daily_limit: 15_000,
            id_limit: 600_000,
            ..State::default()
        }));
        let st = state.clone();
        let server = Listening::start(address, move |request| handle(&st, request));
        FakeSalesforce { url: server.url.clone(), state, _server: server }
    }

    pub fn lock(&self) -> parking_lot::MutexGuard<'_, State> {
        self.state.lock()
    }

    /// A sample org like the HubSpot fake's portal: `accounts` accounts with `per_account`
    /// contacts, a renewal each (and an expansion every fourth), cases on every third.
    pub fn seed(&self, accounts: usize, per_account: usize) {
        let mut s = self.lock();
        let jordan = s.create("User", json!({ "Name": "Jordan Lee", "Email": "jordan@example.com", "IsActive": true }));
        let sam = s.create("User", json!({ "Name": "Sam Okafor", "Email": "sam@example.com", "IsActive": true }));
        let industries = ["Software", "Retail", "Healthcare", "Logistics", "Finance", "Education"];
        let segments = ["High touch", "Low touch", "Tech touch"];
        for i in 0..accounts {
            let name =
                format!("{} {}", ["Northwind", "Contoso", "Fabrikam", "Tailspin", "Wingtip", "Litware"][i % 6], i + 1);
            let account = s.create(
                "Account",
                json!({ "Name": name, "Website": format!("https://www.company{}.example", i + 1), "Industry": industries[i % 6],
                        "NumberOfEmployees": 50 + i * 7, "AnnualRevenue": (20_000 + i * 1_500) as f64,
                        "CS_Segment__c": segments[i % 3], "Renewal_Date__c": format!("2027-{:02}-15", 1 + i % 12),
                        "Licences__c": (20 + i % 80) as f64, "OwnerId": if i % 2 == 0 { &jordan } else { &sam } }),
            );
            s.create(
                "Opportunity",
                json!({ "AccountId": account, "Name": format!("Renewal 2027 — {name}"), "Amount": (20_000 + i * 1_500) as f64,
                        "CloseDate": format!("2027-{:02}-15", 1 + i % 12), "StageName": "Proposal/Price Quote",
                        "Type": "Renewal", "IsClosed": false, "IsWon": false, "ForecastCategoryName": "Pipeline",
                        "Probability": 75.0 }),
            );
            if i % 4 == 0 {
                s.create(
                    "Opportunity",
                    json!({ "AccountId": account, "Name": "Expansion: 20 more seats", "Amount": 9000.0, "CloseDate": "2026-12-20",
                            "StageName": "Qualification", "Type": "Existing Customer - Upgrade", "IsClosed": false,
                            "IsWon": false, "ForecastCategoryName": "Pipeline", "Probability": 10.0 }),
                );
            }
            if i % 3 == 0 {
                for (k, priority, closed) in [(0, "High", false), (1, "Low", false), (2, "Medium", true)] {
                    s.create(
                        "Case",
                        json!({ "AccountId": account, "Subject": format!("Case {k} of {name}"), "Priority": priority, "IsClosed": closed }),
                    );
                }
            }
            for j in 0..per_account {
                let first = ["Ana", "Ben", "Chen", "Dara", "Eli"][j % 5];
                s.create(
                    "Contact",
                    json!({ "AccountId": account, "FirstName": first, "LastName": format!("Lee{i}x{j}"),
                            "Email": format!("person{j}@company{}.example", i + 1), "Title": "Operations lead" }),
                );
            }
        }
        // A real org's records were last modified over the weeks before the first sync, not all
        // during it: a minute apart, in the order they were made.
        for records in s.objects.values_mut() {
            let count = records.len() as i64;
            for (k, record) in records.values_mut().enumerate() {
                record.modstamp_ms -= crate::fake_server::DAY_MS + (count - k as i64) * 60_000;
            }
        }
    }
}

/// `+` and `%XX` decoded (forms and query strings).
pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn pairs(text: &str) -> HashMap<String, String> {
    text.split('&').filter_map(|p| p.split_once('=')).map(|(k, v)| (decode(k), decode(v))).collect()
}

fn errors(code: &str, message: &str) -> Value {
    json!([{ "message": message, "errorCode": code, "fields": [] }])
}

fn handle(state: &Arc<Mutex<State>>, mut request: Request) {
    let mut body = String::new();
    let _ = request.as_reader().read_to_string(&mut body);
    let url = request.url().to_owned();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let query = pairs(query);
    let method = request.method().clone();
    // The instance URL is the address the client reached.
    let host = request.headers().iter().find(|h| h.field.equiv("Host")).map(|h| h.value.to_string());
    let base = format!("http://{}", host.unwrap_or_default());
    let bearer = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Authorization"))
        .and_then(|h| h.value.as_str().strip_prefix("Bearer ").map(str::to_owned));

    let mut s = state.lock();
    s.requests += 1;
    let request_number = s.requests;
    if let Some(fault) = s.aimed.take(request_number) {
        s.faults.push_front(fault);
    }
    if path.starts_with("/services/oauth2/") {
        return oauth(&mut s, &base, request, &method, path, &query, &body);
    }
    if s.faults.front() == Some(&Fault::Expire) {
        s.faults.pop_front();
        if let Some(token) = &bearer {
            s.access_tokens.remove(token);
        }
    }
    if !bearer.is_some_and(|t| s.access_tokens.contains(&t)) {
        drop(s);
        return reply(request, 401, &errors("INVALID_SESSION_ID", "Session expired or invalid"), &[]);
    }
    s.used += 1;
    let usage = vec![("Sforce-Limit-Info", format!("api-usage={}/{}", s.used, s.daily_limit))];
    if s.used > s.daily_limit {
        drop(s);
        return reply(request, 403, &errors("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."), &usage);
    }
    match s.faults.pop_front() {
        Some(Fault::RateLimited(after)) => {
            drop(s);
            let mut headers = usage;
            headers.extend(after.map(|a| ("Retry-After", a.to_string())));
            let body = errors("REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded.");
            return reply(request, 403, &body, &headers);
        }
        Some(Fault::Daily) => {
            drop(s);
            return reply(request, 403, &errors("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."), &usage);
        }
        Some(Fault::Status(code)) => {
            drop(s);
            return reply(request, code, &errors("SERVER_UNAVAILABLE", "Server temporarily unavailable."), &usage);
        }
        Some(Fault::Slow(wait)) => {
            drop(s);
            thread::sleep(wait);
            s = state.lock();
        }
        Some(fault @ (Fault::RedirectTo(_) | Fault::Huge(_) | Fault::NotJson)) => {
            drop(s);
            return reply_transport_fault(request, fault);
        }
        Some(other) => s.faults.push_front(other),
        None => {}
    }
    let (status, value) = route(&mut s, &method, path, &query, &body);
    let truncated = s.faults.front() == Some(&Fault::Truncated);
    if truncated {
        s.faults.pop_front();
    }
    drop(s);
    if truncated {
        return reply_truncated(request, &value);
    }
    reply(request, status, &value, &usage)
}

fn oauth_error(code: &str, description: &str) -> Value {
    json!({ "error": code, "error_description": description })
}

fn oauth(
    s: &mut State,
    base: &str,
    request: Request,
    method: &Method,
    path: &str,
    query: &HashMap<String, String>,
    body: &str,
) {
    match (method, path) {
        (Method::Get, "/services/oauth2/authorize") => {
            let get = |k: &str| query.get(k).cloned().unwrap_or_default();
            if get("client_id") != s.client_id || get("response_type") != "code" {
                let page =
                    Response::from_string("error=invalid_client_id: client identifier invalid").with_status_code(400);
                let _ = request.respond(page);
                return;
            }
            let redirect = get("redirect_uri");
            let state = decode(&get("state")).replace(' ', "+");
            let target = if s.deny {
                format!("{redirect}?error=access_denied&error_description=end-user+denied+authorization&state={state}")
            } else if get("code_challenge_method") != "S256" || get("code_challenge").len() < 43 {
                format!("{redirect}?error=invalid_request&error_description=invalid+code+challenge&state={state}")
            } else {
                s.serial += 1;
                let code = format!("aPrxFAKE{}", s.serial);
                s.codes.insert(code.clone(), (get("code_challenge"), redirect.clone()));
                format!("{redirect}?code={code}&state={state}")
            };
            let response =
                Response::empty(302).with_header(Header::from_bytes("Location", target.as_bytes()).expect("header"));
            let _ = request.respond(response);
        }
        (Method::Post, "/services/oauth2/token") => {
            let form = pairs(body);
            let get = |k: &str| form.get(k).cloned().unwrap_or_default();
            if form.contains_key("client_secret") {
                return reply(
                    request,
                    400,
                    &oauth_error("invalid_client", "public clients must not send a client secret"),
                    &[],
                );
            }
            if get("client_id") != s.client_id {
                return reply(request, 400, &oauth_error("invalid_client_id", "client identifier invalid"), &[]);
            }
            match get("grant_type").as_str() {
                "authorization_code" => {
                    let Some((challenge, redirect)) = s.codes.remove(&get("code")) else {
                        return reply(request, 400, &oauth_error("invalid_grant", "authentication failure"), &[]);
                    };
                    let verifier = get("code_verifier");
                    if verifier.is_empty() || URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) != challenge {
                        return reply(request, 400, &oauth_error("invalid_grant", "invalid code verifier"), &[]);
                    }
                    if get("redirect_uri") != redirect {
                        return reply(
                            request,
                            400,
                            &oauth_error("invalid_grant", "redirect_uri must match configuration"),
                            &[],
                        );
                    }
                    let (access, refresh) = s.issue();
                    reply(request, 200, &token_reply(base, &access, Some(&refresh)), &[])
                }
                "refresh_token" => {
                    if !s.refresh_tokens.remove(&get("refresh_token")) {
                        return reply(request, 400, &oauth_error("invalid_grant", "expired access/refresh token"), &[]);
                    }
                    // Rotation: a new refresh token each time; the one just used no longer works.
                    s.refreshes += 1;
                    let (access, refresh) = s.issue();
                    reply(request, 200, &token_reply(base, &access, Some(&refresh)), &[])
                }
                _ => reply(request, 400, &oauth_error("unsupported_grant_type", "grant type not supported"), &[]),
            }
        }
        (Method::Post, "/services/oauth2/revoke") => {
            let token = pairs(body).get("token").cloned().unwrap_or_default();
            s.refresh_tokens.remove(&token);
            s.access_tokens.remove(&token);
            reply(request, 200, &Value::Null, &[])
        }
        _ => reply(request, 404, &oauth_error("not_found", "unknown endpoint"), &[]),
    }
}

fn token_reply(base: &str, access: &str, refresh: Option<&str>) -> Value {
    let mut out = json!({
        "access_token": access, "signature": "c2lnbmF0dXJl", "scope": "refresh_token api",
        "instance_url": base, "id": format!("{base}/id/00DFAKE/005FAKE"), "token_type": "Bearer",
        "issued_at": now_ms().to_string(),
    });
    if let Some(r) = refresh {
        out["refresh_token"] = json!(r);
    }
    out
}

fn route(s: &mut State, method: &Method, path: &str, query: &HashMap<String, String>, body: &str) -> (u16, Value) {
    let Some(rest) = path.strip_prefix(DATA) else {
        return (404, errors("NOT_FOUND", "The requested resource does not exist"));
    };
    let parts: Vec<&str> = rest.trim_matches('/').split('/').collect();
    match (method, parts.as_slice()) {
        (Method::Get, ["query"]) => soql(s, query.get("q").map(String::as_str).unwrap_or_default(), false),
        (Method::Get, ["queryAll"]) => soql(s, query.get("q").map(String::as_str).unwrap_or_default(), true),
        (Method::Get, ["query", locator]) => more(s, locator),
        (Method::Get, ["limits"]) => (
            200,
            json!({ "DailyApiRequests": { "Max": s.daily_limit, "Remaining": s.daily_limit.saturating_sub(s.used) } }),
        ),
        (Method::Get, ["sobjects", sobject, kind @ ("deleted" | "updated")]) => replication(s, sobject, kind, query),
        (Method::Patch, ["composite", "sobjects", sobject, external]) => upsert(s, sobject, external, body),
        (Method::Post, ["sobjects", sobject]) => create_one(s, sobject, body),
        (Method::Get, ["sobjects", sobject, id]) => match s.records(sobject).into_iter().find(|r| r.id == *id) {
            Some(record) => (200, whole(sobject, record)),
            None => (404, errors("NOT_FOUND", "The requested resource does not exist")),
        },
        (Method::Post, ["composite", "sobjects", sobject]) => retrieve(s, sobject, body),
        (Method::Patch, ["sobjects", sobject, external, value]) => upsert_one(s, sobject, external, value, body),
        (Method::Post, ["composite"]) => composite(s, body),
        _ => (404, errors("NOT_FOUND", "The requested resource does not exist")),
    }
}

fn fields_of(body: &str) -> Result<Map<String, Value>, (u16, Value)> {
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(mut fields)) => {
            fields.remove("attributes");
            Ok(fields)
        }
        _ => Err((400, errors("JSON_PARSER_ERROR", "Unexpected character in the request body"))),
    }
}

/// A record with every field, as `GET /sobjects/{type}/{id}` returns it.
fn whole(sobject: &str, record: &Record) -> Value {
    let mut row = record.fields.clone();
    row.insert(
        "attributes".into(),
        json!({ "type": sobject, "url": format!("{DATA}/sobjects/{sobject}/{}", record.id) }),
    );
    row.insert("Id".into(), json!(record.id));
    row.insert("SystemModstamp".into(), json!(stamp(record.modstamp_ms)));
    Value::Object(row)
}

/// `POST /composite/sobjects/{type}` with `{ids, fields}`: the records in the order asked, null
/// where an id matches nothing (SObject Collections retrieve, up to 2,000 ids).
fn retrieve(s: &State, sobject: &str, body: &str) -> (u16, Value) {
    let json: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let (Some(ids), Some(fields)) = (json["ids"].as_array(), json["fields"].as_array()) else {
        return (400, errors("INVALID_FIELD", "ids and fields are required"));
    };
    if ids.len() > 2000 {
        return (400, errors("LIMIT_EXCEEDED", "Too many ids: at most 2000"));
    }
    let rows = ids.iter().map(|id| {
        let record = s.records(sobject).into_iter().find(|r| Some(r.id.as_str()) == id.as_str());
        record.map_or(Value::Null, |r| {
            let mut row = Map::new();
            row.insert(
                "attributes".into(),
                json!({ "type": sobject, "url": format!("{DATA}/sobjects/{sobject}/{}", r.id) }),
            );
            for field in fields.iter().filter_map(Value::as_str) {
                row.insert(field.to_owned(), s.field(r, field));
            }
            Value::Object(row)
        })
    });
    (200, Value::Array(rows.collect()))
}

/// `POST /sobjects/{type}`: 201 with the new id.
fn create_one(s: &mut State, sobject: &str, body: &str) -> (u16, Value) {
    if schema(sobject).is_empty() {
        return (404, errors("NOT_FOUND", &format!("The requested resource does not exist: {sobject}")));
    }
    match fields_of(body) {
        Ok(fields) => (201, json!({ "id": s.create(sobject, Value::Object(fields)), "success": true, "errors": [] })),
        Err(refused) => refused,
    }
}

/// `PATCH /sobjects/{type}/{externalIdField}/{value}`: 201 created, 200 updated, 300 when the
/// value matches more than one record (their URLs listed).
fn upsert_one(s: &mut State, sobject: &str, external: &str, value: &str, body: &str) -> (u16, Value) {
    let mut fields = match fields_of(body) {
        Ok(f) => f,
        Err(refused) => return refused,
    };
    let value = decode(value);
    let matches: Vec<String> = s
        .records(sobject)
        .into_iter()
        .filter(|r| r.fields.get(external).and_then(Value::as_str) == Some(value.as_str()))
        .map(|r| r.id.clone())
        .collect();
    match matches.as_slice() {
        [] => {
            fields.insert(external.to_owned(), json!(value));
            let id = s.create(sobject, Value::Object(fields));
            (201, json!({ "id": id, "success": true, "errors": [], "created": true }))
        }
        [id] => {
            let id = id.clone();
            s.update(sobject, &id, Value::Object(fields));
            (200, json!({ "id": id, "success": true, "errors": [], "created": false }))
        }
        many => (300, json!(many.iter().map(|id| format!("{DATA}/sobjects/{sobject}/{id}")).collect::<Vec<_>>())),
    }
}

/// `POST /composite`: up to 25 subrequests in order, each able to use an earlier one's result
/// through `@{referenceId.field}`; with `allOrNone`, one failure rolls back them all.
fn composite(s: &mut State, body: &str) -> (u16, Value) {
    let Ok(json) = serde_json::from_str::<Value>(body) else {
        return (400, errors("JSON_PARSER_ERROR", "Unexpected character in the request body"));
    };
    let subrequests = json["compositeRequest"].as_array().cloned().unwrap_or_default();
    if subrequests.is_empty() || subrequests.len() > 25 {
        return (400, errors("INVALID_API_INPUT", "A composite request takes 1 to 25 subrequests"));
    }
    let all_or_none = json["allOrNone"].as_bool().unwrap_or(false);
    let before = s.objects.clone();
    let mut results: HashMap<String, Value> = HashMap::new();
    let mut responses = Vec::new();
    let mut failed = false;
    for sub in &subrequests {
        let resolve = |text: &str| {
            let mut out = text.to_owned();
            for (reference, value) in &results {
                for (field, v) in value.as_object().into_iter().flatten() {
                    if let Some(v) = v.as_str() {
                        out = out.replace(&format!("@{{{reference}.{field}}}"), v);
                    }
                }
            }
            out
        };
        let url = resolve(sub["url"].as_str().unwrap_or_default());
        let body = resolve(&sub["body"].to_string());
        let method = match sub["method"].as_str().unwrap_or_default() {
            "GET" => Method::Get,
            "POST" => Method::Post,
            "PATCH" => Method::Patch,
            "DELETE" => Method::Delete,
            _ => Method::Options,
        };
        let (path, query) = url.split_once('?').unwrap_or((&url, ""));
        let (status, value) = route(s, &method, path, &pairs(query), &body);
        failed |= status >= 400;
        let reference = sub["referenceId"].as_str().unwrap_or_default().to_owned();
        responses.push(json!({ "body": value, "httpHeaders": {}, "httpStatusCode": status, "referenceId": reference }));
        results.insert(reference, value);
    }
    if all_or_none && failed {
        s.objects = before;
        for r in &mut responses {
            if r["httpStatusCode"].as_u64().is_some_and(|c| c < 400) {
                r["httpStatusCode"] = json!(400);
                r["body"] = errors(
                    "PROCESSING_HALTED",
                    "The transaction was rolled back since another operation in the same transaction failed.",
                );
            }
        }
    }
    (200, json!({ "compositeResponse": responses }))
}

struct Soql {
    fields: Vec<String>,
    sobject: String,
    conditions: Vec<(String, String, String)>,
    order: Vec<String>,
    limit: Option<usize>,
}

fn parse_soql(q: &str) -> Result<Soql, String> {
    let q = q.trim();
    let rest = q.strip_prefix("SELECT ").ok_or("unexpected token: expected SELECT")?;
    let (fields, rest) = rest.split_once(" FROM ").ok_or("unexpected token: expected FROM")?;
    let (rest, limit) = match rest.split_once(" LIMIT ") {
        Some((r, l)) => (r, Some(l.trim().parse().map_err(|_| "bad LIMIT")?)),
        None => (rest, None),
    };
    let (rest, order) = match rest.split_once(" ORDER BY ") {
        Some((r, o)) => (r, o.split(',').map(|f| f.trim().to_owned()).collect()),
        None => (rest, Vec::new()),
    };
    let (sobject, conditions) = match rest.split_once(" WHERE ") {
        Some((o, w)) => (o, w.split(" AND ").map(str::trim).collect::<Vec<_>>()),
        None => (rest, Vec::new()),
    };
    let mut parsed = Vec::new();
    for c in conditions {
        let mut it = c.splitn(3, ' ');
        let (Some(f), Some(op), Some(v)) = (it.next(), it.next(), it.next()) else {
            return Err(format!("unexpected token: '{c}'"));
        };
        if !["=", "!=", ">", ">=", "<", "<="].contains(&op) {
            return Err(format!("unexpected token: '{op}'"));
        }
        parsed.push((f.to_owned(), op.to_owned(), v.trim().to_owned()));
    }
    Ok(Soql {
        fields: fields.split(',').map(|f| f.trim().to_owned()).collect(),
        sobject: sobject.trim().to_owned(),
        conditions: parsed,
        order,
        limit,
    })
}

fn literal(text: &str) -> Value {
    if text == "null" {
        return Value::Null;
    }
    if text == "true" || text == "false" {
        return json!(text == "true");
    }
    if let Some(inner) = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
        return json!(inner.replace("\\'", "'").replace("\\\\", "\\"));
    }
    if let Some(ms) = parse_time(text) {
        return json!(ms);
    }
    text.parse::<f64>().map(|n| json!(n)).unwrap_or(Value::Null)
}

fn matches(s: &State, r: &Record, (field, op, value): &(String, String, String)) -> bool {
    let want = literal(value);
    if field == "SystemModstamp" {
        let w = want.as_i64().unwrap_or(0);
        return match op.as_str() {
            ">=" => r.modstamp_ms >= w,
            ">" => r.modstamp_ms > w,
            "<=" => r.modstamp_ms <= w,
            "<" => r.modstamp_ms < w,
            "=" => r.modstamp_ms == w,
            _ => r.modstamp_ms != w,
        };
    }
    let have = s.field(r, field);
    let have = if have.as_str() == Some("") { Value::Null } else { have };
    match op.as_str() {
        "=" => have == want,
        "!=" => have != want,
        _ => false,
    }
}

fn soql(s: &mut State, q: &str, all: bool) -> (u16, Value) {
    let parsed = match parse_soql(q) {
        Ok(p) => p,
        Err(why) => return (400, errors("MALFORMED_QUERY", &why)),
    };
    let known = schema(&parsed.sobject);
    if known.is_empty() {
        return (400, errors("INVALID_TYPE", &format!("sObject type '{}' is not supported.", parsed.sobject)));
    }
    let filter_fields = parsed.conditions.iter().map(|c| &c.0);
    for f in parsed.fields.iter().chain(filter_fields).chain(parsed.order.iter()) {
        if !known.contains(&f.as_str()) && f != "Account.OwnerId" {
            let message =
                format!("\n{q}\n^\nERROR at Row:1:Column:1\nNo such column '{f}' on entity '{}'.", parsed.sobject);
            return (400, errors("INVALID_FIELD", &message));
        }
    }
    let sobject = parsed.sobject.as_str();
    let mut hits: Vec<&Record> = s
        .objects
        .get(sobject)
        .map(|o| o.values().collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter(|r| all || r.deleted_ms.is_none())
        .filter(|r| parsed.conditions.iter().all(|c| matches(s, r, c)))
        .collect();
    hits.sort_by(|a, b| {
        parsed
            .order
            .iter()
            .map(|f| match f.as_str() {
                "SystemModstamp" => a.modstamp_ms.cmp(&b.modstamp_ms),
                "Id" => a.id.cmp(&b.id),
                other => s.field(a, other).to_string().cmp(&s.field(b, other).to_string()),
            })
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    hits.truncate(parsed.limit.unwrap_or(usize::MAX));
    let rows: Vec<Value> = hits
        .iter()
        .map(|r| {
            let mut row = Map::new();
            row.insert(
                "attributes".into(),
                json!({ "type": sobject, "url": format!("{DATA}/sobjects/{sobject}/{}", r.id) }),
            );
            for f in &parsed.fields {
                row.insert(f.split('.').next().unwrap_or(f).to_owned(), s.field(r, f));
            }
            Value::Object(row)
        })
        .collect();
    let total = rows.len();
    s.serial += 1;
    let locator = format!("01gFAKE{}", s.serial);
    if s.faults.front() == Some(&Fault::EndlessCursor) {
        return (
            200,
            json!({ "totalSize": total, "done": false, "records": [], "nextRecordsUrl": format!("{DATA}/query/{locator}-0") }),
        );
    }
    s.cursors.insert(locator.clone(), rows);
    batch(s, &locator, 0, total)
}

/// One batch of a query's rows from `offset`, with the next locator while there are more.
fn batch(s: &mut State, locator: &str, offset: usize, total: usize) -> (u16, Value) {
    let size = s.batch_size.clamp(1, 2_000);
    let rows = s.cursors.get(locator).cloned().unwrap_or_default();
    let mut page: Vec<Value> = rows.iter().skip(offset).take(size).cloned().collect();
    if s.faults.front() == Some(&Fault::Duplicates) && offset >= size {
        page.extend(rows.iter().skip(offset - size).take(2).cloned());
    }
    let mut out = json!({ "totalSize": total, "done": offset + size >= total, "records": page });
    if offset + size < total {
        out["nextRecordsUrl"] = json!(format!("{DATA}/query/{locator}-{}", offset + size));
    } else {
        s.cursors.remove(locator);
    }
    (200, out)
}

fn more(s: &mut State, locator: &str) -> (u16, Value) {
    if s.faults.front() == Some(&Fault::EndlessCursor) {
        return (
            200,
            json!({ "totalSize": 1, "done": false, "records": [], "nextRecordsUrl": format!("{DATA}/query/{locator}") }),
        );
    }
    let (key, offset) = locator.rsplit_once('-').unwrap_or((locator, "0"));
    let offset: usize = offset.parse().unwrap_or(0);
    match s.cursors.get(key).map(Vec::len) {
        Some(total) => batch(s, key, offset, total),
        None => (400, errors("INVALID_QUERY_LOCATOR", "invalid query locator")),
    }
}

fn replication(s: &State, sobject: &str, kind: &str, query: &HashMap<String, String>) -> (u16, Value) {
    let window = if kind == "deleted" { 15 } else { 30 };
    let now = now_ms();
    let (Some(start), Some(end)) =
        (query.get("start").and_then(|t| parse_time(t)), query.get("end").and_then(|t| parse_time(t)))
    else {
        return (400, errors("INVALID_REPLICATION_DATE", "start and end must be dateTimes"));
    };
    if start < now - window * DAY_MS {
        return (400, errors("INVALID_REPLICATION_DATE", &format!("startDate cannot be more than {window} days ago")));
    }
    if end <= start {
        return (400, errors("INVALID_REPLICATION_DATE", "endDate must be after startDate"));
    }
    let all = s.objects.get(sobject).map(|o| o.values().collect::<Vec<_>>()).unwrap_or_default();
    let earliest = s.purged_ms.unwrap_or(now - window * DAY_MS).max(now - window * DAY_MS);
    let covered = stamp(end.min(now) / 60_000 * 60_000);
    if kind == "deleted" {
        let gone: Vec<Value> = all
            .iter()
            .filter_map(|r| r.deleted_ms.filter(|d| *d >= start && *d <= end && *d >= earliest).map(|d| (r, d)))
            .map(|(r, d)| json!({ "id": r.id, "deletedDate": stamp(d) }))
            .collect();
        if gone.len() > s.id_limit {
            return (400, errors("EXCEEDED_ID_LIMIT", "record limit reached; narrow the time span"));
        }
        return (
            200,
            json!({ "deletedRecords": gone, "earliestDateAvailable": stamp(earliest), "latestDateCovered": covered }),
        );
    }
    let ids: Vec<&str> = all
        .iter()
        .filter(|r| r.deleted_ms.is_none() && r.modstamp_ms >= start && r.modstamp_ms <= end)
        .map(|r| r.id.as_str())
        .collect();
    if ids.len() > s.id_limit {
        return (400, errors("EXCEEDED_ID_LIMIT", "record limit reached; narrow the time span"));
    }
    (200, json!({ "ids": ids, "latestDateCovered": covered }))
}

/// sObject Collections upsert by an external id: per-record results in request order.
fn upsert(s: &mut State, sobject: &str, external: &str, body: &str) -> (u16, Value) {
    let Ok(json) = serde_json::from_str::<Value>(body) else {
        return (400, errors("JSON_PARSER_ERROR", "Unexpected character in the request body"));
    };
    let Some(records) = json["records"].as_array() else {
        return (400, errors("INVALID_FIELD", "records is required"));
    };
    if records.is_empty() || records.len() > 200 {
        return (400, errors("EXCEEDED_ID_LIMIT", "Maximum number of records (200) exceeded or no records sent"));
    }
    if !schema(sobject).contains(&external) || !external.ends_with("__c") {
        return (400, errors("INVALID_FIELD", &format!("Field {external} is not an external id on {sobject}")));
    }
    let all_or_none = json["allOrNone"].as_bool().unwrap_or(false);
    let verdicts: Vec<Result<(), Value>> = records.iter().map(|r| check_task(s, sobject, external, r)).collect();
    if all_or_none && verdicts.iter().any(Result::is_err) {
        let results: Vec<Value> = verdicts
            .iter()
            .map(|v| match v {
                Err(e) => json!({ "success": false, "errors": [e] }),
                Ok(()) => json!({ "success": false, "errors": [{ "statusCode": "ALL_OR_NONE_OPERATION_ROLLED_BACK", "message": "Record rolled back because not all records were valid and the request was using AllOrNone header", "fields": [] }] }),
            })
            .collect();
        return (200, Value::Array(results));
    }
    let mut results = Vec::new();
    for (record, verdict) in records.iter().zip(verdicts) {
        if let Err(e) = verdict {
            results.push(json!({ "success": false, "errors": [e] }));
            continue;
        }
        let key = record[external].as_str().unwrap_or_default().to_owned();
        let mut fields = record.as_object().cloned().unwrap_or_default();
        fields.remove("attributes");
        let existing = s
            .records(sobject)
            .into_iter()
            .find(|r| r.fields.get(external).and_then(Value::as_str) == Some(&key))
            .map(|r| r.id.clone());
        let (id, created) = match existing {
            Some(id) => {
                s.update(sobject, &id, Value::Object(fields));
                (id, false)
            }
            None => (s.create(sobject, Value::Object(fields)), true),
        };
        results.push(json!({ "id": id, "success": true, "errors": [], "created": created }));
    }
    (200, Value::Array(results))
}

fn check_task(s: &State, sobject: &str, external: &str, record: &Value) -> Result<(), Value> {
    let fail = |code: &str, message: &str, fields: &[&str]| {
        Err(json!({ "statusCode": code, "message": message, "fields": fields }))
    };
    if record["attributes"]["type"].as_str() != Some(sobject) {
        return fail("INVALID_TYPE", "attributes.type does not match the collection's sObject", &[]);
    }
    if record[external].as_str().is_none_or(str::is_empty) {
        return fail("REQUIRED_FIELD_MISSING", "Required fields are missing", &[external]);
    }
    for (field, want) in [("WhatId", "Account"), ("WhoId", "Contact")] {
        if let Some(id) = record[field].as_str() {
            if s.objects.get(want).is_none_or(|o| o.get(id).is_none_or(|r| r.deleted_ms.is_some())) {
                return fail(
                    "FIELD_INTEGRITY_EXCEPTION",
                    &format!("{field}: id value of incorrect type: {id}"),
                    &[field],
                );
            }
        }
    }
    let subject = record["Subject"].as_str().unwrap_or_default();
    if s.refuse_subject.as_deref().is_some_and(|r| subject.contains(r)) {
        return fail("FIELD_CUSTOM_VALIDATION_EXCEPTION", "Subject must not be a placeholder", &["Subject"]);
    }
    Ok(())
}
