//! The WASM entry point: hydrates the server-rendered page into the live app.
#![recursion_limit = "512"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy routes: hydration waits for the current page's chunk, so it runs as a task.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    leptos::task::spawn_local(async {
        let body = leptos::prelude::document().body().expect("the page has a body");
        let mounted = leptos::mount::hydrate_from_async(body.clone(), app::App).await;
        mounted.forget();
        // Marks the page interactive: browser tests wait for it before clicking.
        let _ = body.set_attribute("data-hydrated", "true");
    });
}

/// Room for the code splitter. It gives every split module its own slice of the static
/// data segment, each slice aligned, and the segment may not grow (what follows it
/// would be overwritten): when the slices add up to more than the original segment,
/// the build fails, saying by how many bytes (frontend/xtask/wasm_split; upstream
/// instead leaves all static data in the main module, +19 KB brotli on every page).
/// Nothing references these bytes, so the splitter emits them nowhere and their length
/// is room for the alignment (docs/benchmarks.md, "Build settings and their measured
/// effect").
#[used]
static SPLIT_SLACK: [u8; 8192] = [0x5a; 8192];
