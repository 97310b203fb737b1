//! The real CSM Desk app, built once by the test command, driven through WebKitWebDriver under
//! Xvfb with its data in a temporary folder (scripts/test.sh runs this under dbus-run-session
//! and xvfb-run). The app is single-instance, so these tests take turns.

use parking_lot::Mutex;
use std::time::Duration;

use csm_e2e::fake_hubspot::FakeHubSpot;
use csm_e2e::fake_salesforce::FakeSalesforce;
use csm_e2e::fake_server::Fault;
use csm_e2e::{
    app_binary, app_cpu_seconds, app_pids, read_deck, screenshot, wait_for_app_exit, wait_until, Driver, Session,
    ENTER, ESCAPE,
};
use serde_json::{json, Value};

use chrono::Utc;
use csm_core::Store;
use csm_crm::connector::FieldMap;
use csm_crm::engine;
use csm_crm::http::Limits;
use csm_crm::hubspot::HubSpot;

static ONE_APP_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The first sample account (the generator is deterministic).
const SAMPLE_ACCOUNT: &str = "Acme Analytics";

fn open_account(app: &Session, name: &str) {
    let filter = app.find("[data-testid=book-filter]");
    app.clear(&filter);
    app.type_into(&filter, name);
    app.wait_for_text("[data-testid=book-row]", name);
    app.click_css("[data-testid=book-row] .name a");
    app.wait_for_text("[data-testid=account-name]", name);
}

fn edit_field(app: &Session, field: &str, value: &str) {
    app.click_css(&format!("[data-field={field}] button.value"));
    let input = app.find(&format!("[data-field={field}] input"));
    app.clear(&input);
    app.type_into(&input, &format!("{value}{ENTER}"));
}

/// Single-instance: launching the app again while it runs focuses the open window and exits.
fn assert_second_launch_hands_over(driver: &Driver) {
    let before = app_pids(&app_binary());
    let mut second = std::process::Command::new(app_binary())
        .env("CSM_DESK_DATA_DIR", driver.data_dir())
        .env("XDG_CONFIG_HOME", driver.home().join("xdg-config"))
        .spawn()
        .expect("second launch");
    let mut exited = None;
    wait_until("the second instance to exit", || {
        exited = second.try_wait().expect("wait");
        exited.is_some()
    });
    assert!(exited.is_some_and(|status| status.success()), "{exited:?}");
    assert_eq!(app_pids(&app_binary()), before, "still exactly the first instance");
}

fn db_value(driver: &Driver, sql: &str) -> String {
    let conn = rusqlite::Connection::open(driver.database()).expect("database");
    conn.query_row(sql, [], |row| row.get(0)).expect("query")
}

#[test]
fn first_run_sample_book_edit_and_restart_keeps_the_edit() {
    let _turn = ONE_APP_AT_A_TIME.lock();
    let driver = Driver::start();

    let app = driver.launch();
    app.click_css("[data-testid=start-sample]");
    app.wait_for_text("[data-testid=book-count]", "40 accounts");
    assert!(!app.find_all("[data-testid=book-row]").is_empty());
    screenshot("screenshot-book");

    open_account(&app, SAMPLE_ACCOUNT);
    edit_field(&app, "region", "Antarctica Station 7");
    app.wait_for_text("[data-field=region] button.value", "Antarctica Station 7");

    // An invalid edit shows its error next to the field and saves nothing.
    let arr_before = app.text(&app.find("[data-testid=kpi-arr]"));
    edit_field(&app, "arr", "-5");
    let error = app.wait_for_text("[data-field=arr] .field-error", "negative");
    assert!(error.contains("ARR can't be negative"), "{error}");
    app.type_into(&app.find("[data-field=arr] input"), ESCAPE);
    assert_eq!(app.text(&app.find("[data-testid=kpi-arr]")), arr_before);
    screenshot("screenshot-account");

    app.close();
    wait_for_app_exit();
    assert_eq!(db_value(&driver, "PRAGMA integrity_check"), "ok");
    let log = std::fs::read_to_string(driver.data_dir().join("logs/csm-desk.log")).expect("a log file in the data dir");
    assert!(log.contains("CSM Desk"), "{log}");

    let app = driver.launch();
    app.wait_for_text("[data-testid=book-count]", "40 accounts");
    assert_second_launch_hands_over(&driver);
    open_account(&app, SAMPLE_ACCOUNT);
    app.wait_for_text("[data-field=region] button.value", "Antarctica Station 7");
    app.click_css("[data-testid=nav-settings]");
    let location = app.wait_for_text("[data-testid=data-location]", "csm-desk.sqlite");
    assert!(location.contains(&driver.database().display().to_string()), "{location}");

    // The manual theme switch, and the palette finding an account by its domain.
    app.click_css("input[name=theme][value=dark]");
    wait_until("the dark theme", || {
        app.execute("return document.documentElement.dataset.theme", json!([])) == json!("dark")
    });
    app.click_css("[data-testid=nav-book]");
    app.click_css("nav .palette-hint");
    app.type_into(&app.find("[data-testid=palette-input]"), "redwoodlabs");
    app.wait_for_text("[data-testid=palette] [role=option]", "Redwood Labs");
    screenshot("screenshot-palette-dark");
    app.type_into(&app.find("[data-testid=palette-input]"), ENTER);
    app.wait_for_text("[data-testid=account-name]", "Redwood Labs");
    app.close();
    wait_for_app_exit();
}

#[test]
fn a_damaged_database_shows_a_clear_screen_and_is_left_untouched() {
    let _turn = ONE_APP_AT_A_TIME.lock();
    let driver = Driver::start();
    std::fs::create_dir_all(driver.data_dir()).expect("data dir");
    let garbage = b"PK\x03\x04 this is a zip file, not a database ".repeat(64);
    std::fs::write(driver.database(), &garbage).expect("write");

    let app = driver.launch();
    let screen = app.wait_for_text("[data-testid=database-problem]", "damaged");
    assert!(screen.contains(&driver.database().display().to_string()), "{screen}");
    app.close();
    wait_for_app_exit();
    assert_eq!(std::fs::read(driver.database()).expect("read"), garbage);
}

#[test]
fn killing_the_app_mid_edit_never_corrupts_the_file() {
    let _turn = ONE_APP_AT_A_TIME.lock();
    let driver = Driver::start();
    let app = driver.launch();
    app.click_css("[data-testid=start-sample]");
    app.wait_for_text("[data-testid=book-count]", "40 accounts");
    open_account(&app, SAMPLE_ACCOUNT);

    // Fire a stream of saves straight through IPC, then kill the process while they run.
    app.execute(
        "const id = location.pathname.split('/').pop();
         const invoke = window.__TAURI_INTERNALS__.invoke;
         invoke('account_overview', { id }).then(async (o) => {
           for (let i = 0; i < 100000; i++) {
             await invoke('update_account', { id, input: { ...o.input, owner: 'Owner ' + i } });
           }
         });",
        json!([]),
    );
    wait_until("some saves to land", || {
        db_value(&driver, &format!("SELECT coalesce(owner, '') FROM accounts WHERE name = '{SAMPLE_ACCOUNT}'"))
            .starts_with("Owner ")
    });
    std::thread::sleep(Duration::from_millis(300));
    for pid in app_pids(&app_binary()) {
        let _ = std::process::Command::new("kill").args(["-9", &pid.to_string()]).status();
    }
    wait_for_app_exit();
    drop(app);

    assert_eq!(db_value(&driver, "PRAGMA integrity_check"), "ok");
    let owner = db_value(&driver, &format!("SELECT owner FROM accounts WHERE name = '{SAMPLE_ACCOUNT}'"));
    assert!(owner.starts_with("Owner "), "the last committed save survives: {owner}");
    assert_eq!(db_value(&driver, "SELECT CAST(count(*) AS TEXT) FROM accounts"), "40");
}

#[test]
fn a_low_sentiment_on_a_green_account_shows_everywhere() {
    let _turn = ONE_APP_AT_A_TIME.lock();
    let driver = Driver::start();
    let app = driver.launch();
    app.click_css("[data-testid=start-sample]");
    app.wait_for_text("[data-testid=book-count]", "40 accounts");
    wait_until("the portfolio strip", || !app.find_all("[data-testid=portfolio]").is_empty());

    // The green account closest to yellow: a worried CSM should tip it over.
    let name = db_value(
        &driver,
        "SELECT a.name FROM accounts a JOIN health_snapshots h ON h.account_id = a.id \
         WHERE h.day = (SELECT max(day) FROM health_snapshots) AND h.band = 'green' ORDER BY h.score LIMIT 1",
    );
    open_account(&app, &name);
    let before: u32 = app.text(&app.find("[data-testid=health-score]")).trim().parse().expect("score");
    screenshot("screenshot-health");

    app.execute(
        "const form = document.querySelector('[data-testid=signal-form]');
         form.querySelector('select[name=kind]').value = 'sentiment';
         form.querySelector('select[name=kind]').dispatchEvent(new Event('change'));",
        json!([]),
    );
    app.type_into(&app.find("[data-testid=signal-form] input[name=value]"), "1");
    app.type_into(&app.find("[data-testid=signal-form] input[name=comment]"), "Sponsor leaving; budget under review");
    app.click_css("[data-testid=record-signal]");
    app.wait_for_text("[data-testid=health-drivers]", "CSM sentiment");
    let after: u32 = app.text(&app.find("[data-testid=health-score]")).trim().parse().expect("score");
    assert!(after < before, "{after} < {before}");

    app.click_css("[data-testid=nav-book]");
    let filter = app.find("[data-testid=book-filter]");
    app.clear(&filter);
    app.type_into(&filter, &name);
    app.wait_for_text("[data-testid=book-row] [data-testid=health-badge]", &after.to_string());
    let band = db_value(
        &driver,
        &format!(
            "SELECT h.band FROM health_snapshots h JOIN accounts a ON a.id = h.account_id WHERE a.name = '{name}' \
         ORDER BY h.day DESC LIMIT 1"
        ),
    );
    assert_ne!(band, "green", "{name} left green ({before} → {after})");
    let events = db_value(
        &driver,
        &format!(
            "SELECT CAST(count(*) AS TEXT) FROM timeline_events e JOIN accounts a ON a.id = e.account_id \
         WHERE a.name = '{name}' AND e.kind = 'health_band' AND e.title LIKE 'Health turned {band}%' \
         AND substr(e.occurred_at, 1, 10) = (SELECT max(day) FROM health_snapshots)"
        ),
    );
    assert_eq!(events, "1", "the band change is on the timeline");
    app.close();
    wait_for_app_exit();
}

