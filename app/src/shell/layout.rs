use leptos::prelude::*;
use leptos_router::components::{Outlet, A};
use leptos_router::hooks::use_location;

use super::nav_items;
use crate::auth::{get_current_user, CurrentUser, Logout};
use crate::search::CommandPalette;

/// The signed-in user, loaded once per page load and shared with every page.
#[derive(Clone, Copy)]
pub struct UserResource(pub Resource<Result<Option<CurrentUser>, crate::AppError>>);

/// The signed-in user inside the layout (`None` while loading or signed out).
pub fn use_current_user() -> Signal<Option<CurrentUser>> {
    let UserResource(res) = expect_context::<UserResource>();
    Signal::derive(move || res.get().and_then(|r| r.ok()).flatten())
}

/// The frame around every signed-in page: brand, navigation, user, sign-out.
#[component]
pub fn Layout() -> impl IntoView {
    let user = Resource::new(|| (), |_| get_current_user());
    provide_context(UserResource(user));
    provide_context(crate::search::PaletteOpen(RwSignal::new(false)));
    let logout = ServerAction::<Logout>::new();
    let location = use_location();

    view! {
        <div class="app">
            <header class="topbar">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"FC"</span>
                    <span class="brand-name">"Fulfillment Console"</span>
                </a>
                <Suspense fallback=|| view! { <nav class="nav" aria-label="Main"></nav> }>
                    // Awaited, not read with `get`: a resource read through `get` by several
                    // boundaries can leave a streamed page unfinished (leptos #4578, #4851).
                    {move || Suspend::new(async move { match user.await {
                        Ok(Some(u)) => {
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
                                    <span class="user-name">{u.name.clone()}</span>
                                    <span class="badge role" data-testid="current-role">{u.role.label()}</span>
                                    <ActionForm action=logout>
                                        <button type="submit" class="button ghost small">"Sign out"</button>
                                    </ActionForm>
                                </div>
                            }.into_any()
                        }
                        _ => view! { <a class="button small" href="/login">"Sign in"</a> }.into_any(),
                    }})}
                </Suspense>
            </header>
            <main class="content" id="main">
                <Outlet/>
            </main>
            <CommandPalette/>
        </div>
    }
}
