//! Runs the fake HubSpot with a sample portal, to try CSM Desk's sync without a HubSpot account:
//!   cargo run -p csm-e2e --bin fake-hubspot -- [--port 4010] [--token demo-token] [--companies 40] [--contacts 3]
//! then in CSM Desk: Settings → CRM → HubSpot, address http://127.0.0.1:4010, the token above.

use std::time::Duration;

use csm_e2e::fake_hubspot::FakeHubSpot;

fn arg(name: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned().unwrap_or_else(|| default.to_owned())
}

fn main() {
    let port = arg("--port", "4010");
    let token = arg("--token", "demo-token");
    let companies: usize = arg("--companies", "40").parse().unwrap_or(40);
    let contacts: usize = arg("--contacts", "3").parse().unwrap_or(3);
    let fake = FakeHubSpot::start_on(&format!("127.0.0.1:{port}"), &token);
    fake.seed(companies, contacts);
    println!("Fake HubSpot at {} (token: {token}) with {companies} companies, {contacts} contacts each.", fake.url);
    println!("Press Ctrl+C to stop.");
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}
