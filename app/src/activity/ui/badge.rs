//! Whether the activity chain holds: a badge on the timeline.
use leptos::prelude::*;

use crate::activity::chain_status;

/// "Chain verified" with the number of events and when the newest signed checkpoint
/// was made, or what does not hold: the first broken event, or a history cut short or
/// rewritten since the checkpoint. The walk is the browser's to ask for (a local
/// resource): its own `Suspense` keeps the page around it rendering on the server.
#[component]
pub fn ChainBadge() -> impl IntoView {
    let report = LocalResource::new(chain_status);
    let verifying = || view! { <span class="badge">"Verifying the chain…"</span> };
    view! {
        <span class="chain-badge" data-testid="chain-badge" role="status">
            <Suspense fallback=verifying>
            {move || match report.get() {
                None => verifying().into_any(),
                Some(Err(_)) => view! { <span class="badge warn">"Chain not verified"</span> }.into_any(),
                Some(Ok(r)) => match (r.holds, r.checkpoint) {
                    (true, Some(cp)) if !cp.holds => view! {
                        <span class="badge danger" title=cp.problem.unwrap_or_default()>
                            {format!("✗ History changed since the checkpoint of {}", crate::domain::when::minute_utc(cp.signed_at))}
                        </span>
                    }.into_any(),
                    (true, checkpoint) => {
                        let signed = checkpoint.map(|cp| format!(
                            " · checkpoint {} holds", crate::domain::when::minute_utc(cp.signed_at)
                        ));
                        view! {
                            <span class="badge ok" title=format!("Verified {}", crate::domain::when::second_utc(r.verified_at))>
                                {format!("✓ Chain verified: {} events{}", r.checked, signed.unwrap_or_default())}
                            </span>
                        }.into_any()
                    }
                    (false, _) => {
                        let (id, problem) = r.first_broken.map(|b| (b.id, b.problem)).unwrap_or_default();
                        view! {
                            <span class="badge danger" title=problem>
                                {format!("✗ Chain broken at event {id}")}
                            </span>
                        }.into_any()
                    }
                },
            }}
            </Suspense>
        </span>
    }
}