/// The week's columns, in order, as their dates.
fn week_days(app: &Session) -> Vec<String> {
    let dates =
        app.execute("return [...document.querySelectorAll('[data-testid=day]')].map(d => d.dataset.date)", json!([]));
    dates.as_array().expect("dates").iter().filter_map(|d| d.as_str().map(str::to_owned)).collect()
}

/// Whether the Week shows the task with this title (on a day or among the overdue).
fn shows_task(app: &Session, title: &str) -> bool {
    let found = app.execute(
        "return [...document.querySelectorAll('[data-testid=task]')].some(e => e.dataset.title === arguments[0])",
        json!([title]),
    );
    found == json!(true)
}

/// The date of the day column holding the task with this title, if it is shown in a day.
fn day_of_task(app: &Session, title: &str) -> Option<String> {
    let found = app.execute(
        "const t = [...document.querySelectorAll('[data-testid=day] [data-testid=task]')] \
           .find(e => e.dataset.title === arguments[0]); \
         return t ? t.closest('[data-testid=day]').dataset.date : null",
        json!([title]),
    );
    found.as_str().map(str::to_owned)
}

#[test]
fn planning_the_week_accepting_moving_and_completing_survives_a_restart() {
    const SHIFT: &str = "\u{E008}";
    const RIGHT: &str = "\u{E014}";
    const LEFT: &str = "\u{E012}";
    const RELEASE: &str = "\u{E000}";
    let _turn = ONE_APP_AT_A_TIME.lock();
    let driver = Driver::start();
    let app = driver.launch();
    app.click_css("[data-testid=start-sample]");
    app.wait_for_text("[data-testid=book-count]", "40 accounts");

    app.click_css("[data-testid=nav-week]");
    let card = app.wait_for_text("[data-testid=suggestion]", "Dismiss");
    assert!(card.contains('+'), "each reason shows its points: {card}");
    screenshot("screenshot-week");
    app.click_css("[data-testid=why-panel-toggle]");
    app.wait_for_text("[data-testid=why-panel]", "ranked by what matters now");
    let account =
        app.execute("return document.querySelector('[data-testid=suggestion] .head a').textContent", json!([]));
    let account = account.as_str().expect("the suggested account's name").trim().to_owned();
    assert!(!account.is_empty());

    // Accept the top suggestion: it becomes a touch task on the day the planner chose.
    // (A script click: the card may sit below the fold of the 820-pixel-high screen.)
    app.execute(
        "document.querySelector('[data-testid=suggestion] [data-testid=accept-suggestion]').click()",
        json!([]),
    );
    let touch = format!("Check in with {account}");
    wait_until("the touch to appear on a day", || day_of_task(&app, &touch).is_some());
    let placed = day_of_task(&app, &touch).expect("the touch is on a day");

    // Move it to another day from the keyboard (Shift+→, or Shift+← on the last day: a past
    // day, where the touch is listed as overdue, so the database tells where it went).
    let days = week_days(&app);
    let at = days.iter().position(|d| *d == placed).expect("its day is shown");
    let (key, target) = match days.get(at + 1) {
        Some(next) => (RIGHT, next.clone()),
        None => (LEFT, days[at - 1].clone()),
    };
    app.execute(
        "[...document.querySelectorAll('[data-testid=task]')].find(e => e.dataset.title === arguments[0]).click()",
        json!([touch]),
    );
    app.type_into(&app.find("body"), &format!("{SHIFT}{key}{RELEASE}"));
    let due_date = |title: &str| {
        db_value(&driver, &format!("SELECT due_date FROM tasks WHERE title = '{}'", title.replace('\'', "''")))
    };
    wait_until("the touch to move", || due_date(&touch) == target);

    // Complete another task with its checkbox.
    let done_id = app.execute(
        "const t = [...document.querySelectorAll('[data-testid=day] [data-testid=task]')] \
           .find(e => e.dataset.title !== arguments[0] && !e.querySelector('input').checked); \
         t.querySelector('[data-testid=task-done]').click(); return t.dataset.taskId",
        json!([touch]),
    );
    let done_id = done_id.as_str().expect("a task to complete").to_owned();
    assert!(done_id.chars().all(|c| c.is_ascii_hexdigit() || c == '-'));
    wait_until("the task to be done in the database", || {
        db_value(&driver, &format!("SELECT status FROM tasks WHERE id = '{done_id}'")) == "done"
    });
    app.close();
    wait_for_app_exit();

    let app = driver.launch();
    app.click_css("[data-testid=nav-week]");
    wait_until("the week to show the touch", || shows_task(&app, &touch));
    assert_eq!(due_date(&touch), target, "the move survived the restart");
    let suggested = app.find_all("[data-testid=suggestion] .head a").iter().map(|e| app.text(e)).collect::<Vec<_>>();
    assert!(!suggested.contains(&account), "an account with a planned touch is not suggested again");
    let checked = app.execute(
        "const t = document.querySelector(`[data-task-id='${arguments[0]}']`); return !!t && t.querySelector('input').checked",
        json!([done_id]),
    );
    assert_eq!(checked, json!(true), "the completed task is still done");
    assert_eq!(db_value(&driver, "PRAGMA integrity_check"), "ok");
    app.close();
    wait_for_app_exit();
}

const CONTROL: &str = "\u{E009}";

/// Puts the caret at the end of the text box `css` (as Ctrl+End would; WebKitWebDriver's keys do
/// not move it there).
fn caret_to_the_end(app: &Session, css: &str) {
    let script = "const t = document.querySelector(arguments[0]); t.focus(); t.setSelectionRange(t.value.length, t.value.length); return null";
    app.execute(script, json!([css]));
}
const PAYLOAD: &str =
    "<img src=x onerror=\"window.__pwned=1\"> <script>window.__pwned=2</script> [x](javascript:window.__pwned=3)";

/// On the sample account's page, `l` → Enter (check-in template) → the editor.
fn start_a_call_note(app: &Session) {
    app.type_into(&app.find("body"), "l");
    app.wait_for_text("[data-testid=log-call]", "Check-in");
    app.type_into(&app.find("body"), ENTER);
    app.find("[data-testid=note-body]");
}

#[test]
fn a_call_logged_from_the_keyboard_makes_a_task_shows_on_the_timeline_is_found_and_runs_nothing() {
    let _turn = ONE_APP_AT_A_TIME.lock();
    let driver = Driver::start();
    let app = driver.launch();
    app.click_css("[data-testid=start-sample]");
    app.wait_for_text("[data-testid=book-count]", "40 accounts");
    open_account(&app, SAMPLE_ACCOUNT);

    start_a_call_note(&app);
    let body = app.find("[data-testid=note-body]");
    // The first words typed go into the template's first section, not into its checklist.
    app.type_into(&body, "Renewal looks solid");
    let typed = app.execute("return document.querySelector('[data-testid=note-body]').value", json!([]));
    assert!(typed.as_str().unwrap_or_default().starts_with("## How things are going\nRenewal looks solid"), "{typed}");
    // The template ends with an empty checklist line: Ctrl+End, and the next step goes there.
    // Enter continues the checklist; Enter on the empty item ends it, and the payload goes on a
    // line of its own.
    caret_to_the_end(&app, "[data-testid=note-body]");
    app.type_into(&body, &format!("Send the pricing sheet to the sponsor by Friday{ENTER}{ENTER}{PAYLOAD}"));
    app.wait_for_text("[data-testid=next-steps]", "from “Friday”");
    app.type_into(&body, &format!("{CONTROL}{ENTER}"));

    // Back on the account: the note on the timeline, its next step a task.
    app.wait_for_text("[data-testid=account-name]", SAMPLE_ACCOUNT);
    app.wait_for_text("[data-testid=timeline-entry][data-kind=note]", "Check-in call");
    wait_until("the next step as a task", || {
        app.execute(
            "return [...document.querySelectorAll('[data-testid=account-tasks] [data-testid=task]')] \
               .some(t => t.dataset.title === 'Send the pricing sheet to the sponsor by Friday')",
            json!([]),
        ) == json!(true)
    });
    let due = db_value(
        &driver,
        "SELECT due_date FROM tasks WHERE source = 'note' AND title = 'Send the pricing sheet to the sponsor by Friday'",
    );
    assert_eq!(
        chrono::NaiveDate::parse_from_str(&due, "%Y-%m-%d").expect("a due date").format("%A").to_string(),
        "Friday"
    );

    // Search finds it, with the words highlighted.
    app.click_css("[data-testid=nav-search]");
    app.type_into(&app.find("[data-testid=search-input]"), "pricing sponsor");
    app.wait_for_text("[data-testid=search-hit]", "Check-in call");
    screenshot("screenshot-search");

    // The saved note shows the payload as text and runs nothing.
    app.execute("[...document.querySelectorAll('[data-testid=search-hit] button')].find(b => b.textContent.includes('Check-in call')).click()", json!([]));
    app.find("[data-testid=note-editor]");
    // A saved note opens rendered.
    let rendered = app.wait_for_text(".rendered", "<img src=x");
    assert!(rendered.contains("<script>"), "{rendered}");
    let safe = app.execute(
        "const r = document.querySelector('.rendered'); \
         return !window.__pwned && !r.querySelector('img, script') && \
           [...r.querySelectorAll('a')].every(a => !(a.getAttribute('href') || '').startsWith('javascript'))",
        json!([]),
    );
    assert_eq!(safe, json!(true));
    app.close();
    wait_for_app_exit();
}

