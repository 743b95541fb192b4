//! Typed messaging with workers, from both sides: every message is one
//! `Uint8Array` of `protocol::encode`d bytes.
//!
//! `WorkerLink` is the page's handle on one module worker: it posts encoded
//! requests and turns `message`/`error` events into an async stream of
//! replies. `parent` is the worker's side: reply to the page and listen.

use engine::error::{RunError, Unavailable};
use engine::pools::protocol::{decode, encode};
use futures::channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::marker::PhantomData;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, Event, MessageEvent, Worker, WorkerOptions, WorkerType};

/// `start` (a worker's start, up to its first words), or a
/// `StartTimeout` error once `limit_ms` has passed (in general
/// `engine::pools::process::START_TIMEOUT_MS`): a worker whose wasm fails to
/// compile rejects a promise inside itself, which the page never hears of,
/// so no start may wait for ever.
pub(crate) async fn within_start_deadline<T>(
    limit_ms: f64,
    start: impl std::future::Future<Output = Result<T, RunError>>,
) -> Result<T, RunError> {
    use futures::FutureExt;
    let start = start.fuse();
    let timeout = gloo_timers::future::TimeoutFuture::new(limit_ms.clamp(0.0, f64::from(u32::MAX)) as u32).fuse();
    futures::pin_mut!(start, timeout);
    futures::select! {
        r = start => r,
        _ = timeout => Err(Unavailable::StartTimeout { seconds: (limit_ms / 1000.0).round() as u64 }.into()),
    }
}

/// A reply from worker number `.0` of a pool (or an error from it).
pub(crate) type Tagged<Rep> = (usize, Result<Rep, String>);

/// The page's end of a worker that speaks `Req` and answers `Rep`. Replies
/// go to a channel shared by a whole pool, tagged with the worker's number,
/// so one loop can wait on every worker at once.
pub(crate) struct WorkerLink<Req, Rep> {
    worker: Worker,
    // Kept alive for as long as the worker may call them.
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
    _types: PhantomData<fn(Req) -> Rep>,
}

impl<Req: Serialize, Rep: DeserializeOwned + 'static> WorkerLink<Req, Rep> {
    /// Starts a module worker from `url` (relative to the page) whose
    /// replies go to `sink` tagged `tag`.
    pub(crate) fn spawn(url: &str, tag: usize, sink: UnboundedSender<Tagged<Rep>>) -> Result<Self, String> {
        let opts = WorkerOptions::new();
        opts.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(url, &opts)
            .map_err(|e| format!("could not start a worker from {url}: {}", describe(&e)))?;
        let tx = sink;
        let tx_err = tx.clone();
        let url = url.to_owned();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let msg = decode_js::<Rep>(&ev.data())
                .unwrap_or_else(|| Err("a worker sent a message that is not ours".to_owned()));
            let _ = tx.unbounded_send((tag, msg));
        });
        // A script that throws fires an `ErrorEvent` with a message; a
        // script that cannot be fetched (a 404, offline) fires a plain
        // `Event` with none — reading `ErrorEvent.message` off that throws
        // "Illegal invocation", and the failure would go unheard. So the
        // message is read only where there is one.
        let on_error = Closure::<dyn FnMut(Event)>::new(move |ev: Event| {
            ev.prevent_default();
            let message = ev
                .dyn_ref::<web_sys::ErrorEvent>()
                .map(|e| e.message())
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| format!("the worker script {url} could not be loaded"));
            let _ = tx_err.unbounded_send((tag, Err(format!("worker error: {message}"))));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(WorkerLink { worker, _on_message: on_message, _on_error: on_error, _types: PhantomData })
    }

    /// Sends `req` with a payload beside it: `[bytes, payload]`. With
    /// `transfer`, that buffer is handed over (no copy, and gone from the
    /// page); otherwise the payload is copied by structured clone — or,
    /// for a `SharedArrayBuffer` view, shared.
    pub(crate) fn send_with_payload(
        &self,
        req: &Req,
        payload: &JsValue,
        transfer: Option<&JsValue>,
    ) -> Result<(), String> {
        let message = js_sys::Array::of2(&bytes(&encode(req)), payload);
        let sent = match transfer {
            Some(buffer) => self.worker.post_message_with_transfer(&message, &js_sys::Array::of1(buffer)),
            None => self.worker.post_message(&message),
        };
        sent.map_err(|e| format!("could not message a worker: {}", describe(&e)))
    }

    /// Posts a JS value as it is (the forkserver-like start hands a
    /// compiled `WebAssembly.Module` over this way).
    pub(crate) fn post_raw(&self, value: &JsValue) -> Result<(), String> {
        self.worker.post_message(value).map_err(|e| format!("could not message a worker: {}", describe(&e)))
    }

    pub(crate) fn send(&self, req: &Req) -> Result<(), String> {
        self.worker
            .post_message(&bytes(&encode(req)))
            .map_err(|e| format!("could not message a worker: {}", describe(&e)))
    }
}

