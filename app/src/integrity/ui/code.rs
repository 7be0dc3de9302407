//! The fixers' code is code most views of a finding never run: one WASM chunk, fetched
//! the first time someone picks findings for a bulk fix or opens the flag-to-sales form
//! (on the integrity page or a customer's). One chunk for both: each split point
//! multiplies the chunks every page fetches.
use std::collections::BTreeSet;

use leptos::prelude::*;

use super::bulk::BulkFixer;
use super::flag::FlagForm;
use crate::domain::Finding;

/// What the chunk hands out: plain function pointers, so the code behind them moves to
/// the chunk.
#[derive(Clone, Copy)]
pub(super) struct FixCode {
    pub bulk: fn(RwSignal<BTreeSet<i64>>) -> AnyView,
    pub flag: fn(Finding, String, Callback<()>) -> AnyView,
}

#[lazy]
pub(super) fn fix_code() -> FixCode {
    FixCode {
        bulk: |selected| view! { <BulkFixer selected/> }.into_any(),
        flag: |finding, why, on_close| view! { <FlagForm finding why on_close/> }.into_any(),
    }
}