#[test]
fn a_note_being_typed_when_the_app_is_killed_comes_back() {
    let _turn = ONE_APP_AT_A_TIME.lock();
    let driver = Driver::start();
    let app = driver.launch();
    app.click_css("[data-testid=start-sample]");
    app.wait_for_text("[data-testid=book-count]", "40 accounts");
    open_account(&app, SAMPLE_ACCOUNT);
    start_a_call_note(&app);
    let words = "Budget frozen until March; 한빛 team still keen";
    app.type_into(&app.find("[data-testid=note-body]"), words);
    wait_until("the draft to be kept", || {
        db_value(&driver, "SELECT CAST(count(*) AS TEXT) FROM note_drafts WHERE payload LIKE '%Budget frozen%'") == "1"
    });
    for pid in app_pids(&app_binary()) {
        let _ = std::process::Command::new("kill").args(["-9", &pid.to_string()]).status();
    }
    wait_for_app_exit();
    drop(app);

    let app = driver.launch();
    app.wait_for_text("[data-testid=drafts-banner]", SAMPLE_ACCOUNT);
    app.click_css("[data-testid=restore-draft]");
    wait_until("the draft back in the editor", || {
        app.execute("const b = document.querySelector('[data-testid=note-body]'); return b ? b.value : ''", json!([]))
            .as_str()
            .is_some_and(|text| text.contains(words))
    });
    app.close();
    wait_for_app_exit();
}

#[test]
fn a_backup_brings_back_a_deleted_account_and_rescues_a_damaged_book() {
    let _turn = ONE_APP_AT_A_TIME.lock();
    let driver = Driver::start();
    let app = driver.launch();
    app.click_css("[data-testid=start-sample]");
    app.wait_for_text("[data-testid=book-count]", "40 accounts");

    app.click_css("[data-testid=nav-data]");
    app.find("[data-testid=back-up-now]");
    app.execute("document.querySelector('[data-testid=back-up-now]').click()", json!([]));
    app.wait_for_text("[data-testid=backup-row]", "40 accounts");

    // Delete an account, then restore the backup: it is back.
    app.click_css("[data-testid=nav-book]");
    open_account(&app, SAMPLE_ACCOUNT);
    app.click_css("[data-testid=delete-account]");
    app.click_css("[data-testid=confirm]");
    app.wait_for_text("[data-testid=book-count]", "39 accounts");
    app.click_css("[data-testid=nav-data]");
    app.wait_for_text("[data-testid=backup-row]", "40 accounts");
    app.execute("document.querySelector('[data-testid=restore-backup]').click()", json!([]));
    app.click_css("[data-testid=confirm]");
    app.click_css("[data-testid=nav-book]");
    app.wait_for_text("[data-testid=book-count]", "40 accounts");
    open_account(&app, SAMPLE_ACCOUNT);
    app.close();
    wait_for_app_exit();

    // Damage pages inside the file (its header stays sound): the start screen offers the backup.
    let mut bytes = std::fs::read(driver.database()).expect("database");
    let end = bytes.len().min(4096 * 12);
    bytes[4096 * 2..end].fill(0xA5);
    std::fs::write(driver.database(), &bytes).expect("damage");
    let app = driver.launch();
    // The newest sound backup is the one taken just before the restore (39 accounts then).
    app.wait_for_text("[data-testid=last-good-backup]", "39 accounts");
    app.click_css("[data-testid=restore-last-good]");
    app.wait_for_text("[data-testid=book-count]", "39 accounts");
    let kept = std::fs::read_dir(driver.data_dir().join("backups"))
        .expect("backups")
        .flatten()
        .any(|e| e.file_name().to_string_lossy().starts_with("damaged-"));
    assert!(kept, "the damaged file is kept aside");
    app.click_css("[data-testid=nav-data]");
    app.wait_for_text("[data-testid=backup-row]", "damaged, set aside");
    app.close();
    wait_for_app_exit();
}

#[test]
fn a_contacts_csv_with_bad_rows_is_previewed_and_only_good_rows_are_imported() {
    let _turn = ONE_APP_AT_A_TIME.lock();
    let driver = Driver::start();
    let csv = driver.home().join("contacts.csv");
    std::fs::write(
        &csv,
        format!(
            "First Name,Last Name,Email,Account Name,Job Title\n\
             Ana,Ruiz,ana.ruiz@example.com,{SAMPLE_ACCOUNT},VP Ops\n\
             Bo,Li,not-an-email,{SAMPLE_ACCOUNT},CTO\n\
             Cy,Ng,cy@example.com,Nobody Inc,CFO\n\
             Dee,\"<img src=x onerror=alert(1)>\",dee@example.com,{SAMPLE_ACCOUNT},\n"
        ),
    )
    .expect("csv");
    let app = driver.launch();
    app.click_css("[data-testid=start-sample]");
    app.wait_for_text("[data-testid=book-count]", "40 accounts");
    app.click_css("[data-testid=nav-data]");
    app.type_into(&app.find("[data-testid=import-file]"), &csv.display().to_string());
    app.wait_for_text("[data-testid=import-counts]", "2 to create");
    let rows = app.wait_for_text("[data-testid=import-row]", "Nobody Inc");
    assert!(rows.contains("Email"), "{rows}");
    screenshot("screenshot-import");
    app.execute("document.querySelector('[data-testid=import-apply]').click()", json!([]));
    wait_until("the contacts to be imported", || {
        db_value(
            &driver,
            "SELECT CAST(count(*) AS TEXT) FROM contacts WHERE email IN ('ana.ruiz@example.com', 'dee@example.com')",
        ) == "2"
    });
    assert_eq!(db_value(&driver, "SELECT CAST(count(*) AS TEXT) FROM contacts WHERE email = 'cy@example.com'"), "0");
    app.close();
    wait_for_app_exit();
}

/// The file with this extension the app saved into the exports folder, once it is there.
fn exported(driver: &Driver, extension: &str) -> std::path::PathBuf {
    let mut found = None;
    wait_until(&format!("a .{extension} file in the exports folder"), || {
        found = std::fs::read_dir(driver.exports_dir())
            .ok()
            .and_then(|dir| dir.flatten().map(|e| e.path()).find(|p| p.extension().is_some_and(|x| x == extension)));
        found.is_some()
    });
    found.expect("an exported file")
}

