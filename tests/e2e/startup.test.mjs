// Where readers are: a pool that cannot start says so within seconds (no
// SharedArrayBuffer, a worker script that does not load, a wasm that does
// not compile), the page measures the cores it really gets instead of
// trusting navigator.hardwareConcurrency, and a link to a mixed run does
// the same work — the same answer — on every load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DIST, MIXED_LINK, MIXED_LINK_ANSWER, openLab, configure, run, rows } from './lab.mjs';

/** A pool that cannot start must say so within this long (the bound). */
const SAYS_WITHIN_MS = 10_000;

/** Clicks Run and returns the new row and how long it took to appear. */
async function timedRun(page) {
  const t0 = Date.now();
  const [r] = await run(page, { timeout: 30_000 });
  return { r, ms: Date.now() - t0 };
}

/** A copy of dist with `mutate(dir)` applied; removed by the returned cleanup. */
function brokenCopy(mutate) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-broken-'));
  fs.cpSync(DIST, dir, { recursive: true });
  mutate(dir);
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

test('an isolated page without SharedArrayBuffer: threads refuse at once, the rest runs on messages', async () => {
  // What Safari's engine can be: isolated, yet no SharedArrayBuffer. The
  // page used to decide from crossOriginIsolated alone and sat at "0 of N".
  const lab = await openLab({ initScript: () => { delete globalThis.SharedArrayBuffer; } });
  try {
    const { page } = lab;
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    assert.equal(await page.evaluate(() => typeof SharedArrayBuffer), 'undefined');
    const banner = await page.waitForSelector('[data-testid="isolation"][data-reason="no-shared-array-buffer"]');
    assert.match(await banner.textContent(), /no SharedArrayBuffer/);
    const disabled = await page.$$eval('[data-testid="input-model"] option', (os) => os.filter((o) => o.disabled).map((o) => o.value));
    assert.deepEqual(disabled.sort(), ['gil', 'threads']);
    await configure(page, { workload: 'primes', size: 100000, tasks: 8, workers: 2, strategy: 'dynamic', chunk: 1 });
    const t0 = Date.now();
    const all = await run(page, { all: true, timeout: 60_000 });
    const byModel = Object.fromEntries(all.map((r) => [r.model, r]));
    for (const m of ['sequential', 'processes', 'asyncio']) {
      assert.equal(byModel[m]?.error, null, `${m}: ${byModel[m]?.text}`);
      assert.equal(byModel[m].answer, 9592, m);
    }
    for (const m of ['gil', 'threads']) {
      assert.equal(byModel[m]?.error, 'failed', `${m}: ${byModel[m]?.text}`);
      assert.match(byModel[m].text, /no SharedArrayBuffer/);
    }
    assert.ok(Date.now() - t0 < 30_000, `Run all took ${Date.now() - t0} ms`);
    await page.click('[data-testid="lang-ko"]');
    assert.match(await page.textContent('[data-testid="isolation"]'), /SharedArrayBuffer를 제공하지 않습니다/);
  } finally {
    await lab.close();
  }
});

// Each way a pool can fail to start, made by breaking one file of a copy of
// the build. A missing script fires an error event (a plain Event, with no
// message); a wasm that does not compile rejects a promise inside the
// worker; a loader that never finishes says nothing at all — only the
// start deadline (8 s) can end that wait.
const STALL = 'await new Promise(() => {});\n';
const BREAKAGES = [
  { model: 'processes', file: 'process_worker_loader.js', how: 'its script is missing', content: null, en: /could not be loaded/, ko: /워커가 로드 중에 실패했습니다/ },
  { model: 'threads', file: 'thread_host_loader.js', how: 'its script is missing', content: null, en: /could not be loaded/, ko: /워커가 로드 중에 실패했습니다/ },
  { model: 'processes', file: 'process_worker_loader.js', how: 'it loads but never answers', content: STALL, en: /did not finish loading within 8 s/, ko: /8초 안에 로드를 마치지 못했습니다/ },
  { model: 'threads', file: 'thread_host_loader.js', how: 'it loads but never answers', content: STALL, en: /did not finish loading within 8 s/, ko: /8초 안에 로드를 마치지 못했습니다/ },
  { model: 'processes', file: 'process_worker_bg.wasm', how: 'its wasm does not compile', content: 'this is not wasm', en: /failed to load|did not finish loading/, ko: /로드 중에 실패했습니다|로드를 마치지 못했습니다/ },
  { model: 'threads', file: 'thread_host_bg.wasm', how: 'its wasm does not compile', content: 'this is not wasm', en: /failed to load|did not finish loading/, ko: /로드 중에 실패했습니다|로드를 마치지 못했습니다/ },
];

for (const b of BREAKAGES) {
  test(`${b.model}: a worker that cannot start (${b.file}: ${b.how}) says so within ${SAYS_WITHIN_MS / 1000} s`, async () => {
    const copy = brokenCopy((dir) => {
      const file = path.join(dir, b.file);
      if (b.content === null) fs.rmSync(file);
      else fs.writeFileSync(file, b.content);
    });
    const lab = await openLab({ root: copy.dir });
    try {
      const { page } = lab;
      await configure(page, { workload: 'primes', size: 100000, tasks: 8, workers: 2, model: b.model });
      const { r, ms } = await timedRun(page);
      assert.equal(r.error, 'failed', r.text);
      assert.match(r.text, b.en);
      assert.ok(ms < SAYS_WITHIN_MS, `the message came after ${ms} ms`);
      // Nothing is left running.
      assert.equal(await page.$('[data-testid="progress"]'), null);
      await page.click('[data-testid="lang-ko"]');
      assert.match(await page.textContent('[data-testid="result-row"]'), b.ko);
    } finally {
      await lab.close();
      copy.cleanup();
    }
  });
}

