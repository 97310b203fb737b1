//! Helpers for the end-to-end suites: a small W3C WebDriver client that drives the built
//! CSM Desk binary through WebKitWebDriver, with every test's data in a temporary folder.

pub mod fake_hubspot;
pub mod fake_salesforce;
pub mod fake_server;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
pub const ENTER: &str = "\u{E007}";
pub const ESCAPE: &str = "\u{E00C}";
const WAIT: Duration = Duration::from_secs(30);

/// The app binary the test command built (`cargo build -p csm-desk --features e2e`).
pub fn app_binary() -> PathBuf {
    let path = std::env::var_os("CSM_DESK_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/debug/csm-desk"));
    assert!(
        path.exists(),
        "the app binary {} is missing: build it first with `cargo build -p csm-desk --features e2e` (scripts/test.sh does)",
        path.display()
    );
    path.canonicalize().expect("absolute binary path")
}

/// A WebKitWebDriver process whose app sessions all see the same home.
pub struct Driver {
    process: Child,
    base: String,
    home: PathBuf,
    data_dir: PathBuf,
    _temporary: Option<tempfile::TempDir>,
}

impl Driver {
    /// A driver whose apps keep their book in `<temporary home>/data` (`CSM_DESK_DATA_DIR`).
    pub fn start() -> Driver {
        let temporary = tempfile::tempdir().expect("temp home");
        let home = temporary.path().to_owned();
        let mut driver = Driver::spawn(&home, Some(&home.join("data")));
        driver._temporary = Some(temporary);
        driver
    }

    /// A driver whose apps run as a user's would, with `home` for their XDG folders: the book in
    /// the usual place (`$XDG_DATA_HOME/csm-desk`), kept after the driver is gone.
    pub fn start_as_user(home: &Path) -> Driver {
        Driver::spawn(home, None)
    }

    fn spawn(home: &Path, data_dir: Option<&Path>) -> Driver {
        let port = free_port();
        std::fs::create_dir_all(home.join("exports")).expect("exports folder");
        let mut command = Command::new("WebKitWebDriver");
        command
            .arg(format!("--port={port}"))
            .arg("--host=127.0.0.1")
            .env("XDG_DATA_HOME", home.join("xdg-data"))
            .env("XDG_CONFIG_HOME", home.join("xdg-config"))
            .env("XDG_CACHE_HOME", home.join("xdg-cache"))
            // The app (built with `e2e`) saves exports here instead of asking with a native dialog,
            // and opens this file when asked to pick one (a calendar to import).
            .env("CSM_DESK_E2E_SAVE_DIR", home.join("exports"))
            .env("CSM_DESK_E2E_OPEN_PATH", home.join("open.ics"))
            .env("TAURI_WEBVIEW_AUTOMATION", "true")
            .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
            .env("NO_AT_BRIDGE", "1")
            .env_remove("CSM_DESK_DATA_DIR")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(dir) = data_dir {
            command.env("CSM_DESK_DATA_DIR", dir);
        }
        let process = command.spawn().expect("WebKitWebDriver runs (package webkit2gtk-driver)");
        let driver = Driver {
            process,
            base: format!("http://127.0.0.1:{port}"),
            home: home.to_owned(),
            data_dir: data_dir.map_or_else(|| home.join("xdg-data/csm-desk"), Path::to_path_buf),
            _temporary: None,
        };
        wait_until("WebKitWebDriver to listen", || ureq::get(&format!("{}/status", driver.base)).call().is_ok());
        driver
    }

    pub fn home(&self) -> &Path {
        &self.home
    }

    /// Where exports are saved (see `CSM_DESK_E2E_SAVE_DIR`).
    pub fn exports_dir(&self) -> PathBuf {
        self.home.join("exports")
    }

    /// The file the app opens when it would ask the CSM to pick one (see `CSM_DESK_E2E_OPEN_PATH`).
    pub fn open_path(&self) -> PathBuf {
        self.home.join("open.ics")
    }

    pub fn data_dir(&self) -> PathBuf {
        self.data_dir.clone()
    }

    pub fn database(&self) -> PathBuf {
        self.data_dir().join("csm-desk.sqlite")
    }

    /// Launches the app and opens a session on its window.
    pub fn launch(&self) -> Session {
        self.launch_with(&[])
    }

    /// Launches the app with these command-line arguments.
    pub fn launch_with(&self, args: &[&str]) -> Session {
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "webkitgtk:browserOptions": { "binary": app_binary().to_string_lossy(), "args": args }
        } } });
        let response: Value = ureq::post(&format!("{}/session", self.base))
            .timeout(Duration::from_secs(90))
            .send_json(caps)
            .expect("a session on the app")
            .into_json()
            .expect("json");
        let id = response["value"]["sessionId"].as_str().expect("session id").to_owned();
        Session { base: format!("{}/session/{id}", self.base), open: true }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

pub struct Session {
    base: String,
    open: bool,
}

#[derive(Clone)]
pub struct Element {
    id: String,
}

impl Session {
    fn post(&self, path: &str, body: Value) -> Result<Value, String> {
        let result = ureq::post(&format!("{}{path}", self.base)).timeout(Duration::from_secs(30)).send_json(body);
        match result {
            Ok(response) => Ok(response.into_json::<Value>().map_err(|e| e.to_string())?["value"].clone()),
            Err(ureq::Error::Status(_, response)) => Err(response.into_string().unwrap_or_default()),
            Err(err) => Err(err.to_string()),
        }
    }

