use leptos::context::Provider;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::{Outlet, A};
use leptos_router::hooks::use_location;

use super::nav_items;
use crate::auth::{get_current_user, logout, CurrentUser, Logout};
use crate::client::Call;
use crate::search::CommandPalette;

/// The frame around every signed-in page: brand, navigation, user, sign-out.
#[component]
pub fn Layout() -> impl IntoView {
    let user = crate::client::data(|| (), |_| get_current_user());
    provide_context(crate::search::PaletteOpen(RwSignal::new(false)));

    view! {
        <div class="app">
            <Suspense fallback=|| view! {
                <TopBar user=None/>
                <main class="content" id="main"><p class="muted" role="status">"Loading…"</p></main>
            }>
                {move || Suspend::new(async move { match user.await {
                    Ok(Some(u)) => view! {
                        <Provider value=u.clone()>
                            <TopBar user=Some(u)/>
                            <main class="content" id="main"><Outlet/></main>
                        </Provider>
                    }.into_any(),
                    Ok(None) => view! {
                        <TopBar user=None/>
                        <main class="content narrow" id="main">
                            <div class="empty-state">
                                <h1>"Signed out"</h1>
                                <p class="muted">"Your session has ended."</p>
                                <a class="button primary" href="/login">"Sign in"</a>
                            </div>
                        </main>
                    }.into_any(),
                    Err(e) => view! {
                        <TopBar user=None/>
                        <main class="content" id="main"><crate::ui::ErrorNote error=e/></main>
                    }.into_any(),
                }})}
            </Suspense>
            <CommandPalette/>
        </div>
    }
}

/// Brand, navigation for the user's role, the palette button and sign-out.
#[component]
fn TopBar(user: Option<CurrentUser>) -> impl IntoView {
    let location = use_location();
    let signed_in = user.map(|u| {
        let sign_out = Call::<()>::new();
        let items = nav_items(u.role);
        view! {
            <nav class="nav" aria-label="Main" data-testid="main-nav">
                {items.into_iter().map(|item| {
                    let current = move || {
                        let p = location.pathname.get();
                        if item.path == "/" { p == "/" || p.starts_with("/customers") } else { p.starts_with(item.path) }
                    };
                    view! {
                        <A href=item.path attr:class="nav-link" attr:aria-current=move || current().then_some("page")>
                            {item.label}
                        </A>
                    }
                }).collect_view()}
            </nav>
            <button type="button" class="button ghost small palette-hint" data-testid="open-palette"
                on:click=move |_| crate::search::open_palette()>
                "Search " <kbd>"Ctrl K"</kbd>
            </button>
            <div class="user" data-testid="current-user">
                <a class="user-name" href="/account" title="Your account">{u.name.clone()}</a>
                <span class="badge role" data-testid="current-role" title=u.name.clone()>{u.role.label()}</span>
                <form action=Logout::url() method="post" on:submit=move |ev| {
                    ev.prevent_default();
                    sign_out.run(logout());
                }>
                    <button type="submit" class="button ghost small">"Sign out"</button>
                </form>
            </div>
        }
    });
    view! {
        <header class="topbar">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"FC"</span>
                <span class="brand-name">"Fulfillment Console"</span>
            </a>
            {signed_in}
        </header>
    }
}
