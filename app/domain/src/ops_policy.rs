//! The rules of each operation that do not need the database: field bounds, allowed
//! status transitions, approval thresholds. The browser runs them as the user types;
//! the server runs them again before planning, so both give the same message.
use chrono::NaiveDate;

use super::{OpRequest, Operation};
use crate::{validate, AppError, FieldErrors};
use crate::{Namespace, Permission, Plan, Role, SubscriptionStatus, Verdict};

use crate::validate::{MAX_SEATS, MIN_SEATS};
/// Days one trial extension may add.
pub const MAX_TRIAL_EXTENSION_DAYS: i64 = 30;
/// A standard trial's length, in days.
pub const TRIAL_DAYS: i64 = 30;
/// Extensions that go through without approval.
pub const FREE_TRIAL_EXTENSIONS: i64 = 2;
/// Extra days, over a standard trial, that go through without approval.
pub const FREE_TRIAL_EXTRA_DAYS: i64 = 60;
/// Seats a max-seats reset may waive without approval.
pub const FREE_SEAT_WAIVER: i64 = 10;
/// Largest compute-minutes delta in one grant.
pub const MAX_MINUTES_DELTA: i64 = 1_000_000;
/// Largest storage delta in one grant (10 TiB), in MiB.
pub const MAX_STORAGE_DELTA_MIB: i64 = 10 * 1024 * 1024;
/// How long an approval request waits before it expires.
pub const APPROVAL_TTL_HOURS: i64 = 72;

/// Seats on a subscription.
pub fn seats(value: i64) -> Result<i64, String> {
    if (MIN_SEATS..=MAX_SEATS).contains(&value) {
        Ok(value)
    } else {
        Err(format!("Seats must be between {MIN_SEATS} and 100 000."))
    }
}

/// A subscription's end date: after its start.
pub fn end_date(start: NaiveDate, end: NaiveDate) -> Result<NaiveDate, String> {
    let end = validate::sane_date(end, "End date")?;
    if end > start {
        Ok(end)
    } else {
        Err(format!("End date must be after the start date ({start})."))
    }
}

/// Parses a subscription status.
pub fn status(raw: &str) -> Result<SubscriptionStatus, String> {
    SubscriptionStatus::parse(raw.trim())
        .ok_or_else(|| "Status must be active, expired or cancelled.".to_string())
}

/// The status changes an edit may make: an active subscription can expire or be
/// cancelled, an expired one can be reinstated; a cancellation is final.
pub fn status_transition(from: SubscriptionStatus, to: SubscriptionStatus) -> Result<(), String> {
    use SubscriptionStatus::*;
    match (from, to) {
        (a, b) if a == b => Ok(()),
        (Active, Expired) | (Active, Cancelled) | (Expired, Active) => Ok(()),
        (Cancelled, _) => Err("A cancelled subscription cannot change status.".into()),
        (a, b) => Err(format!("Status cannot change from {a} to {b}.")),
    }
}

/// An active subscription must not have ended.
pub fn active_until(
    status: SubscriptionStatus,
    end: NaiveDate,
    today: NaiveDate,
) -> Result<(), String> {
    if status == SubscriptionStatus::Active && end < today {
        Err(format!("An active subscription must end today or later (it ends {end})."))
    } else {
        Ok(())
    }
}

/// Days added to a trial by one extension.
pub fn trial_days(days: i64) -> Result<i64, String> {
    if (1..=MAX_TRIAL_EXTENSION_DAYS).contains(&days) {
        Ok(days)
    } else {
        Err(format!("Days must be between 1 and {MAX_TRIAL_EXTENSION_DAYS}."))
    }
}

/// A trial's plan: a paid plan.
pub fn trial_plan(raw: &str) -> Result<Plan, String> {
    match Plan::parse(raw.trim()) {
        Some(p) if p != Plan::Free => Ok(p),
        _ => Err("Trial plan must be premium or ultimate.".into()),
    }
}

