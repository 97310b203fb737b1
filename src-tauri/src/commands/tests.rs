//! Commands exercised through Tauri's mock runtime: real IPC (JSON in, JSON out), real store.

use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindow;

use crate::{AppPaths, AppState};

struct Harness {
    _dir: tempfile::TempDir,
    _app: tauri::App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
}

impl Harness {
    fn new() -> Harness {
        let dir = tempfile::tempdir().expect("temp dir");
        Self::in_dir(dir)
    }

    fn in_dir(dir: tempfile::TempDir) -> Harness {
        let state = AppState::open(AppPaths::in_dir(dir.path().to_owned()));
        let app = mock_builder()
            .manage(state)
            .invoke_handler(super::handler())
            .build(tauri::generate_context!())
            .expect("mock app");
        let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("webview");
        Harness { _dir: dir, _app: app, webview }
    }

    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.webview, request).map(|body| body.deserialize::<Value>().expect("json"))
    }

    /// Calls a command with raw bytes as its body (how the UI sends a file).
    fn call_raw(&self, cmd: &str, bytes: &[u8], headers: &[(&'static str, &str)]) -> Result<Value, Value> {
        let mut map = tauri::http::HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, value.parse().expect("header"));
        }
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: InvokeBody::Raw(bytes.to_vec()),
            headers: map,
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.webview, request).map(|body| body.deserialize::<Value>().expect("json"))
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args).unwrap_or_else(|err| panic!("{cmd} failed: {err}"))
    }
}

fn account_input(name: &str) -> Value {
    json!({ "name": name, "segment": "high_touch", "lifecycle_stage": "adoption", "arr": "250,000", "currency": "EUR" })
}

#[test]
fn first_run_offers_a_choice_and_the_sample_book_fills_the_book() {
    let h = Harness::new();
    assert_eq!(h.ok("app_status", json!({}))["state"], "first_run");
    let status = h.ok("start_book", json!({ "sample": true }));
    assert_eq!(status["state"], "ready");
    let book = h.ok("book", json!({}));
    assert_eq!(book["rows"].as_array().expect("rows").len(), 40);
    assert!(book["rows"][0]["health"]["score"].is_number());
    assert!(book["portfolio"]["arr_weighted_score"].is_number());
    let again = h.call("start_book", json!({ "sample": true })).expect_err("refused");
    assert_eq!(again["kind"], "invalid");
}

#[test]
fn an_account_can_be_created_edited_archived_and_deleted() {
    let h = Harness::new();
    h.ok("start_book", json!({ "sample": false }));
    let created = h.ok("create_account", json!({ "input": account_input("Acme") }));
    let id = created["id"].as_str().expect("id").to_owned();
    assert_eq!(created["arr"], json!({ "minor": 25_000_000, "currency": "EUR" }));

    let mut input = account_input("Acme Europe");
    input["region"] = json!("EMEA");
    let overview = h.ok("update_account", json!({ "id": id, "input": input }));
    assert_eq!(overview["account"]["name"], "Acme Europe");
    assert_eq!(overview["mrr"]["minor"], 2_083_333);
    assert_eq!(overview["input"]["region"], "EMEA");

    assert!(h.ok("set_account_archived", json!({ "id": id, "archived": true }))["archived_at"].is_string());
    h.ok("delete_account", json!({ "id": id }));
    let gone = h.call("account_overview", json!({ "id": id })).expect_err("gone");
    assert_eq!(gone["kind"], "not_found");
}

#[test]
fn invalid_input_comes_back_as_field_errors_and_nothing_is_saved() {
    let h = Harness::new();
    h.ok("start_book", json!({ "sample": false }));
    let mut input = account_input("  ");
    input["arr"] = json!("-5");
    input["contract_start"] = json!("2026-06-01");
    input["contract_end"] = json!("2026-01-01");
    let err = h.call("create_account", json!({ "input": input })).expect_err("invalid");
    assert_eq!(err["kind"], "invalid");
    let fields: Vec<&str> =
        err["fields"].as_array().expect("fields").iter().map(|f| f["field"].as_str().expect("f")).collect();
    assert_eq!(fields, vec!["name", "arr", "contract_end"]);
    assert_eq!(h.ok("book", json!({}))["rows"], json!([]));

    let bad_id = h.call("account_overview", json!({ "id": "'; DROP TABLE accounts;--" })).expect_err("bad id");
    assert_eq!(bad_id["kind"], "invalid");
}

