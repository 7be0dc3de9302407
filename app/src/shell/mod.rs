//! The application shell: the HTML document, the routes, and the layout with its
//! navigation (the widgets pages share are in `crate::ui`).

mod layout;
mod nav;
#[cfg(feature = "ssr")]
mod policy;
mod routes;

pub use layout::Layout;
pub use nav::{nav_items, NavItem};

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};

use crate::ui::NotFound;
use routes::*;

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    policy::set_page_policy(&options);
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                // Hashed names (cargo-leptos `hash-files`): every asset can be cached for good.
                <HashedStylesheet id="leptos" options=options.clone()/>
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
        <Title formatter=|text: String| if text.is_empty() { "Fulfillment Console".to_string() } else { format!("{text} · Fulfillment Console") }/>
        <Router>
            // Every page renders whole (`SsrMode::Async`): the status is known before the
            // first byte (a 404 for an unknown customer), and no page streams. Streamed,
            // concurrent loads of a page holding resources inside a `Transition` could
            // deadlock Leptos' reactive graph and with it the whole server
            // (docs/benchmarks.md, "Page renders"); every page renders in under 25 ms.
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/login") view={Lazy::<LoginRoute>::new()} ssr=SsrMode::Async/>
                <ParentRoute path=path!("") view=Layout>
                    <Route path=path!("") view={Lazy::<SearchRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("customers/:id") view={Lazy::<CustomerRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("activity") view={Lazy::<TimelineRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("approvals") view={Lazy::<ApprovalsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("tickets") view={Lazy::<TicketRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("extensions") view={Lazy::<WatchlistRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("extensions/new") view={Lazy::<WizardRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("integrity") view={Lazy::<IntegrityRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("drift") view={Lazy::<DriftRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("dashboard") view={Lazy::<DashboardRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("admin") view={Lazy::<StaffRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("account") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::Async/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
