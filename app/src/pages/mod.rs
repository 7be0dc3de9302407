//! Screens whose features arrive later: each keeps its place in the navigation and
//! says what it will hold. They move into their feature folder when built.
use leptos::prelude::*;

use crate::auth::Permission;
use crate::shell::{ComingSoon, PageHeader, RequirePermission};

/// `/integrity`: accounts in unexpected states.
#[component]
pub fn IntegrityPage() -> impl IntoView {
    view! {
        <PageHeader title="Integrity" subtitle="Accounts in unexpected states, with their fixes."/>
        <RequirePermission permission=Permission::IntegrityFixes>
            <ComingSoon what="Integrity findings and fixes are being built."/>
        </RequirePermission>
    }
}
