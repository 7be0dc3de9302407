//! What the server found the person who asked to be, as one badge everywhere: warning
//! colours for an unverified requester, plain for a proactive change, ok otherwise.
use leptos::prelude::*;

use crate::domain::requester::verdict_label;
use crate::domain::Verdict;

#[component]
pub fn VerdictBadge(verdict: Verdict, #[prop(optional)] testid: &'static str) -> impl IntoView {
    let class = match verdict {
        Verdict::Unverified => "badge warn",
        Verdict::Proactive => "badge",
        _ => "badge ok",
    };
    let testid = (!testid.is_empty()).then_some(testid);
    view! { <span class=class data-testid=testid>{verdict_label(verdict)}</span> }
}
