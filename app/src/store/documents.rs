//! The search documents: one per customer, namespace and license, holding the
//! lower-cased text that substring search looks in. Built only by these functions,
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

fn join_lower(parts: &[&str]) -> String {
    parts.iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Text of a customer's document: with their contacts' emails, so a ticket's sender
/// finds the customer. CRM ids stay out: they are found by exact and prefix lookups,
/// and their long digit runs would flood the trigram index with `000`.
pub fn customer_text(name: &str, email: &str, company: &str, contacts: &[String]) -> String {
    let mut parts = vec![name, email, company];
    parts.extend(contacts.iter().map(String::as_str).filter(|c| *c != email));
    join_lower(&parts)
}

/// Text of a namespace's document: with its owners' usernames and emails.
pub fn namespace_text(path: &str, name: &str, owners: &[String]) -> String {
    let mut parts = vec![path, name];
    parts.extend(owners.iter().map(String::as_str));
    join_lower(&parts)
}

/// Text of a license's document.
pub fn license_text(key: &str) -> String {
    join_lower(&[key])
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
