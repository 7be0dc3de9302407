//! Whether the activity chain holds: a badge on the timeline.
use leptos::prelude::*;

use crate::activity::chain_status;

/// "Chain verified" with the number of events, or the first broken event.
#[component]
pub fn ChainBadge() -> impl IntoView {
    let report = LocalResource::new(chain_status);
    view! {
        <span class="chain-badge" data-testid="chain-badge" role="status">
            {move || match report.get() {
                None => view! { <span class="badge">"Verifying the chain…"</span> }.into_any(),
                Some(Err(_)) => view! { <span class="badge warn">"Chain not verified"</span> }.into_any(),
                Some(Ok(r)) if r.holds => view! {
                    <span class="badge ok" title=format!("Verified {}", r.verified_at.format("%Y-%m-%d %H:%M:%S UTC"))>
                        {format!("✓ Chain verified: {} events", r.checked)}
                    </span>
                }.into_any(),
                Some(Ok(r)) => {
                    let (id, problem) = r.first_broken.map(|b| (b.id, b.problem)).unwrap_or_default();
                    view! {
                        <span class="badge danger" title=problem>
                            {format!("✗ Chain broken at event {id}")}
                        </span>
                    }.into_any()
                }
            }}
        </span>
    }
}
