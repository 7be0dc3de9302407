//! The reply to a ticket: one plain sentence per change made under it, in the words a
//! customer uses. No staff names, internal ids or reasons: only what changed on their
//! groups and subscriptions and what it is now.
use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::Value;

use crate::when::written;
use crate::{Action, ApprovalStatus, TargetType};

/// Field → `[old, new]`, as an event stores it (`record.field` when it changed several
/// records).
pub type Changes = BTreeMap<String, [Value; 2]>;

/// What a sentence is written from: one recorded change.
#[derive(Debug, Clone, Copy)]
pub struct Done<'a> {
    pub action: Action,
    /// The record's own label: a namespace path, a subscription number.
    pub label: &'a str,
    /// The trial's plan on a namespace, when the change does not say it.
    pub trial_plan: Option<&'a str>,
    pub changes: &'a Changes,
}

/// The sentence telling the customer about `done`; `None` for what they are not told
/// (approvals, refusals, staff changes, flags to sales).
pub fn sentence(done: &Done) -> Option<String> {
    let group = noun(TargetType::Namespace, done.label);
    let sub = noun(TargetType::Subscription, done.label);
    let new = |field: &str| after(done.changes, field);
    let plan = new("trial_plan")
        .and_then(text)
        .or_else(|| done.changes.get("trial_plan").and_then(|[old, _]| text(old)))
        .or(done.trial_plan.map(str::to_string));
    let trial = match &plan {
        Some(p) => format!("The trial of {} on {group}", title(p)),
        None => format!("The trial on {group}"),
    };
    let s = match done.action {
        Action::ExtendTrial => {
            let end = new("trial_ends_on").and_then(date)?;
            match days_between(done.changes, "trial_ends_on") {
                Some(days) => {
                    format!(
                        "{trial} was extended by {}; it now ends on {}.",
                        days_word(days),
                        written(end)
                    )
                }
                None => format!("{trial} was extended; it now ends on {}.", written(end)),
            }
        }
        Action::ReactivateTrial => {
            let end = new("trial_ends_on").and_then(date)?;
            format!("{trial} was reactivated; it now ends on {}.", written(end))
        }
        Action::ChangeTrialPlan => {
            format!("The trial on {group} is now a trial of {}.", title(&plan?))
        }
        Action::EndTrial => format!("{trial} has ended."),
        Action::UpdatePlan => {
            format!(
                "Group {} is now on the {} plan.",
                done.label,
                title(&new("plan").and_then(text)?)
            )
        }
        Action::ReplaceLink => {
            format!("Group {} is now covered by a different subscription.", done.label)
        }
        Action::ClearSubscription => {
            format!("Group {} is no longer linked to a subscription.", done.label)
        }
        Action::ComputeMinutes => {
            let added = ["compute_minutes_extra", "compute_minutes_trial_extra"]
                .iter()
                .filter_map(|f| difference(done.changes, f))
                .sum::<i64>();
            match added {
                0 => return None,
                n if n > 0 => {
                    format!("{} additional compute minutes were added to {group}.", thousands(n))
                }
                n => format!("{} compute minutes were removed from {group}.", thousands(-n)),
            }
        }
        Action::Storage => match difference(done.changes, "storage_extra_mib")? {
            0 => return None,
            n if n > 0 => format!("{} of additional storage was added to {group}.", mib(n)),
            n => format!("{} of additional storage was removed from {group}.", mib(-n)),
        },
        Action::ResetMaxSeats => format!(
            "The highest number of seats used on {group} was reset to {}.",
            new("max_seats_used").and_then(Value::as_i64)?
        ),
        Action::EditSubscription => subscription_edit(done.label, done.changes)?,
        Action::IssueExtension => match new("subscription.end_date").and_then(date) {
            Some(end) => format!(
                "Subscription {} was extended by {}; it now ends on {}.",
                done.label,
                days_word(new("extension.days").and_then(Value::as_i64).unwrap_or_default()),
                written(end)
            ),
            None => format!(
                "A temporary license for {} users was issued for {sub}; it is valid until {}.",
                new("temporary license.users").and_then(Value::as_i64)?,
                written(new("temporary license.expires_on").and_then(date)?)
            ),
        },
        Action::IssueLicense => format!(
            "A license for {} users was issued for {sub}; it is valid until {}.",
            new("users").and_then(Value::as_i64)?,
            written(new("expires_on").and_then(date)?)
        ),
        Action::Undo => format!("An earlier change to {} was reversed.", done.label),
        Action::SendToBilling => {
            format!("Our billing system now holds the terms we have for {sub}.")
        }
        Action::RecordInvoice => {
            format!("Invoice {} is on your account.", new("number").and_then(text)?)
        }
        Action::EditInvoice => {
            let invoice = noun(TargetType::Invoice, done.label);
            match (new("status").and_then(text), new("amount_cents").and_then(Value::as_i64)) {
                (Some(status), _) => format!("{} is now {status}.", title(&invoice)),
                (None, Some(cents)) => {
                    format!("The amount of {invoice} is now {}.{:02}.", cents / 100, cents % 100)
                }
                (None, None) => return None,
            }
        }
        // What the customer is not told: refusals, flags to sales, notes, approvals
        // (their own sentence: [`awaiting`]) and staff changes.
        Action::RefuseExtension
        | Action::FlagToSales
        | Action::AddNote
        | Action::PinNote
        | Action::UnpinNote
        | Action::ResolveNote
        | Action::RequestApproval
        | Action::Approve
        | Action::Reject
        | Action::ExpireApproval
        | Action::CreateStaff
        | Action::ChangeRole
        | Action::ActivateStaff
        | Action::DeactivateStaff
        | Action::UpdateStaff
        | Action::MarkBreakGlass
        | Action::BreakGlassSignIn
        | Action::ChangePassword
        | Action::ResetPassword
        | Action::CreateToken
        | Action::RevokeToken => return None,
    };
    Some(s)
}

