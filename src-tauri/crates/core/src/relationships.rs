//! Who the CSM really talks to, as pure functions over contacts and the notes they attended:
//! each person's engagement, each account's coverage of key roles and whether it hangs on one
//! person (single-threaded), attendees who are not contacts yet, and `@name stance:` lines.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::model::{
    Attendee, Cadence, Contact, ContactRole, Coverage, DealRole, Engagement, Influence, RoleCoverage, Segment,
    SuggestedContact,
};

/// The window single-threading and "touches in 90 days" look at.
pub const WINDOW_DAYS: i64 = 90;

/// What reading relationships needs of a contact (a contact's other fields are not read).
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: String,
    pub account_id: String,
    pub name: String,
    pub role: ContactRole,
    pub deal_roles: Vec<DealRole>,
    pub influence: Option<Influence>,
    pub left_on: Option<NaiveDate>,
}

impl Person {
    /// Whether the person holds `role` in the deal (through their role or besides it).
    pub fn holds(&self, role: DealRole) -> bool {
        self.role.deal_role() == Some(role) || self.deal_roles.contains(&role)
    }

    /// Still at the customer on `day`.
    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.left_on.is_none_or(|left| left > day)
    }
}

impl From<&Contact> for Person {
    fn from(c: &Contact) -> Self {
        Person {
            id: c.id.clone(),
            account_id: c.account_id.clone(),
            name: c.name.clone(),
            role: c.role,
            deal_roles: c.deal_roles.clone(),
            influence: c.influence,
            left_on: c.left_on,
        }
    }
}

/// A note (call, meeting, QBR) on an account, with who attended.
#[derive(Debug, Clone, PartialEq)]
pub struct Touch {
    pub account_id: String,
    pub day: NaiveDate,
    pub attendees: Vec<Attendee>,
}

/// One account's relationship: its coverage and each of its people's engagement (by contact id).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccountRelationship<'a> {
    pub coverage: Coverage,
    pub engagement: HashMap<&'a str, Engagement>,
}

/// A name as compared: trimmed, inner spaces collapsed, lower case.
pub fn name_key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Free names of each account's people, built only when a touch has a free-name attendee.
type Names<'a> = HashMap<(&'a str, String), Vec<usize>>;

fn names_of(people: &[Person]) -> Names<'_> {
    let mut names: Names<'_> = HashMap::new();
    for (i, p) in people.iter().enumerate() {
        names.entry((p.account_id.as_str(), name_key(&p.name))).or_default().push(i);
    }
    names
}

/// The people a touch involved: linked contacts by id (renamed ones too), free names matched to
/// exactly one person of the touch's account; each person once.
fn involved<'a>(
    touch: &Touch,
    ids: &HashMap<&str, usize>,
    names: &mut Option<Names<'a>>,
    people: &'a [Person],
    out: &mut Vec<usize>,
) {
    out.clear();
    for a in &touch.attendees {
        let found = match &a.contact_id {
            Some(id) => ids.get(id.as_str()).copied(),
            None => {
                let names = names.get_or_insert_with(|| names_of(people));
                match names.get(&(touch.account_id.as_str(), name_key(&a.name))).map(Vec::as_slice) {
                    Some([only]) => Some(*only),
                    _ => None,
                }
            }
        };
        if let Some(person) = found.filter(|p| !out.contains(p)) {
            out.push(person);
        }
    }
}

#[derive(Default)]
struct Seen {
    last: Option<NaiveDate>,
    /// Days within the window, unsorted, possibly repeated.
    recent: Vec<NaiveDate>,
}

/// An account's touches in the window that involved its own people: their days and who.
#[derive(Default)]
struct Threads {
    days: Vec<NaiveDate>,
    people: Vec<usize>,
}

