// Shared helpers of the end-to-end tests: start Debian's Chromium headless
// with the flags this machine needs, open the built site, drive the form.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './server.mjs';

export const DIST = process.env.LAB_DIST ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');

/**
 * The sub-path a build in `root` expects to be served under: its
 * `--public-url`, read back from the URL trunk wrote for the page's script
 * (`/concurrency-lab/app-….js` → `/concurrency-lab/`). scripts/test.sh
 * builds the site as the GitHub Pages workflow does, so the tests open it
 * the way readers do; a build for `/` is served at `/`.
 */
export function publicUrl(root = DIST) {
  const html = fs.readFileSync(path.join(root, 'index.html'), 'utf8');
  const m = html.match(/\b(?:src|href)="([^"]*\/)app-[0-9a-f]+\.js"/);
  if (!m) throw new Error(`${root}/index.html names no app-….js: not a trunk build?`);
  return m[1];
}
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export async function launch({ serviceWorkers = 'allow', bypassCSP = false } = {}) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    serviceWorkers,
    // Only for tests that inject a script (axe-core), which the page's CSP forbids.
    bypassCSP,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // measureUserAgentSpecificMemory() otherwise waits for a garbage
      // collection (~20 s); eager mode answers at once.
      '--enable-blink-features=ForceEagerMeasureMemory',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Serves dist/ (or `root`) and opens it; returns { page, server, browser, errors, close }.
 * `initScript` runs in the page before any of its own scripts.
 * `view` is added to the query ('lab' unless told otherwise: a first visit
 * lands on the tour of claims); with `view: null` the page opens as a new
 * visitor sees it, and this waits for the tour instead of the lab's form.
 * `route` ([pattern, handler]) answers matching requests from the start.
 */
export async function openLab({ isolate = true, query = '', serviceWorkers = 'allow', waitIsolated = false, bypassCSP = false, initScript = null, root = DIST, view = 'lab', route = null } = {}) {
  if (view) query = `${query}${query.includes('?') ? '&' : '?'}view=${view}`;
  const server = await serve({ root, isolate, base: publicUrl(root) });
  const browser = await launch({ serviceWorkers, bypassCSP });
  if (initScript) await browser.context.addInitScript(initScript);
  // [pattern, handler]: requests the test answers itself (playwright's route).
  if (route) await browser.context.route(...route);
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(server.url + query);
  if (waitIsolated) {
    // The service worker reloads the page once; wait for the isolated one.
    await page.waitForFunction(() => crossOriginIsolated, null, { timeout: 20_000 });
  }
  const ready = { lab: 'settings', interpreter: 'interp' }[view] ?? 'tour';
  await page.waitForSelector(`[data-testid="${ready}"]`);
  return {
    page, server, browser, errors, requests,
    async close() { await browser.close(); await server.close(); },
  };
}

/**
 * The files of the built site in `dir` that the service worker's offline
 * copy must hold, as paths under the site's public URL
 * (`/concurrency-lab/app-….wasm`): every file but sw.js itself and dot
 * files (trunk's .trunk-lock is not part of the site).
 */
export function siteFiles(dir = DIST) {
  const base = publicUrl(DIST);
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.') && e.name !== 'sw.js')
    .map((e) => base + path.relative(dir, path.join(e.parentPath ?? e.path, e.name)).split(path.sep).join('/'));
}

/**
 * The service worker's caches as the page sees them: { names, paths }, the
 * paths held by the cache `name` (by the only cache, when `name` is null),
 * empty when that cache does not exist. Never creates a cache.
 */
async function offlineCopy(page, name = null) {
  return page.evaluate(async (wanted) => {
    const names = await caches.keys();
    const pick = wanted ?? (names.length === 1 ? names[0] : null);
    const paths = pick && names.includes(pick)
      ? (await (await caches.open(pick)).keys()).map((r) => new URL(r.url).pathname) : [];
    return { names, paths };
  }, name);
}

