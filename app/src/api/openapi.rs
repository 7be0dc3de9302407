use axum::Json;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{Object, SchemaType};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, Ref};
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
    modifiers(&Security, &Refusals)
)]
pub struct ApiDoc;

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

/// The refusals every operation can answer with, in the JSON error shape, added where
/// an operation does not describe them itself.
struct Refusals;

impl Modify for Refusals {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
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
}

/// Schema of a value of any JSON type (a field's value before or after a change).
pub fn any_value() -> Object {
    Object::with_type(SchemaType::AnyValue)
}

/// `GET /api/v1/openapi.json`.
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