#[test]
fn contacts_are_managed_through_their_account() {
    let h = Harness::new();
    h.ok("start_book", json!({ "sample": false }));
    let account = h.ok("create_account", json!({ "input": account_input("Initech") }));
    let contact = json!({ "name": "Peter Gibbons", "email": "peter@initech.com", "role": "champion" });
    let created = h.ok("create_contact", json!({ "accountId": account["id"], "input": contact }));
    let bad = json!({ "name": "Bill", "email": "not-an-email", "role": "user" });
    let err = h.call("update_contact", json!({ "id": created["id"], "input": bad })).expect_err("invalid");
    assert_eq!(err["fields"][0]["field"], "email");
    let overview = h.ok("account_overview", json!({ "id": account["id"] }));
    assert_eq!(overview["contacts"][0]["name"], "Peter Gibbons");
    h.ok("delete_contact", json!({ "id": created["id"] }));
    assert_eq!(h.ok("account_overview", json!({ "id": account["id"] }))["contacts"], json!([]));
}

#[test]
fn the_stakeholder_map_is_edited_and_a_loop_refused_at_its_field() {
    let h = Harness::new();
    h.ok("start_book", json!({ "sample": false }));
    let account = h.ok("create_account", json!({ "input": account_input("Initech") }));
    let add = |name: &str, role: &str| {
        h.ok("create_contact", json!({ "accountId": account["id"], "input": { "name": name, "role": role } }))
    };
    let (boss, peter) = (add("Bill Lumbergh", "executive_sponsor"), add("Peter Gibbons", "champion"));
    let edit =
        json!({ "reports_to": boss["id"], "stance": "skeptic", "influence": "high", "deal_roles": ["economic_buyer"] });
    let saved = h.ok("update_stakeholder", json!({ "id": peter["id"], "input": edit }));
    assert_eq!((saved["stance"].as_str(), saved["reports_to"].clone()), (Some("skeptic"), boss["id"].clone()));
    let err = h.call("set_reports_to", json!({ "id": boss["id"], "managerId": peter["id"] })).expect_err("a loop");
    assert_eq!((err["kind"].as_str(), err["fields"][0]["field"].as_str()), (Some("invalid"), Some("reports_to")));
    let bad = h.call("update_stakeholder", json!({ "id": peter["id"], "input": { "stance": "hostile" } }));
    assert_eq!(bad.expect_err("unknown stance")["fields"][0]["field"], "stance");

    let view = h.ok("relationships", json!({ "accountId": account["id"] }));
    assert_eq!(view["stakeholders"].as_array().map(Vec::len), Some(2));
    assert_eq!(view["chart"]["nodes"].as_array().map(Vec::len), Some(2));
    let preview =
        h.ok("stakeholder_updates", json!({ "accountId": account["id"], "bodyMd": "@Peter stance: champion" }));
    assert_eq!(preview[0]["contact_name"], "Peter Gibbons");
    let refused = h.call("relationships", json!({ "accountId": account["id"], "collapsed": ["x'--"] }));
    assert_eq!(refused.expect_err("bad id")["kind"], "invalid");
}

#[test]
fn risks_and_asks_are_checked_recorded_and_refused_with_their_field() {
    let h = Harness::new();
    h.ok("start_book", json!({ "sample": false }));
    let account = h.ok("create_account", json!({ "input": account_input("Initech") }));
    let id = account["id"].clone();
    let risk = json!({ "account_id": id, "title": "Budget cut", "reasons": ["budget cut"], "severity": "high" });
    let created = h.ok("create_risk", json!({ "input": risk }));
    assert_eq!(
        (created["stage"].as_str(), created["arr_at_risk"]["minor"].as_i64()),
        (Some("identified"), Some(25_000_000))
    );
    let over =
        json!({ "account_id": id, "title": "x", "reasons": ["price"], "severity": "low", "arr_at_risk": "999,999" });
    assert_eq!(h.call("create_risk", json!({ "input": over })).expect_err("over")["fields"][0]["field"], "arr_at_risk");
    let empty = json!({ "account_id": id, "title": " ", "reasons": [], "severity": "nope" });
    let err = h.call("create_risk", json!({ "input": empty })).expect_err("empty");
    let fields: Vec<&str> = err["fields"].as_array().unwrap().iter().filter_map(|f| f["field"].as_str()).collect();
    assert_eq!(fields, ["title", "reasons", "severity"]);
    let step = json!({ "title": "Exec call", "due_date": "2026-02-30" });
    let bad = h.call("add_plan_step", json!({ "riskId": created["id"], "input": step })).expect_err("impossible date");
    assert_eq!(bad["fields"][0]["field"], "due_date");
    let step = json!({ "title": "Exec call", "due_date": "" });
    let detail = h.ok("add_plan_step", json!({ "riskId": created["id"], "input": step }));
    assert_eq!(detail["plan"][0]["title"], "Exec call");
    let updated = h.ok("add_risk_update", json!({ "riskId": created["id"], "body": "CFO call booked", "onDay": "" }));
    assert_eq!(updated["updates"][0]["body"], "CFO call booked");
    assert_eq!(h.ok("risks", json!({}))["risks"].as_array().map(Vec::len), Some(1));

    let preview = h.ok("capture_preview", json!({ "accountId": id, "bodyMd": "ask: SSO with Okta\nrisk: !!" }));
    assert_eq!((preview[0]["outcome"].as_str(), preview[1]["ignored"].as_bool()), (Some("New ask"), Some(true)));
    let asker = json!({ "account_id": id });
    let ask = h.ok("create_ask", json!({ "input": { "title": "SSO with Okta" }, "asker": asker }));
    assert_eq!(ask["accounts"][0]["account_name"], "Initech");
    let refused = h.call("update_ask", json!({ "id": ask["id"], "input": { "title": "SSO", "status": "someday" } }));
    assert_eq!(refused.expect_err("status")["fields"][0]["field"], "status");
    assert_eq!(h.ok("asks", json!({}))["asks"][0]["demand_minor"], 25_000_000);
    let trigger = h.call("dismiss_risk_suggestion", json!({ "accountId": id, "trigger": "'; DROP" }));
    assert_eq!(trigger.expect_err("unknown trigger")["fields"][0]["field"], "trigger");
    assert_eq!(h.call("export_asks", json!({ "format": "pdf" })).expect_err("format")["fields"][0]["field"], "format");
}

