//! Relationship benchmarks on a scaled book: 5,000 accounts, 50,000 contacts and 200,000 notes
//! with one to three attendees each. Targets (issue 20): engagement and coverage for all 5,000
//! accounts < 100 ms, for one account < 1 ms; the org chart's layout for 300 people < 20 ms.
//! Baseline in the same run: one plain pass over the 200,000 notes' attendees. Medians.

use std::collections::HashMap;
use std::hint::black_box;

use chrono::{Days, NaiveDate};
use criterion::{criterion_group, criterion_main, Criterion};
use csm_core::health::default_scorecard;
use csm_core::model::{Attendee, Contact, ContactRole, Influence, Segment};
use csm_core::org_chart;
use csm_core::relationships::{assess, Person, Touch};

const ACCOUNTS: usize = 5_000;
const PEOPLE_PER_ACCOUNT: usize = 10;
const NOTES_PER_ACCOUNT: usize = 40;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 3).expect("day")
}

fn numbers(mut state: u64) -> impl FnMut(u64) -> u64 {
    move |below| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % below.max(1)
    }
}

fn person(account: usize, n: usize, manager: Option<String>) -> Contact {
    let at = "2026-01-01T00:00:00Z".parse().expect("instant");
    let role = [ContactRole::ExecutiveSponsor, ContactRole::Champion, ContactRole::User][n.min(2)];
    Contact {
        id: format!("c{account}-{n}"),
        account_id: format!("a{account}"),
        name: format!("Person {n} of {account}"),
        email: None,
        title: None,
        phone: None,
        role,
        left_on: None,
        reports_to: manager,
        influence: Some([Influence::High, Influence::Medium, Influence::Low][n % 3]),
        stance: None,
        deal_roles: Vec::new(),
        private_notes: String::new(),
        created_at: at,
        updated_at: at,
    }
}

struct Book {
    segments: HashMap<String, Segment>,
    people: Vec<Person>,
    touches: Vec<Touch>,
}

fn book() -> Book {
    let mut next = numbers(0x9E37_79B9_7F4A_7C15);
    let mut book = Book { segments: HashMap::new(), people: Vec::new(), touches: Vec::new() };
    for a in 0..ACCOUNTS {
        book.segments.insert(format!("a{a}"), Segment::ALL[a % 3]);
        for n in 0..PEOPLE_PER_ACCOUNT {
            book.people.push(Person::from(&person(a, n, (n > 0).then(|| format!("c{a}-{}", (n - 1) / 3)))));
        }
        for _ in 0..NOTES_PER_ACCOUNT {
            let attendees = (0..1 + next(3))
                .map(|_| {
                    let n = next(PEOPLE_PER_ACCOUNT as u64);
                    Attendee { contact_id: Some(format!("c{a}-{n}")), name: format!("Person {n} of {a}") }
                })
                .collect();
            let day = today() - Days::new(next(720));
            book.touches.push(Touch { account_id: format!("a{a}"), day, attendees });
        }
    }
    book
}

fn relationships(c: &mut Criterion) {
    let book = book();
    let cadence = default_scorecard().cadence_days;
    assert_eq!((book.people.len(), book.touches.len()), (50_000, 200_000));
    let all = assess(&book.segments, &book.people, &book.touches, &cadence, today());
    assert_eq!(all.len(), ACCOUNTS);

    let one: HashMap<String, Segment> = [("a42".to_owned(), Segment::HighTouch)].into_iter().collect();
    let people: Vec<Person> = book.people.iter().filter(|p| p.account_id == "a42").cloned().collect();
    let touches: Vec<Touch> = book.touches.iter().filter(|t| t.account_id == "a42").cloned().collect();

    let mut chart_people = vec![person(0, 0, None)];
    for n in 1..300 {
        chart_people.push(person(0, n, Some(format!("c0-{}", (n - 1) / 4))));
    }

    let mut group = c.benchmark_group("relationships");
    group.sample_size(20);
    group.bench_function("baseline: one pass over 200,000 notes' attendees", |b| {
        b.iter(|| {
            let seen: usize =
                book.touches.iter().map(|t| t.attendees.iter().filter(|a| a.contact_id.is_some()).count()).sum();
            black_box(seen)
        })
    });
    group.bench_function("engagement and coverage, all 5,000 accounts", |b| {
        b.iter(|| black_box(assess(&book.segments, &book.people, &book.touches, &cadence, today())))
    });
    group.bench_function("engagement and coverage, one account", |b| {
        b.iter(|| black_box(assess(&one, &people, &touches, &cadence, today())))
    });
    group.bench_function("org chart layout, 300 people, all open", |b| {
        b.iter(|| black_box(org_chart::layout(&chart_people, Some(&[]))))
    });
    group.bench_function("org chart layout, 300 people, default folds", |b| {
        b.iter(|| black_box(org_chart::layout(&chart_people, None)))
    });
    group.finish();
}

criterion_group!(benches, relationships);
criterion_main!(benches);
