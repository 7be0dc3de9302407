use axum::Json;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The OpenAPI description of `/api/v1`, generated from the handlers' annotations.
#[derive(OpenApi)]
#[openapi(
    info(title = "Fulfillment Console API", version = "1", description = "Find customers and change their commercial state, audited."),
    paths(super::me::me, super::search::search, super::customers::customer, super::operations::patch_subscription,
        super::operations::namespace_operation, super::operations::undo, super::approvals::list, super::approvals::decide,
        super::extensions::create, super::extensions::renewals, super::extensions::verify, super::extensions::file,
        super::activity::list, super::activity::export, super::activity::verify, super::activity::state_as_of,
        super::integrity::list, super::integrity::fix_one, super::integrity::fix_bulk, super::integrity::flag),
    components(schemas(crate::auth::CurrentUser, crate::search::SearchHit, super::search::SearchResults, crate::customer::CustomerView, crate::customer::Customer,
        crate::customer::BillingAccount, crate::customer::Subscription, crate::customer::Namespace, crate::customer::License,
        crate::customer::Invoice, crate::customer::PendingApproval, super::ErrorBody, super::ErrorDetail, crate::ops::Outcome, crate::ops::Preview, crate::ops::Change,
        crate::approvals::Approval, super::approvals::ApprovalList, super::approvals::DecisionBody, crate::extensions::ExtensionRequest, crate::extensions::ExtensionOutcome,
        crate::extensions::IssuedLicense, crate::extensions::Watchlist, crate::extensions::Renewal, crate::extensions::LicenseFields,
        super::extensions::VerifyBody, super::operations::SubscriptionPatch, crate::activity::ActivityEvent, crate::activity::ActivityPage,
        crate::activity::ChainReport, crate::activity::BrokenLink, crate::activity::StateAsOf, crate::activity::FieldThen,
        super::operations::NamespaceOpBody, super::operations::UndoBody, crate::integrity::IntegrityReport, crate::integrity::Finding,
        crate::integrity::RuleCount, crate::integrity::ScanSummary, crate::integrity::FixItem, crate::integrity::BulkFixRequest,
        super::integrity::FixBody, super::integrity::FlagBody, super::integrity::Flagged)),
    modifiers(&Security)
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
        components.add_security_scheme("session", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("fc_session"))));
    }
}

/// `GET /api/v1/openapi.json`.
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
