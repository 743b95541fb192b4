// The foundation: the page loads cross-origin isolated, every model runs
// every workload with the same, correct answer, Cancel stops a run in every
// model, and bad input is refused with a clear message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openLab, configure, run, rows } from './lab.mjs';

let lab;
before(async () => { lab = await openLab(); });
after(async () => { await lab?.close(); });

const MODELS = ['sequential', 'gil', 'threads', 'processes', 'asyncio'];

test('the page is cross-origin isolated and shows the machine', async () => {
  const { page } = lab;
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  // Before any run, the browser's figure (the page measures at the first run).
  assert.match(await page.textContent('[data-testid="cores"]'), new RegExp(`the browser says ${cores} cores? \\(measured at the first run\\)`));
  assert.match(await page.textContent('[data-testid="isolation"]'), /shared-memory threads available/);
  // The default worker count is the core count.
  assert.equal(await page.inputValue('[data-testid="input-workers"]'), String(cores));
});

// Known answers: π(300,000) = 25,997; sum(range(n)) = n(n-1)/2;
// I/O answers 1+2+…+K.
const WORKLOADS = [
  { workload: 'primes', size: 300000, tasks: 12, plan: 'uneven', expect: 25997 },
  { workload: 'sum', size: 5000000, tasks: 10, plan: 'uniform', expect: 5000000 * 4999999 / 2 },
  { workload: 'sha256', size: 20000, tasks: 6, plan: 'uneven' },
  { workload: 'mandelbrot', size: 120, tasks: 12, plan: 'uniform' },
  { workload: 'io', size: 30, tasks: 12, plan: 'uniform', expect: 78 },
];

for (const w of WORKLOADS) {
  test(`every model gives the same answer: ${w.workload}`, async () => {
    const { page } = lab;
    await configure(page, { ...w, workers: 2, strategy: 'dynamic', chunk: 1 });
    const got = await run(page, { all: true });
    assert.deepEqual(got.map((r) => r.model).sort(), [...MODELS].sort());
    for (const r of got) {
      assert.equal(r.error, null, `${r.model}: ${r.text}`);
    }
    const answers = new Set(got.map((r) => r.answer));
    assert.equal(answers.size, 1, `answers differ: ${JSON.stringify(got.map((r) => [r.model, r.answer]))}`);
    if (w.expect !== undefined) assert.equal(got[0].answer, w.expect);
    // Thread models and processes use both workers; the others one lane.
    for (const r of got) {
      assert.equal(r.workers, ['gil', 'threads', 'processes'].includes(r.model) ? 2 : 1, r.model);
    }
  });
}

test('static slices and the shared queue agree, for threads and processes', async () => {
  const { page } = lab;
  const answers = [];
  for (const model of ['threads', 'processes']) {
    for (const [strategy, chunk] of [['static', undefined], ['dynamic', 3]]) {
      await configure(page, { workload: 'primes', size: 200000, tasks: 16, plan: 'uneven', model, workers: 3, strategy, chunk });
      const [r] = await run(page);
      assert.equal(r.error, null, r.text);
      answers.push(r.answer);
    }
  }
  assert.deepEqual(answers, [17984, 17984, 17984, 17984]);
});

for (const model of MODELS) {
  test(`Cancel stops a long run: ${model}`, async () => {
    const { page } = lab;
    // Long enough to be running for seconds in every model.
    const w = { workload: 'primes', size: 30000000, tasks: 64 };
    await configure(page, { ...w, plan: 'uniform', model, workers: 2, strategy: 'dynamic', chunk: 1 });
    const before = (await rows(page)).length;
    await page.click('[data-testid="run"]');
    await page.waitForSelector('[data-testid="progress"]');
    await page.waitForTimeout(400);
    const t0 = Date.now();
    await page.click('[data-testid="cancel"]');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="result-row"]').length > n
      && !document.querySelector('[data-testid="progress"]'), before, { timeout: 10_000 });
    const stoppedIn = Date.now() - t0;
    const [r] = await rows(page);
    assert.equal(r.model, model);
    assert.equal(r.error, 'cancelled', r.text);
    assert.ok(stoppedIn < 5000, `took ${stoppedIn} ms to stop`);
    // The page was never frozen, and a new run works right after.
    await configure(page, { workload: 'primes', size: 100000, tasks: 4 });
    const [again] = await run(page);
    assert.equal(again.error, null, again.text);
    assert.equal(again.answer, 9592);
  });
}

