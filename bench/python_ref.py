"""CPython reference for scripts/bench.sh: the same jobs the page runs,
with the real GIL. Prints JSON.

    python3 bench/python_ref.py [primes-limit] [tasks] [workers]
"""
import asyncio
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


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


def timed(fn):
    t = time.perf_counter()
    answer = fn()
    return (time.perf_counter() - t) * 1000.0, answer


async def sleeper(ms):
    await asyncio.sleep(ms / 1000.0)
    return 1


def main():
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    tasks = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    parts = chunks(limit, tasks)
    runs = []

    def row(model, n, wall, answer, kernel="primes", size=limit, count=tasks):
        runs.append({"kernel": kernel, "size": size, "tasks": count, "model": model,
                     "workers": n, "wall_ms": round(wall, 3), "answer": answer})

    row("sequential", 1, *timed(lambda: sum(map(count_primes, parts))))
    with ThreadPoolExecutor(workers) as pool:
        row("ThreadPoolExecutor", workers, *timed(lambda: sum(pool.map(count_primes, parts))))
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(count_primes, [(0, 10)] * workers))  # start the processes first
        row("ProcessPoolExecutor", workers, *timed(lambda: sum(pool.map(count_primes, parts))))

    io_tasks, latency = 100, 50
    row("asyncio.gather", 1,
        *timed(lambda: _gather(io_tasks, latency)),
        kernel="io", size=latency, count=io_tasks)
    with ThreadPoolExecutor(16) as pool:
        row("ThreadPoolExecutor", 16,
            *timed(lambda: sum(pool.map(lambda _: time.sleep(latency / 1000.0) or 1, range(io_tasks)))),
            kernel="io", size=latency, count=io_tasks)
    print(json.dumps({"python": sys.version.split()[0], "runs": runs}))


def _gather(n, ms):
    async def go():
        return sum(await asyncio.gather(*(sleeper(ms) for _ in range(n))))
    return asyncio.run(go())


if __name__ == "__main__":
    main()
