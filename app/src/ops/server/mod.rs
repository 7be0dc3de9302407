//! Running operations: permission → validation → plan against the current records →
//! one transaction with the change and its one activity event (or an approval request).
pub mod approvals;
pub mod extension;
pub mod invoice;
mod license;
mod namespace;
mod plan;
mod requester;
pub mod rows;
mod send_to_billing;
mod settle;
mod subscription;
mod trial;
mod undo;

pub use plan::{plan, plan_asked, Planned};
pub use rows::RowChange;

use chrono::NaiveDate;

use crate::audit::{record, EventBody, FieldChanges};
use crate::auth::server::caller::{self, Caller};
use crate::auth::CurrentUser;
use crate::domain::ops_policy::Justification;
use crate::domain::{
    Change, EventSource, OpRequest, Operation, Outcome, Permission, Preview, Subscription,
};
use crate::state::LicenseKey;
use crate::store::{now, today, Db, Tx};
use crate::{on_tx, state, AppError};

/// Who makes a change, and through which door.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: CurrentUser,
    pub source: EventSource,
}

impl Actor {
    /// The staff member behind the change, when a person made it (the database keeps
    /// their id; the system and the billing provider are named by their email only).
    pub fn staff_id(&self) -> Option<i64> {
        match self.source {
            EventSource::Console | EventSource::Api => Some(self.user.id),
            EventSource::Scheduled | EventSource::Billing => None,
        }
    }

    /// The billing provider, applying its values for the fields it owns (`billing:stripe`).
    /// It may change what a lead may change; what it changes is limited to the fields the
    /// provider owns by the code that plans its changes (`billing::server::reconcile`).
    pub fn billing(provider: crate::domain::billing::Provider) -> Actor {
        Actor {
            user: CurrentUser {
                id: 0,
                email: format!("billing:{provider}"),
                name: provider.label().into(),
                role: crate::domain::Role::Lead,
                single_sign_on: false,
            },
            source: EventSource::Billing,
        }
    }
}

impl Actor {
    /// The billing provider, when it is the one making the change (`billing:<provider>`).
    pub fn provider(&self) -> Option<crate::domain::billing::Provider> {
        match self.source {
            EventSource::Billing => self
                .user
                .email
                .strip_prefix("billing:")
                .and_then(crate::domain::billing::Provider::parse),
            EventSource::Console | EventSource::Api | EventSource::Scheduled => None,
        }
    }

    /// What every door checks of a plan for `request` before it is shown or run: the
    /// billing drift it says it settles ([`settle::check`]), and that it changes no
    /// record the billing system owns, unless the billing system itself is making it.
    pub async fn may_plan(
        &self,
        tx: &mut Tx,
        request: &OpRequest,
        planned: &mut Planned,
    ) -> Result<(), AppError> {
        if let Some(id) = request.drift_id {
            settle::check(tx, id, &request.op, planned).await?;
        }
        match &planned.held_by_provider {
            Some((field, why)) if self.source != EventSource::Billing => {
                Err(AppError::field(field, why.clone()))
            }
            _ => Ok(()),
        }
    }
}

impl From<&Caller> for Actor {
    fn from(caller: &Caller) -> Self {
        Actor { user: caller.user.clone(), source: caller.source() }
    }
}

