//! A stateful fake of the HubSpot CRM API (2026-03 paths) on 127.0.0.1, for the sync tests and
//! for trying CSM Desk without a HubSpot account (`cargo run -p csm-e2e --bin fake-hubspot`).
//! Faithful to the shapes and behaviours in `crm-apis.md`: opaque list cursors and numeric search
//! offsets, `paging` only when there is more, search without archived records or associations,
//! the 10,000-result search cap (HTTP 400), bearer tokens, batch limits, upsert by `idProperty`,
//! default associations, and switches to inject 429s (with and without `Retry-After`), 5xx,
//! slow and truncated replies, an expired token and a rate limit per 10 seconds.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;

use parking_lot::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};
use tiny_http::{Method, Request};

use crate::fake_server::{now_ms, reply, reply_transport_fault, reply_truncated, Listening};

const V: &str = "/crm/objects/2026-03/";

pub use crate::fake_server::{Aimed, Fault};

#[derive(Debug, Clone, Default)]
pub struct Record {
    pub id: u64,
    pub properties: Map<String, Value>,
    pub archived: bool,
    pub modified_ms: i64,
}

#[derive(Default)]
pub struct State {
    pub token: String,
    pub expired: bool,
    pub objects: BTreeMap<String, BTreeMap<u64, Record>>,
    /// (from type, from id, to type) → ids.
    pub associations: BTreeMap<(String, u64, String), Vec<u64>>,
    pub faults: VecDeque<Fault>,
    pub aimed: Aimed,
    /// CRM users who own records: (id, first name, last name, email).
    pub owners: Vec<(u64, String, String, String)>,
    /// Requests allowed per 10 s before a 429 (None: no limit); search is exempt, as in HubSpot,
    /// unless `limit_search` says otherwise.
    pub per_10s: Option<usize>,
    pub limit_search: bool,
    /// 429s sent because of `per_10s`.
    pub throttled: u64,
    pub search_cap: usize,
    pub requests: u64,
    sent: VecDeque<Instant>,
    next_id: u64,
    clock_ms: i64,
}

fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
        .unwrap_or_default()
}

fn modified_property(object: &str) -> &'static str {
    if object == "contacts" {
        "lastmodifieddate"
    } else {
        "hs_lastmodifieddate"
    }
}

impl State {
    /// A modification time after every earlier one (writes in one call may share it).
    pub fn tick(&mut self) -> i64 {
        self.clock_ms = now_ms().max(self.clock_ms + 1);
        self.clock_ms
    }

    /// Creates a record as a HubSpot user would; returns its id.
    pub fn create(&mut self, object: &str, properties: Value, at_ms: Option<i64>) -> u64 {
        self.next_id += 1;
        let id = self.next_id + 100;
        let ms = at_ms.unwrap_or_else(|| self.tick());
        let mut record = Record {
            id,
            properties: properties.as_object().cloned().unwrap_or_default(),
            archived: false,
            modified_ms: ms,
        };
        stamp(object, &mut record);
        self.objects.entry(object.to_owned()).or_default().insert(id, record);
        id
    }

    /// Edits a record as a HubSpot user would: its modification time moves.
    pub fn update(&mut self, object: &str, id: u64, properties: Value) {
        let ms = self.tick();
        if let Some(record) = self.objects.get_mut(object).and_then(|o| o.get_mut(&id)) {
            for (k, v) in properties.as_object().cloned().unwrap_or_default() {
                record.properties.insert(k, v);
            }
            record.modified_ms = ms;
            stamp(object, record);
        }
    }

    pub fn archive(&mut self, object: &str, id: u64) {
        let ms = self.tick();
        if let Some(record) = self.objects.get_mut(object).and_then(|o| o.get_mut(&id)) {
            record.archived = true;
            record.modified_ms = ms;
            stamp(object, record);
        }
    }

    pub fn associate(&mut self, from: &str, from_id: u64, to: &str, to_id: u64) {
        let list = self.associations.entry((from.to_owned(), from_id, to.to_owned())).or_default();
        if !list.contains(&to_id) {
            list.push(to_id);
        }
        let back = self.associations.entry((to.to_owned(), to_id, from.to_owned())).or_default();
        if !back.contains(&from_id) {
            back.push(from_id);
        }
    }