/**
 * Waits until the service worker's copy (the cache `name`, or the only
 * cache) holds every one of `files`; with `only`, until `name` is also the
 * one cache left. Fails after `timeout` ms, saying what is lacking. Polled
 * from here: waitForFunction takes an async predicate's promise for a
 * truthy answer (microsoft/playwright#29132).
 */
export async function waitForWholeCopy(page, files, { name = null, only = false, timeout = 20_000 } = {}) {
  for (const end = Date.now() + timeout; ;) {
    const { names, paths } = await offlineCopy(page, name);
    const missing = files.filter((f) => !paths.includes(f));
    const alone = !only || names.join() === name;
    if (alone && missing.length === 0) return;
    assert.ok(Date.now() < end, !alone
      ? `only the offline copy ${name} is kept (caches: ${names.join(', ')})`
      : `the offline copy${name ? ` ${name}` : ''} lacks ${missing.join(', ')}; it holds ${paths.join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A link to a mixed run that carries its work (`rate=`), and its answer
 * (as the page writes it, a decimal string: it is above 2^53). The Rust
 * test `the_mixed_link_answer_is_pinned` (engine/settings.rs) computes the
 * same answer natively: any engine, load or machine that answers otherwise
 * did other work.
 */
export const MIXED_LINK = '?workload=mixed&size=20&cpu=50&tasks=16&workers=2&model=processes&rate=3000';
export const MIXED_LINK_ANSWER = '17928666068893293783';

/**
 * Inside the interpreter, 2 threads × 1 iteration: every scenario's count
 * of schedules under both rules, as `schedules/bad/deadlocks` by
 * `scenario@rule`. The Rust test `the_interpreter_views_table_is_pinned`
 * (engine/python/bytecode/tests.rs) pins the same table natively.
 */
export const INTERP_COUNT_LINK = '?view=interpreter&scenario=increment&rule=gil&threads=2&iterations=1';
export const INTERP_COUNTS = {
  'increment@gil': '70/0/0',
  'increment@free': '601080390/436763184/0',
  'increment-call@gil': '252/120/0',
  'increment-call@free': '35345263800/33761387660/0',
  'check-then-act@gil': '20/12/0',
  'check-then-act@free': '10362380/10350340/0',
  'append@gil': '252/0/0',
  'append@free': '9075135300/0/0',
  'with-lock@gil': '252/0/0',
  'with-lock@free': '2340207318204/0/0',
  'lock-order@gil': '58/0/0',
  'lock-order@free': '45472362/0/252',
  'lock-order-call@gil': '128/0/12',
  'lock-order-call@free': '4143326616/0/184756',
  'lock-one-order@gil': '58/0/0',
  'lock-one-order@free': '947280/0/0',
};

/** The interpreter view's count table as the page shows it, keyed like `INTERP_COUNTS` (runs in the page). */
export function countTable() {
  return Object.fromEntries([...document.querySelectorAll('[data-testid="count-cell"]')].map((c) => [
    `${c.dataset.scenario}@${c.dataset.rule}`,
    c.dataset.error ? `error: ${c.dataset.error}` : `${c.dataset.schedules}/${c.dataset.bad}/${c.dataset.deadlocks}`,
  ]));
}

/** Sets the form: { workload, size, tasks, plan, model, workers, strategy, chunk }. */
export async function configure(page, s) {
  if (s.workload) await page.selectOption('[data-testid="input-workload"]', s.workload);
  for (const f of ['size', 'tasks', 'workers']) {
    if (s[f] !== undefined) await page.fill(`[data-testid="input-${f}"]`, String(s[f]));
  }
  if (s.plan) await page.selectOption('[data-testid="input-plan"]', s.plan);
  if (s.model) await page.selectOption('[data-testid="input-model"]', s.model);
  if (s.strategy) await page.selectOption('[data-testid="input-strategy"]', s.strategy);
  if (s.chunk !== undefined) await page.fill('[data-testid="input-chunk"]', String(s.chunk));
}

/**
 * The page's live dedicated workers as the browser itself reports them
 * (not the app's own counters): { process, host, rayon, other } counts.
 * Nested workers (the rayon threads the thread host starts) are listed by
 * Chromium as well.
 */
export function liveWorkers(page) {
  const urls = page.workers().map((w) => w.url()).sort();
  const count = (re) => urls.filter((u) => re.test(u)).length;
  return {
    urls,
    process: count(/process_worker/),
    host: count(/thread_host/),
    // wasm-bindgen-rayon starts its threads from blob: URLs.
    rayon: count(/^blob:/),
    total: urls.length,
  };
}

/**
 * Waits (up to `timeout` ms) until the live workers match `want` (e.g.
 * { host: 1, rayon: 2 }) and returns the last reading. A terminated worker
 * leaves the browser's list only when its close is reported, which can take
 * a second or so; a leaked one never does.
 */
export async function settledWorkers(page, want, timeout = 8000) {
  const end = Date.now() + timeout;
  for (;;) {
    const live = liveWorkers(page);
    const ok = Object.entries(want).every(([k, v]) => live[k] === v);
    if (ok || Date.now() > end) return live;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Clicks "Run the race" and waits for this race's results. */
export async function race(page) {
  const before = Number(await page.getAttribute('[data-testid="race"]', 'data-races'));
  await page.click('[data-testid="race-run"]');
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="race"]').dataset.races) > n,
    before, { timeout: 60_000 });
}

/**
 * Skips a speed-ratio test on a machine with fewer than `n` cores: with
 * one core no model can run two things at once, so the ratios say nothing.
 */
export async function needCores(t, page, n = 2) {
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  if (cores < n) {
    t.skip(`needs ${n} cores to compare speeds; this machine reports ${cores}`);
    return false;
  }
  return true;
}

/** Result rows, newest first, as plain objects. */
export async function rows(page) {
  return page.$$eval('[data-testid="result-row"]', (trs) => trs.map((tr) => ({
    model: tr.dataset.model,
    answer: tr.dataset.answer === undefined ? null : Number(tr.dataset.answer),
    wall: tr.dataset.wall === undefined ? null : Number(tr.dataset.wall),
    workers: tr.dataset.workers === undefined ? null : Number(tr.dataset.workers),
    lanes: tr.dataset.lanes === undefined ? null : Number(tr.dataset.lanes),
    error: tr.dataset.error ?? null,
    text: tr.innerText,
  })));
}

/**
 * How often a wait for the end of a timed run polls the page: every 100 ms,
 * not every animation frame (Playwright's default). Polling by frames makes
 * the page draw 60 frames a second, which on 2 cores takes CPU from the
 * workers being timed (measured: about 1 ms of the page's main thread a
 * frame, besides compositing).
 */
export const END_POLL_MS = 100;

/** Clicks Run (or Run all) and waits until the page is idle again. */
export async function run(page, { all = false, timeout = 180_000 } = {}) {
  const before = (await rows(page)).length;
  await page.click(all ? '[data-testid="run-all"]' : '[data-testid="run"]');
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="result-row"]').length > n
      && !document.querySelector('[data-testid="progress"]'),
    before, { timeout, polling: END_POLL_MS },
  );
  const after = await rows(page);
  return after.slice(0, after.length - before);
}

/**
 * Time to interactive, marked by the page itself: an init script (pass it
 * as openLab's `initScript`) watches the DOM from the first byte and
 * records performance.now() when the settings form is in the page. Yew
 * attaches a component's listeners in the same task that inserts its DOM,
 * so the form works from that moment. Also leaves a `lab-interactive`
 * performance mark.
 */
export function markInteractive() {
  const mark = () => {
    if (globalThis.labInteractive !== undefined || !document.querySelector('[data-testid="settings"]')) return false;
    globalThis.labInteractive = performance.now();
    performance.mark('lab-interactive');
    return true;
  };
  const watch = new MutationObserver(() => { if (mark()) watch.disconnect(); });
  watch.observe(document, { childList: true, subtree: true });
}

/** The page's time to interactive in ms (see markInteractive). */
export async function interactiveAt(page) {
  await page.waitForFunction(() => globalThis.labInteractive !== undefined);
  return page.evaluate(() => Math.round(globalThis.labInteractive * 10) / 10);
}