#[test]
fn calendars_import_a_picked_file_and_refuse_bad_input_with_its_field() {
    let h = Harness::new();
    h.ok("start_book", json!({ "sample": false }));
    let account = h.ok("create_account", json!({ "input": account_input("Initech") }));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("invite.ics");
    let today = chrono::Local::now().date_naive().format("%Y%m%d");
    let ics = format!(
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nDTSTART:{today}T100000\nSUMMARY:Intro\n\
         ATTENDEE:mailto:ana@hooli.example\nEND:VEVENT\nEND:VCALENDAR\n"
    );
    std::fs::write(&file, ics).unwrap();
    std::env::set_var("CSM_DESK_E2E_OPEN_PATH", &file);
    let input = json!({ "name": "", "kind": "file", "location": "", "refresh_minutes": "" });
    let added = h.ok("add_calendar", json!({ "input": input }));
    assert_eq!((added["name"].as_str(), added["meetings"].as_u64()), (Some("invite"), Some(1)));
    let view = h.ok("calendars", json!({}));
    let meeting = view["unmatched"][0].clone();
    assert_eq!(meeting["domain"], "hooli.example");
    let refused = h.call("brief", json!({ "meetingId": meeting["id"] })).expect_err("no account yet");
    assert_eq!(refused["fields"][0]["field"], "meeting_id");
    let matched = h.ok("assign_meeting_domain", json!({ "domain": "hooli.example", "accountId": account["id"] }));
    assert_eq!(matched, 1);
    let brief = h.ok("brief", json!({ "meetingId": meeting["id"] }));
    assert_eq!(brief["account_name"], "Initech");
    let note = h.ok("meeting_note", json!({ "meetingId": meeting["id"] }));
    assert_eq!((note["account_id"].clone(), note["template"].as_str()), (account["id"].clone(), Some("discovery")));

    let bad_kind = json!({ "name": "", "kind": "shared", "location": "", "refresh_minutes": "" });
    assert_eq!(h.call("add_calendar", json!({ "input": bad_kind })).expect_err("kind")["fields"][0]["field"], "kind");
    let plain =
        json!({ "name": "", "kind": "address", "location": "http://calendar.example/x.ics", "refresh_minutes": "" });
    assert_eq!(h.call("add_calendar", json!({ "input": plain })).expect_err("http")["fields"][0]["field"], "location");
    let hostile = h.call("brief", json!({ "meetingId": "../../etc/passwd" })).expect_err("hostile id");
    assert_eq!(hostile["fields"][0]["field"], "meeting_id");
    let domains = h.call("set_internal_domains", json!({ "text": "<script>" })).expect_err("domain");
    assert_eq!(domains["fields"][0]["field"], "internal_domains");
    let reminders = json!({ "enabled": true, "minutes_before": 0, "daily_tasks": true });
    let refused = h.call("save_reminder_settings", json!({ "settings": reminders })).expect_err("minutes");
    assert_eq!(refused["fields"][0]["field"], "minutes_before");
    h.ok("delete_calendar", json!({ "id": added["id"] }));
    assert_eq!(h.ok("calendars", json!({}))["calendars"].as_array().map(Vec::len), Some(0));
}

#[test]
fn a_damaged_database_is_reported_and_left_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = AppPaths::in_dir(dir.path().to_owned()).database;
    std::fs::write(&db, b"garbage garbage garbage garbage garbage garbage garbage garbage garbage garbage")
        .expect("write");
    let h = Harness::in_dir(dir);
    let status = h.ok("app_status", json!({}));
    assert_eq!(status["state"], "unavailable");
    assert_eq!(status["error"]["kind"], "database_corrupt");
    assert!(status["error"]["message"].as_str().expect("msg").contains("csm-desk.sqlite"));
    assert_eq!(h.call("book", json!({})).expect_err("no store")["kind"], "database_corrupt");
    assert_eq!(h.ok("reopen_database", json!({}))["state"], "unavailable");
    assert!(std::fs::read(&db).expect("read").starts_with(b"garbage"));
}

