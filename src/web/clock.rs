//! One clock for the page and all its workers, and facts about the browser.
//!
//! `performance.now()` counts from each global's own time origin, so a
//! worker's reading cannot be compared with the page's. Adding
//! `performance.timeOrigin` puts every reading on one shared axis.
//! Resolution: 5 µs when cross-origin isolated, 100 µs otherwise.

use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Performance;

thread_local! {
    static PERF: Option<Performance> = Reflect::get(&js_sys::global(), &JsValue::from_str("performance"))
        .ok()
        .and_then(|p| p.dyn_into::<Performance>().ok());
}

/// Milliseconds since the Unix epoch, with sub-millisecond precision.
pub(crate) fn now_ms() -> f64 {
    PERF.with(|p| match p {
        Some(p) => p.time_origin() + p.now(),
        None => js_sys::Date::now(),
    })
}

/// The global `name` (`globalThis[name]`), if it can be read.
pub(crate) fn global_flag(name: &str) -> Option<JsValue> {
    Reflect::get(&js_sys::global(), &JsValue::from_str(name)).ok()
}

/// `crossOriginIsolated`: whether shared memory (threads) is allowed.
pub(crate) fn cross_origin_isolated() -> bool {
    global_flag("crossOriginIsolated").and_then(|v| v.as_bool()).unwrap_or(false)
}

/// What `www/coi.js` reported about isolating the page through the
/// service worker (`globalThis.coiStatus`), if it ran.
pub(crate) fn isolation_status() -> Option<String> {
    global_flag("coiStatus").and_then(|v| v.as_string())
}

/// `navigator.hardwareConcurrency`, at least 1.
pub(crate) fn hardware_concurrency() -> usize {
    global_flag("navigator")
        .and_then(|n| Reflect::get(&n, &JsValue::from_str("hardwareConcurrency")).ok())
        .and_then(|v| v.as_f64())
        .map(|v| v.max(1.0) as usize)
        .unwrap_or(1)
}

/// Whether the page is hidden (background tab): timers are throttled there,
/// so timings taken while hidden are not real measurements.
pub(crate) fn page_hidden() -> bool {
    web_sys::window().and_then(|w| w.document()).map(|d| d.hidden()).unwrap_or(false)
}

/// How long [`after_paint`] waits for a frame that may never come: a tab
/// hidden while it waits gets no animation frames.
const FRAME_WAIT_MS: u32 = 100;

/// Resolves once the browser has drawn the page as it now is. A frame's
/// `requestAnimationFrame` callbacks run just before its paint, but the
/// raster and compositing that follow run on other threads (on the CPU,
/// without a GPU), so this waits for the frame after that one too, and one
/// task more. A run awaits this before its clock starts, so that drawing
/// "running…" (a page that may hold many timelines) does not take a core
/// from the workers being timed.
pub(crate) async fn after_paint() {
    // A hidden tab draws nothing (and its timers are throttled to a second
    // or more, so waiting for frames there would take seconds).
    if page_hidden() {
        return;
    }
    for _ in 0..2 {
        next_frame().await;
    }
    gloo_timers::future::TimeoutFuture::new(0).await;
}

/// The next animation frame, or at most [`FRAME_WAIT_MS`] (a tab hidden
/// meanwhile gets no frames).
async fn next_frame() {
    let (tx, rx) = futures::channel::oneshot::channel();
    let _frame = web_sys::window().map(|_| {
        gloo_render::request_animation_frame(move |_| {
            let _ = tx.send(());
        })
    });
    futures::future::select(rx, gloo_timers::future::TimeoutFuture::new(FRAME_WAIT_MS)).await;
}

/// Bytes of this wasm instance's linear memory.
pub(crate) fn wasm_memory_bytes() -> u64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let buffer = memory.buffer();
    // A shared memory's buffer is a SharedArrayBuffer, a plain one an
    // ArrayBuffer: read `byteLength` off whichever it is.
    Reflect::get(&buffer, &JsValue::from_str("byteLength")).ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as u64
}
