//! Requests to a CRM that stay within its rate limits and survive its bad moments: a pacer keeps
//! under the 10-second budget, a 429 waits for `Retry-After` (or backs off with jitter when it is
//! absent), 5xx and timeouts are retried a bounded number of times, and every failure ends as a
//! `CrmError` in plain words. A refused token is renewed once when the CRM allows it (Salesforce's
//! refresh grant). The token is sent, never logged or put in an error.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use parking_lot::Mutex;
use std::time::{Duration, Instant};

use reqwest::blocking::{Client, Response};
pub use reqwest::Method;
use reqwest::StatusCode;
use serde_json::Value;

use crate::CrmError;

/// The largest answer read from a CRM: a page of records is a few MB at most; past this the
/// answer is refused rather than held in memory.
pub const MAX_BODY: u64 = 64 * 1024 * 1024;

/// Redirects are followed only on the same host: a token or a request body is never carried to
/// another address.
pub fn same_host_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same = attempt.previous().first().is_some_and(|first| {
            first.host_str() == attempt.url().host_str()
                && first.port_or_known_default() == attempt.url().port_or_known_default()
        });
        if same && attempt.previous().len() < 5 {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// A response body, refused past `MAX_BODY` (never read whole into memory first): `Malformed`
/// when too large (not worth a retry), `Network` when the connection broke.
pub fn bounded_text(response: Response) -> Result<String, CrmError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    response
        .take(MAX_BODY + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| CrmError::Network("The connection to the CRM broke off.".into()))?;
    if bytes.len() as u64 > MAX_BODY {
        return Err(CrmError::Malformed(format!(
            "The CRM's answer was larger than {} MB; nothing of it was used.",
            MAX_BODY / 1024 / 1024
        )));
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// How hard to push and how long to wait; the defaults follow HubSpot's documented limits.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Requests allowed per window (HubSpot Free/Starter: 100 per 10 s).
    pub per_window: usize,
    pub window: Duration,
    /// Retries of a 429, 5xx or timeout before the run stops.
    pub retries: u32,
    /// First back-off when the CRM gives no `Retry-After`; doubled each time, with jitter.
    pub backoff: Duration,
    pub max_backoff: Duration,
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            per_window: 100,
            window: Duration::from_secs(10),
            retries: 5,
            backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
        }
    }
}

/// Spaces requests so no window of `limits.window` holds more than `per_window` of them.
struct Pacer {
    sent: VecDeque<Instant>,
}

impl Pacer {
    fn wait_turn(&mut self, limits: &Limits) {
        // A little margin: the CRM counts from when a request arrives, not when it was sent.
        let window = limits.window + limits.window / 100;
        let now = Instant::now();
        while self.sent.front().is_some_and(|t| now.duration_since(*t) >= window) {
            self.sent.pop_front();
        }
        if self.sent.len() >= limits.per_window {
            if let Some(oldest) = self.sent.front() {
                let wait = window.saturating_sub(now.duration_since(*oldest));
                std::thread::sleep(wait);
            }
            self.sent.pop_front();
        }
        self.sent.push_back(Instant::now());
    }
}

/// Where the bearer token comes from, and how a refused one is replaced.
pub trait Auth: Send + Sync {
    fn bearer(&self) -> String;
    /// Replaces `refused` with a fresh token, or says the CSM must sign in again. Called at most
    /// once per request; implementations make concurrent renewals wait for the first.
    fn renew(&self, _refused: &str) -> Result<(), CrmError> {
        Err(CrmError::Unauthorized)
    }
}

/// How one CRM words its limits: read by that CRM's connector, not guessed here. The generic
/// handling (429 with `Retry-After`, 5xx, 401, redirects) applies to every CRM.
pub trait Dialect: Send + Sync {
    /// The CRM's name, for the words of an error.
    fn name(&self) -> &'static str;
    /// A limit this answer reports in the CRM's own way, if it is one.
    fn limit(&self, status: StatusCode, body: &str) -> Option<Limit>;
    /// The response header carrying this CRM's API usage, if it sends one.
    fn usage_header(&self) -> Option<&'static str> {
        None
    }
}

