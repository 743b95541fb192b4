//! Link settings for the shared-memory thread host.
//!
//! rust-lang/rust#147225 (2025-10) stopped `+atomics` from implying a shared
//! memory, so the linker must be told: shared, imported (wasm-bindgen hands
//! the one `WebAssembly.Memory` to every worker), with a maximum, and the TLS
//! symbols exported so that wasm-bindgen can set up each thread's TLS.
//!
//! (The build id the page and its workers compare is the engine's:
//! crates/engine/build.rs.)
//!
//! Also compiles `src/web/workers/shared_sum.wat`, the kernel a process runs over the
//! shared array in place, to `$OUT_DIR/shared_sum.wasm`.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/web/workers/shared_sum.wat");
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    match wat::parse_file("src/web/workers/shared_sum.wat") {
        Ok(wasm) => {
            if let Err(e) = std::fs::write(out.join("shared_sum.wasm"), wasm) {
                panic!("cannot write shared_sum.wasm: {e}");
            }
        }
        Err(e) => panic!("src/web/workers/shared_sum.wat: {e}"),
    }
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32");
    let threads = std::env::var_os("CARGO_FEATURE_THREADS").is_some();
    if wasm && threads {
        for arg in [
            "--shared-memory",
            // 1 GiB: far above what any run needs (inputs are capped), and the
            // bound the browser reserves up front (wasm-bindgen#2306).
            "--max-memory=1073741824",
            "--import-memory",
            "--export=__wasm_init_tls",
            "--export=__tls_size",
            "--export=__tls_align",
            "--export=__tls_base",
        ] {
            println!("cargo:rustc-link-arg-bin=thread_host={arg}");
        }
    }
}
