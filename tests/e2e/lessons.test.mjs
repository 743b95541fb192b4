// The lessons: the GIL stops CPU speedup but not I/O overlap, static
// chunking leaves an idle tail on uneven tasks, timelines show one lane per
// worker and one bar per task, the sweep fits Amdahl's law, Run-all gives a
// verdict, and the language switch changes every visible word.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLab, configure, run, rows, needCores, END_POLL_MS } from './lab.mjs';

const SHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');
let lab;
before(async () => { lab = await openLab(); fs.mkdirSync(SHOTS, { recursive: true }); });
after(async () => { await lab?.close(); });

/**
 * needCores, and also the cores the page measured (at its first run): on
 * this shared machine another job can leave the page one core while the
 * browser reports two, and then no model can beat another on CPU work.
 */
async function needTwoCores(t, page) {
  if (!(await needCores(t, page))) return false;
  const measured = await page.getAttribute('[data-testid="cores"]', 'data-measured');
  if (measured && Number(measured) < 2) {
    t.skip(`needs 2 cores to compare speeds on CPU work; the page measured ${measured} (another job holds a core)`);
    return false;
  }
  return true;
}

/** Best (lowest) wall time of `n` runs of the current settings. */
async function best(page, n = 2) {
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    const [r] = await run(page);
    assert.equal(r.error, null, r.text);
    min = Math.min(min, r.wall);
  }
  return min;
}

test('CPU-bound: GIL threads gain nothing, free threads scale', async (t) => {
  const { page } = lab;
  if (!(await needCores(t, page))) return;
  const cpu = { workload: 'primes', size: 6000000, tasks: 48, plan: 'uniform', workers: 2, strategy: 'dynamic', chunk: 1 };
  await configure(page, { ...cpu, model: 'sequential' });
  const seq = await best(page);
  await configure(page, { ...cpu, model: 'gil' });
  const gil = await best(page);
  await configure(page, { ...cpu, model: 'threads' });
  const free = await best(page);
  console.log(`sequential ${seq} ms, GIL ${gil} ms (${(seq / gil).toFixed(2)}×), free ${free} ms (${(seq / free).toFixed(2)}×)`);
  // The page measures its cores at its first run, the one above.
  if (!(await needTwoCores(t, page))) return;
  // On 2 free cores: GIL 1.0×, free threads 1.8–1.9×. While another job
  // compiled on both cores: GIL up to 1.11× (a burst slowed the sequential
  // runs), free threads down to 1.38× (measured). The margins take that;
  // threads that take turns (a GIL that is not let go, or one applied to
  // free threads) give 1.0× and fail the second; a GIL that does not
  // serialize gives free threads' 1.4–1.9× and fails the first.
  assert.ok(seq / gil < 1.3, `GIL speedup ${seq / gil}`);
  assert.ok(seq / free > 1.25, `free-thread speedup ${seq / free}`);
});

test('I/O-bound: GIL threads overlap their waits like free threads', async () => {
  const { page } = lab;
  const io = { workload: 'io', size: 100, tasks: 8, plan: 'uniform', workers: 4, strategy: 'dynamic', chunk: 1 };
  await configure(page, { ...io, model: 'gil' });
  const [gil] = await run(page);
  await configure(page, { ...io, model: 'threads' });
  const [free] = await run(page);
  // 8 waits of 100 ms on 4 threads: about 200 ms, never the 800 ms of a row.
  assert.ok(gil.wall < 450, `GIL I/O took ${gil.wall} ms`);
  assert.ok(free.wall < 450, `free I/O took ${free.wall} ms`);
  // The GIL timeline shows waits on four lanes at once.
  const overlap = await page.$$eval('[data-testid="timeline"][data-model="gil"]', (figs) => {
    const fig = figs[figs.length - 1];
    const bars = [...fig.querySelectorAll('[data-testid="bar"]')].map((g) => {
      const r = g.querySelector('rect.seg-io');
      return r ? [Number(r.getAttribute('x')), Number(r.getAttribute('x')) + Number(r.getAttribute('width'))] : null;
    }).filter(Boolean);
    const t = bars[0][0] + 1;
    return bars.filter(([a, b]) => a <= t && t <= b).length;
  });
  assert.ok(overlap >= 3, `only ${overlap} waits overlapped`);
  // Run all: asyncio wins. Its loop overlaps all 8 waits at once (100 ms,
  // ideally 8× sequential's 800 ms); threads and processes overlap only as
  // many as there are workers, 4 (200 ms, 4×). Waits need no core, so this
  // holds on a busy machine (7.7–7.9× against 3.9–4.0× measured). The
  // margins, 6× and 1.5× the runner-up, leave 30 ms of wake-up latency and
  // still fail if asyncio waited in turn (1×) or threads overlapped all 8.
  await configure(page, { ...io, model: 'sequential' });
  const all = Object.fromEntries((await run(page, { all: true })).map((r) => [r.model, r.wall]));
  const winner = await page.getAttribute('[data-testid="verdict"]', 'data-winner');
  console.log('I/O, run all:', JSON.stringify(all), 'winner', winner);
  assert.equal(winner, 'asyncio', JSON.stringify(all));
  assert.ok(all.sequential / all.asyncio >= 6, `asyncio ${all.asyncio} ms vs sequential ${all.sequential} ms`);
  const runnerUp = Math.min(all.gil, all.threads, all.processes);
  assert.ok(runnerUp / all.asyncio >= 1.5, `asyncio ${all.asyncio} ms vs the best pool ${runnerUp} ms`);
  assert.match(await page.textContent('[data-testid="verdict"]'), /asyncio won this I\/O-bound job/);
});

