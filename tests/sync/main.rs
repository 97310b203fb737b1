//! Sync suites: the shared scenarios run against the fake HubSpot and the fake Salesforce, plus
//! what only one of them has (HubSpot's search cap; Salesforce's sign-in, refresh and windows),
//! and a calendar subscription fetched from a local https server.

mod calendar_feed;
mod clients;
mod hubspot;
mod kills;
mod matrix;
mod salesforce;
mod scenarios;