#[test]
fn a_qbr_drafted_from_a_sample_account_exports_to_pptx_and_pdf_that_read_back() {
    let _turn = ONE_APP_AT_A_TIME.lock();
    let driver = Driver::start();
    let app = driver.launch();
    app.click_css("[data-testid=start-sample]");
    app.wait_for_text("[data-testid=book-count]", "40 accounts");
    let name = db_value(
        &driver,
        "SELECT a.name FROM accounts a WHERE EXISTS (SELECT 1 FROM success_metrics m WHERE m.account_id = a.id) \
         ORDER BY a.name LIMIT 1",
    );
    open_account(&app, &name);

    // A new QBR over the last full quarter: the draft and its slides.
    app.execute("document.querySelector('[data-testid=new-qbr]').click()", json!([]));
    app.execute("document.querySelector('[data-testid=create-qbr]').click()", json!([]));
    app.find("[data-testid=qbr-page]");
    let story = "Our story: <b>not bold</b> “quoted” 😀";
    // Set as a paste would (WebDriver cannot type characters beyond the BMP, like the emoji).
    let set_story = "const t = document.querySelector('[data-section=goals] textarea'); t.value = arguments[0]; \
                     t.dispatchEvent(new Event('change', { bubbles: true }))";
    app.execute(set_story, json!([story]));
    app.wait_for_text("[data-testid=slides]", story);
    let titles = app.execute(
        "return [...document.querySelectorAll('[data-testid=slides] [data-testid=slide]')].map(e => e.dataset.title)",
        json!([]),
    );
    let charts = app.execute(
        "return [...document.querySelectorAll('[data-testid=slides] svg[data-values]')].map(e => JSON.parse(e.dataset.values))",
        json!([]),
    );
    assert!(titles.as_array().is_some_and(|t| t.len() >= 6), "{titles}");
    let slides_text = app.text(&app.find("[data-testid=slides]"));
    assert!(!slides_text.contains("No product feedback recorded"), "coaching stays in the editor: {slides_text}");
    let cover = app.execute(
        "const h = document.querySelector('[data-testid=slides] .cover h3'); const s = getComputedStyle(h); \
         return [s.color, getComputedStyle(h.closest('.cover')).backgroundColor, h.getBoundingClientRect().width]",
        json!([]),
    );
    assert!(
        cover[0] != cover[1] && cover[2].as_f64().unwrap_or(0.0) > 10.0,
        "the cover shows the account's name: {cover}"
    );
    assert!(charts.as_array().is_some_and(|c| !c.is_empty()), "the sample account has charts: {charts}");
    app.execute("document.querySelector('[data-testid=slides] .thumb:nth-child(3)').click()", json!([]));
    screenshot("screenshot-qbr");
    assert_settles(&app, "a QBR");

    // PowerPoint: the same slides, the CSM's story, and native charts with the draft's numbers.
    app.click_css("[data-testid=export-pptx]");
    let pptx = read_deck(&exported(&driver, "pptx"));
    let slides = pptx["slides"].as_array().expect("slides");
    let read_titles: Vec<_> = slides.iter().map(|s| s["title"].clone()).collect();
    assert_eq!(json!(read_titles), titles);
    let goals =
        slides[1]["texts"].as_array().expect("texts").iter().filter_map(|t| t.as_str()).collect::<Vec<_>>().join("\n");
    assert!(goals.contains(story), "{goals}");
    let read_charts: Vec<_> = slides
        .iter()
        .flat_map(|s| s["charts"].as_array().cloned().unwrap_or_default())
        .map(|c| json!(c["series"].as_array().expect("series").iter().map(|s| s["values"].clone()).collect::<Vec<_>>()))
        .collect();
    let values = |v: Value| serde_json::from_value::<Vec<Vec<Vec<Option<f64>>>>>(v).expect("chart values");
    assert_eq!(values(json!(read_charts)), values(charts));

    // PDF: one page per slide.
    app.click_css("[data-testid=export-pdf]");
    let pdf_path = exported(&driver, "pdf");
    if let Some(dir) = std::env::var_os("CSM_DESK_SCREENSHOTS") {
        std::fs::copy(&pdf_path, std::path::Path::new(&dir).join("qbr-deck.pdf")).expect("keep the deck");
    }
    let pdf = read_deck(&pdf_path);
    assert_eq!(pdf["pages"].as_array().map(Vec::len), titles.as_array().map(Vec::len));

    // Held: the meeting note's next step becomes a task, the QBR lands on the timeline.
    app.click_css("[data-testid=mark-held]");
    let notes = app.find("[data-testid=held-notes]");
    caret_to_the_end(&app, "[data-testid=held-notes]");
    app.type_into(&notes, "Book the data workshop");
    app.wait_for_text("[data-testid=held-dialog]", "Book the data workshop");
    app.click_css("[data-testid=held-save]");
    wait_until("the QBR to be held", || db_value(&driver, "SELECT status FROM qbrs") == "held");
    assert_eq!(
        db_value(&driver, "SELECT CAST(count(*) AS TEXT) FROM tasks WHERE title = 'Book the data workshop'"),
        "1"
    );
    assert_eq!(db_value(&driver, "SELECT CAST(count(*) AS TEXT) FROM timeline_events WHERE kind = 'qbr'"), "1");
    app.close();
    wait_for_app_exit();
}

/// Logs a call note marked to publish on `account`, then opens the Sync page where it waits.
fn publish_a_note(app: &Session, driver: &Driver, account: &str) {
    open_account(app, account);
    start_a_call_note(app);
    app.type_into(&app.find("[data-testid=note-body]"), "Renewal looks safe.");
    app.click_css("[data-testid=note-private]");
    app.click_css("[data-testid=save-note]");
    wait_until("the published note saved", || {
        db_value(driver, "SELECT CAST(count(*) AS TEXT) FROM notes WHERE private = 0") == "1"
    });
    app.click_css("[data-testid=nav-sync]");
    app.wait_for_text("[data-testid=sync-outbox]", "Check-in");
}

#[test]
fn hubspot_sync_from_the_fake_server_fills_the_book_and_pushes_a_published_note() {
    let _turn = ONE_APP_AT_A_TIME.lock();
    let fake = FakeHubSpot::start("e2e-token");
    fake.seed(5, 2);
    let driver = Driver::start();
    let app = driver.launch();
    app.click_css("[data-testid=start-empty]");
    app.click_css("[data-testid=nav-sync]");
    let url = app.find("[data-testid=crm-url]");
    app.clear(&url);
    app.type_into(&url, &fake.url);
    app.type_into(&app.find("[data-testid=crm-token]"), "e2e-token");
    app.click_css("[data-testid=crm-connect]");
    app.find("[data-testid=sync-now]");
    let db = std::fs::read(driver.database()).expect("database");
    assert!(!db.windows(9).any(|w| w == b"e2e-token"), "the token is not in the book");

    // Progress arrives as events while the (slowed) pull runs: the page never asks for it.
    fake.lock().faults.extend([Fault::Slow(Duration::from_millis(800)), Fault::Slow(Duration::from_millis(800))]);
    let before = commands_sent(&app);
    app.click_css("[data-testid=sync-now]");
    wait_until("progress pushed by the running sync", || {
        let shown = app.find_all("[data-testid=sync-progress]").iter().map(|e| app.text(e)).collect::<String>();
        shown.contains("pulled") && !shown.starts_with("Starting")
    });
    assert_eq!(commands_sent(&app), before + 1, "only sync_now was sent: progress is not polled");
    // Preview, then apply: the Book has HubSpot's companies.
    app.wait_for_text("[data-testid=sync-preview]", "Northwind 1");
    screenshot("screenshot-sync");
    app.click_css("[data-testid=sync-apply]");
    app.click_css("[data-testid=nav-book]");
    app.wait_for_text("[data-testid=book-count]", "5 accounts");
    assert_eq!(db_value(&driver, "SELECT CAST(count(*) AS TEXT) FROM crm_links WHERE system = 'hubspot'"), "15");

    // A note marked to publish is listed as waiting before anything is sent; applying pushes it,
    // filed under the company.
    publish_a_note(&app, &driver, "Northwind 1");
    assert!(fake.lock().records("notes").is_empty());
    app.click_css("[data-testid=sync-apply]");
    wait_until("the note in the fake HubSpot", || fake.lock().records("notes").len() == 1);
    let s = fake.lock();
    let note = s.records("notes")[0].id;
    assert_eq!(s.associated("notes", note, "companies").len(), 1);
    drop(s);
    app.close();
    wait_for_app_exit();
}