test('uneven tasks: static slices leave an idle tail the shared queue avoids', async (t) => {
  const { page } = lab;
  // Deterministic waits make the imbalance exact: with data[i::2] one
  // thread gets weights 2,6,1,5,… (28 units), the other 4,8,3,7,… (44).
  const base = { workload: 'io', size: 20, tasks: 16, plan: 'uneven', model: 'threads', workers: 2 };
  await configure(page, { ...base, strategy: 'static' });
  const [stat] = await run(page);
  await configure(page, { ...base, strategy: 'dynamic', chunk: 1 });
  const [dyn] = await run(page);
  console.log(`static ${stat.wall} ms, dynamic ${dyn.wall} ms`);
  assert.equal(stat.answer, dyn.answer);
  assert.ok(stat.wall > dyn.wall + 20, `static ${stat.wall} vs dynamic ${dyn.wall}`);
  // The same on real CPU work with processes (two of them must really run
  // at once for the idle tail to show).
  if (!(await needTwoCores(t, page))) return;
  const cpu = { workload: 'primes', size: 4000000, tasks: 16, plan: 'uneven', model: 'processes', workers: 2 };
  // Best of three: one slow burst on this shared 2-core machine once made
  // both of two queue runs slower than the static ones.
  await configure(page, { ...cpu, strategy: 'static' });
  const s = await best(page, 3);
  await configure(page, { ...cpu, strategy: 'dynamic', chunk: 1 });
  const d = await best(page, 3);
  console.log(`CPU: static ${s} ms, dynamic ${d} ms`);
  assert.ok(s > d * 1.05, `static ${s} vs dynamic ${d}`);
});