#[test]
fn desk_bindings_match_the_rust_types() {
    use csm_core::ts_bindings::declaration as decl;
    csm_core::ts_bindings::check_or_update(vec![
        decl::<crate::AppPaths>(),
        decl::<crate::AppStatus>(),
        decl::<crate::BookState>(),
        decl::<crate::CommandError>(),
    ]);
}

#[test]
fn signals_are_validated_recorded_and_rescore_the_account() {
    let h = Harness::new();
    h.ok("start_book", json!({ "sample": true }));
    let id = h.ok("book", json!({}))["rows"][0]["id"].as_str().expect("id").to_owned();
    let nps = json!({ "kind": "nps", "value": "12" });
    let err = h.call("record_signal", json!({ "accountId": id, "input": nps })).expect_err("out of range");
    assert_eq!((err["kind"].as_str(), err["fields"][0]["field"].as_str()), (Some("invalid"), Some("value")));

    let worried = json!({ "kind": "sentiment", "value": "1", "comment": "Budget freeze announced" });
    let report = h.ok("record_signal", json!({ "accountId": id, "input": worried }));
    assert_eq!(report["signals"][0]["kind"], "sentiment");
    assert!(report["current"]["score"].is_number());

    let mut card = h.ok("scorecard", json!({}));
    card["measures"][0]["weight"] = json!(99);
    let refused = h.call("save_scorecard", json!({ "card": card })).expect_err("weights");
    assert!(refused["message"].as_str().expect("msg").contains("add up to 100"));
    let card = h.ok("default_health_scorecard", json!({}));
    assert!(h.ok("preview_scorecard", json!({ "card": card }))["changes"].as_array().expect("changes").is_empty());
}

#[test]
fn the_week_is_planned_and_suggestions_become_tasks_that_move_and_complete() {
    let h = Harness::new();
    h.ok("start_book", json!({ "sample": true }));
    let plan = h.ok("week_plan", json!({ "weekOf": "" }));
    assert_eq!(plan["days"].as_array().expect("days").len(), 7);
    let suggestion = plan["days"]
        .as_array()
        .expect("days")
        .iter()
        .flat_map(|d| d["suggestions"].as_array().expect("suggestions").clone())
        .next()
        .expect("the sample week has suggestions");
    assert!(!suggestion["summary"].as_str().expect("summary").is_empty());

    let account_id = suggestion["account_id"].clone();
    let week = plan["week_start"].clone();
    let task = h.ok("accept_suggestion", json!({ "accountId": account_id, "weekOf": week, "day": null }));
    assert_eq!(task["is_touch"], true);
    let id = task["id"].clone();
    let bad = h.call("move_task", json!({ "id": id, "day": "2026-02-30" })).expect_err("no such day");
    assert_eq!(bad["fields"][0]["field"], "day");
    let tomorrow = (chrono::Local::now().date_naive() + chrono::Days::new(1)).to_string();
    assert_eq!(h.ok("move_task", json!({ "id": id, "day": tomorrow }))["due_date"], json!(tomorrow));
    assert_eq!(h.ok("complete_task", json!({ "id": id }))["status"], "done");
    let past = h.call("snooze_task", json!({ "id": id, "until": "2001-01-01" })).expect_err("past");
    assert_eq!(past["fields"][0]["field"], "snoozed_until");
}

#[test]
fn tasks_refuse_bad_input_and_hostile_ids_and_flag_past_due_dates() {
    let h = Harness::new();
    h.ok("start_book", json!({ "sample": false }));
    let hostile = json!({ "input": { "account_id": "'; DROP TABLE tasks; --", "title": "Call" } });
    assert_eq!(h.call("create_task", hostile).expect_err("refused")["fields"][0]["field"], "account_id");
    let unknown = json!({ "input": { "account_id": "0190e3a4-0000-7000-8000-000000000000", "title": "Call" } });
    assert_eq!(h.call("create_task", unknown).expect_err("refused")["fields"][0]["field"], "account_id");
    let absurd = json!({ "input": { "title": "Call", "effort_minutes": "41h" } });
    assert_eq!(h.call("create_task", absurd).expect_err("refused")["fields"][0]["field"], "effort_minutes");
    let saved = h.ok("create_task", json!({ "input": { "title": "<b>Call</b>", "due_date": "2020-01-06" } }));
    assert_eq!(saved["task"]["title"], "<b>Call</b>");
    assert_eq!(saved["warnings"][0]["field"], "due_date");
    let plan = h.ok("week_plan", json!({ "weekOf": "" }));
    assert_eq!(plan["overdue_total"], 1);
}

