//! Planning: what an operation would change, computed from the current records inside
//! the transaction that will write it.
use chrono::NaiveDate;

use super::rows::RowChange;
use super::{invoice, license, namespace, send_to_billing, subscription, trial, undo};
use crate::auth::CurrentUser;
use crate::domain::{AddOnKind, Change, Operation, Preview, TargetType};
use crate::store::Tx;
use crate::AppError;

/// An add-on grant written with a minutes or storage change.
#[derive(Debug, Clone)]
pub struct Grant {
    pub namespace_id: i64,
    pub kind: AddOnKind,
    pub quantity: i64,
    pub expires_on: Option<NaiveDate>,
}

/// An operation worked out against the current records.
#[derive(Debug, Clone)]
pub struct Planned {
    pub preview: Preview,
    pub rows: Vec<RowChange>,
    pub grant: Option<Grant>,
    /// A temporary extension to issue with the row changes.
    pub extension: Option<crate::ops::server::extension::Issue>,
    /// A license to issue.
    pub license: Option<crate::ops::server::extension::new_license::NewLicense>,
    /// A subscription whose terms are sent to the billing system as they are.
    pub send: Option<crate::domain::Subscription>,
    /// The billing drift the change settles ([`crate::ops::server::settle`]).
    pub settles: Option<i64>,
    /// An invoice to record.
    pub invoice: Option<crate::ops::server::invoice::NewInvoice>,
    /// Why only the billing system may make this change (it owns the record), when so:
    /// the request's field naming the record, and the reason.
    pub held_by_provider: Option<(&'static str, String)>,
}

impl Planned {
    /// A plan that changes `rows` of the record `target`; refuses a plan that changes nothing.
    pub fn new(
        op: &Operation,
        target: (TargetType, i64, i64),
        rows: Vec<RowChange>,
        approval: Option<String>,
    ) -> Result<Planned, AppError> {
        let changes: Vec<_> = rows.iter().flat_map(RowChange::changes).collect();
        if changes.is_empty() {
            return Err(AppError::rule(
                "Nothing would change: the record already has these values.",
            ));
        }
        Ok(Planned { rows, ..Planned::issuing(op, target, changes, approval) })
    }

    /// A plan whose `changes` are written by what it issues (a license, an extension)
    /// rather than by row changes; set those on the result.
    pub fn issuing(
        op: &Operation,
        target: (TargetType, i64, i64),
        changes: Vec<Change>,
        approval: Option<String>,
    ) -> Planned {
        let (target_type, target_id, customer_id) = target;
        Planned {
            preview: Preview {
                action: op.action(),
                title: op.title().into(),
                target_type,
                target_id,
                customer_id,
                changes,
                approval,
            },
            rows: Vec::new(),
            grant: None,
            extension: None,
            license: None,
            send: None,
            settles: None,
            invoice: None,
            held_by_provider: None,
        }
    }
}

/// Works out `op` for `user` on `today`. State and policy rules are checked here.
pub async fn plan(
    tx: &mut Tx,
    user: &CurrentUser,
    op: &Operation,
    today: NaiveDate,
) -> Result<Planned, AppError> {
    plan_asked(tx, user, op, today, today).await
}

/// [`plan`] for a change asked for on `asked_on` (an approved request runs after the
/// day it was filed): what counts from the asking day (a temporary extension's dates
/// and eligibility window) counts from it. The server decides both days.
pub async fn plan_asked(
    tx: &mut Tx,
    user: &CurrentUser,
    op: &Operation,
    today: NaiveDate,
    asked_on: NaiveDate,
) -> Result<Planned, AppError> {
    match op {
        Operation::EditSubscription { .. } => subscription::edit(tx, op, today).await,
        Operation::UpdatePlan { .. }
        | Operation::ReplaceLink { .. }
        | Operation::ClearSubscription { .. }
        | Operation::ComputeMinutes { .. }
        | Operation::Storage { .. }
        | Operation::ResetMaxSeats { .. } => namespace::plan(tx, op, today).await,
        Operation::ExtendTrial { .. }
        | Operation::ReactivateTrial { .. }
        | Operation::ChangeTrialPlan { .. }
        | Operation::EndTrial { .. } => trial::plan(tx, op, today).await,
        Operation::TemporaryExtension { .. } => {
            crate::ops::server::extension::issue::plan(tx, op, asked_on).await
        }
        Operation::IssueLicense { .. } => license::plan(tx, op, today).await,
        Operation::SendToBilling { .. } => send_to_billing::plan(tx, user, op).await,
        Operation::EditInvoice { .. } => invoice::edit(tx, user, op).await,
        Operation::RecordInvoice { .. } => invoice::record(tx, user, op).await,
        Operation::Undo { event_id } => undo::plan(tx, user, *event_id, today).await,
    }
}
