//! `/extensions/new`: the guided temporary-extension wizard. Every step has its own
//! URL holding what was entered ([`Draft`]); the rules and field checks are the ones
//! the server enforces (`domain::extension_policy`, `validate`).
mod find;
mod finish;
mod terms;

use crate::url::wizard::{Draft, Step, STEPS};

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use super::extension_eligibility;
use crate::domain::{Eligibility, Permission};
use crate::ui::{PageHeader, RequirePermission};
use crate::AppError;

type Navigate = Arc<dyn Fn(&str, NavigateOptions) + Send + Sync>;

/// The wizard's state, shared by its steps.
#[derive(Clone, Copy)]
pub struct Wizard {
    pub draft: RwSignal<Draft>,
    pub step: Memo<Step>,
    /// The draft last written to the URL by the wizard itself.
    written: StoredValue<Option<Draft>>,
    navigate: StoredValue<Navigate>,
    pub eligibility: crate::client::Data<Option<Result<Eligibility, AppError>>>,
}

impl Wizard {
    /// Moves to `step` (a new history entry).
    pub fn go(self, step: Step) {
        let draft = self.draft.get_untracked();
        let url = draft.url(step);
        self.written.set_value(Some(draft));
        self.navigate.with_value(|nav| nav(&url, NavigateOptions::default()));
    }

    /// Changes the draft as the user types. The current history entry's URL follows at
    /// once (without a navigation), so reload, back and forward find what was typed.
    pub fn edit(self, change: impl FnOnce(&mut Draft)) {
        self.draft.update(change);
        #[cfg(feature = "hydrate")]
        {
            let url = self.draft.with_untracked(|d| d.url(self.step.get_untracked()));
            if let Ok(history) = window().history() {
                let _ =
                    history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
            }
        }
    }

    /// The address of `step` with the current draft (for links).
    pub fn href(self, step: Step) -> String {
        self.draft.with(|d| d.url(step))
    }
}

/// Reads the wizard's shared state.
pub fn use_wizard() -> Wizard {
    expect_context::<Wizard>()
}

#[component]
pub fn WizardPage() -> impl IntoView {
    view! {
        <PageHeader title="Temporary extension" subtitle="Unblock a customer at renewal, inside policy: up to 21 days at once, up to 30 with a lead's approval."/>
        <RequirePermission permission=Permission::ExtensionWizard>
            <WizardSteps/>
        </RequirePermission>
    }
}

#[component]
fn WizardSteps() -> impl IntoView {
    let query = use_query_map();
    let draft = RwSignal::new(query.with_untracked(|q| Draft::from_query(|k| q.get(k))));
    let step = Memo::new(move |_| {
        query.with(|q| {
            Draft::from_query(|k| q.get(k))
                .reachable(Step::parse(&q.get("step").unwrap_or_default()))
        })
    });
    let eligibility = crate::client::data(
        move || draft.with(|d| d.subscription),
        |id| async move {
            match id {
                Some(id) => Some(extension_eligibility(id).await),
                None => None,
            }
        },
    );
    let navigate: Navigate = Arc::new(use_navigate());
    let wizard = Wizard {
        draft,
        step,
        written: StoredValue::new(None),
        navigate: StoredValue::new(navigate),
        eligibility,
    };
    provide_context(wizard);
    // Back, forward and links: the draft follows the URL (but not the wizard's own writes).
    Effect::new(move |_| {
        let from_url = query.with(|q| Draft::from_query(|k| q.get(k)));
        let ours = wizard.written.with_value(|w| w.as_ref() == Some(&from_url));
        if !ours && from_url != draft.get_untracked() {
            draft.set(from_url);
        }
    });
    view! {
        <ol class="stepper" aria-label="Steps">
            {STEPS.iter().copied().map(|s| {
                let current = move || step.get() == s;
                let done = move || s.index() < step.get().index();
                view! {
                    <li class:current=current class:done=done aria-current=move || current().then_some("step")>
                        {move || if done() && step.get() != Step::Result {
                            view! { <a href=wizard.href(s)>{s.label()}</a> }.into_any()
                        } else {
                            view! { <span>{s.label()}</span> }.into_any()
                        }}
                    </li>
                }
            }).collect_view()}
        </ol>
        <section class="card wizard" data-testid="wizard" data-step=move || step.get().slug()>
            {move || match step.get() {
                Step::Customer => view! { <find::CustomerStep/> }.into_any(),
                Step::Subscription => view! { <find::SubscriptionStep/> }.into_any(),
                Step::Eligibility => view! { <terms::EligibilityStep/> }.into_any(),
                Step::Details => view! { <terms::DetailsStep/> }.into_any(),
                Step::Justify => view! { <terms::JustifyStep/> }.into_any(),
                Step::Review => view! { <finish::ReviewStep/> }.into_any(),
                Step::Result => view! { <finish::ResultStep/> }.into_any(),
            }}
        </section>
    }
}