#[test]
fn a_malformed_playbook_set_is_rejected_whole() {
    let h = Harness::new();
    h.ok("start_book", json!({ "sample": false }));
    let mut books = h.ok("default_playbooks", json!({}));
    books[0]["steps"][0]["offset_days"] = json!(99_999_999);
    books[1]["name"] = json!("Changed");
    let err = h.call("save_playbooks", json!({ "books": books })).expect_err("rejected");
    assert_eq!(err["fields"][0]["field"], "offset_days");
    assert_eq!(h.ok("playbooks", json!({}))[1]["name"], "Renewal");
    let wrong_shape = h.call("save_playbooks", json!({ "books": [{ "id": "x" }] })).expect_err("rejected");
    assert!(wrong_shape.to_string().contains("missing field"), "{wrong_shape}");
}

#[test]
fn a_call_is_logged_with_a_next_step_found_searched_and_on_the_timeline() {
    let h = Harness::new();
    h.ok("start_book", json!({ "sample": true }));
    let account = h.ok("book", json!({}))["rows"][0]["id"].clone();
    let body = "<img src=x onerror=alert(1)> Talked pricing.\n- [ ] Send the pricing sheet to the sponsor by Friday";
    let items = h.ok("action_items", json!({ "bodyMd": body, "occurredAt": "2026-11-19T10:00" }));
    assert_eq!(items[0]["due_date"], "2026-11-20");
    let input = json!({
        "account_id": account, "template": "check_in", "body_md": body, "private": true,
        "action_items": [{ "title": items[0]["title"], "due_date": items[0]["due_date"], "include": true }]
    });
    h.ok("save_draft", json!({ "id": "0190e3a4-0000-7000-8000-00000000d001", "accountId": account, "payload": "{}" }));
    let saved = h.ok("create_note", json!({ "input": input, "draftId": "0190e3a4-0000-7000-8000-00000000d001" }));
    assert_eq!(saved["tasks"][0]["source"], "note");
    assert_eq!(h.ok("drafts", json!({})).as_array().expect("drafts").len(), 0);

    let found = h.ok("search", json!({ "query": { "text": "pricing sponsor" } }));
    assert!(found["hits"].as_array().expect("hits").iter().any(|hit| hit["ref_id"] == saved["note"]["id"]));
    for hostile in ["\"", "NEAR(", "-:*", "a OR"] {
        let answer = h.ok("search", json!({ "query": { "text": hostile } }));
        assert!(answer["hits"].is_array(), "{hostile}: {answer}");
    }
    let page = h.ok("timeline", json!({ "query": { "account_id": account, "limit": 10 } }));
    assert!(page["entries"].as_array().expect("entries").iter().any(|e| e["ref_id"] == saved["note"]["id"]));
    let bad = h.call("timeline", json!({ "query": { "account_id": "x' OR 1=1 --" } })).expect_err("refused");
    assert_eq!(bad["fields"][0]["field"], "account_id");
    let link = h.call("open_link", json!({ "url": "javascript:alert(1)" })).expect_err("refused");
    assert_eq!(link["fields"][0]["field"], "url");
}

#[test]
fn a_backup_is_taken_and_restored_and_a_bad_name_or_file_is_refused() {
    let h = Harness::new();
    h.ok("start_book", json!({ "sample": true }));
    let taken = h.ok("back_up_now", json!({}));
    assert_eq!(taken["accounts"], 40);
    h.ok("create_account", json!({ "input": account_input("After the backup") }));
    assert_eq!(h.ok("book", json!({}))["rows"].as_array().expect("rows").len(), 41);

    for name in ["../csm-desk.sqlite", "/etc/passwd", "csm-desk-x/../../y.sqlite"] {
        let err = h.call("restore_backup", json!({ "fileName": name })).expect_err("refused");
        assert_eq!(err["fields"][0]["field"], "file_name", "{name}");
    }
    let status = h.ok("restore_backup", json!({ "fileName": taken["file_name"] }));
    assert_eq!(status["state"], "ready");
    assert_eq!(h.ok("book", json!({}))["rows"].as_array().expect("rows").len(), 40, "the backup's book is back");
    let list = h.ok("backups", json!({}));
    assert!(list
        .as_array()
        .expect("list")
        .iter()
        .any(|b| b["file_name"].as_str().is_some_and(|n| n.ends_with("-before-restore.sqlite"))));
    assert_eq!(h.call("set_backups_kept", json!({ "keep": 0 })).expect_err("refused")["fields"][0]["field"], "keep");
}

