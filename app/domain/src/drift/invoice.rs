//! An invoice on both sides. The billing system owns its invoices: their status and
//! amount there are the truth, and the console's copy follows them.
use serde::{Deserialize, Serialize};

use super::{BillingField, Difference};
use crate::{Invoice, InvoiceStatus};

/// An invoice as the provider has it, in the console's terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderInvoice {
    pub status: InvoiceStatus,
    pub amount_cents: i64,
}

impl ProviderInvoice {
    /// The provider's invoice status in the console's words: a draft or open invoice is
    /// open (the console says overdue once its due date passed), one the provider gave
    /// up collecting is overdue.
    pub fn status_of(provider_status: &str) -> Option<InvoiceStatus> {
        match provider_status {
            "draft" | "open" => Some(InvoiceStatus::Open),
            "paid" => Some(InvoiceStatus::Paid),
            "void" => Some(InvoiceStatus::Void),
            "uncollectible" => Some(InvoiceStatus::Overdue),
            _ => None,
        }
    }

    /// Each shared field's value as text, in the order the pages list them.
    pub fn values(&self) -> Vec<(BillingField, String)> {
        vec![
            (BillingField::Status, self.status.to_string()),
            (BillingField::Amount, amount(self.amount_cents)),
        ]
    }
}

/// Cents as the pages write an amount: `120.50`.
pub fn amount(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, (cents % 100).abs())
}

/// The console's status agrees with the provider's: the same, or overdue where the
/// provider still has it open (the provider does not mark an open invoice overdue).
pub fn statuses_agree(console: InvoiceStatus, provider: InvoiceStatus) -> bool {
    console == provider || (console == InvoiceStatus::Overdue && provider == InvoiceStatus::Open)
}

/// Where the console's invoice and the provider's differ.
pub fn differences(console: &Invoice, provider: &ProviderInvoice) -> Vec<Difference> {
    let mut out = Vec::new();
    if !statuses_agree(console.status, provider.status) {
        out.push(Difference {
            field: BillingField::Status,
            console: console.status.to_string(),
            provider: provider.status.to_string(),
        });
    }
    if console.amount_cents != provider.amount_cents {
        out.push(Difference {
            field: BillingField::Amount,
            console: amount(console.amount_cents),
            provider: amount(provider.amount_cents),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ours(status: InvoiceStatus, amount_cents: i64) -> Invoice {
        Invoice {
            id: 1,
            customer_id: 1,
            billing_account_id: 1,
            number: "INV-1".into(),
            amount_cents,
            currency: "USD".into(),
            status,
            issued_on: "2026-11-01".parse().unwrap(),
            due_on: "2026-12-01".parse().unwrap(),
            billing: None,
        }
    }

    fn theirs(status: &str, amount_cents: i64) -> ProviderInvoice {
        ProviderInvoice { status: ProviderInvoice::status_of(status).unwrap(), amount_cents }
    }

    #[test]
    fn an_overdue_invoice_agrees_with_an_open_one_and_nothing_else() {
        use InvoiceStatus::*;
        assert!(differences(&ours(Overdue, 500), &theirs("open", 500)).is_empty());
        assert!(differences(&ours(Open, 500), &theirs("draft", 500)).is_empty());
        let paid = differences(&ours(Overdue, 500), &theirs("paid", 500));
        assert_eq!(paid.len(), 1);
        assert_eq!((paid[0].console.as_str(), paid[0].provider.as_str()), ("overdue", "paid"));
        assert_eq!(differences(&ours(Paid, 500), &theirs("open", 500)).len(), 1);
        assert_eq!(ProviderInvoice::status_of("uncollectible"), Some(Overdue));
        assert_eq!(ProviderInvoice::status_of("deleted"), None);
    }

    #[test]
    fn amounts_differ_by_the_cent_and_read_as_money() {
        let d = differences(&ours(InvoiceStatus::Open, 12_050), &theirs("open", 12_000));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].field, BillingField::Amount);
        assert_eq!((d[0].console.as_str(), d[0].provider.as_str()), ("120.50", "120.00"));
    }
}
