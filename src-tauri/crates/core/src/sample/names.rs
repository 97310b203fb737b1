//! Word lists for the sample book. Invented companies and people.

use crate::model::{ContactRole, Sentiment, TimelineKind};

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

/// Call notes the sample book is written with: title, Markdown, tags, sentiment.
pub const NOTES: &[(&str, &str, &[&str], Option<Sentiment>)] = &[
    (
        "Win: support team self-serves",
        "## What happened\nThe support team now answers 40% of tickets from the knowledge base, without an \
         agent.\n\n## Why it matters\nThe sponsor shared it with their board as the quarter's highlight.",
        &["win"],
        Some(Sentiment::Positive),
    ),
    (
        "Monthly check-in",
        "## How things are going\nUsage is up since the SSO rollout; the support team now lives in the dashboards.\n\n\
         ## Risks\nThe budget owner changes in Q1.\n\n## Next steps\n- [x] Share the adoption report\n- [ ] Book the QBR date",
        &["feedback"],
        Some(Sentiment::Positive),
    ),
    (
        "Escalation: export timeouts",
        "## The issue\nLarge CSV exports time out after 60 s for the finance team.\n\n## Impact\nMonth-end close is \
         blocked.\n\n## What we committed to\nA fix or a workaround within a week.",
        &["escalation", "risk"],
        Some(Sentiment::Negative),
    ),
    (
        "Renewal prep",
        "## Renewal status\nThey want a multi-year term with a price cap.\n\n## Commercial points\n- 3-year option\n\
         - 20 more seats in the spring",
        &["renewal"],
        Some(Sentiment::Neutral),
    ),
    (
        "Roadmap feedback",
        "They asked for **Salesforce field mapping** and an audit log export. Both are on the roadmap for next \
         quarter.",
        &["feedback", "feature-request"],
        None,
    ),
    (
        "Go-live celebration",
        "Go-live done on time. The champion presented the results to their leadership: onboarding time cut by 40%.",
        &["win"],
        Some(Sentiment::Positive),
    ),
    (
        "Réunion de suivi",
        "Point avec l'équipe à Genève : déploiement terminé, formation des administrateurs prévue.",
        &["feedback"],
        Some(Sentiment::Positive),
    ),
    (
        "한빛 담당자 통화",
        "한빛물류 담당자와 통화했습니다. 다음 분기 확장 계획과 교육 일정을 논의했습니다.",
        &["expansion"],
        Some(Sentiment::Positive),
    ),
    (
        "東京オフィス定例",
        "東京オフィスの定例会議。管理画面の権限設定について質問あり。",
        &["feedback"],
        Some(Sentiment::Neutral),
    ),
];

/// The most common words of the benchmark's filler notes, most common first.
pub const NOTE_WORDS: &[&str] = &[
    "the",
    "and",
    "to",
    "we",
    "they",
    "with",
    "for",
    "on",
    "about",
    "their",
    "our",
    "next",
    "customer",
    "team",
    "call",
    "week",
    "usage",
    "renewal",
    "support",
    "plan",
    "meeting",
    "review",
    "report",
    "training",
    "dashboard",
    "sponsor",
    "champion",
    "adoption",
    "quarter",
    "goal",
    "value",
    "ticket",
    "integration",
    "onboarding",
    "export",
    "pricing",
    "licences",
    "roadmap",
    "feedback",
    "workflow",
    "security",
    "budget",
    "contract",
    "expansion",
    "migration",
    "rollout",
    "admin",
    "permissions",
    "webinar",
    "survey",
    "analytics",
    "automation",
    "metric",
    "risk",
    "agenda",
    "timeline",
    "launch",
    "pilot",
    "deployment",
    "api",
    "sso",
    "invoice",
    "escalation",
];

/// Success metrics a sponsor agrees to: name, unit, baseline, target, and how far along it is (0–1).
pub const METRICS: &[(&str, &str, f64, f64, f64)] = &[
    ("Time to resolve a case", "hours", 48.0, 12.0, 0.6),
    ("Onboarding time for new hires", "days", 30.0, 7.0, 0.75),
    ("Self-service rate", "%", 20.0, 60.0, 0.5),
    ("Weekly active teams", "teams", 4.0, 20.0, 0.85),
    ("Reports built without IT", "per month", 10.0, 50.0, 1.1),
];

/// Milestones on the path to value: title and days from today (negative: in the past).
pub const MILESTONES: &[(&str, i64)] = &[
    ("Kickoff and success plan agreed", -150),
    ("SSO rolled out to all regions", -75),
    ("First team live on dashboards", -40),
    ("All teams onboarded", 35),
    ("Executive dashboard live", 70),
];

/// The CSM's private notes on a sponsor: never pushed, never in a customer deck.
pub const PRIVATE_NOTES: &[&str] = &[
    "Prefers email to calls; reads everything on Friday afternoons.",
    "New in the role; wants a one-page summary of value before the renewal talk.",
    "Budget owner; cares about seat count more than features.",
    "Skeptical after the outage in spring; bring the uptime numbers.",
];

/// People at calls who are not contacts yet (the CSM typed their names).
pub const GUESTS: &[&str] = &["Dev Patel", "Marta Silva", "Jonas Berg", "Priya Nair", "Tom Okafor"];
