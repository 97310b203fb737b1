//! A calendar subscription against a local https server with a self-signed certificate (trusted
//! here, as a test root): a good calendar is stored; a 404, a sign-in page, a slow answer, a
//! redirect down to http and an untrusted certificate each give a clear message and keep the last
//! good copy; the secret address never appears in a message.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use csm_core::model::CalendarInput;
use csm_core::store::CalendarText;
use csm_core::{validate, Store};
use csm_crm::calendar_feed::CalendarFeed;
use csm_crm::CrmError;
use openssl::asn1::Asn1Time;
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::ssl::{SslAcceptor, SslMethod};
use openssl::x509::extension::SubjectAlternativeName;
use openssl::x509::{X509NameBuilder, X509};

const CALENDAR: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:feed-1\r\nDTSTART:20261210T150000Z\r\n\
DTEND:20261210T153000Z\r\nSUMMARY:Acme sync\r\nATTENDEE:mailto:priya@acme.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

fn certificate() -> (X509, PKey<Private>) {
    let key = PKey::from_rsa(Rsa::generate(2048).expect("test setup")).expect("test setup");
    let mut name = X509NameBuilder::new().expect("test setup");
    name.append_entry_by_text("CN", "127.0.0.1").expect("test setup");
    let name = name.build();
    let mut cert = X509::builder().expect("test setup");
    cert.set_version(2).expect("test setup");
    cert.set_subject_name(&name).expect("test setup");
    cert.set_issuer_name(&name).expect("test setup");
    cert.set_pubkey(&key).expect("test setup");
    cert.set_not_before(&Asn1Time::days_from_now(0).expect("test setup")).expect("test setup");
    cert.set_not_after(&Asn1Time::days_from_now(2).expect("test setup")).expect("test setup");
    let san = SubjectAlternativeName::new()
        .ip("127.0.0.1")
        .dns("localhost")
        .build(&cert.x509v3_context(None, None))
        .expect("test setup");
    cert.append_extension(san).expect("test setup");
    cert.sign(&key, MessageDigest::sha256()).expect("test setup");
    (cert.build(), key)
}

/// Serves each path its answer over TLS on a free port; returns the port and the certificate PEM.
fn serve() -> (u16, Vec<u8>) {
    let (cert, key) = certificate();
    let mut acceptor = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls()).expect("test setup");
    acceptor.set_private_key(&key).expect("test setup");
    acceptor.set_certificate(&cert).expect("test setup");
    let acceptor = Arc::new(acceptor.build());
    let listener = TcpListener::bind("127.0.0.1:0").expect("test setup");
    let port = listener.local_addr().expect("test setup").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let acceptor = Arc::clone(&acceptor);
            std::thread::spawn(move || answer(&acceptor, stream));
        }
    });
    (port, cert.to_pem().expect("test setup"))
}

fn answer(acceptor: &SslAcceptor, stream: TcpStream) {
    let Ok(mut tls) = acceptor.accept(stream) else { return };
    let mut reader = BufReader::new(&mut tls);
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let (status, kind, body, extra) = match path.as_str() {
        "/private-s3cret/basic.ics" => ("200 OK", "text/calendar", CALENDAR.to_owned(), String::new()),
        "/login" => ("200 OK", "text/html", "<html><body><form>Sign in</form></body></html>".to_owned(), String::new()),
        "/down-to-http" => {
            ("302 Found", "text/plain", String::new(), "Location: http://calendar.example/x.ics\r\n".into())
        }
        "/slow.ics" => {
            std::thread::sleep(Duration::from_secs(3));
            ("200 OK", "text/calendar", CALENDAR.to_owned(), String::new())
        }
        _ => ("404 Not Found", "text/plain", "not found".to_owned(), String::new()),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n",
        body.len()
    );
    let _ = tls.write_all(head.as_bytes());
    let _ = tls.write_all(body.as_bytes());
}

fn now() -> DateTime<Utc> {
    "2026-12-03T10:00:00Z".parse().expect("test setup")
}

fn today() -> NaiveDate {
    now().date_naive()
}

#[test]
fn a_subscription_is_fetched_over_https_and_every_failure_keeps_the_last_copy() {
    let (port, pem) = serve();
    let feed = CalendarFeed::new(Duration::from_secs(1), Some(&pem)).expect("test setup");
    let at = |path: &str| format!("https://127.0.0.1:{port}{path}");
    let secret = at("/private-s3cret/basic.ics");

    let store = Store::open_in_memory().expect("test setup");
    let input = CalendarInput {
        name: "Google".into(),
        kind: "address".into(),
        location: secret.clone(),
        refresh_minutes: String::new(),
    };
    let calendar = store.add_calendar(&validate::calendar(&input).expect("test setup"), now()).expect("test setup");
    let text = feed.fetch(&secret).expect("fetched");
    let stored = store
        .store_fetched_calendar(&calendar.id, &CalendarText(text), chrono_tz::Tz::UTC, today(), now())
        .expect("test setup");
    assert_eq!((stored.meetings, stored.last_error), (1, None));

    let failures = [
        (at("/gone.ics"), "404"),
        (at("/login"), "not a calendar"),
        (at("/slow.ics"), "did not answer in time"),
        (at("/down-to-http"), "302"),
        (format!("https://127.0.0.1:{}/x.ics", free_port()), "could not be reached"),
    ];
    for (address, expected) in failures {
        let why = feed.fetch(&address).expect_err(expected).to_string();
        assert!(why.contains(expected), "{address}: {why}");
        assert!(!why.contains("127.0.0.1") && !why.contains("s3cret"), "the address stays out of messages: {why}");
        let kept = store.calendar_read_failed(&calendar.id, &why, now()).expect("test setup");
        assert_eq!(kept.meetings, 1, "the last good copy stays after: {why}");
    }
    // Without the test root the self-signed certificate is not trusted.
    let untrusting = CalendarFeed::new(Duration::from_secs(2), None).expect("test setup");
    assert!(matches!(untrusting.fetch(&secret), Err(CrmError::Network(_))));
    // Plain http is refused before anything is sent (loopback aside, as for the CRMs).
    assert!(matches!(feed.fetch("http://calendar.example/x.ics"), Err(CrmError::Config(_))));
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("test setup").local_addr().expect("test setup").port()
}
