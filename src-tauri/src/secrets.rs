//! CRM tokens live in the OS keychain (the Secret Service on Linux) and nowhere else: never in the
//! database, the log, an error message or an export.

use crate::CommandError;

const SERVICE: &str = "CSM Desk";

fn entry(system: &str) -> Result<keyring::Entry, CommandError> {
    keyring::Entry::new(SERVICE, &format!("{system}-token")).map_err(unavailable)
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

pub fn save(system: &str, token: &str) -> Result<(), CommandError> {
    entry(system)?.set_password(token).map_err(unavailable)
}

pub fn load(system: &str) -> Result<Option<String>, CommandError> {
    match entry(system)?.get_password() {
        Ok(token) => Ok(Some(token)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(unavailable(e)),
    }
}

pub fn forget(system: &str) -> Result<(), CommandError> {
    match entry(system)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(unavailable(e)),
    }
}

#[cfg(test)]
mod tests {
    /// Needs a Secret Service: scripts/test.sh runs it under dbus-run-session with an unlocked
    /// gnome-keyring (`cargo test -p csm-desk --features e2e --lib keychain -- --ignored`).
    #[test]
    #[ignore = "needs a running Secret Service; scripts/test.sh provides one"]
    fn keychain_keeps_reads_and_forgets_a_token() {
        let system = format!("test-{}", std::process::id());
        assert_eq!(super::load(&system).unwrap(), None);
        super::save(&system, "pat-na1-secret").unwrap();
        assert_eq!(super::load(&system).unwrap().as_deref(), Some("pat-na1-secret"));
        super::save(&system, "pat-na1-rotated").unwrap();
        assert_eq!(super::load(&system).unwrap().as_deref(), Some("pat-na1-rotated"));
        super::forget(&system).unwrap();
        assert_eq!(super::load(&system).unwrap(), None);
        super::forget(&system).unwrap();
    }
}
