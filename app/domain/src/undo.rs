//! Undo as the change it makes. Reverting an event is a new change to the same record,
//! so it needs what making that change directly needs: the permission for exactly the
//! fields it sets back, the same rules, and a lead's approval where a direct change of
//! that kind would need one. The browser offers "Undo" by these rules; the server
//! enforces them.
use std::collections::BTreeMap;

use serde_json::Value;

use crate::{Action, Operation, Permission, Role};

/// What undoing a change of one action is, as a direct change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UndoPolicy {
    /// The permission the direct change needs.
    pub permission: Permission,
    /// Completes "may not …" in a refusal.
    pub what: &'static str,
    /// Why undoing always needs a lead's approval, when it does.
    pub approval: Option<&'static str>,
}

const fn policy(permission: Permission, what: &'static str) -> Option<UndoPolicy> {
    Some(UndoPolicy { permission, what, approval: None })
}

/// How a change of `action` is undone; `None` when it cannot be. A subscription edit is
/// undone as the edit that sets its fields back ([`subscription_undo`]), so the fields
/// it changes decide the permission, as they do for a direct edit.
pub fn undo_policy(action: Action) -> Option<UndoPolicy> {
    use Action::*;
    use Permission::{EditSeatsAndDates, Grants, NamespaceControls, SeatWaivers, TrialControls};
    match action {
        EditSubscription => policy(EditSeatsAndDates, "edit subscriptions"),
        UpdatePlan => policy(NamespaceControls, "change a namespace's plan"),
        ClearSubscription => Some(UndoPolicy {
            permission: NamespaceControls,
            what: "link subscriptions to namespaces",
            approval: Some(
                "Undoing this links the subscription to the namespace again; linking one needs a lead's approval, as replacing a link does.",
            ),
        }),
        // Shortening, ending or restarting a trial is a trial control, not an extension.
        ExtendTrial | ReactivateTrial | ChangeTrialPlan | EndTrial => {
            policy(TrialControls, "use trial controls")
        }
        ComputeMinutes | Storage => policy(Grants, "grant compute minutes or storage"),
        ResetMaxSeats => policy(SeatWaivers, "reset max seats used"),
        // A link replaced elsewhere, a license or a temporary extension handed to a
        // customer, an invoice (settled or voided: a new one corrects it), and everything that is not a change to commercial state.
        ReplaceLink | IssueExtension | RefuseExtension | IssueLicense | SendToBilling | EditInvoice
        | RecordInvoice        | FlagToSales | Undo
        | AddNote | PinNote | UnpinNote | ResolveNote | RequestApproval | Approve | Reject
        | ExpireApproval | CreateStaff | ChangeRole | ActivateStaff | DeactivateStaff
        | UpdateStaff | MarkBreakGlass | BreakGlassSignIn | ChangePassword | ResetPassword | CreateToken | RevokeToken => None,
    }
}

/// The inline edit that sets a subscription's changed fields back to their old values
/// (`changes` as the event recorded them: `{field: [old, new]}`), based on `version`.
/// An event whose old values no edit can set cannot be undone.
pub fn subscription_undo(
    subscription_id: i64,
    version: i64,
    changes: &BTreeMap<String, [Value; 2]>,
) -> Result<Operation, String> {
    let mut seats = None;
    let mut end_date = None;
    let mut auto_renew = None;
    let mut status = None;
    for (field, [old, _]) in changes {
        let unreadable = || format!("The old {field} ({old}) cannot be set back.");
        match field.as_str() {
            "seats" => seats = Some(old.as_i64().ok_or_else(unreadable)?),
            "end_date" => {
                end_date = Some(old.as_str().and_then(|d| d.parse().ok()).ok_or_else(unreadable)?)
            }
            "auto_renew" => auto_renew = Some(old.as_bool().ok_or_else(unreadable)?),
            "status" => status = Some(old.as_str().ok_or_else(unreadable)?.to_string()),
            "version" => {}
            _ => return Err(format!("An edit cannot set {field}.")),
        }
    }
    Ok(Operation::EditSubscription {
        subscription_id,
        version,
        seats,
        end_date,
        auto_renew,
        status,
    })
}

/// Whether `role` may undo an event of `action` that made `changes` (what the browser
/// offers; the server checks the same and the records' current state).
pub fn may_undo(role: Role, action: Action, changes: &BTreeMap<String, [Value; 2]>) -> bool {
    let Some(policy) = undo_policy(action) else { return false };
    if !role.can(policy.permission) {
        return false;
    }
    if action != Action::EditSubscription {
        return true;
    }
    match subscription_undo(0, 0, changes) {
        Ok(op) => {
            role.can(op.permission())
                && op.extra_permission().is_none_or(|(permission, _)| role.can(permission))
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn changes(pairs: &[(&str, Value, Value)]) -> BTreeMap<String, [Value; 2]> {
        pairs.iter().map(|(f, o, n)| (f.to_string(), [o.clone(), n.clone()])).collect()
    }

    #[test]
    fn only_changes_to_commercial_state_are_undone() {
        for action in Action::ALL {
            if undo_policy(*action).is_some() {
                assert!(action.changes_commercial_state(), "{action}");
            }
        }
    }

    #[test]
    fn undoing_an_edit_needs_what_the_edit_needs() {
        let renew = changes(&[("auto_renew", json!(true), json!(false))]);
        let seats = changes(&[("seats", json!(10), json!(12))]);
        assert!(!may_undo(Role::Billing, Action::EditSubscription, &renew));
        assert!(may_undo(Role::Billing, Action::EditSubscription, &seats));
        assert!(may_undo(Role::Support, Action::EditSubscription, &renew));
        assert!(!may_undo(Role::Sales, Action::EditSubscription, &seats));
        let op = subscription_undo(7, 3, &renew).unwrap();
        assert_eq!(
            op,
            Operation::EditSubscription {
                subscription_id: 7,
                version: 3,
                seats: None,
                end_date: None,
                auto_renew: Some(true),
                status: None
            }
        );
        assert!(subscription_undo(7, 3, &changes(&[("number", json!("a"), json!("b"))])).is_err());
    }

    #[test]
    fn shortening_a_trial_is_a_trial_control() {
        let none = BTreeMap::new();
        assert!(!may_undo(Role::Sales, Action::ExtendTrial, &none));
        assert!(may_undo(Role::Support, Action::ExtendTrial, &none));
        assert!(!may_undo(Role::Support, Action::ResetMaxSeats, &none));
        assert!(undo_policy(Action::ClearSubscription).unwrap().approval.is_some());
        assert!(!may_undo(Role::Lead, Action::IssueExtension, &none));
    }
}