test('the cores are measured, shown beside the browser\'s figure, and size the defaults and the claims', async (t) => {
  const real = os.availableParallelism();
  if (real < 2) {
    t.skip(`needs 2 cores to tell a measurement from a report; this machine has ${real}`);
    return;
  }
  // A browser that overstates, as WebKit does (4 on this 2-core machine).
  const claimed = 4 * real;
  const lab = await openLab({
    initScript: `Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => ${claimed} });`,
  });
  try {
    const { page } = lab;
    const chip = '[data-testid="cores"]';
    assert.equal(await page.getAttribute(chip, 'data-reported'), String(claimed));
    assert.equal(await page.getAttribute(chip, 'data-measured'), '', 'not measured in the first view');
    assert.equal(await page.inputValue('[data-testid="input-workers"]'), String(claimed));
    // The first run measures first, and says so meanwhile; the default
    // worker count follows.
    await configure(page, { workload: 'primes', size: 100000, tasks: 8, model: 'processes' });
    await page.evaluate(() => {
      window.sawProbe = '';
      new MutationObserver(() => {
        window.sawProbe ||= document.querySelector('[data-testid="busy-cores"]')?.textContent ?? '';
      }).observe(document.body, { childList: true, subtree: true });
    });
    const [r] = await run(page);
    assert.equal(r.answer, 9592);
    assert.match(await page.evaluate(() => window.sawProbe), /Measuring how many cores this page really gets/);
    assert.equal(await page.$('[data-testid="busy-cores"]'), null, 'the note goes when the probe is done');
    const measured = Number(await page.getAttribute(chip, 'data-measured'));
    // Wide margins: the machine is shared, so a core may be busy elsewhere.
    assert.ok(measured >= 1 && measured <= 2 * real, `measured ${measured} on ${real} cores (the browser says ${claimed})`);
    assert.match(await page.textContent(chip), new RegExp(`${measured} cores measured; the browser says ${claimed}`));
    assert.equal(r.workers, measured, 'the run used the measured count, not the browser\'s');
    assert.equal(await page.inputValue('[data-testid="input-workers"]'), String(measured));
    // The tour's core-bound claims state the count they are sized from.
    await page.click('[data-testid="tab-tour"]');
    const runs = await page.textContent('[data-claim="processes-cores"] .what');
    assert.match(runs, new RegExp(`on ${measured} processes`));
    assert.match(runs, new RegExp(`Sized for ${measured} cores, as measured on this page \\(the browser says ${claimed}\\)`));
    await page.click('[data-testid="lang-ko"]');
    assert.match(await page.textContent(chip), new RegExp(`측정한 코어 ${measured}개`));
  } finally {
    await lab.close();
  }
});

const MIXED = '?workload=mixed&size=20&cpu=50&tasks=16&workers=2&model=processes';

test('a link to a mixed run does the same work on every load', async () => {
  // The link carries the work (rounds per CPU ms): two fresh browsers give
  // the answer the engine computes natively.
  for (let i = 0; i < 2; i++) {
    const lab = await openLab({ query: MIXED_LINK });
    try {
      const [r] = await run(lab.page);
      assert.equal(r.error, null, r.text);
      assert.equal(await lab.page.getAttribute('[data-testid="result-row"]', 'data-answer'), MIXED_LINK_ANSWER, `load ${i + 1}`);
    } finally {
      await lab.close();
    }
  }

  // Without a rate the page measures this machine's and writes it into the
  // form and the link: the link then reproduces too.
  const lab = await openLab({ query: MIXED });
  let link;
  let first;
  try {
    const { page } = lab;
    assert.equal(await page.inputValue('[data-testid="input-rate"]'), '');
    [first] = await run(page);
    assert.equal(first.error, null, first.text);
    const rate = await page.inputValue('[data-testid="input-rate"]');
    assert.match(rate, /^\d+$/);
    await page.waitForFunction((r) => new URL(location.href).searchParams.get('rate') === r, rate);
    link = page.url();
  } finally {
    await lab.close();
  }
  const again = await openLab({ query: `?${new URL(link).searchParams}` });
  try {
    await again.page.waitForSelector('[data-testid="settings"]');
    const [r] = await run(again.page);
    assert.equal(r.answer, first.answer, 'the written-back link reproduces the run');
    // A bad rate in a link is refused with the field's message and runs nothing.
    await again.page.fill('[data-testid="input-rate"]', '12');
    const before = (await rows(again.page)).length;
    await again.page.click('[data-testid="run"]');
    const err = await again.page.waitForSelector('[data-testid="error-rate"]');
    assert.match(await err.textContent(), /at least 100/);
    assert.equal((await rows(again.page)).length, before);
  } finally {
    await again.close();
  }
});