impl<Req, Rep> Drop for WorkerLink<Req, Rep> {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

/// A message's bytes as the `Uint8Array` that is posted (and cloned).
fn bytes(encoded: &[u8]) -> JsValue {
    js_sys::Uint8Array::from(encoded).into()
}

/// Decodes a posted message: `None` if it is not a `Uint8Array` (so not one
/// of ours).
fn decode_js<T: DeserializeOwned>(value: &JsValue) -> Option<Result<T, String>> {
    value.dyn_ref::<js_sys::Uint8Array>().map(|b| decode(&b.to_vec()))
}

/// Best-effort text of a thrown JS value.
pub(crate) fn describe(e: &JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        return String::from(err.message());
    }
    // Not `{e:?}`: the page is built with `-Zfmt-debug=none` (Cargo.toml),
    // where Debug prints nothing.
    e.as_string()
        .or_else(|| js_sys::JSON::stringify(e).ok().and_then(|s| s.as_string()))
        .unwrap_or_else(|| String::from("a value that is not an error"))
}

/// The worker's side.
pub(crate) mod parent {
    use super::*;

    fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    /// Sends a reply to the page. A failed post means the page is gone.
    pub(crate) fn post<T: Serialize>(msg: &T) {
        let _ = scope().post_message(&bytes(&encode(msg)));
    }

    /// Every request from the page, decoded, as a stream.
    // The thread host's (the `threads` build); processes take payloads too.
    #[cfg_attr(not(feature = "threads"), allow(dead_code))]
    pub(crate) fn requests<T: DeserializeOwned + 'static>() -> UnboundedReceiver<Result<T, String>> {
        let (tx, rx) = unbounded();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            // Ignore messages that are not ours (wasm-bindgen-rayon's own
            // init messages are plain objects, ours are bytes).
            if let Some(msg) = decode_js::<T>(&ev.data()) {
                let _ = tx.unbounded_send(msg);
            }
        });
        scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The handler lives as long as the worker.
        on_message.forget();
        rx
    }

    /// A request and the payload that came beside it (`[bytes, payload]`,
    /// see `WorkerLink::send_with_payload`), if any.
    pub(crate) type WithPayload<T> = Result<(T, Option<JsValue>), String>;

    /// Every request from the page, decoded, with its payload if it has
    /// one.
    pub(crate) fn requests_with_payload<T: DeserializeOwned + 'static>() -> UnboundedReceiver<WithPayload<T>> {
        let (tx, rx) = unbounded();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let data = ev.data();
            let msg = if let Some(msg) = decode_js::<T>(&data) {
                msg.map(|req| (req, None))
            } else if js_sys::Array::is_array(&data) {
                let pair = js_sys::Array::from(&data);
                match decode_js::<T>(&pair.get(0)) {
                    Some(msg) => msg.map(|req| (req, Some(pair.get(1)))),
                    None => Err("a message with a payload but no request".to_owned()),
                }
            } else {
                return;
            };
            let _ = tx.unbounded_send(msg);
        });
        scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        rx
    }
}
