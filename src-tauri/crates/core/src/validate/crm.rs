//! The CRM connection form and the Sync page's inputs, checked like every other form.

use crate::error::{Error, FieldError};
use crate::model::{CrmSettings, CrmSystem, PreviewQuery};

fn invalid(field: &str, message: impl Into<String>) -> Error {
    Error::Invalid(vec![FieldError::new(field, message)])
}

/// Only HTTPS reaches a CRM; plain HTTP only to this machine (a local fake in tests and demos).
/// The address without a trailing slash.
pub fn crm_address(field: &str, text: &str) -> Result<String, Error> {
    let base = text.trim().trim_end_matches('/');
    super::secure_address(field, base, "The CRM address must start with https:// (http only for this computer).")?;
    Ok(base.to_owned())
}

/// The connection form: the address, field API names, and for Salesforce the consumer key and
/// the callback port.
pub fn crm_settings(system: CrmSystem, settings: &CrmSettings) -> Result<CrmSettings, Error> {
    let base_url = crm_address("base_url", &settings.base_url)?;
    let property = |field: &str, value: &str| -> Result<String, Error> {
        let v = value.trim();
        if v.len() > 100 || !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(invalid(
                field,
                format!("A {} field's API name has letters, digits and _ only.", system.name()),
            ));
        }
        Ok(v.to_owned())
    };
    let mut checked = CrmSettings {
        base_url,
        arr_property: property("arr_property", &settings.arr_property)?,
        renewal_property: property("renewal_property", &settings.renewal_property)?,
        segment_property: property("segment_property", &settings.segment_property)?,
        licences_property: property("licences_property", &settings.licences_property)?,
        ..CrmSettings::default()
    };
    if system == CrmSystem::Salesforce {
        let key = settings.client_id.trim();
        if key.is_empty() || key.len() > 256 || !key.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
            return Err(invalid("client_id", "Paste the consumer key of your External Client App."));
        }
        if settings.callback_port < 1024 {
            return Err(invalid("callback_port", "Choose a callback port from 1024 to 65535."));
        }
        checked.client_id = key.to_owned();
        checked.callback_port = settings.callback_port;
    }
    Ok(checked)
}

/// A CRM user's id, as the owners list gives it ("" for everyone's accounts).
pub fn crm_owner_id(text: &str) -> Result<String, Error> {
    if text.len() > 40 || !text.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(invalid("owner_id", "Choose one of the listed owners."));
    }
    Ok(text.to_owned())
}

/// The preview's search words: plain text, at most 200 characters.
pub fn preview_query(query: PreviewQuery) -> Result<PreviewQuery, Error> {
    if query.text.chars().count() > 200 || query.text.chars().any(char::is_control) {
        return Err(invalid("text", "Search for at most 200 characters of plain text."));
    }
    Ok(query)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crm_is_reached_over_https_or_on_this_computer_only() {
        assert_eq!(crm_address("base_url", "https://api.hubapi.com/").unwrap(), "https://api.hubapi.com");
        assert!(crm_address("base_url", "http://127.0.0.1:8080").is_ok());
        assert!(crm_address("base_url", "http://localhost:9").is_ok());
        for bad in ["http://api.hubapi.com", "ftp://x", "not a url"] {
            assert_eq!(crm_address("base_url", bad).unwrap_err().fields()[0].field, "base_url", "{bad}");
        }
        assert!(crm_owner_id("12345").is_ok() && crm_owner_id("1; DROP").is_err());
    }
}
