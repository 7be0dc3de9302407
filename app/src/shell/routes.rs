//! Every page is a lazy route: its code is a separate WASM chunk, fetched the first
//! time the page is shown (preloaded by the server-rendered page on a direct load).
//! The first chunk holds only what every page shares: the shell, the navigation and
//! the command palette.
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// A route whose view is the page component `$page`, loaded on first use.
macro_rules! lazy_page {
    ($route:ident, $page:path) => {
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page/> }.into_any()
            }
        }
    };
}

lazy_page!(LoginRoute, crate::auth::LoginPage);
lazy_page!(SearchRoute, crate::search::SearchPage);
lazy_page!(CustomerRoute, crate::customer::CustomerPage);
lazy_page!(TimelineRoute, crate::activity::TimelinePage);
lazy_page!(ApprovalsRoute, crate::approvals::ApprovalsPage);
lazy_page!(WatchlistRoute, crate::extensions::WatchlistPage);
lazy_page!(WizardRoute, crate::extensions::WizardPage);
lazy_page!(IntegrityRoute, crate::integrity::ui::IntegrityPage);
lazy_page!(DriftRoute, crate::drift::ui::DriftPage);
lazy_page!(DashboardRoute, crate::dashboard::DashboardPage);
lazy_page!(StaffRoute, crate::staff::StaffAdminPage);
lazy_page!(TicketRoute, crate::tickets::TicketPage);
lazy_page!(AccountRoute, crate::staff::AccountPage);