#[test]
fn salesforce_sign_in_through_the_browser_then_sync_both_ways() {
    let _turn = ONE_APP_AT_A_TIME.lock();
    let fake = FakeSalesforce::start("e2e-client");
    fake.seed(4, 2);
    let driver = Driver::start();
    let mut app = driver.launch();
    app.click_css("[data-testid=start-empty]");
    app.click_css("[data-testid=nav-sync]");
    app.click_css("[data-testid=crm-system-salesforce]");
    app.wait_for_text("[data-testid=crm-connect]", "Sign in with Salesforce");
    let url = app.find("[data-testid=crm-url]");
    app.clear(&url);
    app.type_into(&url, &fake.url);
    app.type_into(&app.find("[data-testid=crm-client-id]"), "e2e-client");
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let port_input = app.find("[data-testid=crm-port]");
    app.clear(&port_input);
    app.type_into(&port_input, &port.to_string());
    // A sign-in abandoned in the browser can be cancelled, and tried again.
    let sign_in = driver.exports_dir().join("salesforce-sign-in.url");
    app.click_css("[data-testid=crm-connect]");
    app.find("[data-testid=sign-in-wait]");
    wait_until("the app to ask for the browser", || sign_in.exists());
    std::fs::remove_file(&sign_in).expect("the first sign-in address");
    app.click_css("[data-testid=sign-in-cancel]");
    app.wait_for_text("[data-testid=connect-form] .field-error", "The sign-in was cancelled.");
    app.click_css("[data-testid=crm-connect]");
    app.find("[data-testid=sign-in-wait]");
    screenshot("screenshot-salesforce-sign-in");

    // The test plays the CSM's browser: it opens the sign-in page the app asked for, which
    // redirects to the app's loopback callback.
    wait_until("the app to ask for the browser", || sign_in.exists());
    let authorize = std::fs::read_to_string(&sign_in).expect("url");
    assert!(authorize.contains("code_challenge_method=S256") && authorize.contains(&format!("127.0.0.1%3A{port}")));
    let page = ureq::get(&authorize).call().expect("the sign-in page").into_string().expect("text");
    assert!(page.contains("connected to Salesforce"), "{page}");
    app.find("[data-testid=sync-now]");
    let db = std::fs::read(driver.database()).expect("database");
    assert!(!db.windows(b"00DFAKE".len()).any(|w| w == b"00DFAKE"), "no token in the book");
    assert!(!db.windows(b"5AepFAKE".len()).any(|w| w == b"5AepFAKE"), "no refresh token in the book");

    // Preview, then apply: the Book has Salesforce's accounts and their people.
    app.click_css("[data-testid=sync-now]");
    app.wait_for_text("[data-testid=sync-preview]", "Northwind 1");
    screenshot("screenshot-sync-salesforce");
    app.click_css("[data-testid=sync-apply]");
    app.click_css("[data-testid=nav-book]");
    app.wait_for_text("[data-testid=book-count]", "4 accounts");
    assert_eq!(db_value(&driver, "SELECT CAST(count(*) AS TEXT) FROM crm_links WHERE system = 'salesforce'"), "12");

    // A published note goes to Salesforce as a logged call on the account when applied.
    publish_a_note(&app, &driver, "Northwind 1");
    assert!(fake.lock().records("Task").is_empty());
    app.click_css("[data-testid=sync-apply]");
    wait_until("the call in the fake Salesforce", || fake.lock().records("Task").len() == 1);
    let s = fake.lock();
    let call = &s.records("Task")[0].fields;
    let account = s.records("Account").iter().find(|a| a.fields["Name"] == "Northwind 1").map(|a| a.id.clone());
    assert_eq!(call["WhatId"].as_str(), account.as_deref());
    assert_eq!(call["Status"], "Completed");
    drop(s);

    // Sessions time out: the app refreshes, and keeps the rotated refresh token in the keychain
    // before using it — after a restart, the next refresh works only with that new one.
    let done = "SELECT CAST(count(*) AS TEXT) FROM sync_runs WHERE status = 'done'";
    for round in 1..=2 {
        fake.lock().expire_sessions();
        let before: u32 = db_value(&driver, done).parse().expect("count");
        app.click_css("[data-testid=sync-now]");
        wait_until("the sync after the session expired", || {
            db_value(&driver, done).parse::<u32>().expect("n") > before
        });
        assert_eq!(fake.lock().refreshes, round);
        if round == 1 {
            app.close();
            wait_for_app_exit();
            app = driver.launch();
            app.click_css("[data-testid=nav-sync]");
        }
    }
    app.close();
    wait_for_app_exit();
}

/// How many commands the UI has sent so far (counted by its one API module).
fn commands_sent(app: &Session) -> u64 {
    app.execute("return window.__csmDeskCalls ? window.__csmDeskCalls.commands : null", json!([]))
        .as_u64()
        .expect("the UI counts its commands")
}

/// Share of one core an idle page may use (the app and its WebKit processes, software-rendered
/// under Xvfb); the Timeline's reload loop used 95 % and more.
const IDLE_CPU: f64 = 0.25;

/// A page left alone settles: after it has shown, it sends no command for two seconds and the
/// app's processes stay near idle.
fn assert_settles(app: &Session, page: &str) {
    std::thread::sleep(Duration::from_millis(700));
    let before = commands_sent(app);
    let cpu_before = app_cpu_seconds();
    std::thread::sleep(Duration::from_secs(2));
    let after = commands_sent(app);
    let cpu = (app_cpu_seconds() - cpu_before) / 2.0;
    assert_eq!(after, before, "{page} kept calling the backend while the CSM did nothing");
    assert!(cpu < IDLE_CPU, "{page} kept the CPU busy while the CSM did nothing: {:.0} % of a core", cpu * 100.0);
    eprintln!("{page} settled: {:.1} % of a core", cpu * 100.0);
}

/// Shows `css` after clicking `nav`, within a generous bound for a debug build; returns the time.
fn open_page(app: &Session, nav: &str, css: &str, text: &str) -> Duration {
    let started = std::time::Instant::now();
    app.click_css(nav);
    app.wait_for_text(css, text);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(10), "{css} took {took:?}");
    took
}

#[test]
fn a_real_sized_book_from_a_first_sync_opens_every_page_settles_and_holds_back_the_flood() {
    let _turn = ONE_APP_AT_A_TIME.lock();
    // The book right after a first sync of a 5,000-company portal, made before the app starts.
    let fake = FakeHubSpot::start("e2e-token");
    fake.seed(5_000, 5);
    let driver = Driver::start();
    {
        std::fs::create_dir_all(driver.data_dir()).expect("data folder");
        let store = Store::open(&driver.database()).expect("book");
        store.start_book(None, Utc::now()).expect("an empty book");
        let limits = Limits { per_window: 1_000_000, ..Limits::default() };
        let hubspot =
            HubSpot::new(&fake.url, "e2e-token", FieldMap::hubspot(), limits, Default::default()).expect("client");
        let run = engine::run(&store, &hubspot, &mut |_| {}).expect("sync");
        assert_eq!(run.pulled, 30_000, "{:?}", run.errors);
        store.apply_sync("hubspot", None, &[], Utc::now(), Utc::now().date_naive()).expect("apply");
    }
    let app = driver.launch();

    let book = open_page(&app, "[data-testid=nav-book]", "[data-testid=book-count]", "5000 accounts");
    app.wait_for_text("[data-testid=portfolio-unscored]", "5000");
    assert_settles(&app, "the Book");
    screenshot("screenshot-real-book");

    let week = open_page(&app, "[data-testid=nav-week]", "[data-testid=held-back]", "held back");
    assert_settles(&app, "the Week");
    let generated = db_value(&driver, "SELECT CAST(count(*) AS TEXT) FROM tasks WHERE source = 'playbook'");
    assert!(generated.parse::<u32>().expect("count") <= 15, "{generated} playbook tasks on the first day");

    app.click_css("[data-testid=nav-book]");
    let started = std::time::Instant::now();
    app.click_css("[data-testid=book-row] .name a");
    app.find("[data-testid=health-not-scored]");
    let account = started.elapsed();
    assert_settles(&app, "an account");

    let timeline = open_page(&app, "[data-testid=nav-timeline]", "[data-testid=timeline]", "Nothing here yet");
    assert_settles(&app, "the Timeline");
    // No renewal this quarter (the fake's fall in 2027); the next twelve months hold all 5,000.
    let renewals = open_page(&app, "[data-testid=nav-renewals]", "[data-testid=renewals-empty]", "No renewal");
    app.execute(
        "const s = document.querySelector('[data-testid=renewal-window]'); s.value = 'next_12_months'; \
         s.dispatchEvent(new Event('change')); return null",
        json!([]),
    );
    app.wait_for_text("[data-testid=forecast-totals]", "renewals");
    let shown = app.execute(
        "return Number(document.querySelector('[data-testid=renewals-table]').getAttribute('aria-rowcount'))",
        json!([]),
    );
    assert!(shown.as_u64().is_some_and(|n| n > 4_000), "{shown} renewals in 12 months");
    // A virtualised list: a few dozen rows in the page, not thousands.
    assert!(app.find_all("[data-testid=renewal-row]").len() < 100);
    assert_settles(&app, "Renewals");
    screenshot("screenshot-real-renewals");
    // No risk or ask yet, and nothing on a first-sync book suggests one (nothing is scored).
    open_page(&app, "[data-testid=nav-risks]", "[data-testid=risks-empty]", "No open risk");
    assert!(app.find_all("[data-testid=risk-suggestions]").is_empty());
    assert_settles(&app, "Risks");
    open_page(&app, "[data-testid=nav-asks]", "[data-testid=asks-empty]", "No ask yet");
    assert_settles(&app, "Asks");
    eprintln!("real book: Renewals {renewals:?}");
    eprintln!("real book: Book {book:?}, Week {week:?}, account {account:?}, Timeline {timeline:?}");
    app.close();
    wait_for_app_exit();
}

/// The accounts of the Renewals page's rows, in order.
fn renewal_rows(app: &Session) -> Vec<String> {
    let names = app.execute(
        "return [...document.querySelectorAll('[data-testid=renewal-row]')].map(r => r.dataset.account)",
        json!([]),
    );
    serde_json::from_value(names).expect("names")
}

fn category_of(driver: &Driver, account: &str) -> String {
    db_value(
        driver,
        &format!(
            "SELECT coalesce(r.category, '') FROM accounts a LEFT JOIN renewals r ON r.account_id = a.id \
             WHERE a.name = '{}'",
            account.replace('\'', "''")
        ),
    )
}

