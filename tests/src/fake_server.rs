//! What the fake CRMs share: a tiny_http server on 127.0.0.1 answering each request on its own
//! thread, JSON replies (whole or cut short), the faults to inject, and the clock.

use std::sync::Arc;
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use tiny_http::{Header, Request, Response, Server};

/// A failure to inject into the next matching requests.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// 429 TEN_SECONDLY_ROLLING, with `Retry-After` seconds or without.
    RateLimited(Option<u32>),
    /// 429 DAILY: stop until tomorrow.
    Daily,
    Status(u16),
    /// A 200 whose JSON body is cut in the middle.
    Truncated,
    Slow(Duration),
    /// A search page repeating the ids of the previous one (duplicate ids across pages).
    Duplicates,
    /// A search whose cursor never ends.
    EndlessCursor,
    /// A 307 to another address (where a client must not follow with the token or the body).
    RedirectTo(String),
    /// A 200 whose body is this many bytes (of JSON whitespace): far more than any page.
    Huge(u64),
    /// A 200 whose body is not JSON (a proxy's HTML error page).
    NotJson,
    /// The access token stops working from this request on (it expired mid-run).
    Expire,
}

/// Faults waiting for a request number (counted from the fake's start), moved to the front of
/// the queue when that request arrives: the fault matrix aims each fault at each request.
#[derive(Default)]
pub struct Aimed(std::collections::BTreeMap<u64, Fault>);

impl Aimed {
    pub fn at(&mut self, request: u64, fault: Fault) {
        self.0.insert(request, fault);
    }

    /// The fault aimed at this request, if any.
    pub fn take(&mut self, request: u64) -> Option<Fault> {
        self.0.remove(&request)
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }
}

/// A day in milliseconds.
pub const DAY_MS: i64 = 86_400_000;

pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// A listening fake; stops when dropped.
pub struct Listening {
    pub url: String,
    server: Arc<Server>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Listening {
    pub fn start(address: &str, handle: impl Fn(Request) + Send + Sync + 'static) -> Listening {
        let server = Arc::new(Server::http(address).expect("the fake CRM listens"));
        let url = format!("http://{}", server.server_addr().to_ip().expect("ip address"));
        let (s, handle) = (server.clone(), Arc::new(handle));
        let thread = thread::spawn(move || {
            for request in s.incoming_requests() {
                let handle = handle.clone();
                thread::spawn(move || handle(request));
            }
        });
        Listening { url, server, thread: Some(thread) }
    }
}

impl Drop for Listening {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

pub fn reply(request: Request, status: u16, body: &Value, headers: &[(&str, String)]) {
    let mut response = Response::from_string(body.to_string()).with_status_code(status);
    response.add_header(Header::from_bytes("Content-Type", "application/json;charset=UTF-8").expect("header"));
    for (k, v) in headers {
        response.add_header(Header::from_bytes(k.as_bytes(), v.as_bytes()).expect("header"));
    }
    let _ = request.respond(response);
}

/// Answers a transport fault the same way from either fake: a 307 to another address, or a 200
/// of `bytes` spaces streamed (never held in memory here). Other faults are not transport faults.
pub fn reply_transport_fault(request: Request, fault: Fault) {
    use std::io::Read;
    match fault {
        Fault::RedirectTo(to) => {
            let mut response = Response::from_string("").with_status_code(307);
            response.add_header(Header::from_bytes("Location", to.as_bytes()).expect("header"));
            let _ = request.respond(response);
        }
        Fault::Huge(bytes) => {
            let body = std::io::repeat(b' ').take(bytes);
            let _ = request.respond(Response::new(200.into(), Vec::new(), body, Some(bytes as usize), None));
        }
        Fault::NotJson => {
            let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
            let _ = request.respond(Response::from_string(page).with_status_code(200));
        }
        other => unreachable!("{other:?} is not a transport fault"),
    }
}

/// A 200 whose JSON body stops halfway.
pub fn reply_truncated(request: Request, body: &Value) {
    let text = body.to_string();
    let cut: String = text.chars().take(text.chars().count() / 2).collect();
    let _ = request.respond(Response::from_string(cut).with_status_code(200));
}
