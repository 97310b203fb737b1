//! Which account a meeting is with: a known contact's email first (the account most attendees
//! belong to), then an account's web domain, then a domain the CSM assigned before. A meeting whose
//! attendees are all of the CSM's company (or who has none) is internal: busy time, no account.

use std::collections::{HashMap, HashSet};

use crate::model::{MeetingAttendee, MeetingMatchKind};

/// Mail providers shared by many people: a domain there says nothing of the company, so these are
/// assigned by the full address instead.
const SHARED_MAIL_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    "yahoo.com",
    "icloud.com",
    "me.com",
    "aol.com",
    "proton.me",
    "protonmail.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "mail.ru",
    "yandex.ru",
];

/// What the book knows that a meeting can be matched against (all keys lower case).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Directory {
    /// A contact's email → their account.
    pub contacts: HashMap<String, String>,
    /// An account's web domain → the account (domains two accounts share are left out).
    pub domains: HashMap<String, String>,
    /// A domain (or, for shared mail providers, an address) → the account the CSM chose.
    pub assigned: HashMap<String, String>,
    /// The CSM's own company domains.
    pub internal: HashSet<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingMatch {
    pub kind: MeetingMatchKind,
    pub account_id: Option<String>,
    /// The first external attendee's assignment key (domain, or address at a mail provider).
    pub domain: Option<String>,
}

/// The key a meeting is assigned by: the domain, or the whole address at a shared mail provider.
pub fn assignment_key(attendee: &MeetingAttendee) -> Option<String> {
    let domain = attendee.domain()?;
    Some(if is_shared_mail(domain) { attendee.email.clone() } else { domain.to_owned() })
}

pub fn is_shared_mail(domain: &str) -> bool {
    SHARED_MAIL_DOMAINS.contains(&domain)
}

/// A web domain as an account stores it ("https://www.acme.com/", "acme.com") → "acme.com".
pub fn normalize_domain(text: &str) -> Option<String> {
    let text = text.trim().to_lowercase();
    let text = text.split("://").last().unwrap_or(&text);
    let host = text.split(['/', '?', '#', ':']).next().unwrap_or("");
    let host = host.strip_prefix("www.").unwrap_or(host);
    (host.contains('.') && !host.starts_with('.')).then(|| host.to_owned())
}

pub fn match_meeting(attendees: &[MeetingAttendee], dir: &Directory) -> MeetingMatch {
    let external: Vec<&MeetingAttendee> =
        attendees.iter().filter(|a| a.domain().is_some_and(|d| !dir.internal.contains(d))).collect();
    let domain = external.iter().find_map(|a| assignment_key(a));
    let found = |kind, account_id: Option<String>| {
        account_id.map(|id| MeetingMatch { kind, account_id: Some(id), domain: domain.clone() })
    };
    if external.is_empty() {
        return MeetingMatch { kind: MeetingMatchKind::Internal, account_id: None, domain: None };
    }
    let by_contact = most_common(external.iter().filter_map(|a| dir.contacts.get(&a.email)));
    let by_domain = most_common(external.iter().filter_map(|a| a.domain().and_then(|d| dir.domains.get(d))));
    let by_choice = most_common(external.iter().filter_map(|a| assignment_key(a).and_then(|k| dir.assigned.get(&k))));
    found(MeetingMatchKind::Contact, by_contact)
        .or_else(|| found(MeetingMatchKind::Domain, by_domain))
        .or_else(|| found(MeetingMatchKind::Assigned, by_choice))
        .unwrap_or(MeetingMatch { kind: MeetingMatchKind::Unmatched, account_id: None, domain })
}

/// The value seen most often (ties: the smallest, so the answer does not depend on order).
fn most_common<'a>(values: impl Iterator<Item = &'a String>) -> Option<String> {
    let mut counts: HashMap<&String, usize> = HashMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0))).map(|(v, _)| v.clone())
}

/// Fewer meetings than this say too little to guess the CSM's company domain from.
const GUESS_MIN_MEETINGS: usize = 5;

/// The CSM's company domain when they have not said: a calendar named by an address (Google names
/// an export by its owner's) gives it; otherwise the domain in the most meetings (the CSM is in
/// all of them) if it is in at least half of five or more, and is neither a mail provider's nor
/// a customer's (an account's domain or a contact's).
pub fn guess_internal_domain<'a>(
    calendar_name: Option<&str>,
    meetings: impl Iterator<Item = &'a [MeetingAttendee]>,
    dir: &Directory,
) -> Option<String> {
    let customer = |d: &str| {
        is_shared_mail(d) || dir.domains.contains_key(d) || dir.contacts.keys().any(|e| e.ends_with(&format!("@{d}")))
    };
    let owner = calendar_name
        .map(|n| MeetingAttendee { email: n.trim().to_lowercase(), name: None })
        .and_then(|a| a.domain().map(str::to_owned))
        .filter(|d| d.contains('.') && !customer(d));
    if owner.is_some() {
        return owner;
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut total = 0;
    for attendees in meetings.filter(|a| !a.is_empty()) {
        total += 1;
        let domains: HashSet<&str> = attendees.iter().filter_map(MeetingAttendee::domain).collect();
        for d in domains {
            *counts.entry(d).or_default() += 1;
        }
    }
    if total < GUESS_MIN_MEETINGS {
        return None;
    }
    counts
        .into_iter()
        .filter(|(d, n)| *n * 2 >= total && !customer(d))
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(d, _)| d.to_owned())
}
