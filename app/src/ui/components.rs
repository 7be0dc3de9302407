use leptos::prelude::*;
use leptos_meta::Title;

use super::use_current_user;
use crate::domain::Permission;
use crate::status::set_response_status;
use crate::AppError;

/// A page title with an optional line under it; also sets the document title.
#[component]
pub fn PageHeader(title: &'static str, #[prop(optional)] subtitle: &'static str) -> impl IntoView {
    view! {
        <Title text=title/>
        <div class="page-header">
            <h1>{title}</h1>
            {(!subtitle.is_empty()).then(|| view! { <p class="muted">{subtitle}</p> })}
        </div>
    }
}

/// An error shown to the user, in words they can act on.
#[component]
pub fn ErrorNote(error: AppError) -> impl IntoView {
    // A page rendered with an error answers with its status.
    set_response_status(&error);
    let hint = match &error {
        AppError::Unauthorized => Some(view! { <a href="/login">"Sign in again"</a> }.into_any()),
        _ => None,
    };
    view! {
        <div class="error-note" role="alert">
            <strong>{error.to_string()}</strong>
            " "
            {hint}
        </div>
    }
}

/// A form field: its label (for the control with id `id`), the control, and its
/// validation message.
#[component]
pub fn Field(
    label: &'static str,
    id: &'static str,
    error: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id>{label}</label>
            {children()}
            {move || error.get().map(|e| view! { <small class="field-error" role="alert">{e}</small> })}
        </div>
    }
}

/// Shows `children` only to roles holding `permission`; others get a clear refusal.
#[component]
pub fn RequirePermission(permission: Permission, children: Children) -> impl IntoView {
    let user = use_current_user();
    if user.can(permission) {
        children().into_any()
    } else {
        set_response_status(&AppError::Forbidden("This page".into()));
        view! {
            <div class="empty-state" data-testid="forbidden">
                <h2>"Not available for your role"</h2>
                <p class="muted">{format!("Your role ({}) cannot use this page.", user.role.label())}</p>
            </div>
        }
        .into_any()
    }
}

/// The page for an address that does not exist.
#[component]
pub fn NotFound() -> impl IntoView {
    set_response_status(&AppError::NotFound("This page".into()));
    view! {
        <Title text="Not found"/>
        <main class="content narrow">
            <div class="empty-state">
                <h1>"Page not found"</h1>
                <p class="muted">"Nothing lives at this address. Check the link, or search for the customer instead."</p>
                <a class="button primary" href="/">"Go to search"</a>
            </div>
        </main>
    }
}
