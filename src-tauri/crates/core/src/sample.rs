//! A deterministic generator of realistic books: the sample offered on first run, and the same
//! generator scaled up (thousands of accounts) for benchmarks. Same spec and day, same book.

pub mod calendar;
mod names;

use chrono::{DateTime, Days, Months, NaiveDate, NaiveTime, Utc};

use crate::model::{
    Account, Attendee, Contact, ContactRole, DealRole, Influence, LifecycleStage, Milestone, MilestoneStatus, Money,
    Note, Priority, Segment, Sentiment, Signal, SignalKind, Stance, SuccessMetric, Task, TaskSource, TaskStatus,
    TimelineEvent, TimelineKind,
};

/// How big a book to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleSpec {
    pub accounts: usize,
    /// Exactly this many contacts per account; `None` picks 1–6 by segment, as in real books.
    pub contacts_per_account: Option<usize>,
    pub seed: u64,
    /// Days of daily health history to compute when the book is loaded (0: none).
    pub history_days: u64,
    /// Exactly this many tasks per account, spread over a year; `None`: a few, as in a real week.
    pub tasks_per_account: Option<usize>,
    /// Exactly this many call notes (about 1 KB each) per account; `None`: a few written ones.
    pub notes_per_account: Option<usize>,
}

impl SampleSpec {
    /// The book offered on first run: about 40 accounts across the three touch models.
    pub const DEMO: SampleSpec = SampleSpec {
        accounts: 40,
        contacts_per_account: None,
        seed: 0x00C5_3D35,
        history_days: HISTORY_DAYS,
        tasks_per_account: None,
        notes_per_account: None,
    };

    /// A large book for benchmarks, e.g. `scaled(5_000, 10)`.
    pub fn scaled(accounts: usize, contacts_per_account: usize) -> SampleSpec {
        SampleSpec {
            accounts,
            contacts_per_account: Some(contacts_per_account),
            seed: 0x5CA1_ED00,
            history_days: 0,
            tasks_per_account: Some(0),
            notes_per_account: Some(0),
        }
    }

    /// The same book with `n` call notes per account (e.g. 5,000 accounts × 40 = 200,000 notes).
    pub fn with_notes(self, n: usize) -> SampleSpec {
        SampleSpec { notes_per_account: Some(n), ..self }
    }