/// Relationships of every account in `segments` as of `today`. `people` and `touches` may hold
/// other accounts' rows: a person met on another account's call still counts as met, but only an
/// account's own people count towards its coverage.
pub fn assess<'a>(
    segments: &HashMap<String, Segment>,
    people: &'a [Person],
    touches: &[Touch],
    cadence: &Cadence,
    today: NaiveDate,
) -> HashMap<String, AccountRelationship<'a>> {
    let mut seen = seen_in(segments, people, touches, cadence, today);
    seen.accounts()
        .into_iter()
        .map(|(account, mine, threads, engaged_within)| {
            let coverage = coverage_of(people, &mine, &seen.people, &threads, engaged_within, today);
            let engagement = mine
                .iter()
                .map(|&i| {
                    (people[i].id.as_str(), engagement_of(&people[i], &mut seen.people[i], engaged_within, today))
                })
                .collect();
            (account, AccountRelationship { coverage, engagement })
        })
        .collect()
}

/// Only the coverage of every account in `segments`: what scoring, the Book and the Week need
/// (no per-person engagement is kept).
pub fn coverage(
    segments: &HashMap<String, Segment>,
    people: &[Person],
    touches: &[Touch],
    cadence: &Cadence,
    today: NaiveDate,
) -> HashMap<String, Coverage> {
    let mut seen = seen_in(segments, people, touches, cadence, today);
    seen.accounts()
        .into_iter()
        .map(|(account, mine, threads, engaged_within)| {
            (account, coverage_of(people, &mine, &seen.people, &threads, engaged_within, today))
        })
        .collect()
}

/// Who was met when, per person and per account, in one pass over the touches.
struct Book<'s> {
    segments: Vec<(&'s String, Segment)>,
    cadence: Cadence,
    people: Vec<Seen>,
    threads: Vec<Threads>,
    by_account: Vec<Vec<usize>>,
}

impl Book<'_> {
    /// Each account with its people (indices), its threads, and "engaged" in days.
    fn accounts(&mut self) -> Vec<(String, Vec<usize>, Threads, i64)> {
        let threads = std::mem::take(&mut self.threads);
        let by_account = std::mem::take(&mut self.by_account);
        let cadence = self.cadence;
        let accounts = self.segments.iter().zip(threads).zip(by_account);
        accounts
            .map(|(((account, segment), mut t), mine)| {
                t.days.sort_unstable();
                t.days.dedup();
                t.people.sort_unstable();
                t.people.dedup();
                ((*account).clone(), mine, t, i64::from(cadence.for_segment(*segment).max(1)) * 2)
            })
            .collect()
    }
}

fn seen_in<'s>(
    segments: &'s HashMap<String, Segment>,
    people: &[Person],
    touches: &[Touch],
    cadence: &Cadence,
    today: NaiveDate,
) -> Book<'s> {
    let accounts: Vec<(&String, Segment)> = segments.iter().map(|(id, s)| (id, *s)).collect();
    let account_index: HashMap<&str, usize> =
        accounts.iter().enumerate().map(|(i, (id, _))| (id.as_str(), i)).collect();
    let ids: HashMap<&str, usize> = people.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
    let mut names = None;
    let window_start = today - chrono::Days::new(WINDOW_DAYS as u64);
    let mut seen: Vec<Seen> = people.iter().map(|_| Seen::default()).collect();
    let mut threads: Vec<Threads> = accounts.iter().map(|_| Threads::default()).collect();
    let mut who = Vec::new();
    for touch in touches.iter().filter(|t| t.day <= today) {
        let recent = touch.day > window_start;
        let account = account_index.get(touch.account_id.as_str()).copied();
        involved(touch, &ids, &mut names, people, &mut who);
        for &person in &who {
            let s = &mut seen[person];
            s.last = s.last.max(Some(touch.day));
            if !recent {
                continue;
            }
            s.recent.push(touch.day);
            if let Some(a) = account.filter(|_| people[person].account_id == touch.account_id) {
                threads[a].days.push(touch.day);
                threads[a].people.push(person);
            }
        }
    }
    let mut by_account: Vec<Vec<usize>> = vec![Vec::new(); accounts.len()];
    for (i, p) in people.iter().enumerate() {
        if let Some(&a) = account_index.get(p.account_id.as_str()) {
            by_account[a].push(i);
        }
    }
    Book { segments: accounts, cadence: *cadence, people: seen, threads, by_account }
}