/// Checks that `user`'s role may make exactly this change (the operation's permission
/// and any its values add), then the operation's own fields. Every way a change comes
/// in passes here: a direct call, an undo (as the change it makes), an approved request
/// (as its requester, again when it runs).
pub fn admit(user: &CurrentUser, op: &Operation) -> Result<(), AppError> {
    caller::check(user, op.permission(), &format!("use “{}”", op.title().to_lowercase()))?;
    if let Some((permission, what)) = op.extra_permission() {
        caller::check(user, permission, what)?;
    }
    match AppError::from_fields(op.field_errors()) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// The exact changes `request` would make now (its reason is not needed yet).
/// Nothing is written.
pub async fn preview(
    db: &Db,
    actor: &Actor,
    request: &OpRequest,
    today: NaiveDate,
) -> Result<Preview, AppError> {
    admit(&actor.user, &request.op)?;
    let mut tx = db.begin_read().await?;
    let mut planned = plan(&mut tx, &actor.user, &request.op, today).await?;
    actor.may_plan(&mut tx, request, &mut planned).await?;
    tx.rollback().await?;
    Ok(planned.preview)
}

/// Applies `request`, or files it for approval when policy needs one. A temporary
/// extension refused by policy is recorded on the timeline before the refusal returns.
pub async fn execute(
    db: &Db,
    key: &LicenseKey,
    actor: &Actor,
    request: &OpRequest,
    today: NaiveDate,
) -> Result<Outcome, AppError> {
    let result = execute_if(db, key, actor, request, today, |_| Ok(())).await;
    if let Err(AppError::Validation { fields, .. }) = &result {
        extension::refusal::record_if_refused(db, actor, request, fields).await?;
    }
    result
}

/// [`execute`], when `expect` accepts the plan worked out inside the transaction (a
/// bulk fix runs only the exact changes its dry run showed).
pub async fn execute_if(
    db: &Db,
    key: &LicenseKey,
    actor: &Actor,
    request: &OpRequest,
    today: NaiveDate,
    expect: impl FnOnce(&Planned) -> Result<(), AppError>,
) -> Result<Outcome, AppError> {
    admit(&actor.user, &request.op)?;
    let mut why = request.validate(actor.user.role)?;
    let mut tx = db.begin().await?;
    let mut planned = plan(&mut tx, &actor.user, &request.op, today).await?;
    actor.may_plan(&mut tx, request, &mut planned).await?;
    expect(&planned)?;
    requester::classify_in(&mut tx, request, &mut why, &mut planned.preview).await?;
    let outcome = if planned.preview.approval.is_some() {
        caller::check(&actor.user, Permission::RequestApprovals, "request approvals")?;
        let approval_id =
            crate::ops::server::approvals::file(&mut tx, actor, request, &why, &planned.preview)
                .await?;
        Outcome::PendingApproval { approval_id, preview: planned.preview }
    } else {
        let event_id = apply(&mut tx, key, actor, &why, &planned, None, today).await?;
        Outcome::Applied { event_id, preview: planned.preview }
    };
    tx.commit().await?;
    Ok(outcome)
}

/// Writes a planned change and its activity event inside `tx`; the event's id. The
/// change is refused when it would leave the customer's records in a state an
/// integrity rule reports that was not there before; the findings it clears are
/// resolved by its event.
pub async fn apply(
    tx: &mut Tx,
    key: &LicenseKey,
    actor: &Actor,
    why: &Justification,
    planned: &Planned,
    approval_id: Option<i64>,
    today: NaiveDate,
) -> Result<i64, AppError> {
    let guard = crate::checks::guard::before(tx, planned.preview.customer_id, today).await?;
    for row in &planned.rows {
        row.save(tx).await?;
    }
    if let Some(g) = &planned.grant {
        on_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO add_on_grants (namespace_id, kind, quantity, expires_on, source, created_at)
             VALUES ($1, $2, $3, $4, 'support_grant', $5)"
        )
        .bind(g.namespace_id)
        .bind(g.kind.as_str())
        .bind(g.quantity)
        .bind(g.expires_on)
        .bind(now())
        .execute(c)
        .await
        .map(|r| r.rows_affected())
        })?;
    }
    if let Some(new) = &planned.invoice {
        invoice::write(tx, new, actor.provider()).await?;
    }
    let p = &planned.preview;
    let mut changes = field_changes(&p.changes);
    if let Some(issue) = &planned.extension {
        changes.extend(
            crate::ops::server::extension::issue::write(tx, key, actor, issue, approval_id).await?,
        );
    }
    if let Some(license) = &planned.license {
        changes.extend(
            crate::ops::server::extension::new_license::issue(tx, key, actor, license).await?,
        );
    }
    settle::clear(tx, planned).await?;
    let after = guard.refuse_new(tx).await?;
    let event_id = record(
        tx,
        EventBody {
            actor_id: actor.staff_id(),
            actor_email: actor.user.email.clone(),
            action: p.action,
            target_type: p.target_type,
            target_id: p.target_id,
            customer_id: Some(p.customer_id),
            reason: why.reason.clone(),
            ticket_url: why.ticket_url.clone(),
            changes,
            source: actor.source,
            approval_id,
            requester: why.requester.clone(),
            requester_verdict: why.verdict,
        },
    )
    .await?;
    guard.store(tx, &after, event_id).await?;
    // A change the provider made is the provider's already: nothing to send back.
    let write_through = actor.source != EventSource::Billing;
    for row in planned.rows.iter().filter(|_| write_through) {
        if let RowChange::Subscription(before, after) = row {
            crate::billing::server::outbox::enqueue_subscription(tx, before, after, event_id)
                .await?;
        }
    }
    if let Some(sub) = &planned.send {
        crate::billing::server::outbox::enqueue_terms(tx, sub, event_id).await?;
    }
    settle::stamp(tx, planned, event_id).await?;
    Ok(event_id)
}

/// The event's `{field: [old, new]}`: plain field names when one record changes,
/// `record.field` when several do.
pub fn field_changes(changes: &[Change]) -> FieldChanges {
    let single = changes.windows(2).all(|w| w[0].record == w[1].record);
    changes
        .iter()
        .map(|c| {
            let key = if single { c.field.clone() } else { format!("{}.{}", c.record, c.field) };
            (key, [c.before.clone(), c.after.clone()])
        })
        .collect()
}

/// Server function body: preview for the signed-in caller.
pub async fn preview_for_caller(request: OpRequest) -> Result<Preview, AppError> {
    let caller = caller::require_signed_in()?;
    let state = state::from_context()?;
    preview(&state.db, &Actor::from(&caller), &request, today()).await
}

/// Server function body: run for the signed-in caller.
pub async fn run_for_caller(request: OpRequest) -> Result<Outcome, AppError> {
    let caller = caller::require_signed_in()?;
    let state = state::from_context()?;
    execute(&state.db, &state.config.license_key, &Actor::from(&caller), &request, today()).await
}

/// Server function body: a subscription as it is now, for any signed-in staff member
/// (what an edit refused as stale is shown against).
pub async fn subscription_for_caller(id: i64) -> Result<Subscription, AppError> {
    caller::require(Permission::ViewAll, "view customers")?;
    let state = state::from_context()?;
    let mut tx = state.db.begin_read().await?;
    let subscription = rows::subscription(&mut tx, id).await?;
    tx.rollback().await?;
    Ok(subscription)
}
