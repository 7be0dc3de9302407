use leptos::prelude::*;

use crate::domain::Count;

/// Counts with a bar each, every row a link (to a timeline, a list).
#[component]
pub fn CountTable(
    title: &'static str,
    testid: &'static str,
    counts: Vec<Count>,
    label: impl Fn(&str) -> String + 'static,
    href: impl Fn(&str) -> String + 'static,
    /// What an empty table says.
    #[prop(default = "Nothing recorded in the period.")]
    empty: &'static str,
) -> impl IntoView {
    let max = counts.iter().map(|c| c.count).max().unwrap_or(0).max(1);
    view! {
        <section class="card">
            <h2>{title}</h2>
            {if counts.is_empty() {
                view! { <p class="muted">{empty}</p> }.into_any()
            } else {
                view! {
                    <table class="table compact" data-testid=testid>
                        <tbody>
                            {counts.into_iter().map(|c| view! {
                                <tr>
                                    <th scope="row"><a href=href(&c.key)>{label(&c.key)}</a></th>
                                    <td class="num">{c.count}</td>
                                    <td class="bar-cell"><span class="hbar" style=format!("width: {}%", c.count * 100 / max)></span></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