    /// The same book with `n` tasks per account (e.g. 5,000 accounts × 20 = 100,000 tasks).
    pub fn with_tasks(self, n: usize) -> SampleSpec {
        SampleSpec { tasks_per_account: Some(n), ..self }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SampleBook {
    pub accounts: Vec<Account>,
    pub contacts: Vec<Contact>,
    pub events: Vec<TimelineEvent>,
    pub signals: Vec<Signal>,
    pub tasks: Vec<Task>,
    pub notes: Vec<Note>,
    pub metrics: Vec<SuccessMetric>,
    pub milestones: Vec<Milestone>,
    /// The first day of health history to compute on load, if any.
    pub history_from: Option<NaiveDate>,
}

/// The CSM who owns the sample book.
pub const SAMPLE_OWNER: &str = "Jordan Lee";
const HISTORY_DAYS: u64 = 120;

pub fn generate(spec: &SampleSpec, today: NaiveDate) -> SampleBook {
    let mut rng = Rng(spec.seed);
    let history_from = (spec.history_days > 0).then(|| today - Days::new(spec.history_days));
    let mut book = SampleBook {
        accounts: Vec::new(),
        contacts: Vec::new(),
        events: Vec::new(),
        signals: Vec::new(),
        tasks: Vec::new(),
        notes: Vec::new(),
        metrics: Vec::new(),
        milestones: Vec::new(),
        history_from,
    };
    let created = at(today - Days::new(HISTORY_DAYS + 30), 9);
    for index in 0..spec.accounts {
        let mut account = account(&mut rng, index, spec.accounts, today, created);
        let events = history(&mut rng, &account, today);
        account.last_touch_at = events.iter().filter(|e| e.kind.is_touch()).map(|e| e.occurred_at).max();
        let count = spec.contacts_per_account.unwrap_or_else(|| natural_contact_count(&mut rng, account.segment));
        for n in 0..count {
            book.contacts.push(contact(&mut rng, &account, n, today, created));
        }
        book.events.extend(events);
        book.signals.extend(signals(&mut rng, &account, today));
        book.tasks.extend(match spec.tasks_per_account {
            Some(n) => spread_tasks(&mut rng, &account, n, today),
            None => week_tasks(&mut rng, &account, today),
        });
        let first_contact = book.contacts.len() - count;
        let contacts = &book.contacts[first_contact..];
        let first_note = book.notes.len();
        book.notes.extend(match spec.notes_per_account {
            Some(n) => filler_notes(&mut rng, &account, n, today),
            None => written_notes(&mut rng, &account, contacts, today),
        });
        if spec.notes_per_account.is_none() {
            // Its own stream too: who reports to whom, and who the CSM actually met.
            let mut people_rng =
                Rng(Rng(spec.seed.wrapping_add((index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))).next());
            stakeholder_map(&mut people_rng, &mut book.contacts[first_contact..]);
            who_attended(&mut people_rng, &book.contacts[first_contact..], &mut book.notes[first_note..]);
        }
        if account.segment != Segment::TechTouch {
            // Its own stream, so success plans do not change the rest of the book.
            let mut plan_rng =
                Rng(Rng(spec.seed.wrapping_add((index as u64).wrapping_mul(0xD1B5_4A32_D192_ED03))).next());
            let (metrics, milestones) = success_plan(&mut plan_rng, &account, today);
            book.metrics.extend(metrics);
            book.milestones.extend(milestones);
        }
        book.accounts.push(account);
    }
    book
}

/// Two or three agreed metrics and the milestones around today: some reached, some ahead.
fn success_plan(rng: &mut Rng, account: &Account, today: NaiveDate) -> (Vec<SuccessMetric>, Vec<Milestone>) {
    let first = rng.below(names::METRICS.len() as u64) as usize;
    let count = 2 + rng.below(2) as usize;
    let metrics = (0..count)
        .map(|i| {
            let (name, unit, baseline, target, share) = names::METRICS[(first + i) % names::METRICS.len()];
            let current = (baseline + (target - baseline) * share * (0.8 + rng.below(40) as f64 / 100.0)).round();
            let confirmed = today - Days::new(10 + rng.below(110));
            SuccessMetric {
                id: rng.uuid_v7(at(confirmed, 10)),
                account_id: account.id.clone(),
                name: name.to_owned(),
                unit: unit.to_owned(),
                baseline: Some(baseline),
                target: Some(target),
                current: Some(current),
                confirmed_on: Some(confirmed),
                updated_at: at(confirmed, 10),
                progress: None,
            }
            .with_progress()
        })
        .collect();
    let milestones = names::MILESTONES
        .iter()
        .map(|(title, offset)| {
            let due = today.checked_add_signed(chrono::Duration::days(*offset + rng.between(-6, 6))).unwrap_or(today);
            let late = due < today && rng.below(5) == 0;
            let (status, reached_on) = match (due < today, late) {
                (true, false) => (MilestoneStatus::Reached, Some(due + Days::new(rng.below(5)))),
                _ => (MilestoneStatus::Planned, None),
            };
            Milestone {
                id: rng.uuid_v7(at(due.min(today), 11)),
                account_id: account.id.clone(),
                title: (*title).to_owned(),
                due_on: Some(due),
                status,
                reached_on: reached_on.map(|d| d.min(today)),
            }
        })
        .collect();
    (metrics, milestones)
}

fn account(rng: &mut Rng, index: usize, total: usize, today: NaiveDate, created: DateTime<Utc>) -> Account {
    let segment = match rng.below(10) {
        0..=1 => Segment::HighTouch,
        2..=6 => Segment::LowTouch,
        _ => Segment::TechTouch,
    };
    let name = names::company(index);
    let domain = names::domain(&name, index);
    // Renewals spread evenly over the next 12 months, shuffled against the name order.
    let slot = (index * 7919) % total.max(1);
    let renewal = today + Days::new(3 + (slot as u64 * 360) / total.max(1) as u64 + rng.below(5));
    let term = if segment == Segment::HighTouch && rng.below(3) == 0 { 24 } else { 12 };
    let contract_start = renewal.checked_sub_months(Months::new(term)).unwrap_or(renewal);
    let customer_since =
        contract_start.checked_sub_months(Months::new(12 * rng.below(4) as u32)).unwrap_or(contract_start);
    let (arr_range, licence_range, employee_range) = match segment {
        Segment::HighTouch => ((400_000, 1_600_000), (200, 2_000), (2_000, 60_000)),
        Segment::LowTouch => ((40_000, 300_000), (25, 300), (200, 3_000)),
        Segment::TechTouch => ((5_000, 40_000), (5, 50), (10, 300)),
    };
    let currency = ["USD", "USD", "USD", "USD", "EUR", "GBP"][rng.below(6) as usize];
    let arr_major = rng.between(arr_range.0, arr_range.1) / 100 * 100;
    let stage = stage(rng, today, contract_start, renewal);
    Account {
        id: rng.uuid_v7(created),
        name,
        domain: Some(domain),
        segment,
        lifecycle_stage: stage,
        industry: Some((*rng.pick(names::INDUSTRIES)).to_owned()),
        region: Some((*rng.pick(names::REGIONS)).to_owned()),
        employees: Some(rng.between(employee_range.0, employee_range.1)),
        owner: Some(SAMPLE_OWNER.to_owned()),
        arr: Money::new(arr_major * 100, currency),
        contract_start: Some(contract_start),
        contract_end: Some(renewal),
        renewal_date: Some(renewal),
        contract_term_months: Some(term as i64),
        products: products(rng),
        licences_purchased: Some(rng.between(licence_range.0, licence_range.1)),
        discount_bps: Some([0, 0, 500, 1000, 1500][rng.below(5) as usize]),
        customer_since: Some(customer_since),
        last_touch_at: None,
        archived_at: None,
        created_at: created,
        updated_at: created,
    }
}

fn stage(rng: &mut Rng, today: NaiveDate, start: NaiveDate, renewal: NaiveDate) -> LifecycleStage {
    if (today - start).num_days() < 90 {
        LifecycleStage::Onboarding
    } else if (renewal - today).num_days() <= 90 {
        LifecycleStage::Renewal
    } else {
        *rng.pick(&[
            LifecycleStage::Adoption,
            LifecycleStage::Adoption,
            LifecycleStage::Value,
            LifecycleStage::Value,
            LifecycleStage::Expansion,
            LifecycleStage::Advocacy,
        ])
    }
}

fn products(rng: &mut Rng) -> Vec<String> {
    let mut products = vec![names::PRODUCTS[0].to_owned()];
    for product in &names::PRODUCTS[1..] {
        if rng.below(3) == 0 {
            products.push((*product).to_owned());
        }
    }
    products
}

fn natural_contact_count(rng: &mut Rng, segment: Segment) -> usize {
    match segment {
        Segment::HighTouch => 4 + rng.below(3) as usize,
        Segment::LowTouch => 2 + rng.below(3) as usize,
        Segment::TechTouch => 1 + rng.below(2) as usize,
    }
}

/// Roles in the order a real account team fills them: sponsor and champion first.
const ROLE_ORDER: [ContactRole; 6] = [
    ContactRole::Champion,
    ContactRole::ExecutiveSponsor,
    ContactRole::Admin,
    ContactRole::DecisionMaker,
    ContactRole::User,
    ContactRole::User,
];

fn contact(rng: &mut Rng, account: &Account, n: usize, today: NaiveDate, created: DateTime<Utc>) -> Contact {
    let role = match ROLE_ORDER.get(n) {
        Some(role) => *role,
        None => *rng.pick(&[ContactRole::User, ContactRole::Promoter, ContactRole::Detractor, ContactRole::Other]),
    };
    let (first, last) = (rng.pick(names::FIRST_NAMES), rng.pick(names::LAST_NAMES));
    let domain = account.domain.as_deref().unwrap_or("example.com");
    let left_on = (rng.below(25) == 0).then(|| today - Days::new(5 + rng.below(60)));
    Contact {
        id: rng.uuid_v7(created),
        account_id: account.id.clone(),
        name: format!("{first} {last}"),
        email: Some(format!("{}.{}@{domain}", first.to_lowercase(), last.to_lowercase())),
        title: Some(names::title(role).to_owned()),
        phone: Some(format!("+1 555 {:03} {:04}", rng.below(1000), rng.below(10_000))),
        role,
        left_on,
        reports_to: None,
        influence: None,
        stance: None,
        deal_roles: Vec::new(),
        private_notes: String::new(),
        created_at: created,
        updated_at: created,
    }
}

/// The people's places on the stakeholder map, by the role each was given: the champion and the
/// decision maker report to the sponsor, the others to the champion.
fn stakeholder_map(rng: &mut Rng, people: &mut [Contact]) {
    let id_of = |role: ContactRole, people: &[Contact]| people.iter().find(|p| p.role == role).map(|p| p.id.clone());
    let sponsor = id_of(ContactRole::ExecutiveSponsor, people);
    let champion = id_of(ContactRole::Champion, people);
    for person in people.iter_mut() {
        let (manager, influence, stances): (_, _, &[Stance]) = match person.role {
            ContactRole::ExecutiveSponsor => {
                (None, Influence::High, &[Stance::Supporter, Stance::Neutral, Stance::Skeptic])
            }
            ContactRole::Champion => {
                (sponsor.clone(), Influence::Medium, &[Stance::Champion, Stance::Champion, Stance::Supporter])
            }
            ContactRole::DecisionMaker => {
                (sponsor.clone(), Influence::High, &[Stance::Neutral, Stance::Skeptic, Stance::Supporter])
            }
            ContactRole::Detractor => (champion.clone(), Influence::Medium, &[Stance::Skeptic, Stance::Blocker]),
            _ => (champion.clone(), Influence::Low, &[Stance::Supporter, Stance::Neutral]),
        };
        person.reports_to = manager.filter(|m| *m != person.id);
        person.influence = Some(influence);
        person.stance = Some(*rng.pick(stances));
        if person.role == ContactRole::ExecutiveSponsor && rng.below(2) == 0 {
            person.deal_roles = vec![DealRole::EconomicBuyer];
            person.private_notes = rng.pick(names::PRIVATE_NOTES).to_string();
        }
    }
}

/// Who attended the written notes: most accounts meet their champion and sponsor; about one in
/// four only ever meets the champion (single-threaded), and some calls had someone not yet a
/// contact (a suggested contact).
fn who_attended(rng: &mut Rng, people: &[Contact], notes: &mut [Note]) {
    let single = rng.below(4) == 0;
    for note in notes {
        let mut who: Vec<&Contact> = people.iter().filter(|p| p.left_on.is_none()).collect();
        who.truncate(if single { 1 } else { 1 + rng.below(3) as usize });
        note.attendees =
            who.iter().map(|c| Attendee { contact_id: Some(c.id.clone()), name: c.name.clone() }).collect();
        if rng.below(3) == 0 {
            note.attendees.push(Attendee { contact_id: None, name: rng.pick(names::GUESTS).to_string() });
        }
    }
}

/// A few months of touches at roughly the segment's cadence, with some gaps.
fn history(rng: &mut Rng, account: &Account, today: NaiveDate) -> Vec<TimelineEvent> {
    let cadence = match account.segment {
        Segment::HighTouch => 10,
        Segment::LowTouch => 24,
        Segment::TechTouch => 55,
    };
    let mut events = Vec::new();
    let mut day = HISTORY_DAYS;
    while day > cadence / 2 {
        day = day.saturating_sub(cadence / 2 + rng.below(cadence + 1));
        if day == 0 || rng.below(6) == 0 {
            continue; // a missed touch: some accounts drift past their cadence
        }
        let (kind, title) = *rng.pick(names::TOUCHES);
        let occurred_at = at(today - Days::new(day), 9 + rng.below(8) as u32);
        events.push(TimelineEvent {
            id: rng.uuid_v7(occurred_at),
            account_id: account.id.clone(),
            kind,
            occurred_at,
            title: title.to_owned(),
            detail: String::new(),
        });
    }
    if account.lifecycle_stage == LifecycleStage::Onboarding {
        let start = account.contract_start.unwrap_or(today);
        let occurred_at = at(start.max(today - Days::new(HISTORY_DAYS)), 15);
        events.push(TimelineEvent {
            id: rng.uuid_v7(occurred_at),
            account_id: account.id.clone(),
            kind: TimelineKind::Milestone,
            occurred_at,
            title: "Contract signed: onboarding started".to_owned(),
            detail: String::new(),
        });
    }
    events
}

/// Usage, support, survey, invoice and sentiment signals over the history window: each account
/// has its own story (growing or sliding adoption, a ticket spike, a detractor, a late invoice).
fn signals(rng: &mut Rng, account: &Account, today: NaiveDate) -> Vec<Signal> {
    let mut out = Vec::new();
    let mut push = |rng: &mut Rng, kind: SignalKind, value: f64, days_ago: u64, comment: &str| {
        let recorded_on = today - Days::new(days_ago);
        let expires_on = (kind == SignalKind::Sentiment).then(|| recorded_on + Days::new(30));
        out.push(Signal {
            id: rng.uuid_v7(at(recorded_on, 8)),
            account_id: account.id.clone(),
            kind,
            value,
            recorded_on,
            expires_on,
            comment: comment.to_owned(),
        });
    };
    // About one account in six is in trouble: sliding usage, a detractor, tickets, a worried CSM.
    let at_risk = rng.below(6) == 0;
    let bought = account.licences_purchased.unwrap_or(0).max(1) as f64;
    let mut share = if at_risk { 0.35 + rng.below(20) as f64 / 100.0 } else { 0.3 + rng.below(65) as f64 / 100.0 };
    let drift = if at_risk { -0.08 } else { (rng.below(21) as f64 - 12.0) / 100.0 }; // a month
    for days_ago in [HISTORY_DAYS, 80, 50, 20] {
        push(rng, SignalKind::LicencesUsed, (bought * share).round().clamp(0.0, bought), days_ago, "");
        share = (share + drift).clamp(0.05, 1.0);
    }
    let busy = match account.segment {
        Segment::HighTouch => 8,
        Segment::LowTouch => 5,
        Segment::TechTouch => 3,
    };
    // Tickets and invoices known from the start of the history, so every account is scored on
    // every day of it. A generator of their own keeps the rest of the sample as it was.
    let mut early = Rng(rng.0.rotate_left(17) ^ 0x5EED_CAFE);
    let tickets = early.below(busy);
    push(&mut early, SignalKind::TicketsOpen, tickets as f64, HISTORY_DAYS, "");
    push(&mut early, SignalKind::CriticalTicketsOpen, 0.0, HISTORY_DAYS, "");
    push(&mut early, SignalKind::InvoiceOverdueDays, 0.0, HISTORY_DAYS, "");
    for days_ago in [90, 45, 6] {
        let spike = if at_risk && days_ago < 50 || rng.below(8) == 0 { 10 } else { 0 };
        let tickets = rng.below(busy) + spike;
        push(rng, SignalKind::TicketsOpen, tickets as f64, days_ago, "");
    }
    let critical = if at_risk || rng.below(9) == 0 { 1 + rng.below(2) } else { 0 };
    push(rng, SignalKind::CriticalTicketsOpen, critical as f64, 8, "");
    let nps = if at_risk { *rng.pick(&[2, 3, 4, 5]) } else { *rng.pick(&[10, 9, 9, 8, 8, 7, 7, 6, 4]) };
    let surveyed = 20 + rng.below(120);
    push(rng, SignalKind::Nps, f64::from(nps), surveyed, "");
    let overdue = if rng.below(8) == 0 { 35 + rng.below(40) } else { 0 };
    push(rng, SignalKind::InvoiceOverdueDays, overdue as f64, 4, "");
    if at_risk {
        push(rng, SignalKind::Sentiment, 2.0, 2, "Champion frustrated; renewal at risk");
    } else if account.segment != Segment::TechTouch && rng.below(3) > 0 {
        let (value, reason) = *rng.pick(&[
            (5, "Sponsor is enthusiastic; expansion talks started"),
            (4, "Steady: team uses it daily"),
            (4, "Good QBR, clear goals for next quarter"),
            (3, "Fine, but the new VP has not engaged yet"),
        ]);
        let judged = 3 + rng.below(20);
        push(rng, SignalKind::Sentiment, f64::from(value), judged, reason);
    }
    out
}

/// This fortnight's calls and to-dos: a few appointments, a few tasks (some overdue), some done.
fn week_tasks(rng: &mut Rng, account: &Account, today: NaiveDate) -> Vec<Task> {
    let mut out = Vec::new();
    if account.segment != Segment::TechTouch && rng.below(3) == 0 {
        let day = weekday(today + Days::new(rng.below(10)));
        let effort = Some(*rng.pick(&[30, 45, 60]));
        let mut call = task(rng, account, names::MEETINGS, day, effort);
        call.due_time = Some((*rng.pick(&["09:30", "11:00", "14:00", "15:30"])).to_owned());
        out.push(call);
    }
    if rng.below(4) == 0 {
        let day = weekday(today + Days::new(rng.below(14)) - Days::new(5));
        let effort = [None, Some(15), Some(30)][rng.below(3) as usize];
        let mut todo = task(rng, account, names::TODOS, day, effort);
        todo.priority = if rng.below(4) == 0 { Priority::High } else { Priority::Normal };
        out.push(todo);
    }
    if rng.below(3) == 0 {
        let day = weekday(today - Days::new(3 + rng.below(18)));
        let mut done = task(rng, account, names::TODOS, day, Some(30));
        done.status = TaskStatus::Done;
        done.completed_at = Some(at(day, 16));
        out.push(done);
    }
    out
}

/// `n` tasks spread from four months ago to eight months ahead; most past ones done.
fn spread_tasks(rng: &mut Rng, account: &Account, n: usize, today: NaiveDate) -> Vec<Task> {
    (0..n)
        .map(|_| {
            let day = weekday(today - Days::new(120) + Days::new(rng.below(360)));
            let effort = Some(15 * (1 + rng.below(6) as u32));
            let mut t = task(rng, account, names::TODOS, day, effort);
            if day < today && rng.below(10) < 8 {
                t.status = TaskStatus::Done;
                t.completed_at = Some(at(day, 16));
            } else if rng.below(10) == 0 {
                t.due_time = Some("10:00".to_owned());
            }
            t
        })
        .collect()
}

fn task(rng: &mut Rng, account: &Account, titles: &[&str], due: NaiveDate, effort: Option<u32>) -> Task {
    let created = account.created_at;
    let title = (*rng.pick(titles)).to_owned();
    Task {
        id: rng.uuid_v7(created),
        account_id: Some(account.id.clone()),
        account_name: Some(account.name.clone()),
        title,
        due_date: Some(due),
        due_time: None,
        priority: Priority::Normal,
        effort_minutes: effort,
        status: TaskStatus::Open,
        snoozed_until: None,
        source: TaskSource::Manual,
        provenance: String::new(),
        is_touch: false,
        details: String::new(),
        completed_at: None,
        created_at: created,
        updated_at: created,
    }
}

/// A few real-sounding call notes over the last months, some with attendees, tags and next steps.
fn written_notes(rng: &mut Rng, account: &Account, contacts: &[Contact], today: NaiveDate) -> Vec<Note> {
    let count = if account.segment == Segment::TechTouch { rng.below(2) } else { 1 + rng.below(3) };
    (0..count)
        .map(|_| {
            let (title, body, tags, sentiment) = *rng.pick(names::NOTES);
            let day = weekday(today - Days::new(2 + rng.below(100)));
            let mut note = note(rng, account, day, title, body, sentiment);
            note.tags = tags.iter().map(|t| (*t).to_owned()).collect();
            note.attendees = contacts
                .iter()
                .take(2)
                .map(|c| Attendee { contact_id: Some(c.id.clone()), name: c.name.clone() })
                .collect();
            note
        })
        .collect()
}

/// `n` notes of about 1 KB each, for benchmarks. Words follow a Zipf-like law, as in real text:
/// a few (the, customer, renewal) are in every note, most are rare (`vocabulary_word`).
fn filler_notes(rng: &mut Rng, account: &Account, n: usize, today: NaiveDate) -> Vec<Note> {
    (0..n)
        .map(|_| {
            let words: Vec<String> = (0..150).map(|_| vocabulary_word(zipf_rank(rng))).collect();
            let day = today - Days::new(rng.below(5 * 365));
            note(rng, account, day, "Check-in call", &words.join(" "), None)
        })
        .collect()
}

/// Size of the benchmark vocabulary.
pub const VOCABULARY: u64 = 50_000;

/// A word rank drawn log-uniformly from the vocabulary: rank r comes up about 1/r as often.
fn zipf_rank(rng: &mut Rng) -> u64 {
    let u = rng.below(1_000_000) as f64 / 1_000_000.0;
    ((VOCABULARY as f64).powf(u) as u64).saturating_sub(1)
}

/// The word of a rank: the common domain words first, then made-up words ("kalomi", "nerusa").
pub fn vocabulary_word(rank: u64) -> String {
    if let Some(word) = names::NOTE_WORDS.get(rank as usize) {
        return (*word).to_owned();
    }
    const SYLLABLES: [&str; 20] = [
        "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "xe", "zu", "ba", "de", "fi", "go", "hu", "je", "ko", "la",
        "mu", "no",
    ];
    let mut n = rank;
    let mut word = String::new();
    loop {
        word.push_str(SYLLABLES[(n % 20) as usize]);
        n /= 20;
        if n == 0 {
            break word;
        }
    }
}

fn note(
    rng: &mut Rng,
    account: &Account,
    day: NaiveDate,
    title: &str,
    body: &str,
    sentiment: Option<Sentiment>,
) -> Note {
    let at = at(day, 10 + rng.below(7) as u32);
    Note {
        id: rng.uuid_v7(at),
        account_id: account.id.clone(),
        account_name: account.name.clone(),
        occurred_at: at,
        template: Some("check_in".to_owned()),
        title: title.to_owned(),
        body_md: body.to_owned(),
        sentiment,
        private: true,
        attendees: Vec::new(),
        tags: Vec::new(),
        created_at: at,
        updated_at: at,
    }
}

/// Moves a weekend day to the Monday after.
fn weekday(day: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    match day.weekday() {
        chrono::Weekday::Sat => day + Days::new(2),
        chrono::Weekday::Sun => day + Days::new(1),
        _ => day,
    }
}

fn at(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    day.and_time(NaiveTime::from_hms_opt(hour.min(23), 0, 0).unwrap_or_default()).and_utc()
}

/// SplitMix64: tiny, fast and the same on every platform, which is all a sample book needs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn between(&mut self, low: i64, high: i64) -> i64 {
        low + self.below((high - low + 1) as u64) as i64
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A UUIDv7 whose time part is `at` and whose random part comes from this generator.
    fn uuid_v7(&mut self, at: DateTime<Utc>) -> String {
        let mut random = [0_u8; 10];
        random[..8].copy_from_slice(&self.next().to_le_bytes());
        random[8..].copy_from_slice(&self.next().to_le_bytes()[..2]);
        uuid::Builder::from_unix_timestamp_millis(at.timestamp_millis() as u64, &random).into_uuid().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).expect("date")
    }