/// Kinds of compute minutes a grant adds.
pub fn minutes_kind(raw: &str) -> Result<&'static str, String> {
    match raw.trim() {
        "permanent" => Ok("permanent"),
        "trial_only" => Ok("trial_only"),
        _ => Err("Kind must be permanent or trial_only.".into()),
    }
}

/// A compute-minutes delta: non-zero, bounded.
pub fn minutes_delta(delta: i64) -> Result<i64, String> {
    if delta == 0 {
        Err("Enter the minutes to add (or a negative number to take back).".into())
    } else if delta.abs() > MAX_MINUTES_DELTA {
        Err("At most 1 000 000 minutes in one change.".into())
    } else {
        Ok(delta)
    }
}

/// A storage delta in MiB: non-zero, bounded.
pub fn storage_delta(delta: i64) -> Result<i64, String> {
    if delta == 0 {
        Err("Enter the MiB to add (or a negative number to take back).".into())
    } else if delta.abs() > MAX_STORAGE_DELTA_MIB {
        Err("At most 10 TiB (10 485 760 MiB) in one change.".into())
    } else {
        Ok(delta)
    }
}

/// A note on an approval decision (required to reject).
pub fn decision_note(raw: &str, required: bool) -> Result<String, String> {
    let value = raw.trim();
    if required && value.chars().count() < 3 {
        return Err("Say why (at least 3 characters).".into());
    }
    if value.chars().count() > 2000 {
        return Err("Note must be at most 2000 characters.".into());
    }
    Ok(value.to_string())
}

/// Why extending a trial by `days` needs approval, if it does: beyond the free number
/// of extensions, or beyond the free extra days. What it counts (`extensions_used`,
/// `extra_days` already added) spans every run of the namespace's trials, so a
/// reactivation never starts the count again.
pub fn trial_extension_approval(
    extensions_used: i64,
    extra_days: i64,
    days: i64,
) -> Option<String> {
    let extra = extra_days + days;
    if extensions_used + 1 > FREE_TRIAL_EXTENSIONS {
        Some(format!("This would be extension {} of this namespace's trials; more than {FREE_TRIAL_EXTENSIONS} need a lead's approval.", extensions_used + 1))
    } else if extra > FREE_TRIAL_EXTRA_DAYS {
        Some(format!("This brings the trial to {extra} extra days; more than {FREE_TRIAL_EXTRA_DAYS} need a lead's approval."))
    } else {
        None
    }
}

/// Why reactivating `ns`'s trial needs approval, if it does: a trial that was already
/// reactivated or extended needs a lead's approval to run again.
pub fn trial_reactivation_approval(ns: &Namespace) -> Option<String> {
    if ns.trial_reactivations > 0 {
        Some(format!(
            "This trial was reactivated before ({} times); another run needs a lead's approval.",
            ns.trial_reactivations
        ))
    } else if ns.trial_extensions_used > 0 {
        Some(format!(
            "This trial was extended before ({} times); reactivating it needs a lead's approval.",
            ns.trial_extensions_used
        ))
    } else {
        None
    }
}

/// Why sending the console's value of `field` to the billing system needs a lead's
/// approval, if it does: when it changes what the customer pays (seats, the term's end,
/// whether it bills) and the sender is not a lead or admin.
pub fn send_to_billing_approval(role: Role, field: crate::drift::BillingField) -> Option<String> {
    use crate::drift::BillingField::*;
    let pays = matches!(field, Seats | EndDate | Status);
    (pays && !matches!(role, Role::Lead | Role::Admin)).then(|| {
        format!(
            "Sending the console's {} to the billing system changes what the customer pays: a lead approves it.",
            field.label().to_lowercase()
        )
    })
}

/// An invoice's status.
pub fn invoice_status(raw: &str) -> Result<crate::InvoiceStatus, String> {
    crate::InvoiceStatus::parse(raw.trim())
        .ok_or_else(|| "Status must be paid, open, overdue or void.".to_string())
}