/// A limit the CRM reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Busy for now: wait (for `Retry-After`, when given) and try again.
    Busy,
    /// The day's allocation is used up: stop the run.
    Daily,
}

/// A CRM with no ways of its own (tests against a bare server).
pub struct Plain;

impl Dialect for Plain {
    fn name(&self) -> &'static str {
        "The CRM"
    }

    fn limit(&self, _: StatusCode, _: &str) -> Option<Limit> {
        None
    }
}

/// A token that never changes (HubSpot's Service Keys and private-app tokens).
pub struct StaticToken(pub String);

impl Auth for StaticToken {
    fn bearer(&self) -> String {
        self.0.clone()
    }
}

/// A connection to one CRM account.
pub struct Http {
    client: Client,
    base: String,
    auth: Arc<dyn Auth>,
    limits: Limits,
    pacer: Mutex<Pacer>,
    cancel: Arc<AtomicBool>,
    requests: std::sync::atomic::AtomicU64,
    /// The CRM's last word on API usage (Salesforce's `Sforce-Limit-Info`, e.g. "api-usage=18/15000").
    usage: Mutex<Option<String>>,
    dialect: Arc<dyn Dialect>,
}

/// Only HTTPS reaches a CRM; plain HTTP only to this machine (a local fake in tests and demos).
/// (The rule lives with the form's other checks: `csm_core::validate::crm_address`.)
pub fn check_base_url(base: &str) -> Result<String, CrmError> {
    csm_core::validate::crm_address("base_url", base).map_err(|e| CrmError::Config(e.to_string()))
}

fn jitter(base: Duration) -> Duration {
    // Spread retries without a random crate: the clock's nanoseconds are random enough here.
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    base + Duration::from_millis(u64::from(nanos % 250))
}

fn retry_after(response: &Response) -> Option<Duration> {
    let text = response.headers().get("retry-after")?.to_str().ok()?;
    text.trim().parse::<f64>().ok().filter(|s| s.is_finite() && *s >= 0.0).map(|s| Duration::from_secs_f64(s.min(60.0)))
}

