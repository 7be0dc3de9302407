//! Word lists for realistic names, companies and countries.
use app::domain::Action;

pub const FIRST_NAMES: &[&str] = &[
    "Ada", "Alan", "Amara", "Aiko", "Björn", "Carmen", "Chen", "Chloé", "Dmitri", "Elena", "Emeka",
    "Farah", "Felix", "Grace", "Hana", "Hugo", "Ines", "Ivan", "Jamal", "Jana", "Kai", "Kofi",
    "Lars", "Leila", "Lucas", "Maya", "Mateo", "Mei", "Nadia", "Nikhil", "Noah", "Olga", "Omar",
    "Priya", "Rafael", "Rosa", "Sam", "Sara", "Sofia", "Tariq", "Tomás", "Uma", "Victor", "Wen",
    "Yara", "Yusuf", "Zoe", "Zain",
];

pub const LAST_NAMES: &[&str] = &[
    "Abadi", "Andersen", "Bauer", "Becker", "Castillo", "Chen", "Costa", "Dubois", "Eriksson",
    "Fischer", "García", "Gupta", "Haddad", "Hansen", "Ito", "Jensen", "Kim", "Kowalski", "Larsen",
    "Lopez", "Mensah", "Meyer", "Müller", "Nakamura", "Novak", "Okafor", "Olsen", "Patel",
    "Petrov", "Quinn", "Rossi", "Sato", "Schmidt", "Silva", "Singh", "Tanaka", "Torres", "Varga",
    "Wagner", "Wang", "Weber", "Yilmaz", "Zhang",
];

pub const COMPANY_HEADS: &[&str] = &[
    "Acme",
    "Apex",
    "Blue Harbor",
    "Brightline",
    "Cedar",
    "Cobalt",
    "Copperleaf",
    "Delta",
    "Evergreen",
    "Falcon",
    "Granite",
    "Helix",
    "Horizon",
    "Ironwood",
    "Juniper",
    "Keystone",
    "Lumen",
    "Maple",
    "Meridian",
    "Nimbus",
    "Northwind",
    "Orbit",
    "Pinnacle",
    "Quantum",
    "Redwood",
    "Riverstone",
    "Saffron",
    "Silverline",
    "Summit",
    "Tidal",
    "Trillium",
    "Umbra",
    "Vertex",
    "Willow",
    "Zenith",
];

pub const COMPANY_TAILS: &[&str] = &[
    "Analytics",
    "Bank",
    "Biotech",
    "Cloud",
    "Consulting",
    "Dynamics",
    "Energy",
    "Foods",
    "Games",
    "Health",
    "Insurance",
    "Labs",
    "Logistics",
    "Media",
    "Motors",
    "Networks",
    "Pharma",
    "Retail",
    "Robotics",
    "Software",
    "Studios",
    "Systems",
    "Telecom",
    "Travel",
];

pub const DOMAIN_ENDINGS: &[&str] = &["com", "io", "dev", "co", "net", "org"];

/// Country code and its billing currency, weighted by repetition.
pub const COUNTRIES: &[(&str, &str)] = &[
    ("US", "USD"),
    ("US", "USD"),
    ("US", "USD"),
    ("US", "USD"),
    ("CA", "CAD"),
    ("GB", "GBP"),
    ("GB", "GBP"),
    ("DE", "EUR"),
    ("DE", "EUR"),
    ("FR", "EUR"),
    ("NL", "EUR"),
    ("ES", "EUR"),
    ("IT", "EUR"),
    ("SE", "EUR"),
    ("JP", "JPY"),
    ("AU", "AUD"),
    ("IN", "USD"),
    ("BR", "USD"),
    ("SG", "USD"),
    ("IE", "EUR"),
];

pub const PAYMENT_TERMS: &[(&str, i64)] =
    &[("net_30", 30), ("net_30", 30), ("net_15", 15), ("net_60", 60), ("prepaid", 0)];

/// Reasons that fit a change: by action, the field it changed, and whether the value
/// grew (more seats, minutes granted, auto-renew turned on) or shrank.
pub fn reasons_for(action: Action, field: &str, grew: bool) -> &'static [&'static str] {
    match (action, field, grew) {
        (_, "seats", true) => &[
            "Customer asked for more seats ahead of a team expansion",
            "True-up: seats raised to match usage",
            "New department onboarding, seats added per the order form",
        ],
        (_, "seats", false) => &[
            "Seats reduced at renewal",
            "Customer downsized the team; seats lowered per their request",
            "Correction: seats entered above what was ordered",
        ],
        (_, "auto_renew", true) => &[
            "Auto-renew turned back on at the customer's request",
            "Customer confirmed they want to keep renewing",
        ],
        (_, "auto_renew", false) => &[
            "Auto-renew turned off at the customer's request",
            "Customer is evaluating alternatives; renewal to be handled manually",
        ],
        (Action::IssueExtension, _, _) => &[
            "Temporary extension while the renewal order is signed",
            "Extension granted: purchase order delayed in procurement",
        ],
        (Action::UpdatePlan, _, _) => {
            &["Plan corrected after a sync failure", "Plan aligned with the linked subscription"]
        }
        (Action::ComputeMinutes, _, true) => &[
            "Compute minutes granted after a runaway pipeline",
            "Goodwill minutes after the runner outage",
            "Minutes added while the customer moves to a bigger plan",
        ],
        (Action::ComputeMinutes, _, false) => {
            &["Temporary minutes taken back after the pipeline fix", "Duplicate grant removed"]
        }
        (Action::ResetMaxSeats, _, _) => &[
            "Max seats reset after the customer removed inactive users",
            "Reset before the quarterly true-up",
        ],
        (Action::ExtendTrial, _, _) => &[
            "Trial extended while procurement finishes review",
            "Trial extended: evaluation started late because of onboarding issues",
        ],
        _ => &["Requested by the customer"],
    }
}