    pub fn records(&self, object: &str) -> Vec<&Record> {
        self.objects.get(object).map(|o| o.values().collect()).unwrap_or_default()
    }

    pub fn associated(&self, from: &str, id: u64, to: &str) -> Vec<u64> {
        self.associations.get(&(from.to_owned(), id, to.to_owned())).cloned().unwrap_or_default()
    }
}

fn stamp(object: &str, record: &mut Record) {
    let prop = modified_property(object);
    record.properties.insert(prop.to_owned(), json!(iso(record.modified_ms)));
    record.properties.insert("hs_object_id".to_owned(), json!(record.id.to_string()));
}

/// A running fake; stops when dropped.
pub struct FakeHubSpot {
    pub url: String,
    pub state: Arc<Mutex<State>>,
    _server: Listening,
}

impl FakeHubSpot {
    pub fn start(token: &str) -> FakeHubSpot {
        Self::start_on("127.0.0.1:0", token)
    }

    pub fn start_on(address: &str, token: &str) -> FakeHubSpot {
        let state = Arc::new(Mutex::new(State { token: token.to_owned(), search_cap: 10_000, ..State::default() }));
        let st = state.clone();
        let server = Listening::start(address, move |request| handle(&st, request));
        FakeHubSpot { url: server.url.clone(), state, _server: server }
    }

    pub fn lock(&self) -> parking_lot::MutexGuard<'_, State> {
        self.state.lock()
    }

    /// A sample portal: `companies` companies, each with `per_company` contacts.
    pub fn seed(&self, companies: usize, per_company: usize) {
        let mut s = self.lock();
        s.owners = vec![
            (7001, "Jordan".into(), "Lee".into(), "jordan@example.com".into()),
            (7002, "Sam".into(), "Okafor".into(), "sam@example.com".into()),
        ];
        let industries = ["Software", "Retail", "Healthcare", "Logistics", "Finance", "Education"];
        let segments = ["High touch", "Low touch", "Tech touch"];
        let stages = ["customer", "customer", "evangelist", "opportunity"];
        let currencies = ["USD", "USD", "EUR", "GBP", "KRW"];
        for i in 0..companies {
            let name =
                format!("{} {}", ["Northwind", "Contoso", "Fabrikam", "Tailspin", "Wingtip", "Litware"][i % 6], i + 1);
            let company = s.create(
                "companies",
                json!({
                    "name": name, "domain": format!("company{}.example", i + 1), "industry": industries[i % 6],
                    "numberofemployees": (50 + i * 7).to_string(), "annualrevenue": (20_000 + i * 1_500).to_string(),
                    "cs_segment": segments[i % 3], "renewal_date": format!("2027-{:02}-15", 1 + i % 12),
                    "licences_purchased": (20 + i % 80).to_string(),
                    "lifecyclestage": stages[i % 4],
                    "hubspot_owner_id": if i % 2 == 0 { "7001" } else { "7002" }
                }),
                None,
            );
            // A renewal for each company, and an expansion for every fourth.
            let renewal = s.create(
                "deals",
                json!({ "dealname": format!("Renewal 2027 — {name}"), "amount": (20_000 + i * 1_500).to_string(),
                        "deal_currency_code": currencies[i % 5],
                        "closedate": format!("2027-{:02}-15T00:00:00.000Z", 1 + i % 12), "dealstage": "contractsent",
                        "pipeline": "default", "dealtype": "existingbusiness", "hs_is_closed": "false",
                        "hs_is_closed_won": "false", "hs_deal_stage_probability": "0.9" }),
                None,
            );
            s.associate("deals", renewal, "companies", company);
            if i % 4 == 0 {
                let upsell = s.create(
                    "deals",
                    json!({ "dealname": "Expansion: 20 more seats", "amount": "9000", "closedate": "2026-12-20T00:00:00.000Z",
                            "dealstage": "qualifiedtobuy", "pipeline": "default", "dealtype": "existingbusiness", "hs_is_closed": "false",
                            "hs_is_closed_won": "false", "hs_deal_stage_probability": "0.4" }),
                    None,
                );
                s.associate("deals", upsell, "companies", company);
            }
            // Every third company has open tickets (one of them urgent) and a closed one.
            if i % 3 == 0 {
                for (k, priority, closed) in [(0, "HIGH", false), (1, "LOW", false), (2, "MEDIUM", true)] {
                    let mut props =
                        json!({ "subject": format!("Ticket {k} of {name}"), "hs_ticket_priority": priority });
                    if closed {
                        props["closed_date"] = json!("2026-10-01T00:00:00.000Z");
                    }
                    let ticket = s.create("tickets", props, None);
                    s.associate("tickets", ticket, "companies", company);
                }
            }
            for j in 0..per_company {
                let first = ["Ana", "Ben", "Chen", "Dara", "Eli"][j % 5];
                let contact = s.create(
                    "contacts",
                    json!({ "firstname": first, "lastname": format!("Lee{i}x{j}"),
                            "email": format!("person{j}@company{}.example", i + 1), "jobtitle": "Operations lead" }),
                    None,
                );
                s.associate("contacts", contact, "companies", company);
            }
        }
        // A real portal's records were last modified over the weeks before the first sync, not
        // all during it: a minute apart, in the order they were made.
        for (object, records) in s.objects.iter_mut() {
            let count = records.len() as i64;
            for (k, record) in records.values_mut().enumerate() {
                record.modified_ms -= crate::fake_server::DAY_MS + (count - k as i64) * 60_000;
                stamp(object, record);
            }
        }
    }
}

