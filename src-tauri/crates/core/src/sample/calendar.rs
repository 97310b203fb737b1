//! Calendars in iCalendar text: a large synthetic one (tests and benchmarks at real size).

use chrono::{Days, NaiveDate};

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