/// The sentence for a change still waiting for (or refused) approval; `None` once it
/// ran, as its event then says what was done.
pub fn awaiting(
    action: Action,
    target_type: TargetType,
    label: &str,
    status: ApprovalStatus,
) -> Option<String> {
    let what = format!("{} on {}", action.label().to_lowercase(), noun(target_type, label));
    match status {
        ApprovalStatus::Pending => Some(format!(
            "Your request ({what}) is awaiting approval; we will confirm once it is done."
        )),
        ApprovalStatus::Rejected | ApprovalStatus::Expired => {
            Some(format!("We could not make the requested change ({what})."))
        }
        ApprovalStatus::Approved | ApprovalStatus::Executed => None,
    }
}

/// A record as the customer knows it: `group acme-corp`, `subscription S-000123`.
pub fn noun(target_type: TargetType, label: &str) -> String {
    match target_type {
        TargetType::Namespace => format!("group {label}"),
        TargetType::Subscription => format!("subscription {label}"),
        TargetType::BillingAccount => format!("billing account {label}"),
        TargetType::Invoice => format!("invoice {label}"),
        TargetType::License
        | TargetType::StaffUser
        | TargetType::ApprovalRequest
        | TargetType::Note
        | TargetType::ActivityEvent => label.to_string(),
    }
}

/// The clauses of a subscription edit, one sentence.
fn subscription_edit(number: &str, changes: &Changes) -> Option<String> {
    let mut now = Vec::new();
    for (field, [_, new]) in changes {
        let field = field.rsplit('.').next().unwrap_or(field);
        let clause = match field {
            "seats" => format!("has {} seats", new.as_i64()?),
            "end_date" => format!("ends on {}", written(date(new)?)),
            "start_date" => format!("starts on {}", written(date(new)?)),
            "status" => format!("is {}", text(new)?.replace('_', " ")),
            "product" => format!("is for {}", title(&text(new)?)),
            "auto_renew" if new.as_bool()? => "renews automatically".into(),
            "auto_renew" => "does not renew automatically".into(),
            _ => continue,
        };
        now.push(clause);
    }
    let last = now.pop()?;
    let all = if now.is_empty() { last } else { format!("{} and {last}", now.join(", ")) };
    Some(format!("Subscription {number} was updated; it now {all}."))
}

/// The new value of `field` (plain, or `record.field`).
fn after<'c>(changes: &'c Changes, field: &str) -> Option<&'c Value> {
    changes.get(field).map(|[_, new]| new)
}