/// An invoice's number: 1 to 40 letters, digits and `-_/`.
pub fn invoice_number(raw: &str) -> Result<&str, String> {
    let ok = |c: char| c.is_ascii_alphanumeric() || "-_/".contains(c);
    if (1..=40).contains(&raw.len()) && raw.chars().all(ok) {
        Ok(raw)
    } else {
        Err("An invoice number is 1 to 40 letters, digits, dashes, underscores or slashes.".into())
    }
}

/// The currencies invoices are issued in.
pub const INVOICE_CURRENCIES: [&str; 6] = ["USD", "EUR", "GBP", "JPY", "AUD", "CAD"];

/// An invoice's currency, as an upper-case code.
pub fn invoice_currency(raw: &str) -> Result<&str, String> {
    INVOICE_CURRENCIES
        .into_iter()
        .find(|c| *c == raw)
        .ok_or_else(|| format!("The currency is one of {}.", INVOICE_CURRENCIES.join(", ")))
}

/// An invoice's amount, in cents.
pub fn invoice_amount(cents: i64) -> Result<i64, String> {
    if (0..=100_000_000_000).contains(&cents) {
        Ok(cents)
    } else {
        Err("The amount is a whole number of cents from 0 to 1 000 000 000.00.".into())
    }
}

/// Why an invoice edit needs a lead's approval, if it does: a changed amount or a
/// voided invoice changes what the customer owes, unless a lead or admin makes it.
pub fn invoice_edit_approval(role: Role, amount_changes: bool, voids: bool) -> Option<String> {
    let owed = amount_changes || voids;
    (owed && !matches!(role, Role::Lead | Role::Admin)).then(|| {
        "Changing an invoice's amount or voiding it changes what the customer owes: a lead approves it."
            .to_string()
    })
}

/// Why resetting max seats needs approval, if it does.
pub fn seat_waiver_approval(waived: i64) -> Option<String> {
    (waived > FREE_SEAT_WAIVER).then(|| {
        format!("This waives {waived} seats; more than {FREE_SEAT_WAIVER} need a lead's approval.")
    })
}

/// The reason, ticket and requester of a request, cleaned; `verdict` is what the server
/// found the requester to be (set when the change is planned, never by the client).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Justification {
    pub reason: String,
    pub ticket_url: Option<String>,
    pub requester: Option<String>,
    pub verdict: Option<Verdict>,
}

impl Justification {
    /// Checks a reason, a ticket URL and the requester's email; support staff must give
    /// both a ticket and a requester. Errors by field.
    pub fn check(
        reason: &str,
        ticket_url: Option<&str>,
        requester: Option<&str>,
        role: Role,
    ) -> Result<Justification, FieldErrors> {
        let mut errors = FieldErrors::new();
        let requester = validate::requester(requester.unwrap_or(""))
            .map_err(|e| errors.insert("requester".into(), e))
            .ok()
            .flatten();
        if role == Role::Support && requester.is_none() && !errors.contains_key("requester") {
            errors.insert(
                "requester".into(),
                "Support changes need the email of the person who asked.".into(),
            );
        }
        match Justification::proactive(reason, ticket_url, role) {
            Ok(why) if errors.is_empty() => Ok(Justification { requester, verdict: None, ..why }),
            Ok(_) => Err(errors),
            Err(more) => {
                errors.extend(more);
                Err(errors)
            }
        }
    }

