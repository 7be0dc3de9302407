//! The application shell: the HTML document, routes, layout with navigation, and the
//! small components every page uses.

mod components;
mod layout;
mod nav;
#[cfg(feature = "ssr")]
mod policy;

pub use components::{ErrorNote, Field, NotFound, PageHeader, RequirePermission};
pub use layout::{use_current_user, Layout};
pub use nav::{nav_items, NavItem};

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::auth::LoginPage;
use crate::approvals::ApprovalsPage;
use crate::activity::TimelinePage;
use crate::dashboard::DashboardPage;
use crate::integrity::ui::IntegrityPage;
use crate::customer::CustomerPage;
use crate::extensions::{WatchlistPage, WizardPage};
use crate::search::SearchPage;
use crate::staff::StaffAdminPage;

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    policy::set_page_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The routes of the console.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/console.css"/>
        <Title formatter=|text: String| if text.is_empty() { "Fulfillment Console".to_string() } else { format!("{text} · Fulfillment Console") }/>
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/login") view=LoginPage/>
                <ParentRoute path=path!("") view=Layout>
                    <Route path=path!("") view=SearchPage/>
                    // Async: the status (404 for an unknown id) is known before the first byte.
                    <Route path=path!("customers/:id") view=CustomerPage ssr=SsrMode::Async/>
                    <Route path=path!("activity") view=TimelinePage/>
                    <Route path=path!("approvals") view=ApprovalsPage/>
                    <Route path=path!("extensions") view=WatchlistPage/>
                    <Route path=path!("extensions/new") view=WizardPage/>
                    <Route path=path!("integrity") view=IntegrityPage/>
                    <Route path=path!("dashboard") view=DashboardPage/>
                    <Route path=path!("admin") view=StaffAdminPage/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