/// New minus old of a number field (a missing old counts as 0).
fn difference(changes: &Changes, field: &str) -> Option<i64> {
    let [old, new] = changes.get(field)?;
    Some(new.as_i64()? - old.as_i64().unwrap_or(0))
}

/// Days from the old date of `field` to its new one.
fn days_between(changes: &Changes, field: &str) -> Option<i64> {
    let [old, new] = changes.get(field)?;
    Some((date(new)? - date(old)?).num_days()).filter(|d| *d > 0)
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

fn date(v: &Value) -> Option<NaiveDate> {
    v.as_str().and_then(|s| s.parse::<NaiveDate>().ok())
}

fn days_word(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

/// `ultimate` → `Ultimate`.
fn title(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// `12500` → `12,500`.
fn thousands(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Storage in the largest whole unit: `10 GiB`, `512 MiB`.
fn mib(n: i64) -> String {
    if n.rem_euclid(1024) == 0 {
        format!("{} GiB", thousands(n / 1024))
    } else {
        format!("{} MiB", thousands(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn changes(pairs: &[(&str, Value, Value)]) -> Changes {
        pairs.iter().map(|(k, a, b)| (k.to_string(), [a.clone(), b.clone()])).collect()
    }

    fn say(action: Action, label: &str, plan: Option<&str>, c: &Changes) -> Option<String> {
        sentence(&Done { action, label, trial_plan: plan, changes: c })
    }

    #[test]
    fn a_trial_extension_reads_like_the_issue_says() {
        let c = changes(&[
            ("trial_ends_on", json!("2026-12-06"), json!("2026-12-20")),
            ("trial_extensions_used", json!(0), json!(1)),
        ]);
        assert_eq!(
            say(Action::ExtendTrial, "acme-corp", Some("ultimate"), &c).unwrap(),
            "The trial of Ultimate on group acme-corp was extended by 14 days; it now ends on 20 December 2026."
        );
    }

    #[test]
    fn subscription_edits_name_every_visible_field_and_no_ids() {
        let c = changes(&[
            ("seats", json!(10), json!(15)),
            ("end_date", json!("2026-12-31"), json!("2027-01-31")),
            ("billing_account_id", json!(4), json!(9)),
        ]);
        let s = say(Action::EditSubscription, "S-000123", None, &c).unwrap();
        assert_eq!(
            s,
            "Subscription S-000123 was updated; it now ends on 31 January 2027 and has 15 seats."
        );
        assert!(!s.contains('9'));
    }

    #[test]
    fn minutes_storage_and_extensions() {
        let m = changes(&[("compute_minutes_extra", json!(0), json!(2500))]);
        assert_eq!(
            say(Action::ComputeMinutes, "g", None, &m).unwrap(),
            "2,500 additional compute minutes were added to group g."
        );
        let s = changes(&[("storage_extra_mib", json!(1024), json!(11264))]);
        assert_eq!(
            say(Action::Storage, "g", None, &s).unwrap(),
            "10 GiB of additional storage was added to group g."
        );
        let e = changes(&[
            ("extension.days", Value::Null, json!(30)),
            ("subscription.end_date", json!("2026-12-01"), json!("2026-12-31")),
        ]);
        assert_eq!(
            say(Action::IssueExtension, "S-1", None, &e).unwrap(),
            "Subscription S-1 was extended by 30 days; it now ends on 31 December 2026."
        );
    }

    #[test]
    fn internal_actions_are_not_told() {
        let none = Changes::new();
        for action in [
            Action::RequestApproval,
            Action::CreateStaff,
            Action::FlagToSales,
            Action::RefuseExtension,
        ] {
            assert_eq!(say(action, "x", None, &none), None, "{action}");
        }
    }

    #[test]
    fn approvals_waiting_or_refused() {
        let s =
            awaiting(Action::ExtendTrial, TargetType::Namespace, "acme", ApprovalStatus::Pending)
                .unwrap();
        assert!(s.contains("extend trial on group acme"), "{s}");
        assert!(awaiting(
            Action::ExtendTrial,
            TargetType::Namespace,
            "g",
            ApprovalStatus::Executed
        )
        .is_none());
        assert!(awaiting(
            Action::ExtendTrial,
            TargetType::Namespace,
            "g",
            ApprovalStatus::Rejected
        )
        .is_some());
    }
}