/// The CRM's own words for an error, from whichever shape it used: HubSpot's object, OAuth's
/// `error_description`, or Salesforce's array of errors (each with the fields it names).
pub fn message_of(body: &str) -> String {
    let json: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let items: Vec<&Value> = match &json {
        Value::Array(list) => list.iter().take(3).collect(),
        other => vec![other],
    };
    let words: Vec<String> = items
        .iter()
        .filter_map(|item| {
            let message = ["message", "error_description", "error"].iter().find_map(|k| item[*k].as_str())?;
            let fields: Vec<&str> = item["fields"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
            Some(if fields.is_empty() { message.to_owned() } else { format!("{message} ({})", fields.join(", ")) })
        })
        .collect();
    if words.is_empty() {
        return "no details".to_owned();
    }
    words.join("; ").chars().take(300).collect()
}

/// Salesforce's error code, when the body is its array of errors.
pub fn error_code(body: &str) -> Option<String> {
    let json: Value = serde_json::from_str(body).ok()?;
    json[0]["errorCode"].as_str().map(str::to_owned)
}

impl Http {
    pub fn new(base: &str, token: &str, limits: Limits, cancel: Arc<AtomicBool>) -> Result<Http, CrmError> {
        Self::with_auth(base, Arc::new(StaticToken(token.to_owned())), limits, cancel)
    }

    pub fn with_auth(
        base: &str,
        auth: Arc<dyn Auth>,
        limits: Limits,
        cancel: Arc<AtomicBool>,
    ) -> Result<Http, CrmError> {
        let base = check_base_url(base)?;
        let client = Client::builder()
            .timeout(limits.timeout)
            .redirect(same_host_redirects())
            .user_agent("CSM Desk")
            .build()
            .map_err(|e| CrmError::Config(format!("Could not set up the connection: {e}")))?;
        Ok(Http {
            client,
            base,
            auth,
            limits,
            pacer: Mutex::new(Pacer { sent: VecDeque::new() }),
            cancel,
            requests: std::sync::atomic::AtomicU64::new(0),
            usage: Mutex::new(None),
            dialect: Arc::new(Plain),
        })
    }

    /// The same connection, reading limits the way `dialect`'s CRM words them.
    pub fn speaking(self, dialect: Arc<dyn Dialect>) -> Http {
        Http { dialect, ..self }
    }

    /// The CRM's last report of API usage, if it sends one.
    pub fn usage(&self) -> Option<String> {
        self.usage.lock().clone()
    }

    /// Requests sent so far (retries included).
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    fn check_cancel(&self) -> Result<(), CrmError> {
        if self.cancel.load(Ordering::Relaxed) {
            Err(CrmError::Cancelled)
        } else {
            Ok(())
        }
    }

    fn sleep(&self, wait: Duration) -> Result<(), CrmError> {
        let until = Instant::now() + wait;
        while Instant::now() < until {
            self.check_cancel()?;
            std::thread::sleep((until - Instant::now()).min(Duration::from_millis(100)));
        }
        Ok(())
    }

    /// Sends a request and returns its JSON body (`Null` for an empty one), retrying what is
    /// worth retrying.
    pub fn json(&self, method: Method, path: &str, body: Option<&Value>) -> Result<Value, CrmError> {
        let (mut attempt, mut renewed) = (0, false);
        loop {
            self.check_cancel()?;
            self.pacer.lock().wait_turn(&self.limits);
            self.requests.fetch_add(1, Ordering::Relaxed);
            let token = self.auth.bearer();
            let mut request = self.client.request(method.clone(), format!("{}{path}", self.base)).bearer_auth(&token);
            if let Some(body) = body {
                request = request.json(body);
            }
            let backoff = jitter(self.limits.backoff * 2u32.saturating_pow(attempt)).min(self.limits.max_backoff);
            let outcome = match request.send() {
                Ok(response) => self.read(response),
                // Offline or a wrong address will not mend in seconds: say so at once.
                Err(e) if e.is_connect() => Err(Retry::No(CrmError::Network(plain(&e)))),
                Err(e) if e.is_timeout() || e.is_request() => Err(Retry::After(backoff, CrmError::Network(plain(&e)))),
                Err(e) => Err(Retry::No(CrmError::Network(plain(&e)))),
            };
            match outcome {
                Ok(value) => return Ok(value),
                Err(Retry::No(error)) => return Err(error),
                Err(Retry::Renew) if !renewed => {
                    renewed = true;
                    self.auth.renew(&token)?;
                }
                Err(Retry::Renew) => return Err(CrmError::Unauthorized),
                Err(Retry::After(wait, error)) => {
                    attempt += 1;
                    if attempt > self.limits.retries {
                        return Err(error);
                    }
                    log::info!("CRM request retried in {} ms ({error})", wait.as_millis());
                    self.sleep(if wait.is_zero() { backoff } else { wait })?;
                }
            }
        }
    }

    fn read(&self, response: Response) -> Result<Value, Retry> {
        let status = response.status();
        let waited = retry_after(&response);
        let usage_header = self.dialect.usage_header();
        if let Some(usage) = usage_header.and_then(|h| response.headers().get(h)).and_then(|v| v.to_str().ok()) {
            *self.usage.lock() = Some(usage.trim().to_owned());
        }
        let body = bounded_text(response).map_err(|e| match e {
            CrmError::Malformed(_) => Retry::No(e),
            broken => Retry::After(Duration::ZERO, broken),
        })?;
        let crm = self.dialect.name();
        match self.dialect.limit(status, &body) {
            Some(Limit::Busy) => {
                let busy = format!("{crm} kept asking to slow down.");
                return Err(Retry::After(waited.unwrap_or(Duration::ZERO), CrmError::RateLimited(busy)));
            }
            Some(Limit::Daily) => {
                let usage = self.usage().map(|u| format!(" ({u})")).unwrap_or_default();
                let daily = format!("{crm}'s daily API limit is used up{usage}; sync again after it frees up.");
                return Err(Retry::No(CrmError::RateLimited(daily)));
            }
            None => {}
        }
        match status {
            s if s.is_success() => {
                if body.trim().is_empty() {
                    return Ok(Value::Null);
                }
                serde_json::from_str(&body).map_err(|_| {
                    Retry::After(
                        Duration::ZERO,
                        CrmError::Malformed("The CRM sent a reply that is not valid JSON.".into()),
                    )
                })
            }
            StatusCode::TOO_MANY_REQUESTS => Err(Retry::After(
                waited.unwrap_or(Duration::ZERO),
                CrmError::RateLimited(format!("{crm} kept asking to slow down.")),
            )),
            StatusCode::UNAUTHORIZED => Err(Retry::Renew),
            StatusCode::FORBIDDEN => Err(Retry::No(CrmError::Forbidden(message_of(&body)))),
            s if s.is_server_error() || s == StatusCode::LOCKED => Err(Retry::After(
                Duration::ZERO,
                CrmError::Server(format!("The CRM had a problem ({s}).", s = s.as_u16())),
            )),
            s if matches!(s.as_u16(), 301 | 302 | 303 | 307 | 308) => Err(Retry::No(CrmError::Network(
                "The CRM sent the request on to another address; CSM Desk does not take your sign-in there.".into(),
            ))),
            s => Err(Retry::No(CrmError::Rejected(s.as_u16(), message_of(&body)))),
        }
    }
}

enum Retry {
    No(CrmError),
    After(Duration, CrmError),
    /// The token was refused: renew it once, then try again.
    Renew,
}

/// A transport error in words, without the URL (which could carry query values).
fn plain(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "The CRM did not answer in time.".into()
    } else if e.is_connect() {
        "Could not reach the CRM (offline, or the address is wrong).".into()
    } else {
        "The connection to the CRM broke off.".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_this_computer() {
        assert!(check_base_url("https://api.hubapi.com/").is_ok());
        assert!(check_base_url("http://127.0.0.1:8080").is_ok());
        assert!(check_base_url("http://localhost:9").is_ok());
        assert!(check_base_url("http://api.hubapi.com").is_err());
        assert!(check_base_url("ftp://x").is_err());
        assert!(check_base_url("not a url").is_err());
    }

    #[test]
    fn error_messages_come_from_any_shape() {
        assert_eq!(message_of(r#"{"message":"Bad","category":"VALIDATION_ERROR"}"#), "Bad");
        assert_eq!(
            message_of(r#"[{"message":"Session expired","errorCode":"INVALID_SESSION_ID"}]"#),
            "Session expired"
        );
        assert_eq!(message_of(r#"{"error":"invalid_grant","error_description":"revoked"}"#), "revoked");
        assert_eq!(message_of("<html>"), "no details");
        let array = r#"[{"message":"Required fields are missing","errorCode":"REQUIRED_FIELD_MISSING","fields":["Name"]},
                        {"message":"Bad date","errorCode":"INVALID_TYPE"}]"#;
        assert_eq!(message_of(array), "Required fields are missing (Name); Bad date");
        assert_eq!(error_code(array).as_deref(), Some("REQUIRED_FIELD_MISSING"));
    }

    #[test]
    fn the_pacer_never_lets_more_than_the_budget_through_a_window() {
        let limits = Limits { per_window: 3, window: Duration::from_millis(200), ..Limits::default() };
        let mut pacer = Pacer { sent: VecDeque::new() };
        let start = Instant::now();
        for _ in 0..7 {
            pacer.wait_turn(&limits);
        }
        assert!(start.elapsed() >= Duration::from_millis(400), "{:?}", start.elapsed());
    }
}
