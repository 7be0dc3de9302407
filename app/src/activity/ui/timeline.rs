//! The timeline: events newest first, grouped by day, a page at a time ("Load more"
//! continues below the last one), with new events arriving on their own.
use chrono::NaiveDate;
use leptos::prelude::*;

use super::event::EventItem;
use crate::activity::load_activity;
use crate::audit::{ActivityEvent, ActivityFilter, ActivityPage};
use crate::ui::ErrorNote;
use crate::AppError;

/// How often a live timeline asks for new events.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const POLL_SECONDS: u64 = 5;

/// The events of `filter`. `initial` is a first page the caller already has (the
/// customer page loads it with the customer); `live` polls for new events.
#[component]
pub fn Timeline(
    #[prop(into)] filter: Signal<ActivityFilter>,
    #[prop(optional)] initial: Option<ActivityPage>,
    #[prop(optional)] live: bool,
    #[prop(default = "No events match.")] empty: &'static str,
) -> impl IntoView {
    let first = crate::client::data(
        move || filter.get(),
        move |f| {
            let given = initial.clone();
            async move {
                match given {
                    Some(page) => Ok(page),
                    None => load_activity(f, None).await,
                }
            }
        },
    );
    // Pages below the first, and events newer than it.
    let more = RwSignal::new(Vec::<ActivityEvent>::new());
    let more_cursor = RwSignal::new(None::<Option<String>>);
    let fresh = RwSignal::new(Vec::<ActivityEvent>::new());
    let loading = RwSignal::new(false);
    let more_error = RwSignal::new(None::<AppError>);
    Effect::watch(
        move || filter.get(),
        move |_, _, _| {
            more.set(Vec::new());
            more_cursor.set(None);
            fresh.set(Vec::new());
        },
        false,
    );

    let cursor = move || match more_cursor.get() {
        Some(c) => c,
        None => first.get().and_then(|r| r.ok()).and_then(|p| p.next_cursor),
    };
    let load_more = move |_| {
        let Some(c) = cursor() else { return };
        loading.set(true);
        let f = filter.get_untracked();
        leptos::task::spawn_local(async move {
            match load_activity(f, Some(c)).await {
                Ok(page) => {
                    more.update(|m| m.extend(page.events));
                    more_cursor.set(Some(page.next_cursor));
                    more_error.set(None);
                }
                Err(e) => more_error.set(Some(e)),
            }
            loading.set(false);
        });
    };
    if live {
        poll(filter, first, fresh);
    }

    view! {
        <div class="timeline-wrap" aria-busy=move || loading.get().to_string()>
            <Transition fallback=|| view! { <p class="muted" role="status">"Loading activity…"</p> }>
                {move || first.get().map(|r| match r {
                    Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                    Ok(page) => {
                        let mut events = fresh.get();
                        events.extend(page.events);
                        events.extend(more.get());
                        let list = if events.is_empty() && cursor().is_none() {
                            view! { <p class="empty-state" data-testid="timeline-empty">{empty}</p> }.into_any()
                        } else {
                            view! { <Days events/> }.into_any()
                        };
                        view! {
                            {list}
                            {move || more_error.get().map(|e| view! { <ErrorNote error=e/> })}
                            {move || cursor().is_some().then(|| view! {
                                <button type="button" class="button" data-testid="load-more" on:click=load_more disabled=move || loading.get()>
                                    {move || if loading.get() { "Loading…" } else { "Load more" }}
                                </button>
                            })}
                        }.into_any()
                    }
                })}
            </Transition>
        </div>
    }
}

/// Events grouped under a heading per day (UTC), in the order given.
#[component]
fn Days(events: Vec<ActivityEvent>) -> impl IntoView {
    let mut days: Vec<(NaiveDate, Vec<ActivityEvent>)> = Vec::new();
    for e in events {
        let day = e.occurred_at.date_naive();
        match days.last_mut() {
            Some((d, list)) if *d == day => list.push(e),
            _ => days.push((day, vec![e])),
        }
    }
    view! {
        <div class="timeline" data-testid="timeline">
            {days.into_iter().map(|(day, list)| view! {
                <section class="day" data-day=day.to_string()>
                    <h3 class="day-heading">{crate::domain::when::day_long(day)}</h3>
                    <ol class="events">
                        {list.into_iter().map(|event| view! { <EventItem event/> }).collect_view()}
                    </ol>
                </section>
            }).collect_view()}
        </div>
    }
}

/// Asks every few seconds for events newer than the newest shown, and puts them on top.
#[allow(unused_variables)]
fn poll(
    filter: Signal<ActivityFilter>,
    first: crate::client::Data<Result<ActivityPage, AppError>>,
    fresh: RwSignal<Vec<ActivityEvent>>,
) {
    #[cfg(feature = "hydrate")]
    {
        use crate::activity::activity_since;
        // The newest event of the first page, read in an effect: a timer may not read
        // the resource itself (leptos warns of a hydration mismatch).
        let first_newest = StoredValue::new(None::<i64>);
        Effect::new(move |_| {
            if let Some(Ok(page)) = first.get() {
                first_newest.set_value(Some(page.events.first().map_or(0, |e| e.id)));
            }
        });
        let busy = std::rc::Rc::new(std::cell::Cell::new(false));
        let tick = move || {
            if busy.get() {
                return;
            }
            let newest =
                fresh.get_untracked().first().map(|e| e.id).or_else(|| first_newest.get_value());
            let Some(after) = newest else { return };
            busy.set(true);
            let busy = busy.clone();
            let f = filter.get_untracked();
            leptos::task::spawn_local(async move {
                if let Ok(new) = activity_since(f, after).await {
                    if !new.is_empty() {
                        fresh.update(|list| {
                            let mut merged = new;
                            merged.retain(|e| e.id > after);
                            merged.append(list);
                            *list = merged;
                        });
                    }
                }
                busy.set(false);
            });
        };
        if let Ok(handle) =
            set_interval_with_handle(tick, std::time::Duration::from_secs(POLL_SECONDS))
        {
            on_cleanup(move || handle.clear());
        }
    }
}