test('timelines: one lane per worker, one bar per task', async (t) => {
  const { page } = lab;
  await page.click('[data-testid="clear"]');
  // 2,000,000: enough CPU work (about 190 ms sequential) for Run-all's
  // winner to say something (at 300,000, 14 ms, start-up noise picked any
  // model, GIL threads included).
  const cpu = { workload: 'primes', size: 2000000, tasks: 10, plan: 'uneven', workers: 3, strategy: 'dynamic', chunk: 1 };
  await configure(page, cpu);
  let walls = Object.fromEntries((await run(page, { all: true })).map((r) => [r.model, r.wall]));
  const charts = await page.$$eval('[data-testid="timeline"]', (figs) => figs.map((f) => ({
    model: f.dataset.model,
    lanes: f.querySelectorAll('[data-testid="lane"]').length,
    bars: f.querySelectorAll('[data-testid="bar"]').length,
    tips: [...f.querySelectorAll('[data-testid="bar"] title')].map((t) => t.textContent),
  })));
  assert.equal(charts.length, 5);
  for (const c of charts) {
    const workers = ['gil', 'threads', 'processes'].includes(c.model) ? 3 : 1;
    assert.equal(c.lanes, workers, c.model);
    assert.equal(c.bars, 10, c.model);
    assert.match(c.tips[0], /^task \d+ · size [\d,]+ · /);
  }
  // Clicking a row removes its timeline; clicking again brings it back.
  await page.click('[data-testid="result-row"][data-model="asyncio"]');
  assert.equal(await page.$$eval('[data-testid="timeline"]', (f) => f.length), 4);
  await page.click('[data-testid="result-row"][data-model="asyncio"]');
  assert.equal(await page.$$eval('[data-testid="timeline"]', (f) => f.length), 5);
  // Run-all ends with a verdict naming the model that won: the fastest.
  assert.match(await page.textContent('[data-testid="verdict"]'), /faster than sequential/);
  const fastest = Object.entries(walls).sort((a, b) => a[1] - b[1])[0][0];
  assert.equal(await page.getAttribute('[data-testid="verdict"]', 'data-winner'), fastest, JSON.stringify(walls));
  // CPU-bound work on 3 workers: only processes and free threads use the
  // second core, so one of them wins (which of the two is noise), by at
  // least 1.1× over the better of GIL threads and sequential. Measured: 1.6–
  // 2.0× on 2 free cores, 1.14–1.25× while another job compiled on both.
  // Pools that ran their tasks one at a time would do the serial runs' work
  // plus their own start and messages: at most 1.0×. A second Run-all only
  // if the first misses (the machine is shared): a real regression misses
  // both.
  if (!(await needTwoCores(t, page))) return;
  const MARGIN = 1.1;
  const check = async () => {
    const winner = await page.getAttribute('[data-testid="verdict"]', 'data-winner');
    const lead = Math.min(walls.gil, walls.sequential) / walls[winner];
    console.log('CPU, run all:', JSON.stringify(walls), `winner ${winner}, ${lead.toFixed(2)}× the best of GIL and sequential`);
    return { winner, lead, ok: ['processes', 'threads'].includes(winner) && lead >= MARGIN };
  };
  let got = await check();
  if (!got.ok) {
    t.diagnostic(`first Run-all: ${got.winner} won by ${got.lead.toFixed(2)}×; once more`);
    walls = Object.fromEntries((await run(page, { all: true })).map((r) => [r.model, r.wall]));
    got = await check();
  }
  assert.ok(['processes', 'threads'].includes(got.winner), `the winner on CPU work was ${got.winner}: ${JSON.stringify(walls)}`);
  assert.ok(got.lead >= MARGIN, `${got.winner} only ${got.lead.toFixed(2)}× faster than GIL threads / sequential: ${JSON.stringify(walls)}`);
});

test('scaling sweep: 1, 2, 4 workers with an Amdahl fit', async (t) => {
  const { page } = lab;
  await configure(page, { workload: 'primes', size: 2000000, tasks: 16, plan: 'uniform', model: 'gil', workers: 2 });
  await page.click('[data-testid="sweep"]');
  await page.waitForFunction(() => !document.querySelector('[data-testid="progress"]')
    && document.querySelector('.controls')?.dataset.busy === ''
    && document.querySelectorAll('[data-testid="sweep-point"]').length >= 2, null, { timeout: 120_000, polling: END_POLL_MS });
  const pts = await page.$$eval('[data-testid="sweep-point"]', (g) => g.map((p) => [Number(p.dataset.workers), Number(p.dataset.speedup)]));
  // The sweep goes up to twice the cores the page measured (1, 2, 4 on 2
  // cores; 1, 2 when a busy machine left the page one): powers of two, the
  // cores and twice them (engine scaling::sweep_counts).
  const cores = Number(await page.getAttribute('[data-testid="cores"]', 'data-measured'));
  const cap = Math.max(2, Math.min(64, 2 * cores));
  const counts = new Set([cores, cap]);
  for (let n = 1; n <= cap; n *= 2) counts.add(n);
  assert.deepEqual(pts.map((p) => p[0]), [...counts].sort((a, b) => a - b), `measured ${cores} cores`);
  assert.deepEqual(pts.map((p) => p[0]).slice(0, 2), [1, 2]);
  assert.ok(pts.some((p) => p[0] > cores), `the sweep goes beyond the ${cores} cores measured`);
  assert.equal(pts[0][1], 1);
  // Under the GIL nothing scales: the fitted serial fraction is high. (On
  // one core nothing scales either, so this says nothing there.)
  if (!(await needTwoCores(t, page))) return;
  const f = Number(await page.getAttribute('[data-testid="serial-fraction"]', 'data-value'));
  assert.ok(f > 0.7, `serial fraction ${f}`);
});

