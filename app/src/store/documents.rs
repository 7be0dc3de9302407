//! The search documents: one per customer, namespace and license, holding the
//! lower-cased text that substring search looks in, field by field. Built only by these functions,
//! whether by the seeder in bulk or by an operation that creates or renames a record.
use crate::domain::HitKind;
use crate::store::Tx;
use crate::{on_tx, AppError};

/// A document's id: unique across kinds, derived from the record it describes.
pub fn doc_id(kind: HitKind, ref_id: i64) -> i64 {
    let code = match kind {
        HitKind::Customer => 1,
        HitKind::Namespace => 2,
        HitKind::License => 3,
        HitKind::BillingAccount | HitKind::Subscription => 0,
    };
    ref_id * 4 + code
}

/// Between a document's fields: a query never holds it (white space in a query becomes
/// single spaces), so a match never spans two fields.
pub const SEPARATOR: char = '\n';

/// A document's text: its fields in a fixed order, empty ones kept, lower-cased.
fn join_lower<'p>(parts: impl IntoIterator<Item = &'p str>) -> String {
    parts.into_iter().collect::<Vec<_>>().join("\n").to_lowercase()
}

/// Text of a customer's document: name, email, company, then their contacts' emails,
/// so a ticket's sender finds the customer. CRM ids stay out: they are found by exact
/// and prefix lookups, and their long digit runs would flood the trigram index with
/// `000`.
pub fn customer_text(name: &str, email: &str, company: &str, contacts: &[String]) -> String {
    let others = contacts.iter().map(String::as_str).filter(|c| *c != email);
    join_lower([name, email, company].into_iter().chain(others))
}

/// Text of a namespace's document: path, name, then its owners' usernames and emails.
pub fn namespace_text(path: &str, name: &str, owners: &[String]) -> String {
    join_lower([path, name].into_iter().chain(owners.iter().map(String::as_str)))
}

/// Text of a license's document.
pub fn license_text(key: &str) -> String {
    join_lower([key])
}

/// The fields of a document of `kind`, each with the search field it stands for.
pub fn fields(kind: HitKind, text: &str) -> impl Iterator<Item = (&'static str, &str)> {
    let names: &[&'static str] = match kind {
        HitKind::Customer => &["name", "email", "company", "contact_email"],
        HitKind::Namespace => &["path", "name", "namespace_owner"],
        _ => &["key"],
    };
    text.split(SEPARATOR).enumerate().map(move |(i, part)| (names[i.min(names.len() - 1)], part))
}

/// Creates or replaces the document of one record, inside the caller's transaction.
pub async fn put(
    tx: &mut Tx,
    kind: HitKind,
    ref_id: i64,
    customer_id: i64,
    text: &str,
) -> Result<(), AppError> {
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO search_documents (doc_id, text, kind, ref_id, customer_id) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (doc_id) DO UPDATE SET text = excluded.text, customer_id = excluded.customer_id"
    )
    .bind(doc_id(kind, ref_id))
    .bind(text)
    .bind(kind.as_str())
    .bind(ref_id)
    .bind(customer_id)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_field_of_a_document_is_named() {
        let contacts = ["ada@acme.io".to_string(), "Bob@Acme.io".to_string()];
        let text = customer_text("Ada Lovelace", "ada@acme.io", "", &contacts);
        assert_eq!(text, "ada lovelace\nada@acme.io\n\nbob@acme.io");
        let named: Vec<_> = fields(HitKind::Customer, &text).collect();
        assert_eq!(
            named,
            [
                ("name", "ada lovelace"),
                ("email", "ada@acme.io"),
                ("company", ""),
                ("contact_email", "bob@acme.io")
            ]
        );
        let owners = ["ada".to_string(), "ada@acme.io".to_string()];
        let text = namespace_text("acme-corp", "Acme Corp", &owners);
        let named: Vec<_> = fields(HitKind::Namespace, &text).map(|(f, _)| f).collect();
        assert_eq!(named, ["path", "name", "namespace_owner", "namespace_owner"]);
        let key = license_text("ABC-DEF");
        assert_eq!(fields(HitKind::License, &key).collect::<Vec<_>>(), [("key", "abc-def")]);
    }
}