fn engagement_of(person: &Person, seen: &mut Seen, engaged_within: i64, today: NaiveDate) -> Engagement {
    seen.recent.sort_unstable();
    seen.recent.dedup();
    let since = |days: i64| seen.recent.iter().filter(|d| (today - **d).num_days() < days).count() as u32;
    let matters = person.influence == Some(Influence::High) || DealRole::KEY.iter().any(|r| person.holds(*r));
    let quiet = seen.last.is_some_and(|last| (today - last).num_days() > engaged_within);
    Engagement {
        last_touch_on: seen.last,
        days_since_touch: seen.last.map(|d| (today - d).num_days()),
        touches_30d: since(30),
        touches_90d: since(WINDOW_DAYS),
        gone_quiet: matters && person.active_on(today) && quiet,
    }
}

fn coverage_of(
    people: &[Person],
    mine: &[usize],
    seen: &[Seen],
    threads: &Threads,
    engaged_within: i64,
    today: NaiveDate,
) -> Coverage {
    let active: Vec<usize> = mine.iter().copied().filter(|&i| people[i].active_on(today)).collect();
    let key_roles: Vec<RoleCoverage> = DealRole::KEY
        .iter()
        .map(|&role| {
            let mut holders: Vec<usize> = active.iter().copied().filter(|&i| people[i].holds(role)).collect();
            holders.sort_by(|&a, &b| people[a].name.cmp(&people[b].name).then(people[a].id.cmp(&people[b].id)));
            let last_touch_on = holders.iter().filter_map(|&i| seen[i].last).max();
            RoleCoverage {
                role,
                people: holders.iter().map(|&i| people[i].name.clone()).collect(),
                engaged: last_touch_on.is_some_and(|d| (today - d).num_days() <= engaged_within),
                last_touch_on,
            }
        })
        .collect();
    let single_threaded = match threads.people.as_slice() {
        [only] if threads.days.len() >= 2 => Some(people[*only].name.clone()),
        _ => None,
    };
    let sponsor_engaged = key_roles.iter().any(|c| c.role != DealRole::Champion && c.engaged);
    let base = active
        .iter()
        .map(|&i| &people[i])
        .map(|p| {
            if p.holds(DealRole::EconomicBuyer) || p.holds(DealRole::ExecutiveSponsor) {
                Some(2)
            } else if p.holds(DealRole::Champion) {
                Some(1)
            } else if p.role != ContactRole::Other || !p.deal_roles.is_empty() {
                Some(0)
            } else {
                None
            }
        })
        .max()
        .flatten();
    let level = base.map(|l: u8| if single_threaded.is_some() { l.saturating_sub(1) } else { l });
    Coverage {
        key_roles,
        people_touched_90d: threads.people.len() as u32,
        touches_90d: threads.days.len() as u32,
        single_threaded,
        sponsor_engaged,
        level,
    }
}

/// Free-name attendees of an account's touches that match none of its people, most met first;
/// names the CSM dismissed (`name_key`s) are left out.
pub fn suggested_contacts(
    account_id: &str,
    people: &[Person],
    touches: &[Touch],
    dismissed: &HashSet<String>,
) -> Vec<SuggestedContact> {
    let known: HashSet<String> =
        people.iter().filter(|p| p.account_id == account_id).map(|p| name_key(&p.name)).collect();
    let mut found: HashMap<String, (String, HashSet<NaiveDate>)> = HashMap::new();
    for touch in touches.iter().filter(|t| t.account_id == account_id) {
        for a in touch.attendees.iter().filter(|a| a.contact_id.is_none()) {
            let key = name_key(&a.name);
            if key.is_empty() || known.contains(&key) || dismissed.contains(&key) {
                continue;
            }
            let entry = found.entry(key).or_insert_with(|| (a.name.trim().to_owned(), HashSet::new()));
            entry.1.insert(touch.day);
        }
    }
    let mut out: Vec<SuggestedContact> = found
        .into_values()
        .filter_map(|(name, days)| {
            let last_seen_on = days.iter().max().copied()?;
            Some(SuggestedContact { name, touches: days.len() as u32, last_seen_on })
        })
        .collect();
    out.sort_by(|a, b| b.touches.cmp(&a.touches).then(b.last_seen_on.cmp(&a.last_seen_on)).then(a.name.cmp(&b.name)));
    out
}

mod lines;

pub use lines::{resolve, stakeholder_lines, without_stakeholder_lines, StakeholderLine};

#[cfg(test)]
mod tests;
