//! Word lists for the sample book. Invented companies and people.

use crate::model::{ContactRole, TimelineKind};

const COMPANY_STEMS: &[&str] = &[
    "Acme",
    "Northwind",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Vandelay",
    "Soylent",
    "Stark",
    "Wayne",
    "Cyberdyne",
    "Tyrell",
    "Wonka",
    "Gringotts",
    "Oscorp",
    "Aperture",
    "Black Mesa",
    "Monarch",
    "Duff",
    "Pied Piper",
    "Dunder",
    "Sterling",
    "Bluth",
    "Prestige",
    "Massive",
    "Nakatomi",
    "Virtucon",
    "Zorg",
    "Rekall",
    "Cobalt",
    "Helios",
    "Juniper",
    "Kestrel",
    "Lumen",
    "Meridian",
    "Nimbus",
    "Orchid",
    "Paragon",
    "Quasar",
    "Redwood",
    "Saffron",
    "Tundra",
    "Umber",
    "Vertex",
    "Willow",
    "Xenon",
    "Yarrow",
    "Zephyr",
];

const COMPANY_SUFFIXES: &[&str] = &[
    "Analytics",
    "Logistics",
    "Health",
    "Labs",
    "Systems",
    "Foods",
    "Energy",
    "Robotics",
    "Media",
    "Capital",
    "Freight",
    "Biotech",
    "Retail",
    "Networks",
    "Studios",
    "Insurance",
];

pub const INDUSTRIES: &[&str] = &[
    "Software",
    "Healthcare",
    "Financial services",
    "Manufacturing",
    "Retail",
    "Logistics",
    "Education",
    "Media",
    "Energy",
    "Public sector",
];

pub const REGIONS: &[&str] = &["North America", "North America", "EMEA", "EMEA", "APAC", "LATAM"];

pub const PRODUCTS: &[&str] =
    &["Core Platform", "Analytics", "Automations", "API Access", "SSO & Security", "Premium Support"];

pub const FIRST_NAMES: &[&str] = &[
    "Ana", "Ben", "Chloé", "Daniel", "Elif", "Farah", "Gabriel", "Hana", "Ivan", "Jasmine", "Kenji", "Lena", "Mateo",
    "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tomás", "Uma", "Victor", "Wei", "Yara", "Zoë", "Min-jun",
];

pub const LAST_NAMES: &[&str] = &[
    "Lima",
    "Okafor",
    "Martin",
    "Schmidt",
    "Yilmaz",
    "Haddad",
    "Rossi",
    "Sato",
    "Petrov",
    "Nguyen",
    "Kowalski",
    "García",
    "Fischer",
    "Andersson",
    "Kim",
    "Patel",
    "Brown",
    "Dubois",
    "Costa",
    "O'Brien",
];

pub const TOUCHES: &[(TimelineKind, &str)] = &[
    (TimelineKind::Call, "Monthly status call"),
    (TimelineKind::Call, "Check-in call"),
    (TimelineKind::Meeting, "Adoption workshop"),
    (TimelineKind::Meeting, "Executive sync"),
    (TimelineKind::Email, "Sent usage report"),
    (TimelineKind::Email, "Shared release notes and roadmap"),
    (TimelineKind::Call, "Support escalation follow-up"),
];

/// A unique company name for the n-th account.
pub fn company(index: usize) -> String {
    let stems = COMPANY_STEMS.len();
    let stem = COMPANY_STEMS[index % stems];
    let suffix = COMPANY_SUFFIXES[(index * 5 + index / stems) % COMPANY_SUFFIXES.len()];
    match index / (stems * COMPANY_SUFFIXES.len()) {
        0 => format!("{stem} {suffix}"),
        round => format!("{stem} {suffix} {}", round + 1),
    }
}

pub fn domain(name: &str, index: usize) -> String {
    let slug: String = name.to_lowercase().chars().filter(char::is_ascii_alphanumeric).collect();
    format!(
        "{slug}{}.com",
        if index < COMPANY_STEMS.len() * COMPANY_SUFFIXES.len() { String::new() } else { index.to_string() }
    )
}

pub fn title(role: ContactRole) -> &'static str {
    match role {
        ContactRole::ExecutiveSponsor => "VP Operations",
        ContactRole::Champion => "Head of Customer Operations",
        ContactRole::DecisionMaker => "Director of IT",
        ContactRole::Admin => "Systems Administrator",
        ContactRole::User => "Operations Analyst",
        ContactRole::Detractor => "Team Lead",
        ContactRole::Promoter => "Product Manager",
        ContactRole::Other => "Procurement Manager",
    }
}

/// Fixed appointments in a CSM's week.
pub const MEETINGS: &[&str] = &[
    "Monthly check-in call",
    "Roadmap review with the product lead",
    "Admin training session",
    "Executive sync",
    "Adoption workshop",
];

/// Everyday to-dos on an account.
pub const TODOS: &[&str] = &[
    "Send the usage report",
    "Follow up on the SSO question",
    "Share the onboarding checklist",
    "Chase the signed order form",
    "Introduce the new support lead",
    "Book the next QBR date",
    "Review open tickets with support",
    "Send the webinar recording",
];