#[test]
fn a_restore_waits_for_the_running_sync_and_takes_no_undo_point_meanwhile() {
    let h = Harness::new();
    h.ok("start_book", json!({ "sample": true }));
    let taken = h.ok("back_up_now", json!({}));
    let state = tauri::Manager::state::<AppState>(&h._app);
    let sync = state.sync.hold().expect("a sync runs");
    let err = h.call("restore_backup", json!({ "fileName": taken["file_name"] })).expect_err("refused");
    assert!(err["message"].as_str().is_some_and(|m| m.contains("A sync is running")), "{err}");
    let undo_points = |h: &Harness| {
        let list = h.ok("backups", json!({}));
        list.as_array()
            .expect("list")
            .iter()
            .filter(|b| b["file_name"].as_str().is_some_and(|n| n.ends_with("-before-restore.sqlite")))
            .count()
    };
    assert_eq!(undo_points(&h), 0, "nothing copied for a restore that did not happen");
    drop(sync);
    assert_eq!(h.ok("restore_backup", json!({ "fileName": taken["file_name"] }))["state"], "ready");
    assert_eq!(undo_points(&h), 1);
}

#[test]
fn a_restore_tells_the_views_once_that_everything_changed() {
    use csm_core::model::Topic;
    let h = Harness::new();
    h.ok("start_book", json!({ "sample": true }));
    let taken = h.ok("back_up_now", json!({}));
    let heard: std::sync::Arc<parking_lot::Mutex<Vec<Vec<Topic>>>> = Default::default();
    let hears = heard.clone();
    tauri::Manager::state::<AppState>(&h._app)
        .set_announcer(Box::new(move |topics| hears.lock().push(topics.to_vec())));
    h.ok("restore_backup", json!({ "fileName": taken["file_name"] }));
    assert_eq!(*heard.lock(), vec![Topic::ALL.to_vec()], "one announcement, of everything");
}

#[test]
fn a_book_that_is_not_damaged_is_never_replaced_by_a_backup() {
    let dir = tempfile::tempdir().expect("temp dir");
    let paths = AppPaths::in_dir(dir.path().to_owned());
    let store = csm_core::store::Store::open(&paths.database).expect("book");
    store.start_book(None, chrono::Utc::now()).expect("start");
    let taken = store.back_up(&paths.backup_dir, chrono::Utc::now(), "").expect("backup");
    drop(store);
    // Written by a newer CSM Desk: healthy, only not for this version.
    // The header's user_version (bytes 60..64, big-endian) is the schema version.
    let mut before = std::fs::read(&paths.database).expect("bytes");
    before[60..64].copy_from_slice(&(csm_core::store::LATEST_VERSION + 1).to_be_bytes());
    std::fs::write(&paths.database, &before).expect("newer");

    let h = Harness::in_dir(dir);
    let status = h.ok("app_status", json!({}));
    assert_eq!(
        (status["state"].as_str(), status["error"]["kind"].as_str()),
        (Some("unavailable"), Some("database_too_new"))
    );
    assert!(status["last_good_backup"].is_null(), "restoring is not offered: {status}");
    let err = h.call("restore_backup", json!({ "fileName": taken.file_name })).expect_err("refused");
    assert_eq!(err["kind"], "restore_refused", "{err}");
    assert_eq!(std::fs::read(&paths.database).expect("bytes"), before, "the book is as it was");
}

#[test]
fn a_csv_file_is_previewed_with_its_bad_rows_and_only_good_rows_are_imported() {
    let h = Harness::new();
    h.ok("start_book", json!({ "sample": true }));
    let account = h.ok("book", json!({}))["rows"][0]["name"].as_str().expect("name").to_owned();
    let csv =
        format!("First Name,Last Name,Email,Account Name\nAna,Ruiz,ana@example.com,{account}\nBo,Li,nope,{account}\n");
    let bad_kind = h.call_raw("import_read", csv.as_bytes(), &[("x-import-kind", "invoices")]).expect_err("refused");
    assert_eq!(bad_kind["fields"][0]["field"], "kind");
    let preview = h.call_raw("import_read", csv.as_bytes(), &[("x-import-kind", "contacts")]).expect("preview");
    assert_eq!((preview["creates"].clone(), preview["skips"].clone()), (json!(1), json!(1)));
    assert_eq!(preview["rows"][0]["line"], 3);
    let mapping =
        preview["columns"].as_array().expect("columns").iter().map(|c| c["field"].clone()).collect::<Vec<_>>();
    let bad = h.call("import_apply", json!({ "mapping": ["name", "nonsense", null, null] })).expect_err("refused");
    assert_eq!(bad["fields"][0]["field"], "mapping");
    let result = h.ok("import_apply", json!({ "mapping": mapping }));
    assert_eq!(result, json!({ "created": 1, "updated": 0, "skipped": 1 }));
    let found = h.ok("search", json!({ "query": { "text": "ana@example.com", "kinds": ["contact"] } }));
    assert_eq!(found["hits"].as_array().expect("hits").len(), 1);
    let empty = h.call_raw("import_read", b"", &[("x-import-kind", "contacts")]).expect_err("refused");
    assert!(empty["message"].as_str().expect("message").contains("empty"));
}