#[test]
fn renewals_are_triaged_from_the_keyboard_and_a_churn_moves_retention_and_the_weekly_diff() {
    let _turn = ONE_APP_AT_A_TIME.lock();
    let driver = Driver::start();
    let app = driver.launch();
    app.click_css("[data-testid=start-sample]");
    app.wait_for_text("[data-testid=book-count]", "40 accounts");
    app.type_into(&app.find("body"), "g");
    app.type_into(&app.find("body"), "r");
    app.find("[data-testid=renewals-table]");
    let grr_before = app.wait_for_text("[data-testid=grr]", "%");
    let nrr_before = app.text(&app.find("[data-testid=nrr]"));
    app.find("[data-testid=forecast-change]");
    screenshot("screenshot-renewals");

    // Next quarter's renewals: call the first three from the keyboard.
    app.execute(
        "const s = document.querySelector('[data-testid=renewal-window]'); s.value = 'next_quarter'; \
         s.dispatchEvent(new Event('change')); return null",
        json!([]),
    );
    wait_until("next quarter's renewals", || {
        app.execute("return document.querySelector('[data-testid=renewals-table]') !== null", json!([])) == json!(true)
            && !renewal_rows(&app).is_empty()
    });
    std::thread::sleep(Duration::from_millis(300));
    let rows = renewal_rows(&app);
    assert!(rows.len() >= 3, "{rows:?}");
    for key in ["1", "j", "3", "j", "2"] {
        app.type_into(&app.find("body"), key);
        std::thread::sleep(Duration::from_millis(150));
    }
    wait_until("three calls saved", || {
        (category_of(&driver, &rows[0]), category_of(&driver, &rows[1]), category_of(&driver, &rows[2]))
            == ("commit".into(), "at_risk".into(), "probable".into())
    });

    // "n" sets the selected renewal's next step (and opens no new-account dialog).
    app.type_into(&app.find("body"), "n");
    let step = app.find("[data-testid=renewal-dialog] input[name=next_step]");
    app.clear(&step);
    app.type_into(&step, &format!("Call the CFO about the budget{ENTER}"));
    wait_until("the next step saved", || {
        db_value(
            &driver,
            &format!(
                "SELECT r.next_step FROM renewals r JOIN accounts a ON a.id = r.account_id WHERE a.name = '{}'",
                rows[2].replace('\'', "''")
            ),
        ) == "Call the CFO about the budget"
    });
    assert!(app.find_all("[data-testid=new-account-dialog]").is_empty());

    // The third one churns: a reason is required, then the ARR goes to zero.
    app.find("[data-testid=renewals-table]");
    app.type_into(&app.find("body"), "o");
    app.click_css("[data-testid=outcome-churn]");
    app.click_css("[data-testid=outcome-save]");
    app.wait_for_text("[data-testid=reasons-error]", "reason");
    app.click_css("[data-testid=outcome-reasons] input[type=checkbox]");
    app.click_css("[data-testid=outcome-save]");
    wait_until("the churn recorded", || app.find_all("[data-testid=outcome-dialog]").is_empty());
    let arr = db_value(
        &driver,
        &format!("SELECT CAST(arr_minor AS TEXT) FROM accounts WHERE name = '{}'", rows[2].replace('\'', "''")),
    );
    assert_eq!(arr, "0");

    // Retention and the weekly diff follow.
    wait_until("GRR and NRR moved", || {
        app.text(&app.find("[data-testid=grr]")) != grr_before && app.text(&app.find("[data-testid=nrr]")) != nrr_before
    });
    let diff = app.wait_for_text("[data-testid=forecast-changes]", &rows[2]);
    assert!(diff.contains("Churned: Budget"), "{diff}");
    assert_settles(&app, "Renewals");
    app.click_css("[data-testid=show-churned]");
    app.wait_for_text("[data-testid=retention-accounts]", &rows[2]);
    app.execute(
        "document.querySelectorAll('.notice button[aria-label=Dismiss]').forEach(b => b.click()); \
         document.querySelector('[data-testid=retention-accounts]').scrollIntoView({ block: 'end' }); return null",
        json!([]),
    );
    wait_until("the notices dismissed", || app.find_all(".notice").is_empty());
    std::thread::sleep(Duration::from_millis(300));
    screenshot("screenshot-retention");
    app.execute("window.scrollTo(0, 0); return null", json!([]));

    // Enter opens the account: its renewal panel lists the outcome with its reason.
    app.type_into(&app.find("body"), ENTER);
    app.wait_for_text("[data-testid=account-name]", &rows[2]);
    let outcomes = app.wait_for_text("[data-testid=account-outcomes]", "Churned");
    assert!(outcomes.contains("Budget"), "{outcomes}");
    app.close();
    wait_for_app_exit();
}

#[test]
fn every_page_settles_and_the_book_keeps_its_filter_across_an_account_visit() {
    let _turn = ONE_APP_AT_A_TIME.lock();
    let driver = Driver::start();
    let app = driver.launch();
    app.find("[data-testid=start-sample]");
    let page = app
        .execute("return [document.scrollingElement.scrollHeight, document.scrollingElement.clientHeight]", json!([]));
    assert_eq!(page[0], page[1], "the first-run page fits the window without scrolling");
    app.click_css("[data-testid=start-sample]");
    app.wait_for_text("[data-testid=book-count]", "40 accounts");
    for (nav, shown) in [
        ("today", "[data-testid=nav-today].active"),
        ("week", "[data-testid=week-summary]"),
        ("timeline", "[data-testid=timeline-entry]"),
        ("search", "[data-testid=nav-search].active"),
        ("sync", "[data-testid=sync-page]"),
        ("renewals", "[data-testid=renewals-table]"),
        ("risks", "[data-testid=risks-table]"),
        ("asks", "[data-testid=asks-table]"),
        ("settings", "[data-testid=planner-settings]"),
        ("book", "[data-testid=book-row]"),
    ] {
        app.click_css(&format!("[data-testid=nav-{nav}]"));
        app.find(shown);
        assert_settles(&app, nav);
    }

    // Filter and sort the Book, open an account by its link, come back: the page was not
    // reloaded (a marker on the window survives) and the Book is as the CSM left it.
    app.execute("window.__stillHere = true; return null", json!([]));
    let filter = app.find("[data-testid=book-filter]");
    app.type_into(&filter, "Acme");
    app.wait_for_text("[data-testid=book-count]", "of 40 accounts");
    app.click_css("[data-testid=book-row] .name a");
    app.wait_for_text("[data-testid=account-name]", SAMPLE_ACCOUNT);
    assert_settles(&app, "an account");
    app.click_css("[data-testid=nav-book]");
    app.wait_for_text("[data-testid=book-count]", "of 40 accounts");
    let kept = app.execute(
        "return [document.querySelector('[data-testid=book-filter]').value, window.__stillHere === true]",
        json!([]),
    );
    assert_eq!(kept, json!(["Acme", true]), "the filter is kept and the web view was not reloaded");

    // A dismissed suggestion comes back with Ctrl+Z; a cancelled task with the notice's Undo.
    app.click_css("[data-testid=nav-week]");
    app.find("[data-testid=suggestion]");
    let name = app.execute("return document.querySelector('[data-testid=suggestion]').dataset.accountId", json!([]));
    let shown = |name: &Value| {
        app.execute(
            "return [...document.querySelectorAll('[data-testid=suggestion]')].some(s => s.dataset.accountId === arguments[0])",
            json!([name]),
        ) == json!(true)
    };
    app.click_css("[data-testid=suggestion] [data-testid=dismiss-suggestion]");
    wait_until("the suggestion to go", || !shown(&name));
    app.type_into(&app.find("body"), &format!("{CONTROL}z"));
    wait_until("Ctrl+Z to bring it back", || shown(&name));

    // A task made in the dialog shows on the account page by itself: the backend announces the
    // write and the page reads the account's tasks again (nothing refreshes it by hand).
    app.click_css("[data-testid=nav-book]");
    open_account(&app, SAMPLE_ACCOUNT);
    app.find("[data-testid=account-tasks]");
    app.type_into(&app.find("body"), "t");
    app.type_into(&app.find("[data-testid=task-dialog] input[name=title]"), "Send the announced deck");
    app.click_css("[data-testid=save-task]");
    // Read as the page lays it out (the list is below the fold, where WebDriver's text skips it).
    wait_until("the new task on the account page", || {
        let shown = app.execute("return document.querySelector('[data-testid=account-tasks]').innerText", json!([]));
        shown.as_str().is_some_and(|t| t.contains("Send the announced deck"))
    });
    assert_settles(&app, "the account after a write");

    // The shortcuts overlay closes from the keyboard: Esc, or `?` again.
    let help_open = || !app.find_all("[data-testid=help]").is_empty();
    app.type_into(&app.find("body"), "?");
    wait_until("the shortcuts to open", help_open);
    app.type_into(&app.find("[data-testid=help]"), ESCAPE);
    wait_until("Esc to close the shortcuts", || !help_open());
    app.type_into(&app.find("body"), "?");
    wait_until("the shortcuts to open again", help_open);
    app.type_into(&app.find("[data-testid=help]"), "?");
    wait_until("`?` to close the shortcuts", || !help_open());
    app.close();
    wait_for_app_exit();
}

