//! Calendars in iCalendar text: a large synthetic one (tests and benchmarks at real size).

use chrono::{Datelike, Days, NaiveDate};

/// `events` events over the 100 days from `first`, one in twenty a weekly series without end
/// (with an exception), in three zone spellings (IANA, Windows, UTC), attendees at `domains`,
/// each with a description long enough that 20,000 events make a 10 MB file like a real export.
pub fn synthetic(events: usize, first: NaiveDate, domains: &[String]) -> String {
    let mut out = String::with_capacity(events * 560);
    out.push_str("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//CSM Desk//Synthetic//EN\r\nX-WR-CALNAME:Synthetic\r\n");
    let zones = ["TZID=Europe/Berlin", "TZID=W. Europe Standard Time", "TZID=America/New_York"];
    for n in 0..events {
        let day = first + Days::new((n % 100) as u64);
        let hour = 8 + n % 9;
        let start = format!("{}T{hour:02}0000", day.format("%Y%m%d"));
        let end = format!("{}T{hour:02}4500", day.format("%Y%m%d"));
        let domain = domains.get(n % domains.len().max(1)).map_or("customer.example", String::as_str);
        let zone = zones[n % zones.len()];
        out.push_str(&format!(
            "BEGIN:VEVENT\r\nUID:synthetic-{n}@csmdesk.example\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;{zone}:{start}\r\n\
             DTEND;{zone}:{end}\r\nSUMMARY:Customer call {n}\r\nLOCATION:Video call\r\n\
             ORGANIZER;CN=Dana Reyes:mailto:dana@csmdesk.example\r\n\
             ATTENDEE;CN=Contact {n};ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:contact{}@{domain}\r\n\
             DESCRIPTION:Agenda: adoption review\\, open tickets\\, next steps. Dial-in and meeting link \
             follow. This text stands in for the long invitation bodies real calendars carry\\, which make \
             an export large without adding meetings.\r\n",
            n % 300
        ));
        if n % 20 == 0 {
            let skip = first + Days::new((n % 100) as u64 + 14);
            out.push_str(&format!("RRULE:FREQ=WEEKLY\r\nEXDATE;{zone}:{}T{hour:02}0000\r\n", skip.format("%Y%m%d")));
        }
        out.push_str("END:VEVENT\r\n");
    }
    out.push_str("END:VCALENDAR\r\n");
    out
}

/// The sample book's calendar (floating times: they stay at 10:00 wherever the CSM is), from its
/// people: (account, contact, email), the biggest accounts first. A weekly sync with an exception,
/// a QBR, a renewal call, a check-in today, a meeting yesterday to log, a kick-off next week, a
/// daily internal stand-up, and an intro with a company that is no account yet.
pub fn sample(people: &[(String, String, String)], today: NaiveDate) -> String {
    let owner = "jordan.lee@csmdesk.example";
    // A working day `offset` days away (a weekend moves to the Monday after, or the Friday before).
    let day = |offset: i64| {
        let mut d = today + chrono::Duration::days(offset);
        while d.weekday().number_from_monday() > 5 {
            d += chrono::Duration::days(if offset < 0 { -1 } else { 1 });
        }
        d.format("%Y%m%d").to_string()
    };
    let mut out = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//CSM Desk//Sample calendar//EN\r\nX-WR-CALNAME:{owner}\r\n"
    );
    let mut event = |uid: &str, start: String, minutes: u32, title: String, with: &[(&str, &str)], extra: &str| {
        out.push_str(&format!(
            "BEGIN:VEVENT\r\nUID:sample-{uid}@csmdesk.example\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{start}\r\n\
             DURATION:PT{minutes}M\r\nSUMMARY:{title}\r\nORGANIZER;CN=Jordan Lee:mailto:{owner}\r\n{extra}"
        ));
        for (name, email) in with {
            out.push_str(&format!("ATTENDEE;CN={name}:mailto:{email}\r\n"));
        }
        out.push_str("END:VEVENT\r\n");
    };
    let person = |n: usize| people.get(n).map(|(a, c, e)| (a.as_str(), c.as_str(), e.as_str()));
    if let Some((account, name, email)) = person(0) {
        let rule = format!("RRULE:FREQ=WEEKLY;COUNT=8\r\nEXDATE:{}T100000\r\n", day(-7));
        event("weekly", format!("{}T100000", day(-14)), 30, format!("{account} weekly sync"), &[(name, email)], &rule);
    }
    if let Some((account, name, email)) = person(1) {
        event("qbr", format!("{}T140000", day(1)), 60, format!("QBR with {account}"), &[(name, email)], "");
    }
    if let Some((account, name, email)) = person(2) {
        event("renewal", format!("{}T110000", day(1)), 45, format!("{account} renewal call"), &[(name, email)], "");
    }
    if let Some((account, name, email)) = person(3) {
        event("check-in", format!("{}T160000", day(0)), 30, format!("Check-in with {account}"), &[(name, email)], "");
    }
    if let Some((account, name, email)) = person(4) {
        event("roadmap", format!("{}T150000", day(-1)), 45, format!("{account} roadmap review"), &[(name, email)], "");
    }
    if let Some((account, name, email)) = person(5) {
        event(
            "kick-off",
            format!("{}T093000", day(6)),
            60,
            format!("Onboarding kick-off: {account}"),
            &[(name, email)],
            "",
        );
    }
    let team = [("Sam Ortiz", "sam.ortiz@csmdesk.example")];
    let daily = "RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=30\r\n";
    event("stand-up", format!("{}T090000", day(-7)), 15, "Team stand-up".into(), &team, daily);
    let prospect = [("Ava Chen", "ava.chen@northwind-traders.example")];
    event("intro", format!("{}T130000", day(1)), 30, "Intro: Northwind Traders".into(), &prospect, "");
    out.push_str("END:VCALENDAR\r\n");
    out
}
