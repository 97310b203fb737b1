//! Runs the fake Salesforce with a sample org, to try CSM Desk's Salesforce sync without an org:
//!   cargo run -p csm-e2e --bin fake-salesforce -- [--port 4020] [--client-id demo-client] [--accounts 40] [--contacts 3]
//! then in CSM Desk: Sync → Salesforce, login address http://127.0.0.1:4020, the consumer key
//! above, Sign in. The fake's authorize page signs you in at once (there is no password).

use std::time::Duration;

use csm_e2e::fake_salesforce::FakeSalesforce;

fn arg(name: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned().unwrap_or_else(|| default.to_owned())
}

fn main() {
    let port = arg("--port", "4020");
    let client_id = arg("--client-id", "demo-client");
    let accounts: usize = arg("--accounts", "40").parse().unwrap_or(40);
    let contacts: usize = arg("--contacts", "3").parse().unwrap_or(3);
    let fake = FakeSalesforce::start_on(&format!("127.0.0.1:{port}"), &client_id);
    fake.seed(accounts, contacts);
    println!(
        "Fake Salesforce at {} (consumer key: {client_id}) with {accounts} accounts, {contacts} contacts each.",
        fake.url
    );
    println!("Press Ctrl+C to stop.");
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}
