//! Who asked for a change, as the server finds them: the requester's email classified
//! against the customer's contacts and the owners of the namespace being changed, with
//! the same function the form runs as the person types.
use crate::domain::ops_policy::Justification;
use crate::domain::requester::{classify, unverified_approval};
use crate::domain::{Contact, NamespaceOwner, OpRequest, Operation, Preview};
use crate::store::Tx;
use crate::{on_tx, AppError};

/// Sets `why.verdict` for `request`, planned as `preview`: an integrity fix (checked to
/// be one) keeps its `proactive`, a change with no requester stays unclassified. Adds to
/// the preview why a lead must approve when the requester is unverified.
pub async fn classify_in(
    tx: &mut Tx,
    request: &OpRequest,
    why: &mut Justification,
    preview: &mut Preview,
) -> Result<(), AppError> {
    if let Some(finding_id) = request.finding_id {
        return check_fix(tx, finding_id, &request.op).await;
    }
    let Some(requester) = why.requester.as_deref().filter(|_| why.verdict.is_none()) else {
        return Ok(());
    };
    let contacts: Vec<Contact> = on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT id, customer_id, name, email, role FROM contacts WHERE customer_id = $1 AND email = $2"
    )
    .bind(preview.customer_id)
    .bind(requester)
    .fetch_all(c)
    .await
    })?;
    let owners: Vec<NamespaceOwner> = match changed_namespace(tx, request, preview).await? {
        Some(namespace) => on_tx!(tx, |c| {
            sqlx::query_as(
            "SELECT namespace_id, username, email FROM namespace_owners WHERE namespace_id = $1 AND email = $2"
        )
        .bind(namespace)
        .bind(requester)
        .fetch_all(c)
        .await
        })?,
        None => Vec::new(),
    };
    let verdict = classify(requester, &contacts, &owners);
    why.verdict = Some(verdict);
    if let Some(reason) = unverified_approval(Some(requester), verdict) {
        preview.approval = Some(match preview.approval.take() {
            Some(policy) => format!("{policy} {reason}"),
            None => reason,
        });
    }
    Ok(())
}

/// The namespace the change is to: its target, or an undone event's target.
async fn changed_namespace(
    tx: &mut Tx,
    request: &OpRequest,
    preview: &Preview,
) -> Result<Option<i64>, AppError> {
    if preview.target_type == crate::domain::TargetType::Namespace {
        return Ok(Some(preview.target_id));
    }
    let Operation::Undo { event_id } = request.op else { return Ok(None) };
    Ok(on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT target_id FROM activity_events WHERE id = $1 AND target_type = 'namespace'"
    )
    .bind(event_id)
    .fetch_optional(c)
    .await)?)
}

/// Refuses a change presented as the fix of finding `id` unless the finding is open and
/// `op` is its fix (the record version aside): only such a change goes without a requester.
async fn check_fix(tx: &mut Tx, id: i64, op: &Operation) -> Result<(), AppError> {
    let (finding, open) = crate::checks::store::get(tx, id).await?;
    let unversioned = |op: &Operation| {
        let mut value = serde_json::to_value(op).unwrap_or_default();
        if let Some(fields) = value.as_object_mut() {
            fields.remove("version");
        }
        value
    };
    match finding.fix() {
        Ok(fix) if open && unversioned(&fix) == unversioned(op) => Ok(()),
        _ => Err(AppError::field(
            "finding_id",
            format!(
                "This change is not the fix of open finding {id}; say who asked for it instead."
            ),
        )),
    }
}
