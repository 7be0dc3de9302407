//! Steps 3–5: eligibility rule by rule, days and users, reason and opportunity.
use leptos::prelude::*;

use super::{use_wizard, Step};
use crate::domain::{extension_policy, Eligibility, RuleCheck};
use crate::ui::{ErrorNote, Field};
use crate::validate;

/// Shows the eligibility of the chosen subscription once it has loaded.
#[component]
fn WithEligibility<V: IntoView + 'static>(render: fn(Eligibility) -> V) -> impl IntoView {
    let wizard = use_wizard();
    view! {
        <Transition fallback=|| view! { <p class="muted" role="status">"Checking the rules…"</p> }>
            {move || wizard.eligibility.get().flatten().map(|r| match r {
                Ok(e) => render(e).into_any(),
                Err(e) => view! { <ErrorNote error=e/> }.into_any(),
            })}
        </Transition>
    }
}

/// The subscription in one line.
pub fn summary(e: &Eligibility) -> String {
    let s = &e.facts.subscription;
    format!(
        "{} · {} · {} {} · {} seats",
        e.facts.customer_name,
        s.number,
        s.product,
        s.deployment.as_str().replace('_', "-"),
        s.seats
    )
}

#[component]
fn Rule(rule: RuleCheck) -> impl IntoView {
    let (mark, class) = if rule.passed { ("✓", "rule passed") } else { ("✗", "rule failed") };
    view! {
        <li class=class data-testid="rule" data-rule=rule.rule.clone() data-passed=rule.passed.to_string()>
            <span class="rule-mark" aria-hidden="true">{mark}</span>
            <div>
                <strong>{rule.label}</strong>
                <span class="sr-only">{if rule.passed { " (met)" } else { " (not met)" }}</span>
                <p class="muted">{rule.detail}</p>
                {rule.instead.map(|i| view! { <p class="instead"><strong>"Instead: "</strong>{i}</p> })}
            </div>
        </li>
    }
}

fn eligibility_view(e: Eligibility) -> impl IntoView {
    let wizard = use_wizard();
    let eligible = e.eligible;
    let customer = e.facts.subscription.customer_id;
    view! {
        <h2>"Eligibility"</h2>
        <p>{summary(&e)}</p>
        <ul class="rules" aria-label="Eligibility rules">
            {e.rules.into_iter().map(|rule| view! { <Rule rule/> }).collect_view()}
        </ul>
        {if eligible {
            view! {
                <p class="success" role="status" data-testid="eligible">"Eligible: every rule is met."</p>
                <div class="actions">
                    <button type="button" class="button primary" autofocus on:click=move |_| wizard.go(Step::Details)>"Continue"</button>
                </div>
            }.into_any()
        } else {
            view! {
                <p class="error-note" role="alert" data-testid="ineligible">"Not eligible for a temporary extension: see the rule marked ✗ and what to do instead."</p>
                <div class="actions">
                    <a class="button" href=wizard.href(Step::Subscription)>"Pick another subscription"</a>
                    <a class="button" href=format!("/customers/{customer}")>"Open the customer page"</a>
                </div>
            }.into_any()
        }}
    }
}

#[component]
pub fn EligibilityStep() -> impl IntoView {
    view! { <WithEligibility render=eligibility_view/> }
}

/// A number field's value, or its message.
fn number(raw: &str, check: fn(i64) -> Result<i64, String>, what: &str) -> Result<i64, String> {
    raw.trim()
        .parse::<i64>()
        .map_err(|_| format!("Enter the {what} as a whole number."))
        .and_then(check)
}

