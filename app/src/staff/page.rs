use leptos::prelude::*;

use super::tokens::TokensCard;
use super::{
    create_staff, reset_password, set_staff_active, set_staff_break_glass, set_staff_role,
    NewStaffForm, StaffMember,
};
use crate::client::Call;
use crate::domain::{Permission, Role};
use crate::ui::{ErrorNote, Field, PageHeader, RequirePermission};

/// `/admin`: the staff list with role changes, (de)activation and a create form.
#[component]
pub fn StaffAdminPage() -> impl IntoView {
    view! {
        <PageHeader title="Staff" subtitle="Who can use the console, and with which role."/>
        <RequirePermission permission=Permission::ManageStaff>
            <StaffAdmin/>
        </RequirePermission>
    }
}

#[component]
fn StaffAdmin() -> impl IntoView {
    let create = Call::<StaffMember>::new();
    let set_role = Call::<StaffMember>::new();
    let set_active = Call::<StaffMember>::new();
    let reset = Call::<StaffMember>::new();
    let break_glass = Call::<StaffMember>::new();
    let staff = crate::client::data(
        move || (create.version(), set_role.version(), set_active.version(), break_glass.version()),
        |_| super::list_staff(),
    );
    let change_error = move || {
        set_role
            .error()
            .or_else(|| set_active.error())
            .or_else(|| reset.error())
            .or_else(|| break_glass.error())
    };
    let was_reset = move || reset.ok();

    view! {
        <div class="grid-2">
            <section class="card" aria-labelledby="staff-list-title">
                <h2 id="staff-list-title">"Staff users"</h2>
                {move || change_error().map(|e| view! { <ErrorNote error=e/> })}
                {move || was_reset().map(|m| view! {
                    <p class="success" role="status">{format!("Password of {} reset: they choose their own at their next sign-in.", m.email)}</p>
                })}
                <Transition fallback=|| view! { <p class="muted">"Loading staff…"</p> }>
                    {move || staff.get().map(|r| match r {
                        Ok(list) => view! { <StaffTable list set_role set_active reset break_glass/> }.into_any(),
                        Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                    })}
                </Transition>
            </section>
            <NewStaffCard create/>
        </div>
        <TokensCard/>
    }
}