    /// Checks the reason and ticket of a change nobody asked for (an integrity fix):
    /// no requester, recorded as `proactive`.
    pub fn proactive(
        reason: &str,
        ticket_url: Option<&str>,
        role: Role,
    ) -> Result<Justification, FieldErrors> {
        let mut errors = FieldErrors::new();
        let reason = validate::reason(reason).map_err(|e| errors.insert("reason".into(), e)).ok();
        let ticket = validate::ticket_url(ticket_url.unwrap_or(""))
            .map_err(|e| errors.insert("ticket_url".into(), e))
            .ok()
            .flatten();
        if role == Role::Support && ticket.is_none() && !errors.contains_key("ticket_url") {
            errors.insert("ticket_url".into(), "Support changes need the ticket URL.".into());
        }
        if errors.is_empty() {
            Ok(Justification {
                reason: reason.unwrap_or_default(),
                ticket_url: ticket,
                requester: None,
                verdict: Some(Verdict::Proactive),
            })
        } else {
            Err(errors)
        }
    }
}

impl OpRequest {
    /// Checks everything that needs no database: the fields, the reason and (for
    /// support staff) the ticket URL and requester. Errors name their fields.
    pub fn validate(&self, role: Role) -> Result<Justification, AppError> {
        let mut errors = self.op.field_errors();
        let why = if self.finding_id.is_some() {
            Justification::proactive(&self.reason, self.ticket_url.as_deref(), role)
        } else {
            Justification::check(
                &self.reason,
                self.ticket_url.as_deref(),
                self.requester.as_deref(),
                role,
            )
        };
        if let Err(more) = &why {
            errors.extend(more.clone());
        }
        match AppError::from_fields(errors) {
            Some(e) => Err(e),
            // No field errors means the justification passed.
            None => Ok(why.unwrap_or_default()),
        }
    }
}

impl Operation {
    /// Field errors of the parameters alone.
    pub fn field_errors(&self) -> FieldErrors {
        let mut e = FieldErrors::new();
        let mut check = |field: &str, r: Result<(), String>| {
            if let Err(m) = r {
                e.insert(field.into(), m);
            }
        };
        match self {
            Operation::EditSubscription { seats: s, status: st, auto_renew, end_date, .. } => {
                if let Some(v) = s {
                    check("seats", seats(*v).map(drop));
                }
                if let Some(v) = st {
                    check("status", status(v).map(drop));
                }
                if s.is_none() && st.is_none() && auto_renew.is_none() && end_date.is_none() {
                    check(
                        "seats",
                        Err("Change at least one of seats, end date, auto-renew or status.".into()),
                    );
                }
            }
            Operation::ExtendTrial { days, .. } => check("days", trial_days(*days).map(drop)),
            Operation::RecordInvoice {
                number,
                amount_cents,
                currency,
                status,
                issued_on,
                due_on,
                ..
            } => {
                check("number", invoice_number(number).map(drop));
                check("amount_cents", invoice_amount(*amount_cents).map(drop));
                check("currency", invoice_currency(currency).map(drop));
                check("status", invoice_status(status).map(drop));
                check("issued_on", validate::sane_date(*issued_on, "The issue date").map(drop));
                check("due_on", validate::sane_date(*due_on, "The due date").map(drop));
                if due_on < issued_on {
                    check(
                        "due_on",
                        Err("An invoice is due on or after the day it is issued.".into()),
                    );
                }
            }
            Operation::EditInvoice { status, amount_cents, .. } => {
                if let Some(v) = status {
                    check("status", invoice_status(v).map(drop));
                }
                if let Some(v) = amount_cents {
                    check("amount_cents", invoice_amount(*v).map(drop));
                }
                if status.is_none() && amount_cents.is_none() {
                    check("status", Err("Change the status, the amount or both.".into()));
                }
            }
            Operation::SendToBilling { field, .. } if !field.provider_owned() => check(
                "field",
                Err("Only seats, end date, auto-renew and status are sent to the billing system."
                    .into()),
            ),
            Operation::ReactivateTrial { plan: Some(p), .. } => {
                check("plan", trial_plan(p).map(drop))
            }
            Operation::ChangeTrialPlan { plan, .. } => check("plan", trial_plan(plan).map(drop)),
            Operation::ComputeMinutes { delta, kind, .. } => {
                check("delta", minutes_delta(*delta).map(drop));
                check("kind", minutes_kind(kind).map(drop));
            }
            Operation::Storage { delta_mib, .. } => {
                check("delta_mib", storage_delta(*delta_mib).map(drop))
            }
            Operation::TemporaryExtension { days, users_count, opportunity_id, .. } => {
                e.extend(crate::extension_policy::field_errors(
                    *days,
                    *users_count,
                    opportunity_id,
                ));
            }
            _ => {}
        }
        e
    }

