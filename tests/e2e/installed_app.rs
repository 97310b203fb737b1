//! The installed package, used as a CSM would: `scripts/test-package.sh` installs the .deb with
//! apt, runs `a_first_start_…`, installs the same package again over it, runs `after_reinstalling_…`,
//! removes the package and checks the book is still there. `CSM_DESK_BIN` names the installed
//! `/usr/bin/csm-desk` and `CSM_DESK_PACKAGE_HOME` a home folder that outlives each run.

use std::path::PathBuf;
use std::process::Command;

use csm_e2e::{app_binary, screenshot, wait_for_app_exit, Driver};

fn user_home() -> PathBuf {
    let home = std::env::var_os("CSM_DESK_PACKAGE_HOME").expect("CSM_DESK_PACKAGE_HOME names the user's home");
    PathBuf::from(home)
}

fn terminal(args: &[&str]) -> String {
    let out = Command::new(app_binary())
        .args(args)
        .env("XDG_DATA_HOME", user_home().join("xdg-data"))
        .env_remove("CSM_DESK_DATA_DIR")
        .output()
        .expect("csm-desk runs");
    assert!(out.status.success(), "csm-desk {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
#[ignore = "drives the installed package; scripts/test-package.sh runs it"]
fn a_first_start_of_the_installed_app_creates_the_sample_book_and_another_book_opens_beside_it() {
    assert_eq!(app_binary(), PathBuf::from("/usr/bin/csm-desk"), "the installed binary");
    assert_eq!(terminal(&["--version"]).trim(), format!("CSM Desk {}", env!("CARGO_PKG_VERSION")));
    let help = terminal(&["--help"]);
    let usual = user_home().join("xdg-data/csm-desk");
    assert!(help.contains("--data-dir PATH") && help.contains(&usual.display().to_string()), "{help}");

    let driver = Driver::start_as_user(&user_home());
    assert_eq!(driver.data_dir(), usual);
    let app = driver.launch();
    app.click_css("[data-testid=start-sample]");
    app.wait_for_text("[data-testid=book-count]", "40 accounts");
    screenshot("installed-app");
    app.close();
    wait_for_app_exit();
    let log = std::fs::read_to_string(usual.join("logs/csm-desk.log")).expect("the log in the data folder");
    assert!(log.contains("first view painted"), "{log}");

    // `--data-dir` opens another book: a first run there, the usual book untouched.
    let other = user_home().join("other book");
    let app = driver.launch_with(&["--data-dir", &other.display().to_string()]);
    app.click_css("[data-testid=start-empty]");
    app.click_css("[data-testid=nav-book]");
    app.wait_for_text("body", "Bring your accounts in");
    app.close();
    wait_for_app_exit();
    assert!(other.join("csm-desk.sqlite").exists(), "the other book is in {}", other.display());
}

#[test]
#[ignore = "drives the installed package; scripts/test-package.sh runs it"]
fn after_reinstalling_the_package_the_book_is_intact() {
    let driver = Driver::start_as_user(&user_home());
    let app = driver.launch();
    app.wait_for_text("[data-testid=book-count]", "40 accounts");
    app.click_css("[data-testid=nav-settings]");
    app.wait_for_text("[data-testid=data-location]", &driver.database().display().to_string());
    app.close();
    wait_for_app_exit();
}
