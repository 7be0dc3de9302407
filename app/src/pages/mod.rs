//! Screens whose features arrive later: each keeps its place in the navigation and
//! says what it will hold. They move into their feature folder when built.
use leptos::prelude::*;

use crate::auth::Permission;
use crate::shell::{ComingSoon, PageHeader, RequirePermission};

/// `/activity`: the activity timeline.
#[component]
pub fn ActivityPage() -> impl IntoView {
    view! {
        <PageHeader title="Activity" subtitle="Every change, who made it and why."/>
        <ComingSoon what="The filterable timeline with field diffs and CSV export is being built."/>
    }
}

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

/// `/dashboard`: the team leads' dashboard.
#[component]
pub fn DashboardPage() -> impl IntoView {
    view! {
        <PageHeader title="Dashboard" subtitle="What the teams changed, and what waits."/>
        <RequirePermission permission=Permission::Dashboards>
            <ComingSoon what="Charts of actions, approvals and findings are being built."/>
        </RequirePermission>
    }
}