    fn get(&self, path: &str) -> Result<Value, String> {
        match ureq::get(&format!("{}{path}", self.base)).timeout(Duration::from_secs(30)).call() {
            Ok(response) => Ok(response.into_json::<Value>().map_err(|e| e.to_string())?["value"].clone()),
            Err(ureq::Error::Status(_, response)) => Err(response.into_string().unwrap_or_default()),
            Err(err) => Err(err.to_string()),
        }
    }

    pub fn find_all(&self, css: &str) -> Vec<Element> {
        let found = self.post("/elements", json!({ "using": "css selector", "value": css })).unwrap_or_default();
        found
            .as_array()
            .map(|items| {
                items.iter().filter_map(|e| e[ELEMENT_KEY].as_str()).map(|id| Element { id: id.to_owned() }).collect()
            })
            .unwrap_or_default()
    }

    /// Waits for the first element matching `css`.
    pub fn find(&self, css: &str) -> Element {
        let mut found = None;
        wait_until(&format!("an element {css}"), || {
            found = self.find_all(css).into_iter().next();
            found.is_some()
        });
        found.expect("found")
    }

    /// Waits until an element matching `css` shows text containing `text`; returns that text.
    pub fn wait_for_text(&self, css: &str, text: &str) -> String {
        let mut seen = String::new();
        wait_until(&format!("{css} to show {text:?}"), || {
            seen = self.find_all(css).iter().map(|e| self.text(e)).collect::<Vec<_>>().join(" | ");
            seen.contains(text)
        });
        seen
    }

    pub fn text(&self, element: &Element) -> String {
        self.get(&format!("/element/{}/text", element.id))
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    pub fn click(&self, element: &Element) {
        self.post(&format!("/element/{}/click", element.id), json!({})).expect("click");
    }

    pub fn click_css(&self, css: &str) {
        let element = self.find(css);
        self.click(&element);
    }

    pub fn clear(&self, element: &Element) {
        self.post(&format!("/element/{}/clear", element.id), json!({})).expect("clear");
    }

    pub fn type_into(&self, element: &Element, text: &str) {
        self.post(&format!("/element/{}/value", element.id), json!({ "text": text })).expect("type");
    }

    /// Runs a script in the page; `arguments` are passed through.
    pub fn execute(&self, script: &str, arguments: Value) -> Value {
        self.post("/execute/sync", json!({ "script": script, "args": arguments })).expect("script")
    }

    /// Ends the session, which closes the app.
    pub fn close(mut self) {
        self.end();
    }

    fn end(&mut self) {
        if self.open {
            self.open = false;
            let _ = ureq::delete(&self.base).timeout(Duration::from_secs(30)).call();
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.end();
    }
}

pub fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(start.elapsed() < WAIT, "timed out after {WAIT:?} waiting for {what}");
        sleep(Duration::from_millis(150));
    }
}

/// Waits until no process runs the app binary any more (single-instance would refuse a new one).
pub fn wait_for_app_exit() {
    let binary = app_binary();
    wait_until("the app to exit", || app_pids(&binary).is_empty());
}

pub fn app_pids(binary: &Path) -> Vec<u32> {
    let output = Command::new("pgrep").arg("-f").arg(binary).output().expect("pgrep");
    String::from_utf8_lossy(&output.stdout).lines().filter_map(|l| l.trim().parse().ok()).collect()
}

/// CPU time (user and system, in seconds) used so far by the app and every process it started
/// (WebKit's web and network processes), read from /proc.
pub fn app_cpu_seconds() -> f64 {
    let roots = app_pids(&app_binary());
    let stats: Vec<(u32, u32, u64)> = std::fs::read_dir("/proc")
        .map(|dir| dir.flatten().filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok()).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // Fields after the command name (which may hold spaces): state ppid … utime stime.
            let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
            let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
            Some((pid, fields.get(1)?.parse().ok()?, ticks))
        })
        .collect();
    let mut family = roots.clone();
    let mut grew = true;
    while grew {
        let before = family.len();
        family.extend(
            stats
                .iter()
                .filter(|(pid, ppid, _)| family.contains(ppid) && !family.contains(pid))
                .map(|s| s.0)
                .collect::<Vec<_>>(),
        );
        grew = family.len() > before;
    }
    let ticks: u64 = stats.iter().filter(|(pid, _, _)| family.contains(pid)).map(|s| s.2).sum();
    ticks as f64 / clock_ticks_per_second()
}

fn clock_ticks_per_second() -> f64 {
    let out = Command::new("getconf").arg("CLK_TCK").output().ok();
    out.and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok()).unwrap_or(100.0)
}

/// Reads an exported PPTX or PDF back with the independent Python readers (python-pptx, pypdf)
/// that `scripts/setup.sh test` installs in `.venv-test`.
pub fn read_deck(path: &Path) -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let python = std::env::var_os("CSM_DESK_PYTHON").map_or_else(|| root.join(".venv-test/bin/python"), PathBuf::from);
    let out = Command::new(python).arg(root.join("tests/deck/read_deck.py")).arg(path).output().expect("python runs");
    assert!(out.status.success(), "read_deck.py: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json from read_deck.py")
}

/// Saves a picture of the whole X screen when CSM_DESK_SCREENSHOTS names a folder.
pub fn screenshot(name: &str) {
    let Some(dir) = std::env::var_os("CSM_DESK_SCREENSHOTS") else { return };
    let path = PathBuf::from(dir).join(format!("{name}.png"));
    let status = Command::new("import").args(["-window", "root"]).arg(&path).status();
    assert!(matches!(status, Ok(s) if s.success()), "screenshot {name} (imagemagick's import)");
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}
