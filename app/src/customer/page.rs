use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::sections::{
    ActivitySection, BillingSection, ContactsSection, CustomerHeader, FindingsSection,
    InvoicesSection, LicensesSection, NamespacesSection, PendingApprovalsSection,
    SubscriptionsSection,
};
use super::{get_customer, CustomerView};
use crate::notes::{NotesSection, PinnedNotes};
use crate::ops::ui::{Notice, OperationNotice, Reload};
use crate::ui::ErrorNote;
use crate::AppError;

/// `/customers/{id}`: server-rendered first, then hydrated.
#[component]
pub fn CustomerPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    let reload = Reload(RwSignal::new(0));
    provide_context(reload);
    let notice = RwSignal::new(None);
    provide_context(Notice(notice));
    // A notice belongs to the customer it was about.
    Effect::new(move |_| {
        id();
        notice.set(None);
    });
    let data = crate::client::data(
        move || (id(), reload.0.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_customer(id).await,
                None => Err(AppError::NotFound("This customer".into())),
            }
        },
    );
    view! {
        <OperationNotice/>
        <Transition fallback=|| view! { <p class="muted" role="status">"Loading customer…"</p> }>
            {move || data.get().map(|r| match r {
                Ok(view) => view! { <CustomerDetail view/> }.into_any(),
                Err(e @ AppError::NotFound(_)) => view! { <CustomerNotFound error=e/> }.into_any(),
                Err(e) => view! { <ErrorNote error=e/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn CustomerDetail(view: CustomerView) -> impl IntoView {
    let title = view.customer.name.clone();
    provide_context(view.known_requesters());
    view! {
        <Title text=title/>
        <div class="customer" data-testid="customer-page">
            <CustomerHeader view=view.clone()/>
            <PinnedNotes notes=view.notes.clone()/>
            <FindingsSection view=view.clone()/>
            <PendingApprovalsSection view=view.clone()/>
            <SubscriptionsSection view=view.clone()/>
            <crate::drift::ui::BillingSystemSection sides=view.billing_system.clone()/>
            <NamespacesSection view=view.clone()/>
            <div class="grid-2 even">
                <LicensesSection view=view.clone()/>
                <InvoicesSection view=view.clone()/>
            </div>
            <div class="grid-2 even">
                <ContactsSection view=view.clone()/>
                <BillingSection view=view.clone()/>
            </div>
            <NotesSection customer_id=view.customer.id notes=view.notes.clone()/>
            <ActivitySection view/>
        </div>
    }
}

#[component]
fn CustomerNotFound(error: AppError) -> impl IntoView {
    crate::status::set_response_status(&error);
    view! {
        <Title text="Customer not found"/>
        <div class="empty-state" data-testid="customer-not-found">
            <h1>"Customer not found"</h1>
            <p class="muted">"No customer has this id. It may be mistyped; search finds customers by any identifier."</p>
            <a class="button primary" href="/">"Go to search"</a>
        </div>
    }
}