#[component]
fn StaffTable(
    list: Vec<StaffMember>,
    set_role: Call<StaffMember>,
    set_active: Call<StaffMember>,
    reset: Call<StaffMember>,
    break_glass: Call<StaffMember>,
) -> impl IntoView {
    view! {
        <div class="section"><table class="table" data-testid="staff-table">
            <thead><tr><th>"Name"</th><th>"Email"</th><th>"Role"</th><th>"Status"</th><th>"Signs in with"</th><th></th></tr></thead>
            <tbody>
                {list.into_iter().map(|m| {
                    let id = m.id;
                    let active = m.active;
                    view! {
                        <tr class:inactive=!active>
                            <td>{m.name.clone()}</td>
                            <td>{m.email.clone()}</td>
                            <td>
                                <select
                                    aria-label=format!("Role of {}", m.email)
                                    disabled=m.single_sign_on
                                    title=m.single_sign_on.then_some("Set from their groups at the identity provider at each sign-in")
                                    on:change=move |ev| { set_role.run(set_staff_role(id, event_target_value(&ev))); }
                                >
                                    {Role::ALL.iter().map(|r| view! {
                                        <option value=r.as_str() selected=*r == m.role>{r.label()}</option>
                                    }).collect_view()}
                                </select>
                            </td>
                            <td>{if active { view! { <span class="badge ok">"active"</span> } } else { view! { <span class="badge muted">"deactivated"</span> } }}</td>
                            <td>{sign_in_cell(&m, break_glass)}</td>
                            <td>
                                <div class="row-actions">
                                    <button class="button small" on:click=move |_| { set_active.run(set_staff_active(id, !active)); }>
                                        {if active { "Deactivate" } else { "Activate" }}
                                    </button>
                                    {(!m.single_sign_on).then(|| view! { <ResetPasswordControl id email=m.email.clone() reset/> })}
                                </div>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table></div>
    }
}

/// How a staff member signs in: through the identity provider, or with a password,
/// which an admin may mark break-glass (kept while single sign-on is on).
fn sign_in_cell(m: &StaffMember, call: Call<StaffMember>) -> AnyView {
    if m.single_sign_on {
        return view! { <span class="badge">"identity provider"</span> }.into_any();
    }
    let (id, on) = (m.id, m.break_glass);
    view! {
        <span class="muted">"password"</span>
        <br/>
        <label class="check" title="Keeps password sign-in while single sign-on is on; each sign-in is recorded">
            <input type="checkbox" prop:checked=on aria-label=format!("Break-glass: {}", m.email)
                on:change=move |_| call.run(set_staff_break_glass(id, !on))/>
            "break-glass"
        </label>
    }
    .into_any()
}

#[component]
fn NewStaffCard(create: Call<StaffMember>) -> impl IntoView {
    let form = RwSignal::new(NewStaffForm { role: "support".into(), ..Default::default() });
    let touched = RwSignal::new(false);
    let check = move || form.with(|f| f.validate().err());
    let client_error = move |field: &'static str| {
        move || {
            if touched.get() {
                check().and_then(|e| e.field_message(field))
            } else {
                None
            }
        }
    };
    let server_error = move || create.error();
    let created = move || create.ok();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        if check().is_none() {
            create.run(create_staff(form.get_untracked()));
        }
    };
    Effect::new(move |_| {
        if created().is_some() {
            form.set(NewStaffForm { role: "support".into(), ..Default::default() });
            touched.set(false);
        }
    });

    view! {
        <section class="card" aria-labelledby="new-staff-title">
            <h2 id="new-staff-title">"Add a staff user"</h2>
            <form class="stack" on:submit=submit novalidate>
                <Field label="Email" id="staff-email" error=Signal::derive(client_error("email"))>
                    <input id="staff-email" type="email" name="email" prop:value=move || form.read().email.clone()
                        on:input=move |ev| form.update(|f| f.email = event_target_value(&ev))/>
                </Field>
                <Field label="Name" id="staff-name" error=Signal::derive(client_error("name"))>
                    <input id="staff-name" type="text" name="name" prop:value=move || form.read().name.clone()
                        on:input=move |ev| form.update(|f| f.name = event_target_value(&ev))/>
                </Field>
                <Field label="Role" id="staff-role" error=Signal::derive(client_error("role"))>
                    <select id="staff-role" name="role" on:change=move |ev| form.update(|f| f.role = event_target_value(&ev))>
                        {Role::ALL.iter().map(|r| view! {
                            <option value=r.as_str() selected=move || form.read().role == r.as_str()>{r.label()}</option>
                        }).collect_view()}
                    </select>
                </Field>
                <Field label="Initial password" id="staff-password" error=Signal::derive(client_error("password"))>
                    <input id="staff-password" type="password" name="password" autocomplete="new-password" prop:value=move || form.read().password.clone()
                        on:input=move |ev| form.update(|f| f.password = event_target_value(&ev))/>
                </Field>
                {move || server_error().map(|e| view! { <ErrorNote error=e/> })}
                {move || created().map(|m| view! { <p class="success" role="status">"Created " {m.email} "."</p> })}
                <button type="submit" class="button primary" disabled=move || create.pending()>"Create staff user"</button>
            </form>
        </section>
    }
}

/// "Reset password": a new password the staff member must replace at their next sign-in.
#[component]
fn ResetPasswordControl(id: i64, email: String, reset: Call<StaffMember>) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let input_id = format!("reset-{id}");
    view! {
        <details class="reset-password">
            <summary class="button small ghost">"Reset password"</summary>
            <form class="inline-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                reset.run(reset_password(id, password.get_untracked()));
                password.set(String::new());
            }>
                <label for=input_id.clone() class="sr-only">{format!("New password for {email}")}</label>
                <input id=input_id type="password" autocomplete="new-password" placeholder="New password" size="14"
                    prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                <button type="submit" class="button small">"Set"</button>
            </form>
        </details>
    }
}
