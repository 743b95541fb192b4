//! Loads the lab's code: the second half of the page's wasm in a release
//! build (scripts/lab_split.py) — the lab's views and everything that runs
//! a model — through the loader scripts/lab_split.js
//! adds to wasm-bindgen's glue (`globalThis.__concurrencyLabCode`). A debug
//! build (no `--release`) has no loader: all its code is one module.

use crate::ui::state::LoadError;
use crate::web::clock::global_flag;
use gloo_timers::future::TimeoutFuture;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The loader, if this build has one.
fn loader() -> Option<JsValue> {
    global_flag("__concurrencyLabCode").filter(JsValue::is_object)
}

fn method(loader: &JsValue, name: &str) -> Option<Function> {
    Reflect::get(loader, &JsValue::from_str(name)).ok()?.dyn_into::<Function>().ok()
}

/// Whether this build loads the lab's code apart.
pub(crate) fn split() -> bool {
    loader().is_some()
}

/// Whether the lab's code is here (always, in a build without a split).
pub(crate) fn loaded() -> bool {
    let Some(loader) = loader() else { return true };
    method(&loader, "loaded").and_then(|f| f.call0(&loader).ok()).and_then(|v| v.as_bool()).unwrap_or(false)
}

/// The browser's words for a failed load: an `Error`'s name and message.
fn failure(error: &JsValue) -> LoadError {
    let field = |name: &str| Reflect::get(error, &JsValue::from_str(name)).ok().and_then(|v| v.as_string());
    match (field("name").as_deref(), field("message")) {
        (Some("Gone"), _) => LoadError::Gone,
        (_, Some(message)) if !message.is_empty() => LoadError::Failed(message),
        _ => LoadError::Failed(error.as_string().unwrap_or_else(|| "unknown error".to_owned())),
    }
}

/// Fetches, compiles and links the lab's code (at once if it is already
/// here, or if this build has no split).
pub(crate) async fn load() -> Result<(), LoadError> {
    let Some(loader) = loader() else { return Ok(()) };
    let load = method(&loader, "load").ok_or_else(|| LoadError::Failed("the page's loader has no load()".into()))?;
    let promise = load.call0(&loader).map_err(|e| failure(&e))?;
    let promise = promise.dyn_into::<Promise>().map_err(|_| LoadError::Failed("load() gave no promise".into()))?;
    JsFuture::from(promise).await.map(drop).map_err(|e| failure(&e))
}

/// Resolves once the page is idle (`requestIdleCallback`, which Safari
/// lacks: then after a second), and at most `within_ms` later.
pub(crate) async fn idle(within_ms: u32) {
    if let Some(idle) = global_flag("requestIdleCallback").and_then(|f| f.dyn_into::<Function>().ok()) {
        let mut asked = false;
        let promise = Promise::new(&mut |resolve, _| {
            let options = js_sys::Object::new();
            let _ = Reflect::set(&options, &JsValue::from_str("timeout"), &JsValue::from(within_ms));
            asked = idle.call2(&js_sys::global(), &resolve, &options).is_ok();
        });
        if asked {
            let _ = JsFuture::from(promise).await;
            return;
        }
    }
    TimeoutFuture::new(within_ms.min(1000)).await;
}
