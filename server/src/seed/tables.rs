//! The generated rows of one batch of customers, one `Rows` per table, in the order
//! that foreign keys require.
use super::bulk::Rows;

pub struct Chunk {
    pub customers: Rows,
    pub billing_accounts: Rows,
    pub subscriptions: Rows,
    pub namespaces: Rows,
    pub licenses: Rows,
    pub invoices: Rows,
    pub grants: Rows,
    pub contacts: Rows,
    pub owners: Rows,
    pub documents: Rows,
}

impl Chunk {
    pub fn new() -> Chunk {
        Chunk {
            customers: Rows::new(
                "customers",
                &["id", "name", "email", "company", "country", "crm_account_id", "created_at"],
            ),
            billing_accounts: Rows::new(
                "billing_accounts",
                &["id", "number", "customer_id", "currency", "payment_terms"],
            ),
            subscriptions: Rows::new(
                "subscriptions",
                &[
                    "id",
                    "number",
                    "billing_account_id",
                    "customer_id",
                    "product",
                    "deployment",
                    "seats",
                    "start_date",
                    "end_date",
                    "status",
                    "auto_renew",
                    "version",
                ],
            ),
            namespaces: Rows::new(
                "namespaces",
                &[
                    "id",
                    "path",
                    "name",
                    "customer_id",
                    "plan",
                    "subscription_id",
                    "trial_plan",
                    "trial_starts_on",
                    "trial_ends_on",
                    "trial_extensions_used",
                    "seats_in_use",
                    "max_seats_used",
                    "compute_minutes_quota",
                    "compute_minutes_used",
                    "compute_minutes_extra",
                    "compute_minutes_trial_extra",
                    "storage_used_mib",
                    "storage_extra_mib",
                    "version",
                ],
            ),
            licenses: Rows::new(
                "licenses",
                &[
                    "id",
                    "subscription_id",
                    "customer_id",
                    "kind",
                    "users",
                    "starts_on",
                    "expires_on",
                    "key",
                    "issued_by",
                    "issued_at",
                    "revoked_at",
                ],
            ),
            invoices: Rows::new(
                "invoices",
                &[
                    "id",
                    "number",
                    "billing_account_id",
                    "customer_id",
                    "amount_cents",
                    "currency",
                    "status",
                    "issued_on",
                    "due_on",
                ],
            ),
            grants: Rows::new(
                "add_on_grants",
                &["id", "namespace_id", "kind", "quantity", "expires_on", "source", "created_at"],
            ),
            contacts: Rows::new("contacts", &["id", "customer_id", "name", "email", "role"]),
            owners: Rows::new(
                "namespace_owners",
                &["id", "namespace_id", "customer_id", "username", "email"],
            ),
            documents: Rows::new(
                "search_documents",
                &["doc_id", "text", "kind", "ref_id", "customer_id"],
            ),
        }
    }

    /// Tables in insertion order.
    pub fn tables(&self) -> [&Rows; 10] {
        [
            &self.customers,
            &self.billing_accounts,
            &self.subscriptions,
            &self.namespaces,
            &self.licenses,
            &self.invoices,
            &self.grants,
            &self.contacts,
            &self.owners,
            &self.documents,
        ]
    }

    pub fn row_count(&self) -> usize {
        self.tables().iter().map(|t| t.len()).sum()
    }
}

pub fn event_rows() -> Rows {
    Rows::new(
        "activity_events",
        &[
            "id",
            "occurred_at",
            "actor_id",
            "actor_email",
            "action",
            "target_type",
            "target_id",
            "customer_id",
            "reason",
            "ticket_url",
            "changes",
            "source",
            "approval_id",
            "prev_hash",
            "hash",
        ],
    )
}

/// Id of the `slot`-th child (0-based) of customer `c` in a table with `per` slots per customer.
pub fn child_id(c: u64, per: u64, slot: u64) -> i64 {
    ((c - 1) * per + slot + 1) as i64
}

pub const BA_PER: u64 = 2;
pub const SUB_PER: u64 = 4;
pub const NS_PER: u64 = 4;
pub const LICENSE_PER: u64 = 8;
pub const INVOICE_PER: u64 = 12;
pub const GRANT_PER: u64 = 4;
pub const CONTACT_PER: u64 = 4;
/// Two owners for each of up to `NS_PER` namespaces.
pub const OWNER_PER: u64 = 2 * NS_PER;
