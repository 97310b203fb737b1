//! Each fake checked by a real client: HubSpot's official Python client (response validation on)
//! and simple-salesforce run their ordinary calls against it (`tests/clients/*.py`, installed in
//! `.venv-test` by `scripts/setup.sh test`). A fake that drifts from the documented API fails here.

use std::path::{Path, PathBuf};
use std::process::Command;

use csm_e2e::fake_hubspot::FakeHubSpot;
use csm_e2e::fake_salesforce::FakeSalesforce;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run_client(script: &str, url: &str, token: &str) {
    let python = root().join(".venv-test/bin/python");
    assert!(python.exists(), "{} is missing: run scripts/setup.sh test", python.display());
    let out = Command::new(python)
        .arg(root().join("tests/clients").join(script))
        .args([url, token])
        .output()
        .expect("python runs");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{script} against {url}:\n{text}");
    eprint!("{text}");
}

#[test]
fn hubspots_official_client_with_validation_on_accepts_every_answer_of_the_fake() {
    let fake = FakeHubSpot::start("pat-client-check");
    fake.seed(5, 2);
    run_client("hubspot_client.py", &fake.url, "pat-client-check");
}

#[test]
fn simple_salesforce_gets_every_documented_field_from_the_fake() {
    let fake = FakeSalesforce::start("client-check");
    fake.seed(5, 2);
    let (access, _) = fake.lock().issue();
    run_client("salesforce_client.py", &fake.url, &access);
}
