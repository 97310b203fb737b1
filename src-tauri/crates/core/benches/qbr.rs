//! QBR draft benchmarks on the scaled-up sample book (5,000 accounts) with one account carrying
//! five years of history: daily health snapshots and touches, weekly readings of every signal,
//! 1,000 tagged notes, 3,000 tasks, a success plan. Target (issue: QBR workspace): assembling the
//! draft for such an account, median under 50 ms. Baseline in the same run: reading the quarter's
//! notes of that account with plain SQL.

use std::hint::black_box;

use chrono::{DateTime, NaiveDate, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use csm_core::model::{MilestoneInput, QbrInput, SuccessMetricInput};
use csm_core::sample::{self, SampleSpec};
use csm_core::{validate, Store};

const ACCOUNTS: usize = 5_000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")
}

fn now() -> DateTime<Utc> {
    today().and_hms_opt(9, 0, 0).expect("time").and_utc()
}

/// Five years of one account's life, written straight into the tables.
fn five_years(path: &std::path::Path, account: &str) {
    let conn = rusqlite::Connection::open(path).expect("raw");
    let days = "WITH RECURSIVE d(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM d WHERE n < 1825)";
    let statements = [
        format!(
            "{days} INSERT INTO health_snapshots (account_id, day, score, band, explanation) \
             SELECT ?1, date(?2, '-' || n || ' days'), 40 + n % 55, CASE WHEN n % 55 < 10 THEN 'red' WHEN n % 55 < 30 \
             THEN 'yellow' ELSE 'green' END, '{{\"adoption\":70.5,\"support\":40,\"engagement\":88}}' FROM d"
        ),
        format!(
            "{days} INSERT INTO timeline_events (id, account_id, kind, occurred_at, title, detail) \
             SELECT printf('ev-%05d', n), ?1, CASE n % 3 WHEN 0 THEN 'call' WHEN 1 THEN 'meeting' ELSE 'email' END, \
             strftime('%Y-%m-%d %H:%M:%S+00:00', ?2, '-' || n || ' days'), 'Check-in ' || n, '' FROM d"
        ),
        format!(
            "{days}, k(kind) AS (VALUES ('licences_used'), ('active_users'), ('tickets_open'), ('critical_tickets_open'), \
             ('nps'), ('csat'), ('invoice_overdue_days'), ('sentiment')) \
             INSERT INTO signals (id, account_id, kind, value, recorded_on, source) \
             SELECT printf('sig-%s-%05d', kind, n), ?1, kind, n % 7, date(?2, '-' || n || ' days'), 'bench' \
             FROM d, k WHERE n % 7 = 0"
        ),
        format!(
            "{days} INSERT INTO notes (id, account_id, occurred_at, title, body_md, created_at, updated_at) \
             SELECT printf('note-%05d', n), ?1, strftime('%Y-%m-%d %H:%M:%S+00:00', ?2, '-' || (n * 1.8) || ' days'), \
             'Call ' || n, '## Summary' || char(10) || 'We reviewed the rollout and the next steps.', ?2, ?2 \
             FROM d WHERE n <= 1000"
        ),
        "INSERT INTO note_tags (note_id, tag) SELECT id, CASE CAST(substr(id, 6) AS INTEGER) % 4 WHEN 0 THEN 'win' \
         WHEN 1 THEN 'feedback' WHEN 2 THEN 'risk' ELSE 'renewal' END FROM notes WHERE id LIKE 'note-%'"
            .to_owned(),
        format!(
            "{days} INSERT INTO tasks (id, account_id, note_id, title, due_date, status, created_at, updated_at) \
             SELECT printf('task-%05d', n), ?1, CASE WHEN n <= 1000 THEN printf('note-%05d', n) END, 'Follow up ' || n, \
             date(?2, '-' || (n * 0.6) || ' days'), CASE WHEN n % 10 = 0 THEN 'open' ELSE 'done' END, ?2, ?2 \
             FROM d WHERE n <= 3000"
        ),
    ];
    for sql in statements {
        let params: &[&dyn rusqlite::ToSql] = if sql.contains("?2") { &[&account, &now().to_rfc3339()] } else { &[] };
        conn.execute(&sql, params).expect("history");
    }
}

fn store_with_history(dir: &tempfile::TempDir) -> (Store, String) {
    let path = dir.path().join("qbr.sqlite");
    let store = Store::open(&path).expect("open");
    let book = sample::generate(&SampleSpec::scaled(ACCOUNTS, 2), today());
    store.start_book(Some(&book), now()).expect("load");
    let account = book.accounts[ACCOUNTS / 2].id.clone();
    five_years(&path, &account);
    for (i, name) in ["Case time", "Onboarding days", "Self-service rate", "Active teams", "Reports"].iter().enumerate()
    {
        let input = SuccessMetricInput {
            name: (*name).into(),
            baseline: "10".into(),
            target: "50".into(),
            current: format!("{}", 20 + i * 5),
            confirmed_on: "2026-09-01".into(),
            ..Default::default()
        };
        store
            .create_metric(&account, &validate::success_metric(&input, today()).expect("metric"), now())
            .expect("save");
    }
    for i in 0..20 {
        let input = MilestoneInput {
            title: format!("Milestone {i}"),
            due_on: format!("2026-{:02}-15", 1 + i % 12),
            status: if i % 2 == 0 { "reached".into() } else { "planned".into() },
            reached_on: format!("2026-{:02}-16", 1 + i % 10),
        };
        store
            .create_milestone(&account, &validate::milestone(&input, today()).expect("milestone"), now())
            .expect("save");
    }
    (store, account)
}

fn qbr(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("dir");
    let (store, account) = store_with_history(&dir);
    let quarter = validate::qbr(&QbrInput::default(), today()).expect("quarter");
    let quarter = store.create_qbr(&account, &quarter, now()).expect("qbr");
    let whole = QbrInput { period_start: "2021-11-24".into(), period_end: "2026-11-22".into(), ..Default::default() };
    let whole = store.create_qbr(&account, &validate::qbr(&whole, today()).expect("5 years"), now()).expect("qbr");
    let raw = rusqlite::Connection::open(dir.path().join("qbr.sqlite")).expect("raw");

    let mut group = c.benchmark_group("qbr draft, 5 years of history");
    group.sample_size(30);
    group.bench_function("baseline: the quarter's notes, plain SQL", |b| {
        let mut stmt = raw
            .prepare(
                "SELECT id, title, body_md FROM notes WHERE account_id = ?1 AND occurred_at >= ?2 AND occurred_at < ?3",
            )
            .expect("sql");
        b.iter(|| {
            let rows =
                stmt.query_map(rusqlite::params![account, "2026-07-01", "2026-10-01"], |r| r.get::<_, String>(0));
            black_box(rows.expect("rows").count())
        })
    });
    group.bench_function("draft + slides, last quarter", |b| {
        b.iter(|| black_box(store.qbr_view(&quarter.id, today()).expect("view")))
    });
    group.bench_function("draft + slides, all five years", |b| {
        b.iter(|| black_box(store.qbr_view(&whole.id, today()).expect("view")))
    });
    group.finish();
}

criterion_group!(benches, qbr);
criterion_main!(benches);
