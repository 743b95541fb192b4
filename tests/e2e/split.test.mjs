// The page's wasm in two (scripts/lab_split.py): the tour is drawn by the
// first half; the code of the other views and what runs a model is fetched
// when first needed, or ahead when the page is idle. These tests hold the
// second half back and check that the tour is drawn and usable without it,
// that a claim run or a view opened without it says why (in the reader's
// language) and loads it on a retry, and that the loader never had to fetch
// it synchronously for a call that came early.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DIST, launch, openLab, publicUrl, configure, run, siteFiles, waitForWholeCopy } from './lab.mjs';
import { serve } from './server.mjs';

const LAB_CODE = /\/lab-[0-9a-f]+_bg\.wasm$/;

test('the build has the lab code apart, named after its build', () => {
  const files = fs.readdirSync(DIST).filter((f) => LAB_CODE.test(`/${f}`));
  assert.equal(files.length, 1, `one lab code file in dist (${files.join(', ')})`);
  const glue = fs.readdirSync(DIST).find((f) => /^app-[0-9a-f]+\.js$/.test(f));
  assert.ok(fs.readFileSync(`${DIST}/${glue}`, 'utf8').includes(files[0]), 'the page\'s glue names it');
});

test('the tour is drawn without the lab code; a claim or a view that needs it says why it is missing, and a retry loads it', async () => {
  const server = await serve({ root: DIST, isolate: true, base: publicUrl() });
  const browser = await launch();
  try {
    const { context } = browser;
    let held = true;
    const asked = [];
    await context.route(LAB_CODE, (route) => {
      asked.push(route.request().url());
      return held ? route.abort('internetdisconnected') : route.continue();
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(server.url);
    await page.waitForSelector('[data-testid="tour"]');
    // Idle after its first view, the page fetches the rest ahead: held back here.
    await page.waitForFunction(() => globalThis.__concurrencyLabCode !== undefined);
    for (const end = Date.now() + 15_000; asked.length === 0; await page.waitForTimeout(100)) {
      assert.ok(Date.now() < end, 'the page fetches the lab code ahead when idle');
    }
    // The fetch ahead failed quietly: no failure is drawn, even hidden.
    assert.equal(await page.$('[data-testid="lab-code"][data-state="failed"]'), null);
    assert.equal(await page.$('[data-testid="claim-no-code"]'), null);
    assert.equal(await page.isEnabled('[data-testid="check-all"]'), true, 'the tour is usable without it');

    // A claim whose check runs the interpreter's counts in a process worker
    // and the real race in the thread host: what runs it is the lab's code.
    const claim = '[data-testid="claim"][data-claim="append-safe"]';
    await page.click(`${claim} [data-testid="claim-run"]`);
    await page.waitForSelector(`${claim}[data-state="no-code"]`, { timeout: 60_000 });
    assert.match(await page.textContent(`${claim} [data-testid="claim-no-code"]`), /lab's code could not be loaded .*Check your connection/s);
    await page.click('[data-testid="lang-ko"]');
    assert.match(await page.textContent(`${claim} [data-testid="claim-no-code"]`), /실험실 코드를 불러오지 못했습니다/);
    await page.click('[data-testid="lang-en"]');
    // Reading another machine's export is the lab's code too.
    const file = path.join(os.tmpdir(), `split-test-${process.pid}.json`);
    fs.writeFileSync(file, '{}');
    await page.setInputFiles('[data-testid="tour-file"]', file);
    await page.waitForSelector('[data-testid="import-error"]');
    assert.match(await page.textContent('[data-testid="import-error"]'), /lab's code could not be loaded .*Check your connection.* Nothing was changed\./s);
    fs.rmSync(file);
    const code = () => page.evaluate(() => ({ loaded: __concurrencyLabCode.loaded(), early: __concurrencyLabCode.early() }));
    assert.deepEqual(await code(), { loaded: false, early: 0 }, 'nothing called into the lab code before it was here');
    // Nothing ran, and the page is free again: the lab's tab says why too.
    assert.equal(await page.isEnabled('[data-testid="check-all"]'), true);
    await page.click('[data-testid="tab-lab"]');
    const failed = '[data-testid="lab-code"][data-state="failed"]';
    await page.waitForSelector(failed);
    assert.match(await page.textContent(failed), /lab's code could not be loaded .*Check your connection/s);
    await page.click('[data-testid="lang-ko"]');
    assert.match(await page.textContent(failed), /실험실 코드를 불러오지 못했습니다/);
    await page.click('[data-testid="lang-en"]');

    // A claim's Cancel while it waits for the code ends the wait at once.
    let release;
    const stalled = new Promise((resolve) => (release = resolve));
    held = false;
    await context.unroute(LAB_CODE);
    await context.route(LAB_CODE, async (route) => {
      await stalled;
      return route.continue();
    });
    await page.click('[data-testid="tab-tour"]');
    await page.click(`${claim} [data-testid="claim-run"]`);
    await page.waitForSelector(`${claim}[data-state="loading-code"]`);
    const cancelledAt = Date.now();
    await page.click('[data-testid="tour-cancel"]');
    await page.waitForFunction(() => !document.querySelector('[data-testid="check-all"]').disabled, null, { timeout: 5_000 });
    assert.ok(Date.now() - cancelledAt < 5_000, 'the wait ends at once');
    assert.equal(await page.getAttribute(claim, 'data-state'), 'failed', await page.textContent(claim));
    assert.match(await page.textContent(claim), /cancel/i);
    release();

    // Back online: running the claim again loads the code, then checks it.
    await page.click(`${claim} [data-testid="claim-run"]`);
    await page.waitForSelector(`${claim}:is([data-state="done"], [data-state="failed"])`, { timeout: 120_000 });
    assert.equal(await page.getAttribute(claim, 'data-verdict'), 'holds', await page.textContent(claim));
    assert.deepEqual(await code(), { loaded: true, early: 0 });
    // The code the tour loaded is the lab's too: its view, which showed
    // the failure, is drawn without a retry.
    await page.click('[data-testid="tab-lab"]');
    await page.waitForSelector('[data-testid="settings"]', { timeout: 5_000 });
    assert.equal(await page.$(failed), null);
    await configure(page, { workload: 'primes', size: 100000, tasks: 4, model: 'processes', workers: 2 });
    const [r] = await run(page);
    assert.equal(r.error, null, r.text);
    assert.equal(r.answer, 9592);
    // The interpreter view is drawn by the same code, already here.
    await page.click('[data-testid="tab-interpreter"]');
    await page.waitForSelector('[data-testid="interp"]');
    assert.deepEqual(await code(), { loaded: true, early: 0 });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});

test('a page opened on the lab fetches its code alongside its own wasm, once; the tour leaves it for later', async () => {
  for (const view of ['lab', null]) {
    const lab = await openLab({ view });
    try {
      const { page } = lab;
      const preloaded = await page.$$eval('link[rel="preload"]', (ls) => ls.map((l) => new URL(l.href).pathname));
      assert.equal(preloaded.some((p) => LAB_CODE.test(p)), view === 'lab', `preloads: ${preloaded.join(', ')}`);
      // The tour fetches it too, once idle (and the lab's code is then here).
      await page.waitForFunction(() => __concurrencyLabCode.loaded(), null, { timeout: 15_000 });
      assert.equal(lab.requests.filter((u) => LAB_CODE.test(new URL(u).pathname)).length, 1, `${view}: fetched once`);
      // Nothing reached a placeholder before the code was linked (the
      // loader would have fetched it again, synchronously).
      assert.equal(await page.evaluate(() => __concurrencyLabCode.early()), 0, `${view}: no early call`);
      assert.deepEqual(lab.errors, []);
    } finally {
      await lab.close();
    }
  }
});

test('on a first GitHub Pages visit the lab code is downloaded once, though both the page and the service worker want it', async () => {
  // The page fetches it ahead when idle (not before coi.js's reload), at
  // about the moment the service worker fills its offline copy: they share
  // one download (www/sw.js `download`).
  const lab = await openLab({ isolate: false, waitIsolated: true, view: null });
  try {
    await lab.page.waitForFunction(() => __concurrencyLabCode.loaded(), null, { timeout: 15_000 });
    await waitForWholeCopy(lab.page, siteFiles());
    const served = lab.server.log.filter((r) => LAB_CODE.test(r.path)).length;
    assert.equal(served, 1, `the server sent the lab code ${served} times`);
  } finally {
    await lab.close();
  }
});