    /// Extra permission some edits need beyond [`Operation::permission`]: only roles
    /// that edit subscriptions fully may change auto-renew or status.
    pub fn extra_permission(&self) -> Option<(Permission, &'static str)> {
        match self {
            Operation::EditSubscription { auto_renew, status, .. }
                if auto_renew.is_some() || status.is_some() =>
            {
                Some((
                    Permission::EditSubscriptions,
                    "change a subscription's auto-renew or status",
                ))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SubscriptionStatus::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn seats_and_dates_have_bounds() {
        assert!(seats(0).is_err() && seats(100_001).is_err());
        assert_eq!(seats(1), Ok(1));
        assert_eq!(seats(100_000), Ok(100_000));
        assert!(end_date(d("2026-01-01"), d("2026-01-01")).is_err());
        assert!(end_date(d("2026-01-01"), d("2026-01-02")).is_ok());
    }

    #[test]
    fn only_allowed_status_transitions() {
        assert!(status_transition(Active, Cancelled).is_ok());
        assert!(status_transition(Active, Expired).is_ok());
        assert!(status_transition(Expired, Active).is_ok());
        assert!(status_transition(Cancelled, Active).is_err());
        assert!(status_transition(Expired, Cancelled).is_err());
        assert!(status("paused").is_err());
    }

    #[test]
    fn approval_thresholds() {
        assert!(trial_extension_approval(0, 0, 15).is_none());
        assert!(trial_extension_approval(2, 20, 15).is_some());
        // 60 extra days is fine; one more is not.
        assert!(trial_extension_approval(1, 30, 30).is_none());
        assert!(trial_extension_approval(1, 31, 30).is_some());
        assert!(seat_waiver_approval(10).is_none());
        assert!(seat_waiver_approval(11).is_some());
    }

    #[test]
    fn requests_name_their_bad_fields() {
        let op = Operation::ComputeMinutes {
            namespace_id: 1,
            delta: 0,
            kind: "forever".into(),
            version: None,
        };
        let req = OpRequest {
            op,
            reason: "x".into(),
            ticket_url: None,
            requester: None,
            finding_id: None,
            drift_id: None,
        };
        let Err(AppError::Validation { fields, .. }) = req.validate(Role::Support) else {
            panic!()
        };
        assert_eq!(
            fields.keys().collect::<Vec<_>>(),
            ["delta", "kind", "reason", "requester", "ticket_url"]
        );
        let mut ok = OpRequest {
            op: Operation::Storage { namespace_id: 1, delta_mib: 1024, version: None },
            reason: "customer bought storage".into(),
            ticket_url: None,
            requester: None,
            finding_id: None,
            drift_id: None,
        };
        assert!(ok.validate(Role::Lead).is_ok());
        assert!(ok.validate(Role::Support).is_err(), "support work needs a ticket");
        ok.ticket_url = Some("https://support.example.com/t/1".into());
        ok.requester = Some("not-an-email".into());
        let Err(AppError::Validation { fields, .. }) = ok.validate(Role::Lead) else { panic!() };
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["requester"]);
        ok.requester = Some(" Ann@Acme.test ".into());
        let why = ok.validate(Role::Support).unwrap();
        assert_eq!(why.requester.as_deref(), Some("ann@acme.test"));
        assert_eq!(why.verdict, None, "the server classifies, not validation");
        ok.finding_id = Some(7);
        let fix = ok.validate(Role::Support).unwrap();
        assert_eq!((fix.requester, fix.verdict), (None, Some(Verdict::Proactive)));
    }
}