const BAD = [
  ['size', '', /enter a whole number/],
  ['size', '-5', /must not be negative/],
  ['size', 'lots', /is not a whole number/],
  ['size', '999999999999999999999999', /far too large/],
  ['size', '60000000', /too large: at most 50000000/],
  ['tasks', '0', /at least 1/],
  ['workers', '100000', /too large/],
  ['workers', '2.5', /not a whole number/],
];

for (const [field, value, message] of BAD) {
  test(`bad input is refused with a message: ${field} = "${value}"`, async () => {
    const { page } = lab;
    await configure(page, { workload: 'primes', size: 100000, tasks: 4, workers: 2, model: 'processes' });
    await page.fill(`[data-testid="input-${field}"]`, value);
    const before = (await rows(page)).length;
    await page.click('[data-testid="run"]');
    const err = await page.waitForSelector(`[data-testid="error-${field}"]`, { timeout: 5000 });
    assert.match(await err.textContent(), message);
    assert.equal(await page.getAttribute(`[data-testid="input-${field}"]`, 'aria-invalid'), 'true');
    // Nothing started: no row, no progress, the lab is not busy (Run is
    // on, Cancel off); and the page still answers at once (draws its next
    // frame within 500 ms, as during a run in the responsiveness test).
    assert.equal((await rows(page)).length, before);
    assert.equal(await page.$('[data-testid="progress"]'), null);
    assert.equal(await page.getAttribute('.controls', 'data-busy'), '');
    assert.equal(await page.isEnabled('[data-testid="run"]'), true);
    assert.equal(await page.isEnabled('[data-testid="cancel"]'), false);
    const t0 = Date.now();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
    const frame = Date.now() - t0;
    assert.ok(frame < 500, `the next frame took ${frame} ms`);
    // Fixing the field clears the message.
    await page.fill(`[data-testid="input-${field}"]`, field === 'size' ? '100000' : field === 'tasks' ? '4' : '2');
    assert.equal(await page.$(`[data-testid="error-${field}"]`), null);
  });
}

test('the main thread stays responsive during a CPU run on threads', async () => {
  const { page } = lab;
  await configure(page, { workload: 'primes', size: 8000000, tasks: 32, model: 'threads', workers: 2 });
  await page.click('[data-testid="run"]');
  await page.waitForSelector('[data-testid="progress"]');
  // Round trips to the page's main thread while the pool computes.
  const lags = [];
  for (let i = 0; i < 5; i++) {
    const t = Date.now();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
    lags.push(Date.now() - t);
    await page.waitForTimeout(50);
  }
  assert.ok(Math.max(...lags) < 500, `main thread lags: ${lags}`);
  await page.waitForFunction(() => !document.querySelector('[data-testid="progress"]'), null, { timeout: 60_000 });
  const [r] = await rows(page);
  assert.equal(r.error, null);
  assert.equal(r.answer, 539777);
  assert.deepEqual(lab.errors, []);
});

// Progress moves during a run in every pool: processes on an isolated page
// send nothing until they run out of tasks, and the page reads their done
// counter instead; threads report from the host; sequential is one process.
for (const model of ['processes', 'threads', 'sequential']) {
  test(`progress moves while ${model} run, and never goes back`, async () => {
    const { page } = lab;
    await configure(page, { workload: 'primes', size: 12000000, tasks: 48, plan: 'uniform', model, workers: 2, strategy: 'dynamic', chunk: 1 });
    await page.click('[data-testid="run"]');
    await page.waitForSelector('[data-testid="progress"]');
    const seen = [];
    for (;;) {
      const p = await page.$eval('[data-testid="progress"]', (el) => [Number(el.dataset.done), Number(el.dataset.total)]).catch(() => null);
      if (!p) break;
      seen.push(p[0]);
      assert.equal(p[1], 48);
      await page.waitForTimeout(40);
    }
    const between = seen.filter((d) => d > 0 && d < 48);
    assert.ok(new Set(between).size >= 2, `progress samples: ${seen}`);
    assert.deepEqual(seen, [...seen].sort((a, b) => a - b), `progress went back: ${seen}`);
    const [r] = await rows(page);
    assert.equal(r.error, null);
    assert.equal(r.answer, 788060);
    assert.deepEqual(lab.errors, []);
  });
}
