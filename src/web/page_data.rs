//! The page's side of moving data: the parent's array, made in JS buffers
//! (never in the page's own wasm memory, which could not shrink again), and
//! the payload each process gets for each way of moving it. The shared copy
//! is a shared `WebAssembly.Memory` of its own, which each process maps and
//! reads in place (see `web::workers::shared_sum`).

use crate::web::pools::messaging::describe;
use crate::web::workers::shared_sum::shared_memory;
use engine::analysis::moving_data::{self, MoveMode};
use engine::error::{Failure, RunError};
use gloo_timers::future::TimeoutFuture;
use js_sys::WebAssembly;
use std::ops::Range;
use wasm_bindgen::JsValue;

/// Elements made per step; the page yields to the browser between steps,
/// so making a 128 MiB array never freezes it.
const STEP: u32 = 1 << 20;

/// What one process is sent: the data and, to hand it over rather than
/// copy it, the buffer to transfer.
pub(crate) struct Payload {
    pub(crate) data: JsValue,
    pub(crate) transfer: Option<JsValue>,
}

/// The parent's array: one plain buffer per chunk (what copy and transfer
/// send) and, on an isolated page, the whole array in shared memory.
pub(crate) struct PageData {
    len: u64,
    chunks: Vec<(Range<u64>, js_sys::Uint32Array)>,
    shared: Option<WebAssembly::Memory>,
}

/// Fills `target` with the elements from `offset` on, a step at a time.
async fn fill(target: &js_sys::Uint32Array, offset: u64) {
    let mut block = vec![0u32; STEP as usize];
    let len = target.length();
    let mut at = 0u32;
    while at < len {
        let n = STEP.min(len - at);
        moving_data::fill(&mut block[..n as usize], offset + u64::from(at));
        target.subarray(at, at + n).copy_from(&block[..n as usize]);
        at += n;
        TimeoutFuture::new(0).await;
    }
}

impl PageData {
    /// Makes the array of `len` elements cut into `chunks`; the shared copy
    /// only when `shared` (it needs an isolated page).
    pub(crate) async fn make(len: u64, chunks: &[Range<u64>], shared: bool) -> Result<Self, RunError> {
        let mut parts = Vec::with_capacity(chunks.len());
        for r in chunks {
            let a = js_sys::Uint32Array::new_with_length((r.end - r.start) as u32);
            fill(&a, r.start).await;
            parts.push((r.clone(), a));
        }
        let shared = if shared {
            let bytes = len * moving_data::ELEMENT_BYTES;
            let memory = shared_memory(bytes).map_err(|e| {
                RunError::Failed(Failure::NoMemory { mib: bytes / moving_data::MIB, detail: describe(&e) })
            })?;
            fill(&js_sys::Uint32Array::new(&memory.buffer()), 0).await;
            Some(memory)
        } else {
            None
        };
        Ok(PageData { len, chunks: parts, shared })
    }

    /// Whether this array fits a run of `len` elements in these chunks.
    pub(crate) fn fits(&self, len: u64, chunks: &[Range<u64>], shared: bool) -> bool {
        self.len == len
            && self.chunks.len() == chunks.len()
            && self.chunks.iter().zip(chunks).all(|(a, b)| a.0 == *b)
            && (!shared || self.shared.is_some())
    }

    /// The payload of each chunk for `mode`. For transfer, each chunk is
    /// first copied into a fresh buffer — before the run's clock starts —
    /// because a transferred buffer is gone from the page afterwards.
    pub(crate) fn payloads(&self, mode: MoveMode) -> Vec<Payload> {
        self.chunks
            .iter()
            .map(|(_, a)| match mode {
                MoveMode::Copy => Payload { data: a.clone().into(), transfer: None },
                MoveMode::Transfer => {
                    let fresh = a.slice(0, a.length());
                    let buffer: JsValue = fresh.buffer().into();
                    Payload { data: fresh.into(), transfer: Some(buffer) }
                }
                MoveMode::Shared => Payload {
                    data: self.shared.clone().map(JsValue::from).unwrap_or(JsValue::UNDEFINED),
                    transfer: None,
                },
            })
            .collect()
    }
}
