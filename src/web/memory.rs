//! How much memory the pools use, as the browser itself counts it:
//! `performance.measureUserAgentSpecificMemory()` (Chromium, on a
//! cross-origin isolated page) attributes bytes to each worker by its
//! script's address. Elsewhere the figure falls back to the workers' wasm
//! memories, and says so.
//!
//! Chromium resolves that promise only after its next garbage collection,
//! which can take 20 s, and only once every worker has answered (a worker
//! parked in `Atomics.wait` never does); the page shows that a measurement is in progress
//! (the tests start Chromium with `ForceEagerMeasureMemory`).

use crate::web::pools::messaging::describe;
use engine::analysis::costs::BrowserMemory;
use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Whether this browser can measure (it needs an isolated page).
pub(crate) fn can_measure() -> bool {
    get(&js_sys::global(), "performance").is_object()
        && get(&get(&js_sys::global(), "performance"), "measureUserAgentSpecificMemory").is_function()
        && crate::web::clock::cross_origin_isolated()
}

/// How long the page waits for the browser's count before it falls back
/// to the wasm memories (the count never comes while a worker is blocked).
const PATIENCE_MS: u32 = 25_000;

/// Measures, or says why it could not.
pub(crate) async fn measure() -> Result<BrowserMemory, String> {
    use futures::FutureExt;
    let mut count = Box::pin(count().fuse());
    let mut timeout = gloo_timers::future::TimeoutFuture::new(PATIENCE_MS).fuse();
    futures::select! {
        r = count => r,
        _ = timeout => Err("the browser did not answer in time".to_owned()),
    }
}

async fn count() -> Result<BrowserMemory, String> {
    let performance = get(&js_sys::global(), "performance");
    let f: Function = get(&performance, "measureUserAgentSpecificMemory")
        .dyn_into()
        .map_err(|_| "measureUserAgentSpecificMemory is not available".to_owned())?;
    let promise: Promise =
        f.call0(&performance).map_err(|e| describe(&e))?.dyn_into().map_err(|_| "not a promise".to_owned())?;
    let result = JsFuture::from(promise).await.map_err(|e| describe(&e))?;
    let mut out = BrowserMemory::default();
    for entry in Array::from(&get(&result, "breakdown")).iter() {
        let bytes = get(&entry, "bytes").as_f64().unwrap_or(0.0) as u64;
        let attribution = Array::from(&get(&entry, "attribution"));
        // An entry shared by several contexts is split evenly among them.
        let n = attribution.length().max(1) as u64;
        for a in attribution.iter() {
            let url = get(&a, "url").as_string().unwrap_or_default();
            let scope = get(&a, "scope").as_string().unwrap_or_default();
            let share = bytes / n;
            if scope == "DedicatedWorkerGlobalScope" {
                if url.contains("process_worker") || url.contains("forked_worker") {
                    out.processes.push(share);
                } else {
                    // The thread host, and the rayon threads it starts
                    // from blob: addresses.
                    out.threads += share;
                }
            }
        }
    }
    Ok(out)
}
