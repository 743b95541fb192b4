//! Native reference for `scripts/bench.sh`: the engine's kernels and worker
//! loop run natively (rayon on OS threads), timed, printed as JSON.
//!
//! `bench [primes-limit] [tasks]`

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let mut args = std::env::args().skip(1);
    let limit: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(5_000_000);
    let tasks: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(64);
    println!("{}", engine::python::schedule::native::reference_json(limit, tasks));
}

#[cfg(target_arch = "wasm32")]
fn main() {}