#[test]
fn a_qbr_is_drafted_edited_exported_and_marked_held_through_ipc() {
    let h = Harness::new();
    h.ok("start_book", json!({ "sample": false }));
    let account = h.ok("create_account", json!({ "input": account_input("Zeta \"株式会社\" 🚀") }));
    let id = account["id"].as_str().unwrap();
    let metric = json!({ "name": "Case time", "unit": "hours", "baseline": "48", "target": "12", "current": "20" });
    h.ok("create_metric", json!({ "accountId": id, "input": metric }));
    let err =
        h.call("create_metric", json!({ "accountId": id, "input": { "name": "", "baseline": "lots" } })).unwrap_err();
    assert_eq!(err["kind"], "invalid");
    let err = h.call(
        "create_qbr",
        json!({ "accountId": id, "input": { "period_start": "2999-01-01", "period_end": "2999-03-31" } }),
    );
    assert_eq!(err.unwrap_err()["fields"][0]["field"], "period_start");
    let err = h.call("create_qbr", json!({ "accountId": "'; DROP TABLE qbrs; --", "input": {} })).unwrap_err();
    assert_eq!(err["kind"], "invalid");

    let qbr = h.ok("create_qbr", json!({ "accountId": id, "input": {} }));
    let qbr_id = qbr["id"].as_str().unwrap();
    let view = h.ok("qbr_view", json!({ "id": qbr_id }));
    assert_eq!(view["deck"]["sections"].as_array().unwrap().len(), 9);
    assert_eq!(view["slides"][0]["title"], "Zeta \"株式会社\" 🚀");
    let edits = json!({ "sections": { "goals": { "story": "We agreed one goal.\u{0000}", "hidden": false } } });
    let view = h.ok("save_deck_edits", json!({ "id": qbr_id, "edits": edits }));
    assert_eq!(view["deck"]["sections"][0]["story"], "We agreed one goal.");

    let err = h.call_raw("save_deck", b"not a deck", &[("x-qbr-id", qbr_id), ("x-deck-format", "pptx")]).unwrap_err();
    assert_eq!(err["message"], "That is not a PowerPoint file.");
    let err = h.call_raw("save_deck", b"%PDF-1.7", &[("x-qbr-id", qbr_id), ("x-deck-format", "exe")]).unwrap_err();
    assert_eq!(err["kind"], "invalid");

    let note = json!({ "account_id": id, "body_md": "Held.", "template": "qbr",
        "action_items": [{ "title": "Send the deck", "due_date": "", "include": true }] });
    let held = h.ok("mark_qbr_held", json!({ "id": qbr_id, "note": note }));
    assert_eq!(held["qbr"]["status"], "held");
    assert_eq!(held["saved"]["tasks"].as_array().unwrap().len(), 1);

    let style = json!({ "company_name": "Our Co", "primary_color": "#112233", "accent_color": "#abcdef", "logo_data_url": "data:image/png;base64,AAAA" });
    let err = h.call("save_deck_style", json!({ "style": style })).unwrap_err();
    assert_eq!(err["fields"][0]["field"], "logo_data_url");
    let err = h.call("deck_font", json!({ "role": "../../etc/passwd" })).unwrap_err();
    assert_eq!(err["kind"], "invalid");
}

#[test]
fn sync_refuses_unsafe_addresses_odd_tokens_and_running_unconnected() {
    let h = Harness::new();
    h.ok("start_book", json!({ "sample": false }));
    let status = h.ok("crm_status", json!({}));
    assert_eq!((status["connected"].as_bool(), status["staged"].as_u64()), (Some(false), Some(0)));
    let settings = |url: &str| {
        json!({ "base_url": url, "arr_property": "arr", "renewal_property": "renewal_date",
        "segment_property": "cs_segment", "licences_property": "licences_purchased" })
    };
    let err = h
        .call("connect_hubspot", json!({ "settings": settings("http://api.hubapi.com"), "token": "pat-x" }))
        .unwrap_err();
    assert_eq!(err["fields"][0]["field"], "base_url");
    let err = h
        .call("connect_hubspot", json!({ "settings": settings("https://api.hubapi.com"), "token": "pat x\n" }))
        .unwrap_err();
    assert_eq!(err["fields"][0]["field"], "token");
    let mut odd = settings("https://api.hubapi.com");
    odd["arr_property"] = json!("arr; DROP TABLE accounts");
    let err = h.call("connect_hubspot", json!({ "settings": odd, "token": "pat-x" })).unwrap_err();
    assert_eq!(err["fields"][0]["field"], "arr_property");
    // A cancel stops only the operation under way: it does not stick to the next one.
    h.ok("cancel_sync", json!({}));
    let err =
        h.call("connect_hubspot", json!({ "settings": settings("http://127.0.0.1:9"), "token": "pat-x" })).unwrap_err();
    assert!(err["message"].as_str().unwrap_or_default().contains("Could not reach"), "{err}");
    assert_eq!(err["kind"], "offline", "a CRM failure keeps its kind");
    let err = h.call("sync_now", json!({})).unwrap_err();
    assert!(err["message"].as_str().unwrap_or_default().contains("Connect HubSpot or Salesforce"), "{err}");
    assert_eq!(h.ok("sync_preview", json!({}))["records"], json!([]));
    let err = h.call("apply_sync", json!({ "remoteIds": null, "resolutions": [] })).unwrap_err();
    assert!(err["message"].as_str().unwrap_or_default().contains("Connect HubSpot or Salesforce"), "{err}");
    let err = h.call("apply_sync", json!({ "remoteIds": ["\u{0}"], "resolutions": [] })).unwrap_err();
    assert_eq!(err["kind"], "invalid");
}

