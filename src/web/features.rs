//! What this browser really offers for shared memory, found by trying it
//! rather than read off one flag.
//!
//! `crossOriginIsolated` says the page *may* share memory; it does not say
//! the engine can. Safari's engine (JavaScriptCore) can be isolated and
//! still have no `SharedArrayBuffer` (WebKitGTK hides it unless started
//! with `JSC_useSharedArrayBuffer=1`), and a page that trusted the flag
//! alone waited for ever at "0 of N tasks" there. So every decision that
//! needs shared memory — the thread models, the process pool's shared
//! counter, a blocking wait, the shared array of "moving data" — asks
//! [`shared_memory`], which tests each piece that is used.

use engine::error::Unavailable;
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};

/// Whether shared memory works on this page, or the first reason it does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SharedMemory {
    Available,
    Missing(Unavailable),
}

impl SharedMemory {
    pub(crate) fn available(&self) -> bool {
        *self == SharedMemory::Available
    }

    /// `Ok` when available, else why not, as the run error to show.
    pub(crate) fn require(&self) -> Result<(), Unavailable> {
        match self {
            SharedMemory::Available => Ok(()),
            SharedMemory::Missing(why) => Err(why.clone()),
        }
    }
}

thread_local! {
    // The answer cannot change within one page load: test once.
    static SHARED: SharedMemory = probe();
}

/// Shared memory on this page (tested once per page or worker).
pub(crate) fn shared_memory() -> SharedMemory {
    SHARED.with(Clone::clone)
}

/// Whether `SharedArrayBuffer` is a constructor here.
pub(crate) fn has_shared_array_buffer() -> bool {
    Reflect::get(&js_sys::global(), &JsValue::from_str("SharedArrayBuffer")).is_ok_and(|v| v.is_function())
}

/// Whether this global (a page or a worker) may make a `SharedArrayBuffer`
/// and wait on it: isolated, and the engine has one. Cheap, for workers
/// that need no more than that (a blocking wait, a small shared memory).
pub(crate) fn can_share_buffers() -> bool {
    crate::web::clock::cross_origin_isolated() && has_shared_array_buffer()
}

fn probe() -> SharedMemory {
    // Without isolation a SharedArrayBuffer cannot be posted to a worker,
    // even where the engine has one.
    if !crate::web::clock::cross_origin_isolated() {
        return SharedMemory::Missing(Unavailable::NotIsolated);
    }
    if !can_share_buffers() {
        return SharedMemory::Missing(Unavailable::NoSharedArrayBuffer);
    }
    // What the thread host and the moving-data array really make: a shared
    // `WebAssembly.Memory`, whose buffer must be a SharedArrayBuffer.
    match crate::web::workers::shared_sum::shared_memory(1) {
        Ok(memory) if memory.buffer().is_instance_of::<js_sys::SharedArrayBuffer>() => SharedMemory::Available,
        Ok(_) => SharedMemory::Missing(Unavailable::NoSharedWasmMemory {
            detail: "its buffer is not a SharedArrayBuffer".into(),
        }),
        Err(e) => SharedMemory::Missing(Unavailable::NoSharedWasmMemory {
            detail: crate::web::pools::messaging::describe(&e),
        }),
    }
}
