"""CPython reference for scripts/bench.sh: the same jobs the page runs,
with the real GIL. Prints JSON on stdout (progress goes to stderr).

    python3 bench/python_ref.py [primes-limit] [tasks] [workers] [--quick]

Besides the original rows (`runs`), it measures the configurations the
benchmark's fidelity table compares with the page:

- `cpu`: primes below `limit` in `tasks` tasks on ThreadPoolExecutor and
  ProcessPoolExecutor with `workers` workers, speedup over sequential;
- `io16`: 32 tasks of 20 ms `time.sleep` on ThreadPoolExecutor(16), speedup
  over really running them one after another (640 ms);
- `mixed`: 16 tasks of 20 ms each, a `time.sleep` of (1 - share) * 20 ms
  then share * 20 ms of pure-Python CPU work, for CPU shares 10/50/90 % on
  2 and 8 threads and processes, speedup over the sequential run of the
  same share. "N ms of CPU" is a loop count calibrated once at start-up
  (`calibration`);
- `convoy`: Beazley's convoy effect. One I/O thread times K waits of 1 ms
  beside 0, 1 and 2 CPU-bound threads; median and p95 ms per wait.

Every timed figure is the best of 3 runs after one warm-up run (the page's
rule too). `--quick` shrinks everything for a smoke test (best of 1, two
CPU shares, 20 convoy waits); its figures are not for comparison.
"""
import asyncio
import json
import math
import os
import statistics
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

# ---------------------------------------------------------------- kernels
# Module level, so ProcessPoolExecutor's workers can import them.


def is_prime(n):
    if n < 2:
        return False
    if n < 4:
        return True
    if n % 2 == 0:
        return False
    d = 3
    while d * d <= n:
        if n % d == 0:
            return False
        d += 2
    return True


def count_primes(bounds):
    lo, hi = bounds
    return sum(1 for k in range(lo, hi) if is_prime(k))


