//! Risks and asks through the store, on the scaled book: 5,000 accounts with 20,000 risks over
//! the years (3,000 still open) and 60,000 weekly updates, and 10,000 asks shared by 30,000
//! askings. Targets (issue: risks and asks): the Risks page's data < 20 ms; the Asks page with
//! its ARR-weighted demand < 30 ms; saving a note with two risk lines and an ask < 5 ms.
//! Baselines in the same run: counting open risks with plain SQL, and saving the same note
//! without the lines. Criterion reports medians.

use std::hint::black_box;

use chrono::{DateTime, Days, NaiveDate, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use csm_core::model::NoteInput;
use csm_core::sample::{self, SampleSpec};
use csm_core::{validate, Store};
use rusqlite::{params, Connection};

const ACCOUNTS: usize = 5_000;
const RISKS: usize = 20_000;
const OPEN_EVERY: usize = 7;
const UPDATES_PER_RISK: usize = 3;
const ASKS: usize = 10_000;
const ASKERS_PER_ASK: usize = 3;

const WORDS: [&str; 24] = [
    "sso",
    "okta",
    "export",
    "dashboard",
    "pdf",
    "audit",
    "log",
    "salesforce",
    "sync",
    "bulk",
    "import",
    "csv",
    "mobile",
    "offline",
    "api",
    "webhook",
    "slack",
    "alert",
    "report",
    "schedule",
    "role",
    "permission",
    "sandbox",
    "billing",
];

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("a Monday")
}

fn now() -> DateTime<Utc> {
    today().and_hms_opt(8, 0, 0).expect("time").and_utc()
}

/// Three words of the list, picked by `n`: "okta export pdf".
fn words(n: usize) -> String {
    (0..3).map(|k| WORDS[(n * 7 + k * 5 + n / 24) % WORDS.len()]).collect::<Vec<_>>().join(" ")
}

/// Years of risks, updates and asks, written straight into the file.
fn add_register(path: &std::path::Path) {
    let mut conn = Connection::open(path).expect("open");
    let tx = conn.transaction().expect("tx");
    let accounts: Vec<(String, i64, String)> = tx
        .prepare("SELECT id, arr_minor, currency FROM accounts")
        .expect("sql")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("rows")
        .collect::<rusqlite::Result<_>>()
        .expect("accounts");
    for i in 0..RISKS {
        let (account, arr, currency) = &accounts[i % accounts.len()];
        let open = i % OPEN_EVERY == 0;
        let opened = today() - Days::new(5 + (i as u64 * 13) % 900);
        let stage = if open { ["identified", "plan_in_place", "saving"][i % 3] } else { ["recovered", "lost"][i % 2] };
        let closed = (!open).then(|| opened + Days::new(30));
        tx.execute(
            "INSERT INTO risks (id, account_id, title, reasons, severity, arr_at_risk_minor, currency, stage, opened_on, \
             stage_since, last_update_on, closed_on, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11, ?12, ?12)",
            params![
                format!("risk-{i}"),
                account,
                format!("Risk {i}: {}", words(i)),
                r#"["budget cut","competitor"]"#,
                ["low", "medium", "high", "critical"][i % 4],
                arr / 2,
                currency,
                stage,
                opened,
                opened + Days::new(7),
                closed,
                now()
            ],
        )
        .expect("risk");
        for u in 0..UPDATES_PER_RISK {
            tx.execute(
                "INSERT INTO risk_updates (risk_id, on_day, body) VALUES (?1, ?2, 'Spoke with the sponsor this week')",
                params![format!("risk-{i}"), opened + Days::new(u as u64 * 7)],
            )
            .expect("update");
        }
    }
    for i in 0..ASKS {
        let id = format!("ask-{i}");
        let title = format!("{} {i}", words(i));
        tx.execute(
            "INSERT INTO asks (id, title, status, status_on, created_at, updated_at) VALUES (?1, ?2, 'new', ?3, ?4, ?4)",
            params![id, title, today(), now()],
        )
        .expect("ask");
        for word in csm_core::asks::words(&title) {
            tx.execute("INSERT OR IGNORE INTO ask_words (word, ask_id) VALUES (?1, ?2)", params![word, id])
                .expect("word");
        }
        for k in 0..ASKERS_PER_ASK {
            let (account, _, _) = &accounts[(i * 3 + k * 1_667) % accounts.len()];
            tx.execute(
                "INSERT OR IGNORE INTO ask_accounts (ask_id, account_id, asked_on) VALUES (?1, ?2, ?3)",
                params![id, account, today()],
            )
            .expect("asker");
        }
    }
    tx.commit().expect("commit");
}

fn risks(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("risks.sqlite");
    {
        let store = Store::open(&path).expect("open");
        store.start_book(Some(&sample::generate(&SampleSpec::scaled(ACCOUNTS, 2), today())), now()).expect("load");
    }
    add_register(&path);
    let store = Store::open(&path).expect("reopen");
    let sql = Connection::open(&path).expect("a second connection");
    let page = store.risks(today()).expect("page");
    assert!(page.risks.len() > 2_800, "{} open risks", page.risks.len());
    let asks = store.asks(today()).expect("asks");
    assert!(asks.asks.len() >= ASKS, "{} asks", asks.asks.len());
    let accounts: Vec<String> = page.risks.iter().map(|r| r.account_id.clone()).take(500).collect();

    let mut group = c.benchmark_group("risks and asks 5k");
    group.bench_function("baseline: count open risks with SQL", |b| {
        b.iter(|| {
            let n: i64 =
                sql.query_row("SELECT count(*) FROM risks WHERE closed_on IS NULL", [], |r| r.get(0)).expect("count");
            black_box(n)
        })
    });
    group.bench_function("Risks page", |b| b.iter(|| black_box(store.risks(today()).expect("page"))));
    group.bench_function("Risks page, right after a write", |b| {
        b.iter(|| {
            store.set_setting("bench.touch", "1").expect("write");
            black_box(store.risks(today()).expect("page"))
        })
    });
    group.bench_function("Asks page with ARR-weighted demand", |b| {
        b.iter(|| black_box(store.asks(today()).expect("asks")))
    });

    let mut next = 0usize;
    let mut save = |body: &str| {
        next = (next + 1) % accounts.len();
        let input = NoteInput { account_id: accounts[next].clone(), body_md: body.to_owned(), ..Default::default() };
        let draft = validate::note(&input, now(), &Utc).expect("valid");
        black_box(store.create_note(&draft, None, now(), today()).expect("save"))
    };
    let plain = "Call went fine.\nThey want more reporting.\nBudget talks next month.";
    let lines = format!(
        "Call went fine.\nrisk: Budget review may cut the seat count\nrisk: {}\nask: {} for the EU team",
        words(3),
        words(42)
    );
    group.bench_function("baseline: save a note without lines", |b| b.iter(|| save(plain)));
    group.bench_function("save a note with two risk lines and an ask", |b| b.iter(|| save(&lines)));
    group.finish();
}

criterion_group!(benches, risks);
criterion_main!(benches);
