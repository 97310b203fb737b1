//! CRM tokens live in the OS keychain (the Secret Service on Linux) and nowhere else: never in the
//! database, the log, an error message or an export. Each is scoped to one book (its random id) and
//! bound to the address it was issued for: a second book, or the same book pointed at another
//! address (a fake CRM on loopback), never sees it, so it is never sent anywhere else.

use csm_crm::service::Keychain;
pub use csm_crm::service::Scope;
use csm_crm::CrmError;
use serde::Deserialize;

use crate::CommandError;

const SERVICE: &str = "CSM Desk";

/// The OS keychain, as the sync service keeps its secrets.
pub struct OsKeychain;

impl Keychain for OsKeychain {
    fn save(&self, scope: &Scope, secret: &str) -> Result<(), CrmError> {
        save(scope, secret).map_err(refused)
    }

    fn load(&self, scope: &Scope) -> Result<Option<String>, CrmError> {
        load(scope).map_err(refused)
    }

    fn forget(&self, scope: &Scope) -> Result<(), CrmError> {
        forget(scope).map_err(refused)
    }
}

fn refused(e: CommandError) -> CrmError {
    CrmError::Invalid(csm_core::Error::Invalid(vec![csm_core::FieldError::new("token", e.message)]))
}

/// What the keychain holds: the secret with the address it belongs to.
#[derive(Deserialize)]
struct Kept {
    address: String,
    secret: String,
}

fn entry(scope: &Scope) -> Result<keyring::Entry, CommandError> {
    keyring::Entry::new(SERVICE, &format!("{}-token-{}", scope.system, scope.book)).map_err(unavailable)
}

fn unavailable(e: keyring::Error) -> CommandError {
    // The error names the keychain's problem, never the secret.
    log::warn!(
        "keychain: {}",
        match e {
            keyring::Error::PlatformFailure(_) | keyring::Error::NoStorageAccess(_) => "not available",
            _ => "refused",
        }
    );
    CommandError::invalid(
        "token",
        "The system keychain is not available, so the token cannot be kept safely. Unlock your keyring (or install gnome-keyring) and try again.",
    )
}

pub fn save(scope: &Scope, secret: &str) -> Result<(), CommandError> {
    let json = serde_json::json!({ "address": scope.address, "secret": secret }).to_string();
    entry(scope)?.set_password(&json).map_err(unavailable)
}

/// The book's secret for this address; `None` when there is none, or it was issued for another
/// address (it is then never handed out: the CSM signs in again for the new one).
pub fn load(scope: &Scope) -> Result<Option<String>, CommandError> {
    let json = match entry(scope)?.get_password() {
        Ok(json) => json,
        Err(keyring::Error::NoEntry) => return Ok(None),
        Err(e) => return Err(unavailable(e)),
    };
    match serde_json::from_str::<Kept>(&json) {
        Ok(kept) if kept.address == scope.address => Ok(Some(kept.secret)),
        Ok(_) => {
            log::warn!("keychain: the {} sign-in was issued for another address; not used", scope.system);
            Ok(None)
        }
        Err(_) => Ok(None),
    }
}

pub fn forget(scope: &Scope) -> Result<(), CommandError> {
    match entry(scope)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(unavailable(e)),
    }
}

/// A calendar subscription's address (Google's and Outlook's "secret address" is a password in
/// all but name): kept in the keychain under the book and the calendar, never in the book.
fn calendar_entry(book: &str, calendar_id: &str) -> Result<keyring::Entry, CommandError> {
    keyring::Entry::new(SERVICE, &format!("{book}-calendar-{calendar_id}")).map_err(unavailable)
}

pub fn save_calendar_address(book: &str, calendar_id: &str, address: &str) -> Result<(), CommandError> {
    calendar_entry(book, calendar_id)?.set_password(address).map_err(unavailable)
}

pub fn load_calendar_address(book: &str, calendar_id: &str) -> Result<Option<String>, CommandError> {
    match calendar_entry(book, calendar_id)?.get_password() {
        Ok(address) => Ok(Some(address)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(unavailable(e)),
    }
}

pub fn forget_calendar_address(book: &str, calendar_id: &str) -> Result<(), CommandError> {
    match calendar_entry(book, calendar_id)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(unavailable(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(book: &str, address: &str) -> Scope {
        Scope { system: format!("test-{}", std::process::id()), book: book.into(), address: address.into() }
    }

    /// Needs a Secret Service: scripts/test.sh runs it under dbus-run-session with an unlocked
    /// gnome-keyring (`cargo test -p csm-desk --features e2e --lib keychain -- --ignored`).
    #[test]
    #[ignore = "needs a running Secret Service; scripts/test.sh provides one"]
    fn keychain_keeps_reads_and_forgets_a_token() {
        let book = scope("book-a", "https://api.hubapi.com");
        assert_eq!(load(&book).unwrap(), None);
        save(&book, "pat-na1-secret").unwrap();
        assert_eq!(load(&book).unwrap().as_deref(), Some("pat-na1-secret"));
        save(&book, "pat-na1-rotated").unwrap();
        assert_eq!(load(&book).unwrap().as_deref(), Some("pat-na1-rotated"));
        forget(&book).unwrap();
        assert_eq!(load(&book).unwrap(), None);
        forget(&book).unwrap();
    }

    /// Two books, one keychain: each keeps its own token, disconnecting one leaves the other, and a
    /// token is never handed out for an address other than the one it was issued for.
    #[test]
    #[ignore = "needs a running Secret Service; scripts/test.sh provides one"]
    fn keychain_keeps_each_books_token_apart_and_bound_to_its_address() {
        let main = scope("main-book", "https://api.hubapi.com");
        let trial = scope("trial-book", "http://127.0.0.1:4010");
        save(&main, "real-token").unwrap();
        assert_eq!(load(&trial).unwrap(), None, "another book does not see the real token");
        save(&trial, "demo-token").unwrap();
        assert_eq!(load(&main).unwrap().as_deref(), Some("real-token"));
        let moved = Scope { address: "http://127.0.0.1:4010".into(), ..main.clone() };
        assert_eq!(load(&moved).unwrap(), None, "not sent to another address");
        forget(&trial).unwrap();
        assert_eq!(load(&main).unwrap().as_deref(), Some("real-token"), "disconnecting one book leaves the other");
        forget(&main).unwrap();
    }

    #[test]
    #[ignore = "needs a running Secret Service; scripts/test.sh provides one"]
    fn keychain_keeps_a_calendar_address_per_book_and_calendar() {
        let book = format!("test-{}", std::process::id());
        let address = "https://calendar.google.com/calendar/ical/dana/private-0123/basic.ics";
        assert_eq!(load_calendar_address(&book, "cal-1").unwrap(), None);
        save_calendar_address(&book, "cal-1", address).unwrap();
        assert_eq!(load_calendar_address(&book, "cal-1").unwrap().as_deref(), Some(address));
        assert_eq!(load_calendar_address("another-book", "cal-1").unwrap(), None);
        forget_calendar_address(&book, "cal-1").unwrap();
        assert_eq!(load_calendar_address(&book, "cal-1").unwrap(), None);
        forget_calendar_address(&book, "cal-1").unwrap();
    }
}
