//! Summing the parent's shared array in place, from a process.
//!
//! A process worker's own wasm memory is private (not shared), and wasm code
//! reads only its own linear memory; copying the shared array into it block
//! by block would be a second pass over the data that neither threads nor
//! Python's `shared_memory` pay. So the worker instantiates one more, tiny
//! module (`shared_sum.wat`, compiled by build.rs) whose memory *is* the
//! page's shared `WebAssembly.Memory`, and calls its `sum` there: the data is
//! read where it lies, as a process reads a mapped `shared_memory` segment.

use crate::web::pools::messaging::describe;
use engine::analysis::moving_data::ELEMENT_BYTES;
use js_sys::{Function, Object, Reflect, WebAssembly};
use wasm_bindgen::{JsCast, JsValue};

/// The kernel's binary, compiled from `shared_sum.wat` at build time.
const KERNEL: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/shared_sum.wasm"));

/// The kernel, compiled once per worker. It is instantiated per run: each
/// message brings a new `WebAssembly.Memory` object (of the same shared
/// buffer), and instantiating a module this small costs microseconds.
#[derive(Default)]
pub(crate) struct SharedSum {
    module: Option<WebAssembly::Module>,
}

/// Why the shared array could not be summed, in the browser's words.
fn failed(what: &str, e: &JsValue) -> String {
    format!("{what}: {}", describe(e))
}

impl SharedSum {
    /// Compiles the kernel (synchronous: it is a few dozen bytes, and this
    /// is a worker).
    fn module(&mut self) -> Result<WebAssembly::Module, String> {
        if let Some(m) = &self.module {
            return Ok(m.clone());
        }
        let bytes = js_sys::Uint8Array::from(KERNEL);
        let m = WebAssembly::Module::new(&bytes).map_err(|e| failed("compiling the shared-memory kernel", &e))?;
        self.module = Some(m.clone());
        Ok(m)
    }

    /// The kernel's `sum`, bound to `memory`.
    fn bind(&mut self, memory: &WebAssembly::Memory) -> Result<Function, String> {
        let module = self.module()?;
        let lab = Object::new();
        let imports = Object::new();
        Reflect::set(&lab, &"array".into(), memory).map_err(|e| failed("importing the shared array", &e))?;
        Reflect::set(&imports, &"lab".into(), &lab).map_err(|e| failed("importing the shared array", &e))?;
        let instance =
            WebAssembly::Instance::new(&module, &imports).map_err(|e| failed("mapping the shared array", &e))?;
        Reflect::get(&instance.exports(), &"sum".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
            .ok_or_else(|| "the shared-memory kernel has no sum".to_owned())
    }

    /// `sum(array[from..from + len])` of the shared array in `memory`, in
    /// elements; refused (not wrapped) past the memory's end.
    pub(crate) fn sum(&mut self, memory: &WebAssembly::Memory, from: u64, len: u64) -> Result<u64, String> {
        // A shared memory's buffer is a `SharedArrayBuffer`; read its
        // length whatever the buffer type.
        let bytes =
            Reflect::get(&memory.buffer(), &"byteLength".into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as u64;
        let end = from.checked_add(len).and_then(|e| e.checked_mul(ELEMENT_BYTES));
        let start = from.checked_mul(ELEMENT_BYTES).filter(|_| end.is_some_and(|e| e <= bytes));
        let Some(start) = start.and_then(|s| u32::try_from(s).ok()) else {
            return Err(format!("elements {from}..{} lie outside the shared array", from.saturating_add(len)));
        };
        let count = u32::try_from(len).map_err(|_| format!("{len} elements are too many for one call"))?;
        let sum = self.bind(memory)?;
        let total = sum
            .call2(&JsValue::UNDEFINED, &start.into(), &count.into())
            .map_err(|e| failed("summing the shared array", &e))?;
        u64::try_from(total).map_err(|e| failed("the kernel's sum", &e))
    }

    /// Compiles the kernel and runs it over a small shared memory of its
    /// own, so the first real call is not timed while the browser is still
    /// compiling it. Does nothing when the page is not isolated.
    pub(crate) fn warm_up(&mut self) {
        if !crate::web::features::can_share_buffers() {
            return;
        }
        let bytes = 16 * WASM_PAGE;
        let Ok(memory) = shared_memory(bytes) else { return };
        let len = bytes / ELEMENT_BYTES;
        for _ in 0..8 {
            let _ = std::hint::black_box(self.sum(&memory, 0, len));
        }
    }
}

/// Bytes in a wasm page.
const WASM_PAGE: u64 = 65_536;

/// A shared `WebAssembly.Memory` of at least `bytes` (whole 64-KiB pages),
/// which cannot grow (its views stay valid).
pub(crate) fn shared_memory(bytes: u64) -> Result<WebAssembly::Memory, JsValue> {
    let pages = u32::try_from(bytes.div_ceil(WASM_PAGE)).unwrap_or(u32::MAX);
    let d = Object::new();
    Reflect::set(&d, &"initial".into(), &pages.into())?;
    Reflect::set(&d, &"maximum".into(), &pages.into())?;
    Reflect::set(&d, &"shared".into(), &true.into())?;
    WebAssembly::Memory::new(&d)
}
