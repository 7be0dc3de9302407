use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, Ref};
use utoipa::{Modify, OpenApi};

/// What the OpenAPI document says besides its paths (which `super::documented` adds
/// from the routed handlers): the title, the schemas, the security schemes.
#[derive(OpenApi)]
#[openapi(
    info(title = "Fulfillment Console API", version = "1", description = "Find customers and change their commercial state, audited."),
    components(schemas(crate::auth::CurrentUser, crate::search::SearchHit, super::search::SearchResults, crate::customer::CustomerView, crate::domain::Customer,
        crate::domain::BillingAccount, crate::domain::Subscription, crate::domain::Namespace, crate::domain::License,
        crate::domain::Invoice, crate::domain::PendingApproval, crate::status::ErrorBody, crate::status::ErrorDetail, crate::domain::Outcome, crate::domain::Preview, crate::domain::Change,
        crate::domain::Approval, super::approvals::ApprovalList, super::approvals::DecisionBody, crate::domain::ExtensionRequest, crate::domain::ExtensionOutcome,
        crate::domain::IssuedLicense, crate::domain::Watchlist, crate::domain::Renewal, crate::domain::LicenseFields,
        super::extensions::VerifyBody, super::operations::SubscriptionPatch, crate::audit::ActivityEvent, crate::audit::ActivityPage,
        crate::audit::ChainReport, crate::audit::BrokenLink, crate::activity::StateAsOf, crate::activity::FieldThen,
        super::operations::NamespaceOpBody, super::operations::UndoBody, crate::integrity::IntegrityReport, crate::domain::Finding,
        crate::domain::RuleCount, crate::domain::ScanSummary, crate::integrity::FixItem, crate::integrity::BulkFixRequest,
        super::integrity::FixBody, super::integrity::FlagBody, super::integrity::Flagged,
        crate::tickets::TicketView, crate::tickets::TicketCustomer, crate::domain::Note, super::notes::NoteList, super::notes::NoteBody,
        super::insights::Repeats, crate::dashboard::Repeat, crate::dashboard::CameBack,
        crate::domain::drift::Drift, crate::domain::drift::DriftPage, crate::domain::drift::DriftCount, crate::domain::drift::DriftResolve, super::operations::SendToBillingBody, super::invoices::InvoicePatch, super::invoices::NewInvoiceBody)),
    modifiers(&Security)
)]
struct Base;

/// The document before the routes are added.
pub(super) fn base() -> utoipa::openapi::OpenApi {
    Base::openapi()
}

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("fc_session"))),
        );
    }
}

/// Adds the refusals every operation can answer with, in the JSON error shape, where an
/// operation does not describe them itself.
pub(super) fn add_refusals(openapi: &mut utoipa::openapi::OpenApi) {
    for (path, item) in openapi.paths.paths.iter_mut() {
        let operations =
            [&mut item.get, &mut item.post, &mut item.patch, &mut item.put, &mut item.delete];
        for operation in operations.into_iter().flatten() {
            let has_body = operation.request_body.is_some();
            let mut add = |status: &str, description: &str| {
                if !operation.responses.responses.contains_key(status) {
                    let response = ResponseBuilder::new()
                        .description(description)
                        .content(
                            "application/json",
                            Content::new(Some(Ref::from_schema_name("ErrorBody"))),
                        )
                        .build();
                    operation.responses.responses.insert(status.to_string(), response.into());
                }
            };
            add("400", "Malformed request: a parameter or the body does not parse");
            add("401", "Not signed in: no valid bearer token or session");
            add("403", "The caller's role may not do this");
            add("422", "A field's value is refused (named in `fields`)");
            if path.contains('{') {
                add("404", "No such record");
            }
            if has_body {
                add("413", "The body is larger than 1 MiB");
            }
        }
    }
}