/// A contact of an account, by SQL condition: (id, name).
fn person_at(driver: &Driver, account: &str, condition: &str) -> (String, String) {
    let conn = rusqlite::Connection::open(driver.database()).expect("database");
    conn.query_row(
        &format!(
            "SELECT c.id, c.name FROM contacts c JOIN accounts a ON a.id = c.account_id \
             WHERE a.name = '{}' AND c.left_on IS NULL AND {condition} ORDER BY c.name LIMIT 1",
            account.replace('\'', "''")
        ),
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .expect("a person")
}

#[test]
fn the_stakeholder_map_is_kept_from_the_keyboard_and_from_call_notes() {
    let _turn = ONE_APP_AT_A_TIME.lock();
    let driver = Driver::start();
    let app = driver.launch();
    app.click_css("[data-testid=start-sample]");
    app.wait_for_text("[data-testid=book-count]", "40 accounts");
    // A sample account with a sponsor and a few more people.
    let account = db_value(
        &driver,
        "SELECT a.name FROM accounts a WHERE (SELECT count(*) FROM contacts c WHERE c.account_id = a.id \
           AND c.left_on IS NULL) >= 3 AND EXISTS (SELECT 1 FROM contacts c WHERE c.account_id = a.id \
           AND c.role = 'executive_sponsor' AND c.left_on IS NULL) ORDER BY a.name LIMIT 1",
    );
    open_account(&app, &account);
    app.find("[data-testid=coverage]");
    app.execute("document.getElementById('people').scrollIntoView({ block: 'start' }); return null", json!([]));
    screenshot("screenshot-people");

    // `o` shows the org chart; the sponsor sits above the people who report to them.
    app.type_into(&app.find("body"), "o");
    app.find("[data-testid=org-chart] [data-testid=org-node]");
    let (sponsor, _) = person_at(&driver, &account, "c.role = 'executive_sponsor'");
    let (person, name) = person_at(&driver, &account, "c.role <> 'executive_sponsor'");

    // Select a person with the keyboard, `e` edits them: reports to the sponsor, a skeptic.
    app.execute("const svg = document.querySelector('[data-testid=org-chart]'); svg.focus(); return null", json!([]));
    let chart = app.find("[data-testid=org-chart]");
    for _ in 0..40 {
        let selected = app.execute(
            "const s = document.querySelector('[data-testid=org-node].selected'); return s ? s.dataset.id : null",
            json!([]),
        );
        if selected == json!(person) {
            break;
        }
        let down = app.execute(
            "const s = document.querySelector('[data-testid=org-node].selected'); \
             const ids = [...document.querySelectorAll('[data-testid=org-node]')].map(n => n.dataset.id); \
             return s === null || ids.indexOf(s.dataset.id) < ids.indexOf(arguments[0])",
            json!([person]),
        );
        app.type_into(&chart, if down == json!(true) { "\u{E014}" } else { "\u{E012}" }); // → or ←
        std::thread::sleep(Duration::from_millis(60));
    }
    app.type_into(&chart, "e");
    app.find("[data-testid=stakeholder-dialog]");
    app.execute(
        "const set = (name, value) => { const s = document.querySelector(`[data-testid=stakeholder-dialog] select[name=${name}]`); \
           s.value = value; s.dispatchEvent(new Event('change')); }; \
         set('reports_to', arguments[0]); set('stance', 'skeptic'); return null",
        json!([sponsor]),
    );
    app.click_css("[data-testid=save-stakeholder]");
    wait_until("the map saved", || {
        db_value(
            &driver,
            &format!(
                "SELECT coalesce(stance, '') || '/' || coalesce(reports_to, '') FROM contacts WHERE id = '{person}'"
            ),
        ) == format!("skeptic/{sponsor}")
    });
    app.execute(
        "document.querySelectorAll('.notice button[aria-label=Dismiss]').forEach(b => b.click()); \
         document.getElementById('people').scrollIntoView({ block: 'start' }); return null",
        json!([]),
    );
    std::thread::sleep(Duration::from_millis(300));
    screenshot("screenshot-org-chart");
    let root = "const r = document.documentElement; const was = r.dataset.theme ?? ''; ";
    let light = app.execute(
        &format!(
            "{root} r.dataset.theme = 'dark'; \
             document.querySelectorAll('.notice button[aria-label=Dismiss]').forEach(b => b.click()); \
             document.getElementById('people').scrollIntoView({{ block: 'start' }}); return was"
        ),
        json!([]),
    );
    std::thread::sleep(Duration::from_millis(300));
    screenshot("screenshot-org-chart-dark");
    app.execute("document.documentElement.dataset.theme = arguments[0]; return null", json!([light]));

    // ↑ goes to their manager, Enter opens the sponsor's card.
    let chart = app.find("[data-testid=org-chart]");
    app.execute("document.querySelector('[data-testid=org-chart]').focus(); return null", json!([]));
    app.type_into(&chart, "\u{E013}"); // ↑
    app.type_into(&chart, ENTER);
    let card = app.find("[data-testid=person-card]");
    assert!(app.text(&card).contains("Influence"), "{}", app.text(&card));

    // A call note's `@name stance:` line moves the person and lands on the timeline.
    start_a_call_note(&app);
    let body = app.find("[data-testid=note-body]");
    caret_to_the_end(&app, "[data-testid=note-body]");
    app.type_into(&body, &format!("{ENTER}@{name} stance: champion"));
    app.wait_for_text("[data-testid=map-updates]", "skeptic → champion");
    app.type_into(&body, &format!("{CONTROL}{ENTER}"));
    app.wait_for_text("[data-testid=account-name]", &account);
    app.wait_for_text("[data-testid=timeline-entry][data-kind=stakeholder]", &format!("{name}: skeptic → champion"));
    assert_eq!(db_value(&driver, &format!("SELECT stance FROM contacts WHERE id = '{person}'")), "champion");

    // The Book filters single-threaded accounts; the Week says why one needs a touch.
    let single = db_value(
        &driver,
        "SELECT a.name FROM account_coverage v JOIN accounts a ON a.id = v.account_id \
         WHERE v.single_threaded = 1 ORDER BY a.name LIMIT 1",
    );
    app.click_css("[data-testid=nav-book]");
    app.find("[data-testid=book-threads-filter]");
    app.execute(
        "const f = document.querySelector('[data-testid=book-filter]'); f.value = ''; \
         f.dispatchEvent(new Event('input')); \
         const s = document.querySelector('[data-testid=book-threads-filter]'); s.value = 'single'; \
         s.dispatchEvent(new Event('change')); return null",
        json!([]),
    );
    wait_until("the single-threaded account in the filtered Book", || {
        let rows = app.execute(
            "return [...document.querySelectorAll('[data-testid=book-row]')].map(r => r.textContent)",
            json!([]),
        );
        let rows = rows.as_array().cloned().unwrap_or_default();
        !rows.is_empty() && rows.iter().any(|r| r.as_str().is_some_and(|t| t.contains(&single)))
    });
    screenshot("screenshot-book-single-threaded");
    app.click_css("[data-testid=nav-week]");
    app.find("[data-testid=week]");
    if !app.find_all("[data-testid=show-overflow]").is_empty() {
        app.click_css("[data-testid=show-overflow]");
    }
    wait_until("the single-threaded reason on the Week", || {
        app.execute(
            "return [...document.querySelectorAll('[data-testid=suggestion], [data-testid=overflow]')] \
               .some(s => s.textContent.includes('single-threaded: only'))",
            json!([]),
        ) == json!(true)
    });
    assert_settles(&app, "Week");
    app.close();
    wait_for_app_exit();
}

#[test]
fn a_risk_and_an_ask_from_a_call_note_are_triaged_on_their_pages_and_reach_the_qbr() {
    let _turn = ONE_APP_AT_A_TIME.lock();
    let driver = Driver::start();
    let app = driver.launch();
    app.click_css("[data-testid=start-sample]");
    app.wait_for_text("[data-testid=book-count]", "40 accounts");
    open_account(&app, SAMPLE_ACCOUNT);

    // A call note with a risk line, an ask line that joins the sample's SSO ask, and an empty one.
    start_a_call_note(&app);
    let body = app.find("[data-testid=note-body]");
    app.type_into(&body, "Procurement is pushing back");
    caret_to_the_end(&app, "[data-testid=note-body]");
    let lines = "risk: Procurement wants a 20 % cut at renewal{ENTER}ask: Okta SSO for the support team{ENTER}ask: ...";
    app.type_into(&body, &format!("{ENTER}{}", lines.replace("{ENTER}", ENTER)));
    app.wait_for_text("[data-testid=capture-lines]", "New risk");
    app.wait_for_text("[data-testid=capture-lines]", "Joins the ask “SSO with Okta”");
    app.wait_for_text("[data-testid=capture-lines]", "Ignored: only punctuation");
    screenshot("screenshot-note-risk-ask");
    app.type_into(&body, &format!("{CONTROL}{ENTER}"));
    app.wait_for_text("[data-testid=account-name]", SAMPLE_ACCOUNT);
    app.wait_for_text("[data-testid=account-risks]", "Procurement wants a 20 % cut at renewal");
    let okta = db_value(
        &driver,
        "SELECT CAST(count(*) AS TEXT) FROM ask_accounts k JOIN asks s ON s.id = k.ask_id JOIN accounts a ON a.id = k.account_id \
         WHERE s.title = 'SSO with Okta' AND a.name = 'Acme Analytics' AND k.note_id IS NOT NULL",
    );
    assert_eq!(okta, "1", "the account joined the ask, linked to the note");

    // The Risks page: select the new risk, move it to "plan in place" (2), add a plan step (p).
    app.type_into(&app.find("body"), "gk");
    app.find("[data-testid=risks-table]");
    app.execute(
        "[...document.querySelectorAll('[data-testid=risk-row]')].find(r => r.dataset.title.startsWith('Procurement')).click(); return null",
        json!([]),
    );
    app.wait_for_text("[data-testid=risk-detail]", "Procurement wants");
    app.type_into(&app.find("body"), "2");
    let stage = "SELECT stage FROM risks WHERE title LIKE 'Procurement%'";
    wait_until("the risk to move to plan in place", || db_value(&driver, stage) == "plan_in_place");
    app.type_into(&app.find("body"), "p");
    app.type_into(&app.find("[data-testid=plan-step]"), &format!("Exec call with the CFO{ENTER}"));
    app.wait_for_text("[data-testid=risk-plan]", "Exec call with the CFO");
    let task = db_value(
        &driver,
        "SELECT t.title FROM tasks t JOIN risk_plan_steps p ON p.task_id = t.id JOIN risks r ON r.id = p.risk_id \
         WHERE r.title LIKE 'Procurement%'",
    );
    assert_eq!(task, "Exec call with the CFO", "the step is a task of the account");
    app.execute(
        "document.querySelectorAll('.notice button[aria-label=Dismiss]').forEach(b => b.click()); return null",
        json!([]),
    );
    screenshot("screenshot-risks");
    let was = app.execute(
        "const r = document.documentElement; const was = r.dataset.theme ?? ''; r.dataset.theme = 'dark'; return was",
        json!([]),
    );
    std::thread::sleep(Duration::from_millis(300));
    screenshot("screenshot-risks-dark");
    app.execute("document.documentElement.dataset.theme = arguments[0]; return null", json!([was]));
    assert_settles(&app, "Risks");

    // The Asks page ranks by the ARR asking; the Okta ask has one more account.
    app.type_into(&app.find("body"), "ga");
    app.wait_for_text("[data-testid=asks-table]", "SSO with Okta");
    app.execute(
        "[...document.querySelectorAll('[data-testid=ask-row]')].find(r => r.dataset.title === 'SSO with Okta').click(); return null",
        json!([]),
    );
    app.wait_for_text("[data-testid=ask-detail]", SAMPLE_ACCOUNT);
    screenshot("screenshot-asks");
    assert_settles(&app, "Asks");

    // The internal QBR draft lists the risk with its plan; the customer's deck does not.
    app.click_css("[data-testid=nav-book]");
    open_account(&app, SAMPLE_ACCOUNT);
    app.execute("document.querySelector('[data-testid=new-qbr]').click()", json!([]));
    app.execute("document.querySelector('[data-testid=create-qbr]').click()", json!([]));
    app.find("[data-testid=qbr-page]");
    let risks_section = || app.text(&app.find("[data-section=risks]"));
    assert!(!risks_section().contains("Procurement wants"), "the customer's deck has no register: {}", risks_section());
    app.click_css("[data-testid=internal-deck]");
    app.wait_for_text("[data-section=risks]", "Procurement wants a 20 % cut at renewal — plan in place");
    assert!(risks_section().contains("plan: Exec call with the CFO (open)"), "{}", risks_section());
    app.close();
    wait_for_app_exit();
}

#[test]
fn a_calendar_meeting_is_on_the_week_its_brief_opens_with_b_and_the_call_is_logged_from_it() {
    let _turn = ONE_APP_AT_A_TIME.lock();
    let driver = Driver::start();
    let app = driver.launch();
    app.click_css("[data-testid=start-sample]");
    app.wait_for_text("[data-testid=book-count]", "40 accounts");
    let email = db_value(
        &driver,
        "SELECT c.email FROM contacts c JOIN accounts a ON a.id = c.account_id \
         WHERE a.name = 'Acme Analytics' AND c.email IS NOT NULL AND c.left_on IS NULL ORDER BY c.name LIMIT 1",
    );
    // An Outlook-style invite today at noon (floating time), with a Windows zone elsewhere in it.
    let today = chrono::Local::now().date_naive().format("%Y%m%d");
    let invite = format!(
        "BEGIN:VCALENDAR\r\nPRODID:Microsoft Exchange Server 2010\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n\
         UID:e2e-renewal@example\r\nDTSTART:{today}T120000\r\nDTEND:{today}T124500\r\nSUMMARY:Acme renewal prep\r\n\
         ORGANIZER;CN=Jordan Lee:mailto:jordan.lee@csmdesk.example\r\nATTENDEE;CN=Someone:mailto:{email}\r\n\
         END:VEVENT\r\nEND:VCALENDAR\r\n"
    );
    std::fs::write(driver.open_path(), invite).expect("invite");

    // Settings → Calendars: import the file (the sample calendar is already there).
    app.click_css("[data-testid=nav-settings]");
    app.wait_for_text("[data-testid=calendars]", "Sample calendar");
    app.click_css("[data-testid=import-ics]");
    app.wait_for_text("[data-testid=calendars]", "open");
    wait_until("the invite's meeting to be stored", || {
        db_value(&driver, "SELECT CAST(count(*) AS TEXT) FROM meetings WHERE title = 'Acme renewal prep'") == "1"
    });
    let matched = db_value(
        &driver,
        "SELECT a.name || '/' || m.match_kind FROM meetings m JOIN accounts a ON a.id = m.account_id WHERE m.title = 'Acme renewal prep'",
    );
    assert_eq!(matched, "Acme Analytics/contact", "matched through the contact's email");
    app.execute("document.getElementById('calendars').scrollIntoView(); return null", json!([]));
    std::thread::sleep(Duration::from_millis(300));
    screenshot("screenshot-calendars");

    // The Week shows it as a meeting at 12:00 from the "open" calendar; b opens its brief.
    app.type_into(&app.find("body"), "gw");
    app.find("[data-testid=meeting][data-title='Acme renewal prep']");
    app.execute(
        "[...document.querySelectorAll('[data-testid=meeting]')].find(m => m.dataset.title === 'Acme renewal prep').click(); return null",
        json!([]),
    );
    let row = app.wait_for_text("[data-testid=meeting].selected", "12:00");
    assert!(row.contains("Acme Analytics") && row.contains("open"), "{row}");
    app.execute(
        "document.querySelectorAll('.notice button[aria-label=Dismiss]').forEach(b => b.click()); return null",
        json!([]),
    );
    screenshot("screenshot-week-meetings");
    app.type_into(&app.find("body"), "b");
    app.wait_for_text("[data-testid=brief]", "Brief: Acme Analytics");
    app.wait_for_text("[data-testid=brief-meeting]", "Acme renewal prep");
    // Section titles are drawn in capitals (text-transform), which WebDriver's text keeps.
    let brief = app.wait_for_text("[data-testid=brief]", "Last touch").to_lowercase();
    for expected in ["since the last touch", "health", "renewal", "who is coming", "latest notes"] {
        assert!(brief.contains(expected), "{expected} missing from the brief:\n{brief}");
    }
    let lines = app.find_all("[data-testid=brief-line]").len();
    assert!(lines >= 5, "a brief of {lines} lines:\n{brief}");
    std::thread::sleep(Duration::from_millis(300));
    screenshot("screenshot-brief");
    let was = app.execute(
        "const r = document.documentElement; const was = r.dataset.theme ?? ''; r.dataset.theme = 'dark'; return was",
        json!([]),
    );
    std::thread::sleep(Duration::from_millis(300));
    screenshot("screenshot-brief-dark");
    app.execute("document.documentElement.dataset.theme = arguments[0]; return null", json!([was]));

    // m and p save it as Markdown and PDF, without the stances.
    app.type_into(&app.find("[data-testid=brief]"), "m");
    let markdown = std::fs::read_to_string(exported(&driver, "md")).expect("markdown");
    assert!(markdown.starts_with("# Brief: Acme Analytics") && markdown.contains("## Who is coming"), "{markdown}");
    assert!(!markdown.contains("stance"), "stances stay private: {markdown}");
    app.type_into(&app.find("[data-testid=brief]"), "p");
    let pdf = std::fs::read(exported(&driver, "pdf")).expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"));

    // l: the note editor, prefilled from the meeting (account, time, attendee, renewal template).
    app.type_into(&app.find("[data-testid=brief]"), "l");
    app.wait_for_text("[data-testid=from-meeting]", "Acme renewal prep");
    let body = app.find("[data-testid=note-body]");
    let start = app.execute("return document.querySelector('[data-testid=note-body]').value", json!([]));
    assert!(start.as_str().is_some_and(|v| v.contains("Renewal status")), "the renewal template: {start}");
    caret_to_the_end(&app, "[data-testid=note-body]");
    app.type_into(&body, "Budget confirmed for next year.");
    app.type_into(&body, &format!("{CONTROL}{ENTER}"));
    app.wait_for_text("[data-testid=account-name]", "Acme Analytics");
    let logged = db_value(
        &driver,
        "SELECT n.title || ' @ ' || substr(n.occurred_at, 12, 5) || ' / ' || n.template || ' / ' || \
         CAST((SELECT count(*) FROM note_attendees na WHERE na.note_id = n.id AND na.contact_id IS NOT NULL) AS TEXT) \
         FROM notes n JOIN accounts a ON a.id = n.account_id WHERE a.name = 'Acme Analytics' ORDER BY n.created_at DESC LIMIT 1",
    );
    assert_eq!(logged, "Acme renewal prep @ 12:00 / renewal / 1", "the note came from the meeting");
    app.type_into(&app.find("body"), "gw");
    app.find("[data-testid=week] [data-testid=meeting][data-title='Acme renewal prep']");
    assert_settles(&app, "Week with meetings");
    app.close();
    wait_for_app_exit();
}
