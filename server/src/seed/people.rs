//! The people of one customer: contacts (the owner is the account's own name and email,
//! then a billing contact and one or two technical ones) and each namespace's owners
//! (often a technical contact, else someone the contacts list does not name). Drawn
//! from a stream of their own, so the customer's other records do not depend on them.
use super::bulk::Rows;
use super::customers::ascii_slug;
use super::rng::Rng;
use super::tables::{child_id, CONTACT_PER, OWNER_PER};
use super::words::{FIRST_NAMES, LAST_NAMES};
use super::Ctx;

pub struct People {
    r: Rng,
    c: u64,
    domain: String,
    /// Every email used so far (contacts are unique per customer).
    emails: Vec<String>,
    /// Technical contacts: (username, email), the likeliest namespace owners.
    technical: Vec<(String, String)>,
    contacts: u64,
    owners: u64,
}

impl People {
    pub fn new(ctx: &Ctx, c: u64, domain: &str) -> People {
        People {
            r: Rng::for_item(ctx.seed, 2, c),
            c,
            domain: domain.to_string(),
            emails: Vec::new(),
            technical: Vec::new(),
            contacts: 0,
            owners: 0,
        }
    }

    /// A new person at the customer: a display name, a username and a unique email.
    fn person(&mut self) -> (String, String, String) {
        let first = *self.r.pick(FIRST_NAMES);
        let last = *self.r.pick(LAST_NAMES);
        let (f, l) = (ascii_slug(first), ascii_slug(last));
        let mut email = format!("{f}.{l}{}@{}", self.c, self.domain);
        let mut n = 2;
        while self.emails.contains(&email) {
            email = format!("{f}.{l}{}-{n}@{}", self.c, self.domain);
            n += 1;
        }
        let username = format!("{}{l}{}", &f[..f.len().min(1)], self.r.range(1, 99));
        (format!("{first} {last}"), username, email)
    }

    fn contact(&mut self, out: &mut Rows, name: &str, email: &str, role: &str) {
        let id = child_id(self.c, CONTACT_PER, self.contacts);
        self.contacts += 1;
        self.emails.push(email.to_string());
        out.push([id.into(), (self.c as i64).into(), name.into(), email.into(), role.into()]);
    }

    /// The customer's contacts; their emails, for the customer's search document.
    pub fn contacts(&mut self, out: &mut Rows, owner_name: &str, owner_email: &str) -> Vec<String> {
        self.contact(out, owner_name, owner_email, "owner");
        let (name, _, email) = self.person();
        self.contact(out, &name, &email, "billing");
        let technical = if self.r.chance(30) { 2 } else { 1 };
        for _ in 0..technical {
            let (name, username, email) = self.person();
            self.contact(out, &name, &email, "technical");
            self.technical.push((username, email));
        }
        self.emails.clone()
    }

    /// One or two owners of namespace `namespace_id`; their usernames and emails, for
    /// the namespace's search document.
    pub fn owners(&mut self, out: &mut Rows, namespace_id: i64) -> Vec<String> {
        let count = if self.r.chance(25) { 2 } else { 1 };
        let mut words = Vec::new();
        let mut usernames: Vec<String> = Vec::new();
        for _ in 0..count {
            let known = self.r.chance(40) && !self.technical.is_empty();
            let (username, email) = if known {
                let t = self.r.below(self.technical.len() as u64) as usize;
                self.technical[t].clone()
            } else {
                let (_, username, email) = self.person();
                self.emails.push(email.clone());
                (username, email)
            };
            if usernames.contains(&username) {
                continue;
            }
            let id = child_id(self.c, OWNER_PER, self.owners);
            self.owners += 1;
            out.push([
                id.into(),
                namespace_id.into(),
                (self.c as i64).into(),
                username.clone().into(),
                email.clone().into(),
            ]);
            usernames.push(username.clone());
            words.push(username);
            words.push(email);
        }
        words
    }
}
