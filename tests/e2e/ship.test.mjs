// Shipping: isolation through the service worker on a header-less static
// host (GitHub Pages), the fallback when isolation is impossible, and no
// request ever leaving the page's origin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openLab, configure, run, publicUrl, siteFiles, waitForWholeCopy } from './lab.mjs';

test('a header-less static host becomes isolated through the service worker', async () => {
  // GitHub Pages serves a project site under /<repository>/, with no
  // headers: the build under test must be such a build (scripts/test.sh
  // makes it as the Pages workflow does), served the same way.
  const base = publicUrl();
  assert.notEqual(base, '/', 'dist/ is a build for "/": build it with --public-url as scripts/test.sh does');
  const lab = await openLab({ isolate: false, waitIsolated: true });
  try {
    const { page } = lab;
    assert.equal(new URL(page.url()).pathname, base);
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    assert.equal(await page.evaluate(() => globalThis.coiStatus), 'isolated');
    // The service worker's scope is the site's sub-path, not the host's root.
    assert.equal(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.scope), lab.server.url);
    // The reload happened once, and only once.
    // (The app writes its settings into the query, so match the page with any query.)
    const isPage = (u) => u === lab.server.url || u.startsWith(`${lab.server.url}?`);
    const navigations = lab.requests.filter(isPage).length;
    assert.equal(navigations, 2, `page loaded ${navigations} times`);
    await configure(page, { workload: 'primes', size: 300000, tasks: 8, model: 'threads', workers: 2 });
    const [r] = await run(page);
    assert.equal(r.error, null, r.text);
    assert.equal(r.answer, 25997);
    // Reloading again does not loop.
    await page.reload();
    await page.waitForSelector('[data-testid="settings"]');
    await page.waitForTimeout(1000);
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    assert.equal(lab.requests.filter(isPage).length, 3);
    // With the server gone, the site still opens and computes from the
    // service worker's copy.
    await lab.server.close();
    await page.reload();
    await page.waitForSelector('[data-testid="settings"]');
    await configure(page, { workload: 'primes', size: 100000, tasks: 4, model: 'processes', workers: 2 });
    const [offline] = await run(page);
    assert.equal(offline.error, null, offline.text);
    assert.equal(offline.answer, 9592);
  } finally {
    await lab.close();
  }
});

test('after one visit to the tour, every view works offline', async () => {
  // A first visit on GitHub Pages that only reads the tour: no model runs,
  // so no worker is fetched by the page itself. The service worker fetches
  // them once the first view is idle (www/sw.js "fill").
  const lab = await openLab({ isolate: false, waitIsolated: true, view: null });
  try {
    const { page } = lab;
    await waitForWholeCopy(page, siteFiles());
    // …and the page itself never asked for a worker: the copy has them from the fill.
    assert.deepEqual(lab.requests.filter((u) => /process_worker|thread_host/.test(u)), []);
    await lab.server.close();
    await page.reload();
    await page.waitForSelector('[data-testid="tour"]');
    // A claim's check runs the interpreter's counts in a process worker and
    // the real race in the thread host.
    const claim = '[data-testid="claim"][data-claim="append-safe"]';
    await page.click(`${claim} [data-testid="claim-run"]`);
    await page.waitForSelector(`${claim}:is([data-state="done"], [data-state="failed"])`, { timeout: 120_000 });
    assert.equal(await page.getAttribute(claim, 'data-verdict'), 'holds', await page.textContent(claim));
    await page.click('[data-testid="tab-interpreter"]');
    await page.waitForSelector('[data-testid="interp"]');
    await page.click('[data-testid="count-run"]');
    await page.waitForSelector('[data-testid="counts"][data-busy="false"] [data-testid="count-cell"]', { timeout: 60_000 });
    assert.deepEqual(await page.$$eval('[data-testid="count-cell"][data-error]', (cs) => cs.map((c) => c.dataset.error)), []);
    await page.click('[data-testid="tab-lab"]');
    await page.waitForSelector('[data-testid="settings"]');
    await configure(page, { workload: 'primes', size: 100000, tasks: 4, model: 'threads', workers: 2 });
    const [r] = await run(page);
    assert.equal(r.error, null, r.text);
    assert.equal(r.answer, 9592);
  } finally {
    await lab.close();
  }
});

test('without isolation: threads are off with the reason, the rest works', async () => {
  const lab = await openLab({ isolate: false, serviceWorkers: 'block' });
  try {
    const { page } = lab;
    assert.equal(await page.evaluate(() => crossOriginIsolated), false);
    // The blocked registration is given up on and explained.
    await page.waitForSelector('[data-testid="isolation"][data-reason="blocked"]', { timeout: 10_000 });
    const banner = await page.textContent('[data-testid="isolation"]');
    assert.match(banner, /Threads are off on this page/);
    assert.match(banner, /blocked the service worker/);
    // Both thread models are disabled in the model list.
    const disabled = await page.$$eval('[data-testid="input-model"] option', (os) => os.filter((o) => o.disabled).map((o) => o.value));
    assert.deepEqual(disabled.sort(), ['gil', 'threads']);
    // The default model is one that works here.
    assert.equal(await page.inputValue('[data-testid="input-model"]'), 'processes');
    for (const model of ['sequential', 'processes', 'asyncio']) {
      await configure(page, { workload: 'primes', size: 300000, tasks: 8, model, workers: 2 });
      const [r] = await run(page);
      assert.equal(r.error, null, `${model}: ${r.text}`);
      assert.equal(r.answer, 25997);
    }
    await configure(page, { workload: 'io', size: 30, tasks: 10, model: 'asyncio' });
    const [io] = await run(page);
    assert.equal(io.answer, 55);
    // Run-all still runs everything it can and reports the rest clearly.
    await configure(page, { workload: 'primes', size: 100000, tasks: 4, workers: 2 });
    const all = await run(page, { all: true });
    const failed = all.filter((r) => r.error).map((r) => r.model).sort();
    assert.deepEqual(failed, ['gil', 'threads']);
    assert.match(all.find((r) => r.model === 'threads').text, /cross-origin isolated/);
  } finally {
    await lab.close();
  }
});

test('the fallback explains itself when the service worker is switched off', async () => {
  const lab = await openLab({ isolate: false, query: '?nosw' });
  try {
    assert.match(await lab.page.textContent('[data-testid="isolation"]'), /switched off/);
    await lab.page.click('[data-testid="lang-ko"]');
    assert.match(await lab.page.textContent('[data-testid="isolation"]'), /서비스 워커를 꺼 두었습니다/);
  } finally {
    await lab.close();
  }
});

test('no request leaves the origin and the CSP is never violated', async () => {
  const lab = await openLab();
  try {
    const { page } = lab;
    await page.evaluate(() => {
      globalThis.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => globalThis.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await configure(page, { workload: 'primes', size: 200000, tasks: 8, workers: 2 });
    const all = await run(page, { all: true });
    assert.equal(all.filter((r) => r.error).length, 0);
    const origin = new URL(lab.server.url).origin;
    const foreign = lab.requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'));
    assert.deepEqual(foreign, []);
    assert.deepEqual(await page.evaluate(() => globalThis.cspViolations), []);
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert.match(csp, /default-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|https?:/);
    assert.deepEqual(lab.errors, []);
  } finally {
    await lab.close();
  }
});
