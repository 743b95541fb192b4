// The browser half of scripts/bench.sh: drives the built site in headless
// Chromium and measures every model, then merges the native and CPython
// references and prints a table of ratios. Writes bench/results.json.
//
//   node tests/e2e/bench.mjs <native.json> <python.json> <out.json>
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { openLab, configure, run, rows, DIST } from './lab.mjs';

const [nativeFile, pythonFile, outFile] = process.argv.slice(2);
const native = JSON.parse(fs.readFileSync(nativeFile, 'utf8'));
const python = JSON.parse(fs.readFileSync(pythonFile, 'utf8'));
const LIMIT = 5_000_000;
const TASKS = 64;

async function best(page, settings, n = 3) {
  await configure(page, settings);
  await run(page); // warm-up run, discarded
  let bestRow;
  for (let i = 0; i < n; i++) {
    const [r] = await run(page);
    if (r.error) throw new Error(`${settings.model}: ${r.text}`);
    if (!bestRow || r.wall < bestRow.wall) bestRow = r;
  }
  return bestRow;
}

const lab = await openLab();
const { page } = lab;
const tti = await page.evaluate(() => performance.now());
const cores = await page.evaluate(() => navigator.hardwareConcurrency);
const counts = [...new Set([1, 2, cores])].sort((a, b) => a - b);
const browser = [];
const cpu = { workload: 'primes', size: LIMIT, tasks: TASKS, plan: 'uniform', strategy: 'dynamic', chunk: 1 };

// Main-thread responsiveness: long tasks and the delay of a click, while
// CPU work runs.
await page.evaluate(() => {
  globalThis.longTasks = [];
  new PerformanceObserver((l) => l.getEntries().forEach((e) => globalThis.longTasks.push(e.duration))).observe({ type: 'longtask', buffered: false });
  globalThis.clickDelays = [];
  document.addEventListener('pointerdown', (e) => globalThis.clickDelays.push(performance.now() - e.timeStamp), true);
});

const seq = await best(page, { ...cpu, model: 'sequential', workers: 1 });
browser.push({ kernel: 'primes', size: LIMIT, model: 'sequential', workers: 1, wall_ms: seq.wall, answer: seq.answer });
for (const model of ['threads', 'gil', 'processes']) {
  for (const n of counts) {
    const r = await best(page, { ...cpu, model, workers: n });
    browser.push({ kernel: 'primes', size: LIMIT, model, workers: n, wall_ms: r.wall, answer: r.answer });
  }
}
const asy = await best(page, { ...cpu, model: 'asyncio', workers: 1 }, 1);
browser.push({ kernel: 'primes', size: LIMIT, model: 'asyncio', workers: 1, wall_ms: asy.wall, answer: asy.answer });

// Clicks during a CPU run on threads.
await configure(page, { ...cpu, model: 'threads', workers: cores });
await page.click('[data-testid="run"]');
for (let i = 0; i < 5; i++) {
  await page.waitForTimeout(80);
  await page.mouse.click(5, 5);
}
await page.waitForFunction(() => !document.querySelector('[data-testid="progress"]'), null, { timeout: 120_000 });
const responsiveness = await page.evaluate(() => ({
  longest_task_ms: Math.max(0, ...globalThis.longTasks),
  long_tasks: globalThis.longTasks.length,
  worst_click_delay_ms: Math.max(0, ...globalThis.clickDelays),
}));

// The same kernel at 1,000,000 for the wasm/native ratio.
const seq1m = await best(page, { ...cpu, size: 1_000_000, model: 'sequential', workers: 1 });
browser.push({ kernel: 'primes', size: 1_000_000, model: 'sequential', workers: 1, wall_ms: seq1m.wall, answer: seq1m.answer });

// asyncio: 100 simulated I/O calls of 50 ms.
const io = await best(page, { workload: 'io', size: 50, tasks: 100, plan: 'uniform', model: 'asyncio' });
browser.push({ kernel: 'io', size: 50, tasks: 100, model: 'asyncio', workers: 1, wall_ms: io.wall, answer: io.answer });

// Process pool: start-up of `cores` fresh workers, and per-task overhead
// (2,000 one-element tasks).
await page.reload();
await page.waitForSelector('[data-testid="settings"]');
await configure(page, { workload: 'sum', size: 2000, tasks: 2000, plan: 'uniform', model: 'processes', workers: cores, strategy: 'dynamic', chunk: 1 });
await run(page);
const startup = Number(await page.getAttribute('[data-testid="result-row"]', 'data-startup'));
const [msg] = await run(page);
const perTask = (msg.wall * cores) / 2000;

// Bundle: what a visitor downloads.
const files = fs.readdirSync(DIST).filter((f) => /\.(wasm|js)$/.test(f));
let raw = 0, gz = 0;
for (const f of files) {
  const b = fs.readFileSync(path.join(DIST, f));
  raw += b.length;
  gz += zlib.gzipSync(b, { level: 9 }).length;
}
await lab.close();

