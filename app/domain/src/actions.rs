//! Every action the console records, with the words the timeline uses for it.

/// `(action, label)` for each action written to the timeline.
pub const ACTIONS: &[(&str, &str)] = &[
    ("subscription.edit", "Edit subscription"),
    ("namespace.update_plan", "Update plan"),
    ("namespace.replace_link", "Replace subscription link"),
    ("namespace.clear_subscription", "Clear subscription"),
    ("trial.extend", "Extend trial"),
    ("trial.reactivate", "Reactivate trial"),
    ("trial.change_plan", "Change trial plan"),
    ("trial.end", "End trial"),
    ("namespace.compute_minutes", "Compute minutes"),
    ("namespace.storage", "Storage"),
    ("namespace.reset_max_seats", "Reset max seats used"),
    ("extension.issue", "Temporary extension"),
    ("extension.refuse", "Temporary extension refused"),
    ("license.issue", "Issue license"),
    ("integrity.flag_sales", "Seat overage flagged to sales"),
    ("undo", "Undo"),
    ("note.add", "Note added"),
    ("note.pin", "Note pinned"),
    ("note.unpin", "Note unpinned"),
    ("note.resolve", "Note resolved"),
    ("approval.request", "Approval requested"),
    ("approval.approve", "Approval granted"),
    ("approval.reject", "Approval rejected"),
    ("approval.expire", "Approval expired"),
    ("staff.create", "Staff member added"),
    ("staff.role_change", "Staff role changed"),
    ("staff.activate", "Staff member reactivated"),
    ("staff.deactivate", "Staff member deactivated"),
    ("staff.password_change", "Password changed"),
    ("staff.password_reset", "Password reset by an admin"),
    ("token.create", "API token created"),
    ("token.revoke", "API token revoked"),
];

/// The label of `action` ("Change" for one this version does not know).
pub fn action_label(action: &str) -> &'static str {
    ACTIONS.iter().find(|(a, _)| *a == action).map(|(_, label)| *label).unwrap_or("Change")
}

/// Actions that change a customer's commercial state (what "repeat interventions"
/// count): not approvals, notes, flags or staff changes.
pub const CHANGE_ACTIONS: &[&str] = &[
    "subscription.edit",
    "namespace.update_plan",
    "namespace.replace_link",
    "namespace.clear_subscription",
    "trial.extend",
    "trial.reactivate",
    "trial.change_plan",
    "trial.end",
    "namespace.compute_minutes",
    "namespace.storage",
    "namespace.reset_max_seats",
    "extension.issue",
    "license.issue",
    "undo",
];
