use leptos::prelude::*;

use crate::activity::Timeline;
use crate::audit::{ActivityFilter, ActivityPage};
use crate::customer::CustomerView;

/// The customer's timeline: the newest events come with the page, older ones load on
/// demand, new ones arrive on their own.
#[component]
pub fn ActivitySection(view: CustomerView) -> impl IntoView {
    let id = view.customer.id;
    let filter = ActivityFilter { customer_id: Some(id), ..Default::default() };
    let all = crate::activity::timeline_href(&filter);
    let initial = ActivityPage { events: view.activity, next_cursor: view.activity_cursor };
    view! {
        <section class="card section" id="activity" aria-labelledby="activity-title">
            <div class="section-head">
                <h2 id="activity-title">"Activity"</h2>
                <a href=all class="muted">"Open in the timeline"</a>
            </div>
            <Timeline filter=Signal::stored(filter) initial live=true empty="No activity recorded for this customer."/>
        </section>
    }
}