const find = (list, model, workers, size = LIMIT) => list.find((r) => r.model === model && r.workers === workers && (r.size === size));
const seqWall = find(browser, 'sequential', 1).wall_ms;
for (const r of browser) {
  if (r.kernel === 'primes' && r.size === LIMIT) {
    r.speedup = +(seqWall / r.wall_ms).toFixed(3);
    r.efficiency = +(r.speedup / r.workers).toFixed(3);
  }
}
const nativeSeq = native.runs.find((r) => r.model === 'sequential' && r.size === LIMIT);
const native1m = native.runs.find((r) => r.model === 'sequential' && r.size === 1_000_000);
const nativeRayon2 = native.runs.find((r) => r.model === 'rayon' && r.workers === 2 && r.size === LIMIT);
const pySeq = python.runs.find((r) => r.model === 'sequential');
const pyProc = python.runs.find((r) => r.model === 'ProcessPoolExecutor');
const pyThread = python.runs.find((r) => r.model === 'ThreadPoolExecutor' && r.kernel === 'primes');
const pyAsync = python.runs.find((r) => r.model === 'asyncio.gather');
const threads2 = find(browser, 'threads', 2);
const gil2 = find(browser, 'gil', 2);
const proc2 = find(browser, 'processes', 2);
const wasmNative = seq.wall / nativeSeq.wall_ms;
const targets = [
  ['threads, 2 workers, CPU: speedup ≥ 1.8×', threads2.speedup, threads2.speedup >= 1.8],
  ['sequential wasm within 1.5× of native (primes < 5M)', +wasmNative.toFixed(3), wasmNative <= 1.5],
  [`process pool start-up of ${cores} workers < 150 ms`, +startup.toFixed(1), startup < 150],
  ['per-task message overhead < 0.2 ms', +perTask.toFixed(4), perTask < 0.2],
  ['asyncio: 100 × 50 ms I/O in < 70 ms', io.wall, io.wall < 70],
  ['main thread: no task > 50 ms during CPU runs', responsiveness.longest_task_ms, responsiveness.longest_task_ms <= 50],
  ['wasm + JS < 1 MB gzip', gz, gz < 1024 * 1024],
];
const result = {
  when: new Date().toISOString(),
  cores,
  workload: { kernel: 'primes', limit: LIMIT, tasks: TASKS },
  browser,
  native,
  python,
  ratios: {
    wasm_over_native_sequential_5m: +wasmNative.toFixed(3),
    wasm_over_native_sequential_1m: +(seq1m.wall / native1m.wall_ms).toFixed(3),
    native_rayon_2_speedup: +(nativeSeq.wall_ms / nativeRayon2.wall_ms).toFixed(3),
    page_threads_2_speedup: threads2.speedup,
    page_gil_2_speedup: gil2.speedup,
    page_processes_2_speedup: proc2.speedup,
    cpython_threads_speedup: +(pySeq.wall_ms / pyThread.wall_ms).toFixed(3),
    cpython_processes_speedup: +(pySeq.wall_ms / pyProc.wall_ms).toFixed(3),
    wasm_over_cpython_sequential_1m: +(seq1m.wall / pySeq.wall_ms).toFixed(4),
  },
  process_pool: { startup_ms: startup, per_task_overhead_ms: perTask },
  asyncio_io_100x50ms: { page_ms: io.wall, cpython_ms: pyAsync.wall_ms },
  responsiveness,
  bundle: { files, raw_bytes: raw, gzip_bytes: gz },
  time_to_interactive_ms: tti,
  targets: targets.map(([target, value, met]) => ({ target, value, met })),
};
fs.mkdirSync(path.dirname(outFile), { recursive: true });
fs.writeFileSync(outFile, JSON.stringify(result, null, 2));

const pad = (s, n) => String(s).padEnd(n);
console.log(`\nprimes below ${LIMIT.toLocaleString()} in ${TASKS} tasks, ${cores} cores — best of 3 after a warm-up run`);
console.log(pad('model', 14) + pad('workers', 9) + pad('wall ms', 11) + pad('speedup', 9) + 'efficiency');
for (const r of browser.filter((r) => r.kernel === 'primes' && r.size === LIMIT)) {
  console.log(pad(r.model, 14) + pad(r.workers, 9) + pad(r.wall_ms.toFixed(1), 11) + pad(r.speedup.toFixed(2) + '×', 9) + r.efficiency.toFixed(2));
}
console.log('\nratios');
for (const [k, v] of Object.entries(result.ratios)) console.log('  ' + pad(k, 36) + v);
console.log('\ntargets');
for (const t of result.targets) console.log(`  ${t.met ? 'met    ' : 'NOT MET'}  ${pad(t.target, 52)} ${t.value}`);
console.log(`\nwrote ${outFile}`);
