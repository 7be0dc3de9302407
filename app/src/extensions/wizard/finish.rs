//! Steps 6 and 7: review what will be issued (and the true-up that follows), submit,
//! and the result: the signed license to download, the new end date, or the request.
use leptos::prelude::*;

use super::terms::summary;
use super::{use_wizard, Draft, Step};
use crate::client::Call;
use crate::domain::{extension_policy, file_name, Eligibility, ExtensionOutcome, ExtensionRequest};
use crate::extensions::{preview_extension, signed_license, submit_extension};
use crate::ops::ui::ChangesTable;
use crate::ui::ErrorNote;

/// The request the draft describes, once its numbers parse.
fn request(d: &Draft) -> Option<ExtensionRequest> {
    Some(ExtensionRequest {
        subscription_id: d.subscription?,
        days: d.days.trim().parse().ok()?,
        users_count: d.users.trim().parse().ok()?,
        reason: d.reason.clone(),
        opportunity_id: d.opportunity.clone(),
        ticket_url: None,
        requester: crate::validate::requester(&d.requester).ok()?,
    })
}

/// Seats in use (SaaS) or requested (self-managed) against the licensed seats.
fn true_up(e: &Eligibility, users: i64) -> String {
    let seats = e.facts.subscription.seats;
    let needed = users.max(e.facts.seats_in_use.unwrap_or(0));
    let in_use = match e.facts.seats_in_use {
        Some(n) => format!("{n} seats in use"),
        None => format!("{users} users requested"),
    };
    if needed > seats {
        format!(
            "{in_use} vs {seats} licensed: a true-up of {} seats follows at renewal.",
            needed - seats
        )
    } else {
        format!("{in_use} vs {seats} licensed: no true-up expected.")
    }
}

#[component]
pub fn ReviewStep() -> impl IntoView {
    let wizard = use_wizard();
    let req = Memo::new(move |_| wizard.draft.with(request));
    let preview = crate::client::data(
        move || req.get(),
        |r| async move {
            match r {
                Some(r) => Some(preview_extension(r).await),
                None => None,
            }
        },
    );
    let submit = Call::<ExtensionOutcome>::new();
    Effect::new(move |_| {
        if let Some(outcome) = submit.ok() {
            wizard.draft.update(|d| match outcome {
                ExtensionOutcome::Issued { license, new_end, .. } => {
                    d.license = license.map(|l| l.id);
                    d.until = new_end.to_string();
                }
                ExtensionOutcome::PendingApproval { approval_id, .. } => {
                    d.approval = Some(approval_id)
                }
            });
            wizard.go(Step::Result);
        }
    });
    let done = move || {
        wizard.draft.with(|d| d.license.is_some() || d.approval.is_some() || !d.until.is_empty())
    };
    view! {
        <h2>"Review"</h2>
        <Transition fallback=|| view! { <p class="muted" role="status">"Working out what will be issued…"</p> }>
            {move || {
                let e = wizard.eligibility.get().flatten().and_then(|r| r.ok());
                preview.get().map(|p| match p {
                    None => view! {
                        <p class="error-note" role="alert">"Days and users must be numbers. " <a href=wizard.href(Step::Details)>"Go back"</a></p>
                    }.into_any(),
                    Some(Err(err)) => view! { <ErrorNote error=err/> }.into_any(),
                    Some(Ok(p)) => {
                        let users = req.get().map(|r| r.users_count).unwrap_or(0);
                        let approval = p.approval.clone();
                        let label = if approval.is_some() { "Request approval" } else { "Issue extension" };
                        view! {
                            {e.as_ref().map(|e| view! { <p>{summary(e)}</p> <p class="notice" data-testid="true-up">{true_up(e, users)}</p> })}
                            <ChangesTable changes=p.changes.clone()/>
                            {match &approval {
                                Some(why) => view! { <p class="pending" data-testid="needs-approval">{why.clone()} " A lead decides; nothing is issued until then."</p> }.into_any(),
                                None => view! { <p class="success">"Within policy: issued at once."</p> }.into_any(),
                            }}
                            <Show when=move || !done() fallback=move || view! {
                                <p class="notice">"Already submitted. " <a href=wizard.href(Step::Result)>"See the result"</a></p>
                            }>
                                <div class="actions">
                                    <button type="button" class="button primary" data-testid="submit-extension"
                                        disabled=move || submit.pending()
                                        on:click=move |_| { if let Some(request) = req.get_untracked() { submit.run(submit_extension(request)); } }>
                                        {move || if submit.pending() { "Submitting…" } else { label }}
                                    </button>
                                    <a class="button" href=wizard.href(Step::Justify)>"Back"</a>
                                </div>
                            </Show>
                        }.into_any()
                    }
                })
            }}
        </Transition>
        {move || submit.error().map(|e| view! { <ErrorNote error=e/> })}
    }
}

#[component]
pub fn ResultStep() -> impl IntoView {
    let wizard = use_wizard();
    let d = wizard.draft.get_untracked();
    let customer = d.customer.map(
        |c| view! { <a class="button" href=format!("/customers/{c}")>"Open the customer page"</a> },
    );
    let outcome = if let Some(id) = d.license {
        view! { <IssuedLicense id/> }.into_any()
    } else if let Some(id) = d.approval {
        view! {
            <p class="pending" role="status" data-testid="extension-pending">
                {format!("Request #{id} waits for a lead's approval ({} days is over the {} issued at once). Once approved, the extension is issued and recorded on the customer's timeline.", d.days, extension_policy::FREE_DAYS)}
            </p>
        }.into_any()
    } else if !d.until.is_empty() {
        view! { <p class="success" role="status" data-testid="extension-issued">{format!("Extended: the subscription now ends on {}.", d.until)}</p> }.into_any()
    } else {
        view! { <p class="muted">"Nothing submitted yet. " <a href=wizard.href(Step::Review)>"Back to the review"</a></p> }.into_any()
    };
    view! {
        <h2>"Result"</h2>
        {outcome}
        <div class="actions">
            {customer}
            <a class="button" href="/extensions">"Renewal watchlist"</a>
            <a class="button" href="/extensions/new">"Start another"</a>
        </div>
    }
}

#[component]
fn IssuedLicense(id: i64) -> impl IntoView {
    let license = crate::client::data(move || id, signed_license);
    view! {
        <Transition fallback=|| view! { <p class="muted" role="status">"Loading the license…"</p> }>
            {move || license.get().map(|r| match r {
                Ok(l) => view! {
                    <p class="success" role="status" data-testid="extension-issued">
                        {format!("Temporary license {} issued: {} users, valid {} to {}.", l.key, l.users, l.starts_on, l.expires_on)}
                    </p>
                    <div class="actions">
                        <a class="button primary" data-testid="download-license" href=format!("/api/v1/licenses/{}/file", l.id)
                            download=file_name(&l)>"Download license file"</a>
                    </div>
                    <pre class="license-text" data-testid="license-text" tabindex="0" aria-label="Signed license">{l.certificate.clone()}</pre>
                }.into_any(),
                Err(e) => view! { <ErrorNote error=e/> }.into_any(),
            })}
        </Transition>
    }
}
