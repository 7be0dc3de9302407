use leptos::prelude::*;

use super::Section;
use crate::customer::CustomerView;

/// The people who may ask for changes, by role: whom a ticket's sender is checked
/// against (with each namespace's owners, shown on the namespace).
#[component]
pub fn ContactsSection(view: CustomerView) -> impl IntoView {
    let rows = view.contacts.clone();
    let count = rows.len();
    view! {
        <Section title="Contacts" id="contacts" count empty="No contacts: every change needs a lead's approval.">
            <table class="table" data-testid="contacts">
                <thead><tr><th>"Name"</th><th>"Email"</th><th>"Role"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|c| view! {
                        <tr id=format!("contact-{}", c.id)>
                            <td>{c.name.clone()}</td>
                            <td><a href=format!("mailto:{}", c.email)>{c.email.clone()}</a></td>
                            <td><span class="badge">{c.role.as_str()}</span></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </Section>
    }
}