#[test]
fn salesforce_sign_in_refuses_odd_settings_before_opening_anything() {
    let h = Harness::new();
    h.ok("start_book", json!({ "sample": false }));
    let defaults = h.ok("crm_defaults", json!({ "system": "salesforce" }));
    assert_eq!(defaults["base_url"], "https://login.salesforce.com");
    assert_eq!(defaults["callback_port"], 7171);
    assert_eq!(h.call("crm_defaults", json!({ "system": "pipedrive" })).unwrap_err()["kind"], "invalid");
    let with = |key: &str, value: serde_json::Value| {
        let mut s = defaults.clone();
        s["client_id"] = json!("3MVG9.key");
        s[key] = value;
        h.call("connect_salesforce", json!({ "settings": s })).unwrap_err()
    };
    assert_eq!(with("client_id", json!(""))["fields"][0]["field"], "client_id");
    assert_eq!(with("client_id", json!("key' OR 1=1"))["fields"][0]["field"], "client_id");
    assert_eq!(with("callback_port", json!(80))["fields"][0]["field"], "callback_port");
    assert_eq!(with("base_url", json!("http://login.salesforce.com"))["fields"][0]["field"], "base_url");
    assert_eq!(with("renewal_property", json!("Renewal__c FROM User --"))["fields"][0]["field"], "renewal_property");
    assert_eq!(h.ok("crm_status", json!({}))["connected"], false);
}

#[test]
fn the_renewal_desk_takes_calls_and_outcomes_and_refuses_bad_ones_with_their_fields() {
    let h = Harness::new();
    h.ok("start_book", json!({ "sample": false }));
    let mut input = account_input("Acme");
    input["renewal_date"] = json!(chrono::Local::now().date_naive().to_string());
    input["contract_start"] = json!("2024-01-01");
    let id = h.ok("create_account", json!({ "input": input }))["id"].as_str().expect("id").to_owned();
    let fields = |err: Value| -> Vec<String> {
        err["fields"].as_array().expect("fields").iter().map(|f| f["field"].as_str().expect("f").to_owned()).collect()
    };

    let bad = h
        .call("update_renewal", json!({ "accountId": id, "input": { "category": "sure thing", "expected_arr": "-1" } }))
        .expect_err("refused");
    assert_eq!(fields(bad), ["expected_arr", "category"]);
    h.ok("update_renewal", json!({ "accountId": id, "input": { "category": "commit", "expected_arr": "260,000" } }));
    let view = h.ok("renewals", json!({ "window": "this_quarter" }));
    assert_eq!(view["lines"][0]["category"], "commit");
    assert_eq!(view["total"]["expected_minor"], 26_000_000);
    assert!(h.call("renewals", json!({ "window": "forever" })).is_err(), "an unknown window");

    h.ok("take_forecast_snapshot", json!({}));
    let no_reason =
        h.call("record_outcome", json!({ "accountId": id, "input": { "kind": "churn" } })).expect_err("why?");
    assert_eq!(fields(no_reason), ["reasons"]);
    let early = json!({ "kind": "flat", "decided_on": "2023-12-31" });
    assert_eq!(
        fields(h.call("record_outcome", json!({ "accountId": id, "input": early })).expect_err("early")),
        ["decided_on"]
    );
    let churn = json!({ "kind": "churn", "reasons": ["Budget"], "comment": "Frozen spend" });
    assert_eq!(h.ok("record_outcome", json!({ "accountId": id, "input": churn }))["arr_after"]["minor"], 0);

    let report = h.ok("retention", json!({ "window": "last_12_months" }));
    assert_eq!(report["book"]["churned"][0]["reasons"], json!(["Budget"]));

    let mut settings = h.ok("renewal_settings", json!({}));
    assert_eq!(settings["reporting_currency"], "EUR");
    settings["rates"] = json!([{ "currency": "USD", "valid_from": "2026-01-01", "per_unit": "0" }]);
    let zero = h.call("save_renewal_settings", json!({ "input": settings })).expect_err("zero");
    assert_eq!(fields(zero), ["rates.0.per_unit"]);
}
