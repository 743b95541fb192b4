//! What starting a process costs, measured three ways that mirror
//! `multiprocessing.set_start_method`:
//!
//! - *spawn*: a fresh worker fetches and compiles the wasm module itself
//!   (`www/spawned_worker.js`), from bytes, so no engine's code cache can
//!   turn it into a forkserver-like start;
//! - *forkserver-like*: a fresh worker is handed the module the page
//!   compiled once (`www/forked_worker.js`), and only instantiates it;
//! - a *reused pool*: no start at all, just a task's round trip.
//!
//! The fresh workers are started with `?cold`, so they skip the warm-up the
//! pools do (that is our own choice, not part of starting a process).

use crate::web::clock::now_ms;
use crate::web::pools::messaging::{describe, within_start_deadline, WorkerLink};
use engine::error::{Failure, RunError, Unavailable};
use engine::pools::process::START_TIMEOUT_MS;
use engine::pools::protocol::{ProcReply, ProcRequest};
use futures::channel::mpsc::unbounded;
use futures::StreamExt;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// The spawned and the forkserver-like loaders of the process worker.
const SPAWN_URL: &str = "./spawned_worker.js?cold";
const FORKED_URL: &str = "./forked_worker.js?cold";
const MODULE_URL: &str = "./process_worker_bg.wasm";

/// Compiles the process worker's module once, in the page (off the main
/// thread: `compileStreaming` compiles in the background).
pub(crate) async fn compile_module() -> Result<JsValue, RunError> {
    let window = web_sys::window().ok_or(Failure::WorkerClosed)?;
    let response = window.fetch_with_str(MODULE_URL);
    JsFuture::from(js_sys::WebAssembly::compile_streaming(&response))
        .await
        .map_err(|e| RunError::from(Unavailable::WorkerLoad { detail: describe(&e) }))
}

/// Starts one fresh process — spawned, or handed `module` — and returns
/// the milliseconds until it said it had loaded. The worker is then
/// terminated.
pub(crate) async fn start_once(module: Option<&JsValue>) -> Result<f64, RunError> {
    within_start_deadline(START_TIMEOUT_MS, start_once_unbounded(module)).await
}

async fn start_once_unbounded(module: Option<&JsValue>) -> Result<f64, RunError> {
    let (tx, mut rx) = unbounded();
    let t0 = now_ms();
    let url = if module.is_some() { FORKED_URL } else { SPAWN_URL };
    let link = WorkerLink::<ProcRequest, ProcReply>::spawn(url, 0, tx)
        .map_err(|detail| RunError::from(Unavailable::WorkerStart { detail }))?;
    if let Some(m) = module {
        link.post_raw(m).map_err(|detail| RunError::from(Failure::Messaging { detail }))?;
    }
    loop {
        match rx.next().await {
            Some((_, Ok(ProcReply::Loaded { .. }))) => break,
            Some((_, Ok(_))) => continue,
            Some((_, Err(detail))) => return Err(Unavailable::WorkerLoad { detail }.into()),
            None => return Err(Failure::WorkerClosed.into()),
        }
    }
    let ms = now_ms() - t0;
    drop(link);
    Ok(ms)
}
