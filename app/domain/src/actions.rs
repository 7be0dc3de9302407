//! Every action the console records, with the words the timeline uses for it. Each
//! question asked of an action is an exhaustive match: a new action does not compile
//! until it has a label, says whether it changes commercial state, and has an undo
//! rule ([`crate::undo_policy`]) and a reply sentence ([`crate::reply::sentence`]).
use crate::string_enum;

string_enum!(
    /// What an activity event records.
    Action {
        EditSubscription => "subscription.edit",
        UpdatePlan => "namespace.update_plan",
        ReplaceLink => "namespace.replace_link",
        ClearSubscription => "namespace.clear_subscription",
        ExtendTrial => "trial.extend",
        ReactivateTrial => "trial.reactivate",
        ChangeTrialPlan => "trial.change_plan",
        EndTrial => "trial.end",
        ComputeMinutes => "namespace.compute_minutes",
        Storage => "namespace.storage",
        ResetMaxSeats => "namespace.reset_max_seats",
        IssueExtension => "extension.issue",
        RefuseExtension => "extension.refuse",
        IssueLicense => "license.issue",
        SendToBilling => "subscription.send_to_billing",
        EditInvoice => "invoice.edit",
        RecordInvoice => "invoice.record",
        FlagToSales => "integrity.flag_sales",
        Undo => "undo",
        AddNote => "note.add",
        PinNote => "note.pin",
        UnpinNote => "note.unpin",
        ResolveNote => "note.resolve",
        RequestApproval => "approval.request",
        Approve => "approval.approve",
        Reject => "approval.reject",
        ExpireApproval => "approval.expire",
        CreateStaff => "staff.create",
        ChangeRole => "staff.role_change",
        ActivateStaff => "staff.activate",
        DeactivateStaff => "staff.deactivate",
        UpdateStaff => "staff.update",
        MarkBreakGlass => "staff.break_glass",
        BreakGlassSignIn => "staff.break_glass_sign_in",
        ChangePassword => "staff.password_change",
        ResetPassword => "staff.password_reset",
        CreateToken => "token.create",
        RevokeToken => "token.revoke",
    }
);

impl Action {
    /// How the timeline names it.
    pub fn label(self) -> &'static str {
        use Action::*;
        match self {
            EditSubscription => "Edit subscription",
            UpdatePlan => "Update plan",
            ReplaceLink => "Replace subscription link",
            ClearSubscription => "Clear subscription",
            ExtendTrial => "Extend trial",
            ReactivateTrial => "Reactivate trial",
            ChangeTrialPlan => "Change trial plan",
            EndTrial => "End trial",
            ComputeMinutes => "Compute minutes",
            Storage => "Storage",
            ResetMaxSeats => "Reset max seats used",
            IssueExtension => "Temporary extension",
            RefuseExtension => "Temporary extension refused",
            IssueLicense => "Issue license",
            SendToBilling => "Send to the billing system",
            EditInvoice => "Edit invoice",
            RecordInvoice => "Invoice recorded",
            FlagToSales => "Seat overage flagged to sales",
            Undo => "Undo",
            AddNote => "Note added",
            PinNote => "Note pinned",
            UnpinNote => "Note unpinned",
            ResolveNote => "Note resolved",
            RequestApproval => "Approval requested",
            Approve => "Approval granted",
            Reject => "Approval rejected",
            ExpireApproval => "Approval expired",
            CreateStaff => "Staff member added",
            ChangeRole => "Staff role changed",
            ActivateStaff => "Staff member reactivated",
            DeactivateStaff => "Staff member deactivated",
            UpdateStaff => "Staff details changed",
            MarkBreakGlass => "Break-glass access changed",
            BreakGlassSignIn => "Break-glass sign-in",
            ChangePassword => "Password changed",
            ResetPassword => "Password reset by an admin",
            CreateToken => "API token created",
            RevokeToken => "API token revoked",
        }
    }

    /// Whether it changes a customer's commercial state (what "repeat interventions"
    /// count): not approvals, refusals, notes, flags or staff changes.
    pub fn changes_commercial_state(self) -> bool {
        use Action::*;
        match self {
            EditSubscription | UpdatePlan | ReplaceLink | ClearSubscription | ExtendTrial
            | ReactivateTrial | ChangeTrialPlan | EndTrial | ComputeMinutes | Storage
            | ResetMaxSeats | IssueExtension | IssueLicense | SendToBilling | EditInvoice
            | RecordInvoice | Undo => true,
            RefuseExtension | FlagToSales | AddNote | PinNote | UnpinNote | ResolveNote
            | RequestApproval | Approve | Reject | ExpireApproval | CreateStaff | ChangeRole
            | ActivateStaff | DeactivateStaff | UpdateStaff | MarkBreakGlass | BreakGlassSignIn
            | ChangePassword | ResetPassword | CreateToken | RevokeToken => false,
        }
    }

    /// The actions that change commercial state.
    pub fn commercial() -> impl Iterator<Item = Action> {
        Action::ALL.iter().copied().filter(|a| a.changes_commercial_state())
    }
}

/// The label of a stored action's text ("Change" for one this version does not know).
pub fn action_label(action: &str) -> &'static str {
    Action::parse(action).map_or("Change", Action::label)
}
