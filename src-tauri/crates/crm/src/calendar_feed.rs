//! A calendar subscription's address fetched over the same HTTP stack as the CRMs: https only
//! (http only to this computer), a time limit, a size limit, redirects only to https, and every
//! failure in plain words. The address is a secret (Google's and Outlook's "secret address"): it
//! is never logged or put in an error.

use std::time::Duration;

use reqwest::blocking::Client;
use reqwest::StatusCode;

use crate::http::bounded_text;
use crate::CrmError;

/// How long a calendar may take to answer, whole.
pub const FEED_TIMEOUT: Duration = Duration::from_secs(30);

/// Follows up to five redirects, never from https down to http.
fn https_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let loopback = matches!(attempt.url().host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
        if attempt.previous().len() >= 5 || !(attempt.url().scheme() == "https" || loopback) {
            attempt.stop()
        } else {
            attempt.follow()
        }
    })
}

pub struct CalendarFeed {
    client: Client,
}

impl CalendarFeed {
    /// `extra_root`: a PEM certificate to trust besides the system's (a test server's).
    pub fn new(timeout: Duration, extra_root: Option<&[u8]>) -> Result<Self, CrmError> {
        let mut builder = Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .redirect(https_redirects())
            .user_agent(concat!("CSM Desk/", env!("CARGO_PKG_VERSION")));
        if let Some(pem) = extra_root {
            let cert =
                reqwest::Certificate::from_pem(pem).map_err(|_| CrmError::Config("Not a certificate.".into()))?;
            builder = builder.add_root_certificate(cert);
        }
        let client = builder.build().map_err(|_| CrmError::Config("The HTTP client could not start.".into()))?;
        Ok(Self { client })
    }

    /// The calendar's text. Checked to be a calendar: a sign-in page answered instead is refused.
    pub fn fetch(&self, address: &str) -> Result<String, CrmError> {
        let address = csm_core::validate::calendar_address(address).map_err(|e| CrmError::Config(e.to_string()))?;
        let response = self.client.get(&address).header("Accept", "text/calendar, */*;q=0.5").send().map_err(|e| {
            CrmError::Network(if e.is_timeout() {
                "The calendar address did not answer in time; the last copy is kept.".into()
            } else {
                "The calendar address could not be reached (offline?); the last copy is kept.".into()
            })
        })?;
        let status = response.status();
        if !status.is_success() {
            return Err(CrmError::Rejected(status.as_u16(), refusal(status)));
        }
        let text = bounded_text(response)?;
        if !text.lines().take(50).any(|l| l.trim().eq_ignore_ascii_case("BEGIN:VCALENDAR")) {
            return Err(CrmError::Malformed(
                "The address answered with something that is not a calendar (a sign-in page?); the last copy is kept."
                    .into(),
            ));
        }
        Ok(text)
    }
}

fn refusal(status: StatusCode) -> String {
    match status.as_u16() {
        404 | 410 => "no calendar is at this address any more (was the secret address reset?); copy it again".into(),
        401 | 403 => "the calendar refused the address (is it the secret address?)".into(),
        429 => "the calendar server asks to wait; it will be tried again later".into(),
        _ => format!("the calendar server answered {status}; the last copy is kept"),
    }
}
