//! Native reference for `scripts/bench.sh`: the engine's kernels and worker
//! loop run natively (rayon on OS threads), timed, printed as JSON.
//!
//! `bench [primes-limit] [tasks]`

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use concurrency_lab::engine::schedule::native::{run_pool, NativeEnv};
    use concurrency_lab::engine::{Plan, Strategy, Workload, WorkloadKind};
    use std::time::Instant;

    let mut args = std::env::args().skip(1);
    let limit: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(5_000_000);
    let tasks: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(64);
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let env = NativeEnv::default();
    let mut rows = Vec::new();
    for (kind, size) in [(WorkloadKind::Primes, limit), (WorkloadKind::Primes, 1_000_000)] {
        let w = Workload { kind, size, tasks, plan: Plan::Uniform };
        let list = w.tasks();
        // Sequential: one call after another on this thread.
        let best_seq = (0..3)
            .map(|_| {
                let t = Instant::now();
                let answer = w.combine(list.iter().map(|t| t.compute(&|| false).unwrap_or(0)));
                (t.elapsed().as_secs_f64() * 1000.0, answer)
            })
            .fold((f64::MAX, 0), |a, b| if b.0 < a.0 { b } else { a });
        rows.push(format!(
            "{{\"kernel\":\"primes\",\"size\":{size},\"tasks\":{tasks},\"model\":\"sequential\",\"workers\":1,\"wall_ms\":{:.3},\"answer\":{}}}",
            best_seq.0, best_seq.1
        ));
        let mut counts: Vec<usize> = vec![1, 2, cores];
        counts.sort_unstable();
        counts.dedup();
        for n in counts {
            let best = (0..3)
                .filter_map(|_| {
                    let t = Instant::now();
                    let out = run_pool(&list, n, Strategy::Dynamic { chunk: 1 }, &env, None).ok()?;
                    Some((t.elapsed().as_secs_f64() * 1000.0, w.combine(out.iter().map(|o| o.value))))
                })
                .fold((f64::MAX, 0), |a, b| if b.0 < a.0 { b } else { a });
            rows.push(format!(
                "{{\"kernel\":\"primes\",\"size\":{size},\"tasks\":{tasks},\"model\":\"rayon\",\"workers\":{n},\"wall_ms\":{:.3},\"answer\":{}}}",
                best.0, best.1
            ));
        }
    }
    println!("{{\"cores\":{cores},\"runs\":[{}]}}", rows.join(","));
}

#[cfg(target_arch = "wasm32")]
fn main() {}