fn error(category: &str, message: &str) -> Value {
    json!({ "status": "error", "message": message, "correlationId": "00000000-0000-0000-0000-000000000000", "category": category })
}

/// HubSpot serves the v3/v4 paths and the dated 2026-03 ones alike (crm-apis.md); the SDKs
/// still call v3.
fn dated(url: &str) -> String {
    let aliases = [
        ("/crm/v3/objects/", "/crm/objects/2026-03/"),
        ("/crm/v4/associations/", "/crm/associations/2026-03/"),
        ("/crm/v3/owners", "/crm/owners/2026-03"),
    ];
    aliases
        .iter()
        .find_map(|(old, new)| url.strip_prefix(old).map(|rest| format!("{new}{rest}")))
        .unwrap_or_else(|| url.to_owned())
}

fn handle(state: &Arc<Mutex<State>>, mut request: Request) {
    let mut body = String::new();
    let _ = request.as_reader().read_to_string(&mut body);
    let url = dated(request.url());
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    // A list comes comma-separated or as the key repeated (`properties=a&properties=b`).
    let mut params: HashMap<String, String> = HashMap::new();
    for (key, value) in query.split('&').filter_map(|p| p.split_once('=')) {
        let value = value.replace("%2C", ",");
        params.entry(key.to_owned()).and_modify(|v| *v = format!("{v},{value}")).or_insert(value);
    }
    let query = params;
    let auth = request.headers().iter().find(|h| h.field.equiv("Authorization")).map(|h| h.value.to_string());
    let method = request.method().clone();

    let mut s = state.lock();
    s.requests += 1;
    let request_number = s.requests;
    if let Some(fault) = s.aimed.take(request_number) {
        s.faults.push_front(fault);
    }
    if s.faults.front() == Some(&Fault::Expire) {
        s.faults.pop_front();
        s.expired = true;
    }
    if auth.as_deref() != Some(&format!("Bearer {}", s.token)) || s.expired {
        drop(s);
        return reply(request, 401, &error("INVALID_AUTHENTICATION", "Authentication credentials not found."), &[]);
    }
    let is_search = path.ends_with("/search");
    if let Some(limit) = s.per_10s.filter(|_| !is_search || s.limit_search) {
        let now = Instant::now();
        while s.sent.front().is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(10)) {
            s.sent.pop_front();
        }
        if s.sent.len() >= limit {
            s.throttled += 1;
            drop(s);
            let body = json!({ "status": "error", "message": "You have reached your ten_secondly_rolling limit.", "errorType": "RATE_LIMIT", "policyName": "TEN_SECONDLY_ROLLING" });
            return reply(request, 429, &body, &[]);
        }
        s.sent.push_back(now);
    }
    let fault = s.faults.pop_front();
    match fault {
        Some(Fault::RateLimited(after)) => {
            drop(s);
            let body = json!({ "status": "error", "message": "You have reached your ten_secondly_rolling limit.", "errorType": "RATE_LIMIT", "policyName": "TEN_SECONDLY_ROLLING" });
            let headers: Vec<(&str, String)> = after.map(|a| ("Retry-After", a.to_string())).into_iter().collect();
            return reply(request, 429, &body, &headers);
        }
        Some(Fault::Daily) => {
            drop(s);
            return reply(
                request,
                429,
                &json!({ "status": "error", "message": "You have reached your daily limit.", "policyName": "DAILY" }),
                &[],
            );
        }
        Some(Fault::Status(code)) => {
            drop(s);
            return reply(request, code, &error("INTERNAL_ERROR", "Something went wrong."), &[]);
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
    let limit_headers = if is_search {
        Vec::new()
    } else {
        vec![
            ("X-HubSpot-RateLimit-Interval-Milliseconds", "10000".to_owned()),
            ("X-HubSpot-RateLimit-Max", s.per_10s.unwrap_or(100).to_string()),
        ]
    };
    drop(s);
    if truncated {
        return reply_truncated(request, &value);
    }
    reply(request, status, &value, &limit_headers)
}

fn object_of(path: &str) -> Option<String> {
    path.strip_prefix(V)?.split('/').next().map(str::to_owned)
}

fn shown(record: &Record, properties: Option<&Vec<String>>) -> Value {
    let props: Map<String, Value> = match properties {
        Some(list) => list.iter().filter_map(|k| record.properties.get(k).map(|v| (k.clone(), v.clone()))).collect(),
        None => record.properties.clone(),
    };
    let mut props = props;
    props.insert("hs_object_id".into(), json!(record.id.to_string()));
    json!({ "id": record.id.to_string(), "properties": props, "createdAt": iso(record.modified_ms),
            "updatedAt": iso(record.modified_ms), "archived": record.archived })
}

fn route(s: &mut State, method: &Method, path: &str, query: &HashMap<String, String>, body: &str) -> (u16, Value) {
    let json: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    if method == &Method::Post && path.starts_with("/crm/associations/2026-03/") && path.ends_with("/batch/read") {
        return association_read(s, path, &json);
    }
    if method == &Method::Get && path.starts_with("/crm/owners/2026-03") {
        let results: Vec<Value> = s
            .owners
            .iter()
            .map(|(id, first, last, email)| {
                json!({ "id": id.to_string(), "firstName": first, "lastName": last, "email": email, "archived": false,
                "type": "PERSON", "createdAt": iso(0), "updatedAt": iso(0) })
            })
            .collect();
        return (200, json!({ "results": results }));
    }
    let Some(object) = object_of(path) else { return (404, error("NOT_FOUND", "Unknown path.")) };
    let rest = path.strip_prefix(V).unwrap_or_default().strip_prefix(object.as_str()).unwrap_or_default();
    match (method, rest) {
        (Method::Get, "") => list(s, &object, query),
        (Method::Post, "/search") => search(s, &object, &json),
        (Method::Post, "/batch/upsert") => upsert(s, &object, &json),
        (Method::Post, "/batch/read") => batch_read(s, &object, &json),
        (Method::Post, "") => create(s, &object, &json),
        (Method::Get, rest) if rest.trim_start_matches('/').parse::<u64>().is_ok() => {
            let id: u64 = rest.trim_start_matches('/').parse().unwrap_or_default();
            let properties: Option<Vec<String>> =
                query.get("properties").map(|p| p.split(',').map(str::to_owned).collect());
            match s.objects.get(&object).and_then(|o| o.get(&id)).filter(|r| !r.archived) {
                Some(record) => (200, shown(record, properties.as_ref())),
                None => (404, error("OBJECT_NOT_FOUND", "Object not found.")),
            }
        }
        (Method::Put, rest) if rest.contains("/associations/default/") => {
            let parts: Vec<&str> = rest.trim_start_matches('/').split('/').collect();
            match (parts.first().and_then(|p| p.parse().ok()), parts.get(3), parts.get(4).and_then(|p| p.parse().ok()))
            {
                (Some(from), Some(to), Some(to_id)) => {
                    s.associate(&object, from, to, to_id);
                    (200, json!({ "status": "COMPLETE", "results": [] }))
                }
                _ => (400, error("VALIDATION_ERROR", "Bad association path.")),
            }
        }
        _ => (404, error("NOT_FOUND", "Unknown path.")),
    }
}

fn list(s: &State, object: &str, query: &HashMap<String, String>) -> (u16, Value) {
    let archived = query.get("archived").map(String::as_str) == Some("true");
    let limit: usize = query.get("limit").and_then(|l| l.parse().ok()).unwrap_or(10).clamp(1, 100);
    let start: usize = query.get("after").and_then(|a| a.strip_prefix("c")).and_then(|a| a.parse().ok()).unwrap_or(0);
    let properties: Option<Vec<String>> = query.get("properties").map(|p| p.split(',').map(str::to_owned).collect());
    let all: Vec<&Record> = s.records(object).into_iter().filter(|r| r.archived == archived).collect();
    let page: Vec<Value> = all.iter().skip(start).take(limit).map(|r| shown(r, properties.as_ref())).collect();
    let mut out = json!({ "results": page });
    if start + limit < all.len() {
        let cursor = format!("c{}", start + limit);
        out["paging"] = json!({ "next": { "after": cursor, "link": format!("?after={cursor}") } });
    }
    (200, out)
}

fn search(s: &State, object: &str, body: &Value) -> (u16, Value) {
    if s.faults.front() == Some(&Fault::EndlessCursor) {
        return (200, json!({ "total": 1, "results": [], "paging": { "next": { "after": "0" } } }));
    }
    let limit = body["limit"].as_u64().unwrap_or(10) as usize;
    if limit > 200 {
        return (400, error("VALIDATION_ERROR", "limit must be at most 200"));
    }
    let offset: usize = body["after"].as_str().and_then(|a| a.parse().ok()).unwrap_or(0);
    if offset >= s.search_cap {
        return (400, error("VALIDATION_ERROR", "The maximum number of results (10000) has been exceeded."));
    }
    let prop = modified_property(object);
    let filters: Vec<Value> = body["filterGroups"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|g| g["filters"].as_array().cloned().unwrap_or_default())
        .collect();
    let matches = |r: &Record| {
        filters.iter().all(|f| {
            let name = f["propertyName"].as_str().unwrap_or_default();
            let value = f["value"].as_str().unwrap_or_default();
            let have = r.properties.get(name).and_then(Value::as_str);
            match f["operator"].as_str().unwrap_or_default() {
                "GTE" if name == prop => r.modified_ms >= value.parse().unwrap_or(i64::MIN),
                "EQ" => have == Some(value),
                "HAS_PROPERTY" => have.is_some_and(|v| !v.is_empty()),
                "NOT_HAS_PROPERTY" => have.is_none_or(str::is_empty),
                _ => true,
            }
        })
    };
    let mut hits: Vec<&Record> = s.records(object).into_iter().filter(|r| !r.archived && matches(r)).collect();
    // Ties on the modification time fall back to the id as text: HubSpot sorts ids lexicographically.
    hits.sort_by(|a, b| a.modified_ms.cmp(&b.modified_ms).then(a.id.to_string().cmp(&b.id.to_string())));
    let properties: Option<Vec<String>> =
        body["properties"].as_array().map(|p| p.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect());
    let mut page: Vec<Value> = hits.iter().skip(offset).take(limit).map(|r| shown(r, properties.as_ref())).collect();
    if s.faults.front() == Some(&Fault::Duplicates) && offset >= limit {
        page.extend(hits.iter().skip(offset - limit).take(2).map(|r| shown(r, properties.as_ref())));
    }
    let mut out = json!({ "total": hits.len(), "results": page });
    if offset + limit < hits.len() {
        out["paging"] = json!({ "next": { "after": (offset + limit).to_string() } });
    }
    (200, out)
}

fn association_read(s: &State, path: &str, body: &Value) -> (u16, Value) {
    let parts: Vec<&str> = path.trim_start_matches("/crm/associations/2026-03/").split('/').collect();
    let (Some(from), Some(to)) = (parts.first(), parts.get(1)) else {
        return (404, error("NOT_FOUND", "Unknown path."));
    };
    let inputs = body["inputs"].as_array().cloned().unwrap_or_default();
    if inputs.len() > 1000 {
        return (400, error("VALIDATION_ERROR", "At most 1000 inputs."));
    }
    let results: Vec<Value> = inputs
        .iter()
        .filter_map(|i| i["id"].as_str().and_then(|id| id.parse::<u64>().ok()))
        .filter_map(|id| {
            let to_ids = s.associated(from, id, to);
            (!to_ids.is_empty()).then(|| {
                let links: Vec<Value> = to_ids
                    .iter()
                    .map(|t| json!({ "toObjectId": t, "associationTypes": [{ "category": "HUBSPOT_DEFINED", "typeId": 1, "label": null }] }))
                    .collect();
                json!({ "from": { "id": id.to_string() }, "to": links })
            })
        })
        .collect();
    (200, json!({ "status": "COMPLETE", "results": results, "startedAt": iso(now_ms()), "completedAt": iso(now_ms()) }))
}

/// `POST .../{type}`: one record, with its associations.
fn create(s: &mut State, object: &str, body: &Value) -> (u16, Value) {
    let Some(properties) = body.get("properties").filter(|p| p.is_object()) else {
        return (400, error("VALIDATION_ERROR", "properties are required."));
    };
    let id = s.create(object, properties.clone(), None);
    for link in body["associations"].as_array().into_iter().flatten() {
        let to_id = link["to"]["id"].as_str().and_then(|t| t.parse().ok());
        let to_type = link["types"][0]["associationTypeId"].as_u64().and_then(association_target);
        if let (Some(to_id), Some(to_type)) = (to_id, to_type) {
            s.associate(object, id, to_type, to_id);
        }
    }
    (201, shown(&s.objects[object][&id], None))
}

/// The object a HubSpot-defined association type id links to (note → company 190, → contact 202;
/// task → company 192, → contact 204).
fn association_target(type_id: u64) -> Option<&'static str> {
    match type_id {
        190 | 192 => Some("companies"),
        202 | 204 => Some("contacts"),
        _ => None,
    }
}