/** Words of three or more Latin letters in the visible page, minus code. */
async function latinWords(page) {
  return page.evaluate(() => {
    const skip = (el) => el.closest('pre, code, .lang-switch, h1, svg title');
    const words = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || skip(el) || !el.getClientRects().length) continue;
      words.push(...(n.textContent.match(/[A-Za-z][A-Za-z-]{2,}/g) ?? []));
    }
    for (const opt of document.querySelectorAll('option')) words.push(...(opt.textContent.match(/[A-Za-z][A-Za-z-]{2,}/g) ?? []));
    return words;
  });
}

// Names that stay as they are in Korean text: products, APIs, units, and
// an upstream issue's name (python/cpython#52194).
const KEEP = new Set([
  // Python's own names, as Korean developers write them (multiprocessing,
  // Pool.map, pickle, shared_memory, acquire(timeout=…), ps -o rss).
  'multiprocessing', 'Pool', 'map', 'sum', 'chunks', 'Queue', 'pickle', 'shared', 'memory', 'spawn', 'forkserver',
  'acquire', 'timeout', 'RSS', 'rss', 'measureUserAgentSpecificMemory', 'transfer',
  'python', 'cpython', 'asyncio', 'GIL', 'CPython', 'SHA-', 'CPU', 'WebAssembly', 'rayon', 'range', 'sys', 'setswitchinterval', 'Mandelbrot', 'Amdahl', 'JSON', 'CSV', 'wasm', 'MiB', 'timeit',
  // The interpreter's scenarios are named by their Python (the options of
  // its scenario picker): counter += 1, int(1), dict, items.append, with lock.
  'counter', 'int', 'dict', 'items', 'append', 'with', 'lock']);

test('the language switch changes all visible text, and screenshots look right', async () => {
  const { page } = lab;
  await configure(page, { workload: 'primes', size: 1000000, tasks: 16, plan: 'uneven', workers: 2 });
  await run(page, { all: true });
  await page.fill('[data-testid="input-size"]', 'abc');
  await page.click('[data-testid="run"]');
  await page.waitForSelector('[data-testid="error-size"]');
  const en = await latinWords(page);
  await page.screenshot({ path: path.join(SHOTS, 'en-1280.png'), fullPage: true });
  await page.click('[data-testid="lang-ko"]');
  assert.equal(await page.getAttribute('html', 'lang'), 'ko');
  const left = (await latinWords(page)).filter((w) => !KEEP.has(w) && !/^(ms|abc)$/.test(w));
  assert.ok(en.length > 100, 'the English page has text');
  assert.deepEqual(left, [], `English left on the Korean page: ${left.join(', ')}`);
  assert.match(await page.textContent('[data-testid="error-size"]'), /정수가 아닙니다/);
  await page.screenshot({ path: path.join(SHOTS, 'ko-1280.png'), fullPage: true });
  for (const lang of ['ko', 'en']) {
    await page.click(`[data-testid="lang-${lang}"]`);
    await page.setViewportSize({ width: 390, height: 844 });
    // Nothing sticks out sideways on a phone (wide charts scroll inside).
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(overflow <= 390, `page is ${overflow}px wide on a 390px phone`);
    // Every run shows its wall time, speedup and answer on screen, without
    // scrolling sideways (each row is a card there).
    const cells = await page.$$eval('[data-testid="result-row"]:not([data-error])', (trs) => trs.flatMap((tr) =>
      ['[data-testid="wall"]', '[data-testid="speedup"]', 'td.answer', 'td.model'].map((sel) => {
        const td = tr.querySelector(sel);
        const r = td.getBoundingClientRect();
        const st = getComputedStyle(td);
        return { sel, left: r.left, right: r.right, shown: r.width > 0 && r.height > 0 && st.display !== 'none' && st.visibility !== 'hidden', text: td.innerText.trim() };
      })));
    assert.ok(cells.length >= 20, `${cells.length} cells`);
    for (const c of cells) {
      assert.ok(c.shown && c.text && c.left >= 0 && c.right <= 390, `${lang}: ${c.sel} "${c.text}" at ${c.left}–${c.right}px`);
    }
    await page.screenshot({ path: path.join(SHOTS, `${lang}-390.png`), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  }
  await page.fill('[data-testid="input-size"]', '1000000');
});