def chunks(limit, tasks):
    edges = [limit * i // tasks for i in range(tasks + 1)]
    return list(zip(edges, edges[1:]))


def spin(n):
    """Pure-Python CPU work: the loop `calibrate` counts."""
    x = 0
    for i in range(n):
        x += i
    return x


def mixed_task(job):
    """One mixed task: wait `wait_ms` (I/O, the GIL released), then `iters`
    iterations of `spin` (CPU, the GIL held)."""
    wait_ms, iters = job
    if wait_ms > 0:
        time.sleep(wait_ms / 1000.0)
    spin(iters)
    return 1


def sleep_task(ms):
    time.sleep(ms / 1000.0)
    return 1


async def sleeper(ms):
    await asyncio.sleep(ms / 1000.0)
    return 1


# ---------------------------------------------------------------- timing


def timed(fn):
    t = time.perf_counter()
    answer = fn()
    return (time.perf_counter() - t) * 1000.0, answer


def best_of(fn, n):
    """One warm-up run (discarded), then the best of `n`:
    (best ms, answer, all n samples in ms)."""
    fn()
    samples, answer = [], None
    for _ in range(n):
        ms, answer = timed(fn)
        samples.append(ms)
    return min(samples), answer, samples


def log(msg):
    print(f"[python_ref] {msg}", file=sys.stderr, flush=True)


def r3(x):
    return round(x, 3)


def calibrate(sample_ms=20.0, samples=9):
    """How many `spin` iterations take 1 ms here: grow n until one call takes
    at least a quarter of `sample_ms`, scale it to `sample_ms`, then take
    the median rate of `samples` calls of that length."""
    n = 10_000
    while True:
        ms, _ = timed(lambda: spin(n))
        if ms >= sample_ms / 4:
            break
        n *= 2
    n = max(1, int(n * sample_ms / ms))
    rates = []
    for _ in range(samples):
        ms, _ = timed(lambda: spin(n))
        rates.append(n / ms)
    per_ms = statistics.median(rates)
    return {
        "loop": "def spin(n): x = 0; for i in range(n): x += i",
        "iterations_per_ms": round(per_ms, 1),
        "sample_ms": sample_ms,
        "iterations_per_sample": n,
        "samples_iterations_per_ms": [round(r, 1) for r in rates],
        "spread": r3((max(rates) - min(rates)) / per_ms),
    }


def percentile(sorted_values, p):
    """Nearest-rank percentile of already sorted values."""
    k = max(1, math.ceil(p / 100.0 * len(sorted_values)))
    return sorted_values[k - 1]


# ---------------------------------------------------------------- convoy

_convoy_stop = False


def _burn():
    x = 0
    while not _convoy_stop:
        x += 1


def convoy(cpu_threads, waits, wait_ms):
    """One I/O thread times `waits` sleeps of `wait_ms` beside `cpu_threads`
    threads running `while not done: x += 1`."""
    global _convoy_stop
    _convoy_stop = False
    burners = [threading.Thread(target=_burn, daemon=True) for _ in range(cpu_threads)]
    for t in burners:
        t.start()
    times = []

    def io():
        for _ in range(waits):
            t0 = time.perf_counter()
            time.sleep(wait_ms / 1000.0)
            times.append((time.perf_counter() - t0) * 1000.0)

    io_thread = threading.Thread(target=io)
    time.sleep(0.02)  # let the CPU threads get going first
    io_thread.start()
    io_thread.join()
    _convoy_stop = True
    for t in burners:
        t.join()
    s = sorted(times)
    return {
        "cpu_threads": cpu_threads,
        "waits": waits,
        "wait_ms": wait_ms,
        "median_ms": r3(statistics.median(s)),
        "p95_ms": r3(percentile(s, 95)),
        "mean_ms": r3(statistics.fmean(s)),
        "max_ms": r3(s[-1]),
    }


# ---------------------------------------------------------------- main


def _gather(n, ms):
    async def go():
        return sum(await asyncio.gather(*(sleeper(ms) for _ in range(n))))
    return asyncio.run(go())


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    quick = "--quick" in sys.argv[1:]
    limit = int(args[0]) if len(args) > 0 else 1_000_000
    tasks = int(args[1]) if len(args) > 1 else 16
    workers = int(args[2]) if len(args) > 2 else 2
    repeats = 1 if quick else 3
    shares = (10, 90) if quick else (10, 50, 90)
    mixed_workers = (2, 8)
    convoy_waits = 20 if quick else 100
    started = time.perf_counter()
    parts = chunks(limit, tasks)
    runs = []

    def row(model, n, wall, answer, samples=None, kernel="primes", size=limit, count=tasks):
        r = {"kernel": kernel, "size": size, "tasks": count, "model": model,
             "workers": n, "wall_ms": r3(wall), "answer": answer}
        if samples is not None:
            r["best_of"] = len(samples)
            r["samples_ms"] = [r3(s) for s in samples]
        runs.append(r)
        return r

    log(f"calibrating the CPU loop ({os.cpu_count()} cores)")
    calibration = calibrate()
    per_ms = calibration["iterations_per_ms"]

    # CPU: primes, the page's job. Best of `repeats` after a warm-up.
    log(f"primes below {limit} in {tasks} tasks, {workers} workers")
    seq = row("sequential", 1, *best_of(lambda: sum(map(count_primes, parts)), repeats))
    with ThreadPoolExecutor(workers) as pool:
        thr = row("ThreadPoolExecutor", workers,
                  *best_of(lambda: sum(pool.map(count_primes, parts)), repeats))
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(count_primes, [(0, 10)] * workers))  # start the processes first
        proc = row("ProcessPoolExecutor", workers,
                   *best_of(lambda: sum(pool.map(count_primes, parts)), repeats))
    cpu = {
        "limit": limit, "tasks": tasks, "workers": workers,
        "sequential_ms": seq["wall_ms"],
        "threads_ms": thr["wall_ms"],
        "processes_ms": proc["wall_ms"],
        "threads_speedup": r3(seq["wall_ms"] / thr["wall_ms"]),
        "processes_speedup": r3(seq["wall_ms"] / proc["wall_ms"]),
    }

    # I/O, the original single runs (bench.mjs reads asyncio.gather).
    log("asyncio and threads on 100 x 50 ms I/O")
    io_tasks, latency = 100, 50
    row("asyncio.gather", 1,
        *timed(lambda: _gather(io_tasks, latency)),
        kernel="io", size=latency, count=io_tasks)
    with ThreadPoolExecutor(16) as pool:
        row("ThreadPoolExecutor", 16,
            *timed(lambda: sum(pool.map(lambda _: time.sleep(latency / 1000.0) or 1, range(io_tasks)))),
            kernel="io", size=latency, count=io_tasks)

    # I/O on 16 threads: 32 x 20 ms, against really waiting 32 x 20 ms.
    log("io16: 32 x 20 ms on 16 threads and sequentially")
    io16_tasks, io16_latency, io16_workers = 32, 20, 16
    io_seq_ms, _, io_seq_samples = best_of(
        lambda: sum(sleep_task(io16_latency) for _ in range(io16_tasks)), repeats)
    with ThreadPoolExecutor(io16_workers) as pool:
        io_thr_ms, _, io_thr_samples = best_of(
            lambda: sum(pool.map(sleep_task, [io16_latency] * io16_tasks)), repeats)
    io16 = {
        "tasks": io16_tasks, "latency_ms": io16_latency, "workers": io16_workers,
        "sequential_ms": r3(io_seq_ms), "threads_ms": r3(io_thr_ms),
        "sequential_samples_ms": [r3(s) for s in io_seq_samples],
        "threads_samples_ms": [r3(s) for s in io_thr_samples],
        "speedup": r3(io_seq_ms / io_thr_ms),
    }

    # Mixed: 16 tasks of 20 ms, (1 - share) waiting then share computing.
    mixed_tasks, task_ms = 16, 20.0
    mixed_runs = []

    def jobs_for(share):
        cpu_ms = task_ms * share / 100.0
        return [(task_ms - cpu_ms, int(round(cpu_ms * per_ms)))] * mixed_tasks

    def mixed_row(share, model, n, fn):
        ms, answer, samples = best_of(fn, repeats)
        assert answer == mixed_tasks, answer
        r = {"share": share, "model": model, "workers": n, "wall_ms": r3(ms),
             "samples_ms": [r3(s) for s in samples]}
        mixed_runs.append(r)
        return r

    log(f"mixed: shares {shares} on {mixed_workers} workers")
    baselines = {}
    for share in shares:
        jobs = jobs_for(share)
        baselines[share] = mixed_row(share, "sequential", 1,
                                     lambda: sum(map(mixed_task, jobs)))["wall_ms"]
    for n in mixed_workers:
        with ThreadPoolExecutor(n) as pool:
            for share in shares:
                jobs = jobs_for(share)
                mixed_row(share, "ThreadPoolExecutor", n, lambda: sum(pool.map(mixed_task, jobs)))
        with ProcessPoolExecutor(n) as pool:
            list(pool.map(mixed_task, [(1, 0)] * (2 * n)))  # start the processes first
            for share in shares:
                jobs = jobs_for(share)
                mixed_row(share, "ProcessPoolExecutor", n, lambda: sum(pool.map(mixed_task, jobs)))
    for r in mixed_runs:
        r["speedup"] = r3(baselines[r["share"]] / r["wall_ms"])
    mixed = {"tasks": mixed_tasks, "task_ms": task_ms, "shares": list(shares),
             "nominal_sequential_ms": mixed_tasks * task_ms,
             "workers": list(mixed_workers), "runs": mixed_runs}

    # Convoy effect.
    log(f"convoy: {convoy_waits} waits of 1 ms beside 0, 1, 2 CPU threads")
    convoy_runs = [convoy(k, convoy_waits, 1) for k in (0, 1, 2)]

    total = time.perf_counter() - started
    log(f"done in {total:.1f} s")
    print(json.dumps({
        "python": sys.version.split()[0],
        "cores": os.cpu_count(),
        "switch_interval_ms": sys.getswitchinterval() * 1000.0,
        "quick": quick,
        "best_of": repeats,
        "runs": runs,
        "calibration": calibration,
        "cpu": cpu,
        "io16": io16,
        "mixed": mixed,
        "convoy": {"waits": convoy_waits, "wait_ms": 1, "runs": convoy_runs},
        "elapsed_s": round(total, 1),
    }))


if __name__ == "__main__":
    main()
