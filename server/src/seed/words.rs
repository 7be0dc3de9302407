//! Word lists for realistic names, companies and countries.

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

pub const REASONS: &[&str] = &[
    "Customer asked for more seats ahead of a team expansion",
    "Renewal processed after purchase order arrived",
    "Trial extended while procurement finishes review",
    "Plan corrected after a sync failure",
    "Compute minutes granted after a runaway pipeline",
    "Storage grant while the customer cleans up artifacts",
    "End date aligned with the new contract",
    "Auto-renew turned off at the customer's request",
    "Seats reduced at renewal",
    "Linked the subscription to the namespace the customer uses",
];
