use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{decide_approval, list_approvals};
use crate::client::Call;
use crate::domain::{Approval, ApprovalStatus, Permission, Verdict};
use crate::ops::ui::ChangesTable;
use crate::ui::{
    use_current_user, ErrorNote, PageHeader, RequirePermission, TicketLink, VerdictBadge,
};

const TABS: [(&str, &str); 5] = [
    ("pending", "Pending"),
    ("executed", "Executed"),
    ("rejected", "Rejected"),
    ("expired", "Expired"),
    ("all", "All"),
];

/// `/approvals?status=`: the queue for leads and admins.
#[component]
pub fn ApprovalsPage() -> impl IntoView {
    view! {
        <PageHeader title="Approvals" subtitle="Requests waiting for a second pair of eyes. Nobody decides their own."/>
        <RequirePermission permission=Permission::Approve>
            <Queue/>
        </RequirePermission>
    }
}

#[component]
fn Queue() -> impl IntoView {
    let query = use_query_map();
    let status = move || {
        query.read().get("status").filter(|s| !s.is_empty()).unwrap_or_else(|| "pending".into())
    };
    let decide = Call::<Approval>::new();
    let list =
        crate::client::data(move || (status(), decide.version()), |(s, _)| list_approvals(Some(s)));
    view! {
        <nav class="tabs" aria-label="Filter by status">
            {TABS.iter().map(|(value, label)| {
                let value = *value;
                view! {
                    <a href=format!("/approvals?status={value}") class="tab"
                        aria-current=move || (status() == value).then_some("page")>{*label}</a>
                }
            }).collect_view()}
        </nav>
        {move || decide.error().map(|e| view! { <ErrorNote error=e/> })}
        <Transition fallback=|| view! { <p class="muted" role="status">"Loading requests…"</p> }>
            {move || list.get().map(|r| match r {
                Ok(items) if items.is_empty() => view! {
                    <div class="empty-state" data-testid="approvals-empty">
                        <h2>"Nothing here"</h2>
                        <p class="muted">"No requests with this status."</p>
                    </div>
                }.into_any(),
                Ok(items) => view! {
                    <div class="stack" data-testid="approvals">
                        {items.into_iter().map(|a| view! { <ApprovalCard approval=a decide/> }).collect_view()}
                    </div>
                }.into_any(),
                Err(e) => view! { <ErrorNote error=e/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn ApprovalCard(approval: Approval, decide: Call<Approval>) -> impl IntoView {
    let me = use_current_user().id;
    let note = RwSignal::new(String::new());
    let id = approval.id;
    let own = move || me == approval.requested_by;
    let pending = approval.status == ApprovalStatus::Pending;
    let customer = approval.customer_id.map(|cid| {
        let name = approval.customer_name.clone().unwrap_or_else(|| format!("Customer {cid}"));
        view! { <a href=format!("/customers/{cid}")>{name}</a> }
    });
    let decided = approval.decided_by_email.clone().map(|by| {
        let when = approval.decided_at.map(crate::domain::when::minute).unwrap_or_default();
        let note = approval
            .note
            .clone()
            .filter(|n| !n.is_empty())
            .map(|n| format!(": “{n}”"))
            .unwrap_or_default();
        format!("Decided by {by} at {when}{note}")
    });
    let send = move |approve: bool| decide.run(decide_approval(id, approve, note.get_untracked()));
    view! {
        <article class="card approval" data-testid="approval" id=format!("approval-{id}")>
            <header>
                <h2>{format!("#{id} · {}", approval.action.label())}</h2>
                <span class=format!("badge status-{}", approval.status)>{approval.status.as_str()}</span>
            </header>
            <p>
                {customer} " · requested by " <strong>{approval.requested_by_email.clone()}</strong>
                " at " {crate::domain::when::minute_utc(approval.requested_at)}
                {pending.then(|| format!(" · expires {}", crate::domain::when::minute_utc(approval.expires_at)))}
            </p>
            <p><span class="muted">"Reason: "</span>{approval.reason.clone()}
                {approval.ticket_url.clone().map(|t| view! { " · " <TicketLink url=t/> })}
            </p>
            {approval.requester.clone().map(|email| {
                let verdict = approval.requester_verdict.unwrap_or(Verdict::Unverified);
                view! {
                    <p data-testid="approval-requester"><span class="muted">"Asked by "</span><strong>{email}</strong> " "
                        <VerdictBadge verdict/></p>
                }
            })}
            {approval.preview.approval.clone().map(|why| view! { <p class="muted">{why}</p> })}
            <ChangesTable changes=approval.preview.changes.clone()/>
            {decided.map(|d| view! { <p class="muted">{d}</p> })}
            {pending.then(|| view! {
                <div class="decide">
                    <label for=format!("note-{id}")>"Note"</label>
                    <textarea id=format!("note-{id}") rows="2" prop:value=move || note.get()
                        on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                    <Show when=own fallback=move || view! {
                        <div class="actions">
                            <button type="button" class="button primary" disabled=move || decide.pending()
                                on:click=move |_| { send(true); }>"Approve and run"</button>
                            <button type="button" class="button danger" disabled=move || decide.pending()
                                on:click=move |_| { send(false); }>"Reject"</button>
                        </div>
                    }>
                        <p class="muted" data-testid="own-request">"This is your request: another lead or admin decides it."</p>
                    </Show>
                </div>
            })}
        </article>
    }
}