    #[test]
    fn the_same_spec_and_day_give_the_same_book() {
        assert_eq!(generate(&SampleSpec::DEMO, today()), generate(&SampleSpec::DEMO, today()));
        assert_ne!(generate(&SampleSpec::DEMO, today()), generate(&SampleSpec::DEMO, today() + Days::new(1)));
    }

    #[test]
    fn the_demo_book_is_realistic() {
        let book = generate(&SampleSpec::DEMO, today());
        assert_eq!(book.accounts.len(), 40);
        for segment in Segment::ALL {
            let n = book.accounts.iter().filter(|a| a.segment == segment).count();
            assert!(n >= 4, "{segment:?} has {n} accounts");
        }
        let renewals: Vec<i64> = book.accounts.iter().filter_map(|a| a.days_to_renewal(today())).collect();
        assert!(renewals.iter().all(|d| (1..=370).contains(d)), "{renewals:?}");
        assert!(renewals.iter().filter(|d| **d <= 90).count() >= 6, "some renewals in the next quarter");
        assert!(renewals.iter().filter(|d| **d > 270).count() >= 6, "some late in the year");
        let names: std::collections::HashSet<&str> = book.accounts.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names.len(), 40, "names are unique");
        assert!(book.contacts.iter().any(|c| c.role == ContactRole::ExecutiveSponsor));
        assert!(book.contacts.len() > 80, "{} contacts", book.contacts.len());
        assert!(book.events.len() > 100, "{} events", book.events.len());
        assert!(book.accounts.iter().all(|a| a.last_touch_at.is_some() || a.segment == Segment::TechTouch));
    }

    #[test]
    fn generated_values_pass_the_same_validation_as_typed_ones() {
        let book = generate(&SampleSpec::DEMO, today());
        for account in &book.accounts {
            crate::validate::account(&account.to_input()).expect("sample account is valid");
        }
    }

    #[test]
    fn the_scaled_book_loads_in_one_transaction() {
        let book = generate(&SampleSpec::scaled(500, 10), today());
        assert_eq!((book.accounts.len(), book.contacts.len()), (500, 5_000));
        let store = Store::open_in_memory().expect("store");
        store.start_book(Some(&book), Utc::now()).expect("load");
        assert_eq!(store.book(today()).expect("book").len(), 500);
        assert!(!store.is_first_run().expect("first run"));
        let again = store.start_book(Some(&book), Utc::now()).unwrap_err();
        assert_eq!(again.kind(), "invalid", "a sample never mixes into an existing book");
        assert_eq!(store.account_count().expect("count"), 500);
    }
}