fn details_view(e: Eligibility) -> AnyView {
    let wizard = use_wizard();
    if !e.eligible {
        return view! {
            <p class="error-note" role="alert">"This subscription is not eligible. " <a href=wizard.href(Step::Eligibility)>"See which rule fails"</a></p>
        }
        .into_any();
    }
    wizard.edit(|d| {
        if d.days.is_empty() {
            d.days = extension_policy::DEFAULT_DAYS.to_string();
        }
        if d.users.is_empty() {
            d.users = e.suggested_users.to_string();
        }
    });
    let days =
        Memo::new(move |_| wizard.draft.with(|d| number(&d.days, extension_policy::days, "days")));
    let users = Memo::new(move |_| {
        wizard.draft.with(|d| number(&d.users, extension_policy::users_count, "users count"))
    });
    let approval = move || days.get().ok().and_then(extension_policy::approval);
    let seats = e.facts.subscription.seats;
    let in_use = e.facts.seats_in_use;
    let until = move || days.get().ok().and_then(|n| extension_policy::new_end(&e.facts, n, e.on));
    let ok = move || days.get().is_ok() && users.get().is_ok();
    view! {
        <h2>"How long, for how many users?"</h2>
        <form class="stack" on:submit=move |ev| { ev.prevent_default(); if ok() { wizard.go(Step::Justify); } }>
            <Field label="Days" id="ext-days" error=Signal::derive(move || days.get().err())>
                <input id="ext-days" type="number" min="1" max="30" inputmode="numeric" autofocus
                    prop:value=move || wizard.draft.with(|d| d.days.clone())
                    on:input=move |ev| wizard.edit(|d| d.days = event_target_value(&ev))/>
            </Field>
            <p class="muted" data-testid="days-policy">
                {move || match (approval(), until()) {
                    (Some(why), Some(end)) => format!("Until {end}. {why}"),
                    (None, Some(end)) => format!("Until {end}. Within policy: issued at once."),
                    _ => "Up to 21 days are issued at once; 22–30 need a lead's approval; over 30 are refused.".into(),
                }}
            </p>
            <Field label="Users count" id="ext-users" error=Signal::derive(move || users.get().err())>
                <input id="ext-users" type="number" min="1" inputmode="numeric"
                    prop:value=move || wizard.draft.with(|d| d.users.clone())
                    on:input=move |ev| wizard.edit(|d| d.users = event_target_value(&ev))/>
            </Field>
            <p class="muted">{match in_use {
                Some(n) => format!("Licensed: {seats} seats; in use now: {n}."),
                None => format!("Licensed: {seats} users."),
            }}</p>
            <div class="actions">
                <button type="submit" class="button primary" disabled=move || !ok()>"Continue"</button>
            </div>
        </form>
    }
    .into_any()
}

#[component]
pub fn DetailsStep() -> impl IntoView {
    view! { <WithEligibility render=details_view/> }
}

/// A field's message once the user typed into it or tried to continue.
fn visible(
    message: Memo<Option<String>>,
    blank: Memo<bool>,
    touched: RwSignal<bool>,
) -> Signal<Option<String>> {
    Signal::derive(move || if touched.get() || !blank.get() { message.get() } else { None })
}

#[component]
pub fn JustifyStep() -> impl IntoView {
    let wizard = use_wizard();
    let touched = RwSignal::new(false);
    let reason = Memo::new(move |_| wizard.draft.with(|d| validate::reason(&d.reason).err()));
    let opportunity = Memo::new(move |_| {
        wizard.draft.with(|d| extension_policy::opportunity_id(&d.opportunity).err())
    });
    let reason_blank = Memo::new(move |_| wizard.draft.with(|d| d.reason.trim().is_empty()));
    let opportunity_blank =
        Memo::new(move |_| wizard.draft.with(|d| d.opportunity.trim().is_empty()));
    let requester =
        Memo::new(move |_| wizard.draft.with(|d| validate::requester(&d.requester).err()));
    let requester_blank = Memo::new(move |_| wizard.draft.with(|d| d.requester.trim().is_empty()));
    let ok =
        move || reason.get().is_none() && opportunity.get().is_none() && requester.get().is_none();
    view! {
        <h2>"Why, and which renewal?"</h2>
        <form class="stack" on:submit=move |ev| {
            ev.prevent_default();
            touched.set(true);
            if ok() { wizard.go(Step::Review); }
        }>
            <Field label="Reason" id="ext-reason" error=visible(reason, reason_blank, touched)>
                <textarea id="ext-reason" rows="3" autofocus placeholder="What blocks the customer, and what the renewal waits for"
                    prop:value=move || wizard.draft.with(|d| d.reason.clone())
                    on:input=move |ev| wizard.edit(|d| d.reason = event_target_value(&ev))></textarea>
            </Field>
            <Field label="CRM opportunity id" id="ext-opportunity" error=visible(opportunity, opportunity_blank, touched)>
                <input id="ext-opportunity" type="text" autocomplete="off" spellcheck="false" placeholder="006Dn00000AbCdE"
                    prop:value=move || wizard.draft.with(|d| d.opportunity.clone())
                    on:input=move |ev| wizard.edit(|d| d.opportunity = event_target_value(&ev))/>
            </Field>
            <Field label="Requester (who asked, optional)" id="ext-requester" error=visible(requester, requester_blank, touched)>
                <input id="ext-requester" type="email" autocomplete="off" placeholder="name@customer.example"
                    prop:value=move || wizard.draft.with(|d| d.requester.clone())
                    on:input=move |ev| wizard.edit(|d| d.requester = event_target_value(&ev))/>
                <small class="muted">"Someone who is not a contact of the customer needs a lead's approval."</small>
            </Field>
            <div class="actions">
                <button type="submit" class="button primary">"Review"</button>
            </div>
        </form>
    }
}
