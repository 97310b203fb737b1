//! Salesforce sign-in for a desktop app: the OAuth 2.0 web-server flow with PKCE as a public
//! client (no secret). The browser is sent to the authorize page; a one-shot listener on this
//! computer's loopback address receives the code; the code and the PKCE verifier are exchanged for
//! tokens. Refresh tokens rotate: each refresh returns a new one and the old one stops working, so
//! the caller keeps the new tokens before using them. Nothing here logs or shows a token.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use reqwest::blocking::Client;
use reqwest::Url;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::http::{check_base_url, message_of};
use crate::CrmError;

/// What a sign-in yields, kept whole in the OS keychain.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Tokens {
    pub access_token: String,
    #[serde(default)]
    pub refresh_token: String,
    pub instance_url: String,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens").field("instance_url", &self.instance_url).finish_non_exhaustive()
    }
}

/// The PKCE pair: the verifier stays here, the challenge goes to the authorize page.
pub struct Pkce {
    pub verifier: String,
    pub challenge: String,
}

fn random_text(bytes: usize) -> Result<String, CrmError> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|_| CrmError::Config("This computer could not make a random key.".into()))?;
    Ok(URL_SAFE_NO_PAD.encode(buf))
}

/// S256: base64url (no padding) of the SHA-256 of the verifier (RFC 7636 §4.2).
pub fn challenge_of(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// A fresh verifier of 43 characters (32 random bytes) and its challenge.
pub fn pkce() -> Result<Pkce, CrmError> {
    let verifier = random_text(32)?;
    Ok(Pkce { challenge: challenge_of(&verifier), verifier })
}

/// An unguessable `state` that ties the callback to this sign-in.
pub fn state() -> Result<String, CrmError> {
    random_text(16)
}

/// The authorize page for `login` (login.salesforce.com, test.salesforce.com or a My Domain).
pub fn authorize_url(login: &str, client_id: &str, redirect_uri: &str, challenge: &str, state: &str) -> String {
    let mut url = Url::parse(&format!("{}/services/oauth2/authorize", login.trim_end_matches('/')))
        .unwrap_or_else(|_| Url::parse("https://login.salesforce.com/services/oauth2/authorize").expect("valid"));
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("code_challenge", challenge)
        .append_pair("code_challenge_method", "S256")
        .append_pair("scope", "api refresh_token")
        .append_pair("state", state);
    url.into()
}

/// The loopback listener that receives the browser's redirect (`http://127.0.0.1:<port>/callback`:
/// the IP literal, as RFC 8252 §7.3 advises, so the name `localhost` resolving to ::1 cannot send
/// the code elsewhere).
pub struct Loopback {
    listener: TcpListener,
    port: u16,
}

/// Connections read at once: a few stalled ones cannot keep the browser's redirect waiting.
const READERS: usize = 8;

impl Loopback {
    /// Listens on 127.0.0.1 at `port`; 0 picks a free port.
    pub fn bind(port: u16) -> Result<Loopback, CrmError> {
        let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|_| {
            CrmError::Config(format!("Port {port} on this computer is in use; choose another callback port."))
        })?;
        let port = listener.local_addr().map(|a| a.port()).unwrap_or(port);
        listener
            .set_nonblocking(true)
            .map_err(|e| CrmError::Config(format!("Could not listen for the sign-in: {e}")))?;
        Ok(Loopback { listener, port })
    }

    pub fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}/callback", self.port)
    }

    /// Waits for the redirect carrying `state`, answers the browser and returns the code. Other
    /// requests (a wrong state, another path) are answered and ignored. Each connection is read
    /// on its own thread, so one that sends nothing does not hold up the rest.
    pub fn wait_for_code(&self, state: &str, timeout: Duration, cancel: &AtomicBool) -> Result<String, CrmError> {
        let until = Instant::now() + timeout;
        let (outcomes, arrived) = mpsc::channel();
        let reading = Arc::new(AtomicUsize::new(0));
        while Instant::now() < until {
            if cancel.load(Ordering::Relaxed) {
                return Err(CrmError::Cancelled);
            }
            if let Ok(outcome) = arrived.try_recv() {
                return outcome;
            }
            match self.listener.accept() {
                Ok((stream, _)) if reading.load(Ordering::SeqCst) < READERS => {
                    let (outcomes, reading, state) = (outcomes.clone(), reading.clone(), state.to_owned());
                    reading.fetch_add(1, Ordering::SeqCst);
                    std::thread::spawn(move || {
                        if let Some(outcome) = answer(stream, &state) {
                            let _ = outcomes.send(outcome);
                        }
                        reading.fetch_sub(1, Ordering::SeqCst);
                    });
                }
                Ok(_) => {} // Too many at once: dropped, the browser retries.
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
        Err(CrmError::Config("The sign-in was not finished in time; try again.".into()))
    }
}

/// Reads one request; Some when it was the callback for this sign-in.
fn answer(mut stream: TcpStream, state: &str) -> Option<Result<String, CrmError>> {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut buf = [0u8; 8192];
    let n = stream.read(&mut buf).ok()?;
    let head = String::from_utf8_lossy(&buf[..n]);
    let target = head.lines().next()?.split_whitespace().nth(1)?.to_owned();
    let url = Url::parse(&format!("http://127.0.0.1{target}")).ok()?;
    let param = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    if url.path() != "/callback" || param("state").as_deref() != Some(state) {
        respond(&mut stream, "404 Not Found", "This is not the sign-in CSM Desk is waiting for.");
        return None;
    }
    if let Some(error) = param("error") {
        respond(&mut stream, "200 OK", "Salesforce did not sign you in. You can close this tab.");
        let why = param("error_description").unwrap_or(error);
        let why: String = why.chars().filter(|c| !c.is_control()).take(200).collect();
        return Some(Err(CrmError::Config(format!("Salesforce did not sign you in: {why}"))));
    }
    let code = param("code").filter(|c| !c.is_empty())?;
    respond(&mut stream, "200 OK", "CSM Desk is connected to Salesforce. You can close this tab.");
    Some(Ok(code))
}

fn respond(stream: &mut TcpStream, status: &str, words: &str) {
    let body = format!(
        "<!doctype html><meta charset=utf-8><title>CSM Desk</title><body style=\"font:16px system-ui;margin:3em\">{words}</body>"
    );
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

fn token_request(login: &str, form: &[(&str, &str)]) -> Result<Value, CrmError> {
    let login = check_base_url(login)?;
    // A blocking client, created and dropped on the caller's (blocking) thread.
    let client = Client::builder()
        .timeout(Duration::from_secs(30))
        .redirect(crate::http::same_host_redirects())
        .user_agent("CSM Desk")
        .build()
        .map_err(|e| CrmError::Config(format!("Could not set up the connection: {e}")))?;
    let response = client.post(format!("{login}/services/oauth2/token")).form(form).send().map_err(|e| {
        CrmError::Network(if e.is_connect() {
            "Could not reach Salesforce (offline, or the address is wrong).".into()
        } else {
            "The connection to Salesforce broke off.".into()
        })
    })?;
    let status = response.status();
    let body = crate::http::bounded_text(response)?;
    let json: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    if status.is_success() {
        return Ok(json);
    }
    match json["error"].as_str() {
        Some("invalid_grant") if form.iter().any(|(k, v)| *k == "grant_type" && *v == "refresh_token") => {
            Err(CrmError::SignInAgain)
        }
        _ => Err(CrmError::Rejected(status.as_u16(), message_of(&body))),
    }
}

fn tokens_from(json: &Value, previous_refresh: &str) -> Result<Tokens, CrmError> {
    let text = |k: &str| json[k].as_str().filter(|v| !v.is_empty()).map(str::to_owned);
    let access_token =
        text("access_token").ok_or_else(|| CrmError::Malformed("Salesforce's sign-in reply has no token.".into()))?;
    let instance_url = text("instance_url")
        .ok_or_else(|| CrmError::Malformed("Salesforce's sign-in reply does not say which instance to use.".into()))?;
    let instance_url = check_base_url(&instance_url)?;
    // Without rotation the reply has no new refresh token, and the old one stays good.
    let refresh_token = text("refresh_token").unwrap_or_else(|| previous_refresh.to_owned());
    Ok(Tokens { access_token, refresh_token, instance_url })
}

/// Exchanges the authorization code (with the PKCE verifier, no client secret) for tokens.
pub fn exchange_code(
    login: &str,
    client_id: &str,
    code: &str,
    verifier: &str,
    redirect_uri: &str,
) -> Result<Tokens, CrmError> {
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("client_id", client_id),
        ("redirect_uri", redirect_uri),
        ("code_verifier", verifier),
    ];
    tokens_from(&token_request(login, &form)?, "")
}

/// A new access token (and, with rotation, a new refresh token). `SignInAgain` when the refresh
/// token was revoked, expired or already used.
pub fn refresh(login: &str, client_id: &str, refresh_token: &str) -> Result<Tokens, CrmError> {
    if refresh_token.is_empty() {
        return Err(CrmError::SignInAgain);
    }
    let form = [("grant_type", "refresh_token"), ("refresh_token", refresh_token), ("client_id", client_id)];
    tokens_from(&token_request(login, &form)?, refresh_token)
}

/// Revokes the refresh token at sign-out; best effort (offline sign-out still forgets it here).
pub fn revoke(login: &str, token: &str) {
    if let Ok(login) = check_base_url(login) {
        if let Ok(client) = Client::builder().timeout(Duration::from_secs(10)).build() {
            let _ = client.post(format!("{login}/services/oauth2/revoke")).form(&[("token", token)]).send();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_challenge_is_the_rfc_7636_s256_of_the_verifier() {
        // RFC 7636, appendix B.
        assert_eq!(
            challenge_of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let (a, b) = (pkce().unwrap(), pkce().unwrap());
        assert_eq!(a.verifier.len(), 43, "32 random bytes, base64url without padding");
        assert!(a.verifier.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_ne!(a.verifier, b.verifier);
        assert_eq!(a.challenge, challenge_of(&a.verifier));
    }

    #[test]
    fn the_authorize_url_carries_the_challenge_and_state_encoded() {
        let url = authorize_url("https://login.salesforce.com/", "key&x", "http://127.0.0.1:7171/callback", "ch", "st");
        assert!(url.starts_with("https://login.salesforce.com/services/oauth2/authorize?response_type=code"));
        assert!(url.contains("client_id=key%26x"));
        assert!(url.contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A7171%2Fcallback"));
        assert!(url.contains("code_challenge=ch&code_challenge_method=S256"));
        assert!(url.contains("state=st"));
    }

    fn get(port: u16, target: &str) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(s, "GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        out
    }

    #[test]
    fn the_loopback_listener_takes_only_the_callback_with_our_state() {
        let loopback = Loopback::bind(0).unwrap();
        let port = loopback.port;
        assert_eq!(loopback.redirect_uri(), format!("http://127.0.0.1:{port}/callback"));
        let browser = std::thread::spawn(move || {
            let forged = get(port, "/callback?code=evil&state=other");
            let page = get(port, "/callback?code=abc%2F1&state=st");
            (forged, page)
        });
        let code = loopback.wait_for_code("st", Duration::from_secs(10), &AtomicBool::new(false)).unwrap();
        assert_eq!(code, "abc/1");
        let (forged, page) = browser.join().unwrap();
        assert!(forged.starts_with("HTTP/1.1 404"), "{forged}");
        assert!(page.contains("connected to Salesforce"));
    }

    #[test]
    fn a_connection_that_sends_nothing_does_not_hold_up_the_redirect() {
        let loopback = Loopback::bind(0).unwrap();
        let port = loopback.port;
        let stalled: Vec<TcpStream> = (0..3).map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap()).collect();
        let browser = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            get(port, "/callback?code=abc&state=st")
        });
        let started = Instant::now();
        let code = loopback.wait_for_code("st", Duration::from_secs(10), &AtomicBool::new(false)).unwrap();
        assert_eq!(code, "abc");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "waited {:?} behind stalled connections",
            started.elapsed()
        );
        browser.join().unwrap();
        drop(stalled);
    }

    #[test]
    fn a_refused_sign_in_or_a_cancel_ends_the_wait_with_words() {
        let loopback = Loopback::bind(0).unwrap();
        let port = loopback.port;
        let browser = std::thread::spawn(move || {
            get(port, "/callback?error=access_denied&error_description=end-user+denied+authorization&state=st")
        });
        let err = loopback.wait_for_code("st", Duration::from_secs(10), &AtomicBool::new(false)).unwrap_err();
        assert!(err.to_string().contains("end-user denied authorization"), "{err}");
        browser.join().unwrap();
        let cancelled = loopback.wait_for_code("st", Duration::from_secs(10), &AtomicBool::new(true));
        assert!(matches!(cancelled, Err(CrmError::Cancelled)));
    }

    #[test]
    fn a_cancel_while_waiting_ends_the_wait() {
        let loopback = Loopback::bind(0).unwrap();
        let cancel = std::sync::Arc::new(AtomicBool::new(false));
        let later = cancel.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            later.store(true, Ordering::SeqCst);
        });
        let outcome = loopback.wait_for_code("st", Duration::from_secs(10), &cancel);
        assert!(matches!(outcome, Err(CrmError::Cancelled)));
    }

    #[test]
    fn tokens_never_show_in_debug_output() {
        let t = Tokens {
            access_token: "00Dxx!secret".into(),
            refresh_token: "5Aep-r".into(),
            instance_url: "https://x".into(),
        };
        let shown = format!("{t:?}");
        assert!(!shown.contains("secret") && !shown.contains("5Aep"), "{shown}");
    }
}