/// `POST .../{type}/batch/read`: records by id (or by a unique property), the missing ones left out.
fn batch_read(s: &State, object: &str, body: &Value) -> (u16, Value) {
    let inputs = body["inputs"].as_array().cloned().unwrap_or_default();
    if inputs.len() > 100 {
        return (400, error("VALIDATION_ERROR", "At most 100 inputs."));
    }
    let properties: Option<Vec<String>> =
        body["properties"].as_array().map(|p| p.iter().filter_map(Value::as_str).map(str::to_owned).collect());
    let key = body["idProperty"].as_str();
    let results: Vec<Value> = inputs
        .iter()
        .filter_map(|input| input["id"].as_str())
        .filter_map(|wanted| {
            s.records(object).into_iter().find(|r| match key {
                Some(key) => r.properties.get(key).and_then(Value::as_str) == Some(wanted),
                None => r.id.to_string() == wanted,
            })
        })
        .map(|r| shown(r, properties.as_ref()))
        .collect();
    (200, json!({ "status": "COMPLETE", "results": results, "startedAt": iso(now_ms()), "completedAt": iso(now_ms()) }))
}

fn upsert(s: &mut State, object: &str, body: &Value) -> (u16, Value) {
    let inputs = body["inputs"].as_array().cloned().unwrap_or_default();
    if inputs.is_empty() || inputs.len() > 100 {
        return (400, error("VALIDATION_ERROR", "Send between 1 and 100 inputs."));
    }
    let mut results = Vec::new();
    for input in inputs {
        let (Some(key), Some(value)) = (input["idProperty"].as_str(), input["id"].as_str()) else {
            return (400, error("VALIDATION_ERROR", "idProperty and id are required."));
        };
        let existing = s
            .records(object)
            .into_iter()
            .find(|r| r.properties.get(key).and_then(Value::as_str) == Some(value))
            .map(|r| r.id);
        let mut properties = input["properties"].clone();
        properties[key] = json!(value);
        let id = match existing {
            Some(id) => {
                s.update(object, id, properties);
                id
            }
            None => s.create(object, properties, None),
        };
        let mut result = shown(&s.objects[object][&id], None);
        result["new"] = json!(existing.is_none());
        results.push(result);
    }
    (200, json!({ "status": "COMPLETE", "results": results, "startedAt": iso(now_ms()), "completedAt": iso(now_ms()) }))
}
