//! Writing a signed license: its row, its certificate and its search entry, inside the
//! transaction of the operation that issues it (a temporary extension, or the
//! standard license an integrity fix restores).
use chrono::NaiveDate;
use serde_json::{json, Value};

use crate::audit::FieldChanges;
use crate::domain::{HitKind, LicenseFields};
use crate::ops::server::Actor;
use crate::state::{key_text, LicenseKey};
use crate::store::{documents, now, Tx};
use crate::{on_tx, AppError};

/// What a new license says.
#[derive(Debug, Clone)]
pub struct NewLicense {
    pub subscription_id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub number: String,
    pub product: String,
    /// `standard` or `temporary_extension`.
    pub kind: &'static str,
    pub users: i64,
    pub starts_on: NaiveDate,
    pub expires_on: NaiveDate,
}

/// Writes and signs `l`; its id and key text.
pub async fn create(
    tx: &mut Tx,
    key: &LicenseKey,
    actor: &Actor,
    l: &NewLicense,
) -> Result<(i64, String), AppError> {
    let at = now();
    let short_key = key_text(|n| rand::random::<u32>() as usize % n);
    let id: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO licenses (subscription_id, customer_id, kind, users, starts_on, expires_on, key, issued_by, issued_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id"
    )
    .bind(l.subscription_id)
    .bind(l.customer_id)
    .bind(l.kind)
    .bind(l.users)
    .bind(l.starts_on)
    .bind(l.expires_on)
    .bind(&short_key)
    .bind(actor.user.id)
    .bind(at)
    .fetch_one(c)
    .await
    })?;
    let fields = LicenseFields {
        license_id: id,
        key: short_key.clone(),
        kind: l.kind.into(),
        customer_id: l.customer_id,
        customer: l.customer_name.clone(),
        subscription: l.number.clone(),
        product: l.product.clone(),
        users: l.users,
        starts_on: l.starts_on,
        expires_on: l.expires_on,
        issued_at: at,
        issued_by: actor.user.email.clone(),
    };
    let certificate = key.sign(&fields);
    on_tx!(tx, |c| sqlx::query("UPDATE licenses SET certificate = $1 WHERE id = $2")
        .bind(&certificate)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    documents::put(tx, HitKind::License, id, l.customer_id, &documents::license_text(&short_key))
        .await?;
    Ok((id, short_key))
}

/// Issues `l` for an operation: what its event adds (the new key).
pub async fn issue(
    tx: &mut Tx,
    key: &LicenseKey,
    actor: &Actor,
    l: &NewLicense,
) -> Result<FieldChanges, AppError> {
    let (_, short_key) = create(tx, key, actor, l).await?;
    let mut extra = FieldChanges::new();
    extra.insert("license.key".into(), [Value::Null, json!(short_key)]);
    Ok(extra)
}
