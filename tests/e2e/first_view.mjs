// The first view as a reader's phone gets it: a fresh profile (no cache, no
// service worker), the test server compressing like a static host and
// answering like a phone's network (server.mjs `link`), and Chromium's CPU
// throttling. Measures the time from the navigation until a view is usable
// and the bytes sent until then. Used by the benchmark (bench.mjs);
// `node first_view.mjs [runs]` prints it for the built site alone.
//
// Two hosts: one that sends the isolation headers (Netlify, Cloudflare
// Pages, `trunk serve`), and GitHub Pages, which cannot: there the first
// visit registers the service worker, which fetches its offline copy, and
// reloads the page once (www/coi.js). The network is throttled on the
// server's side because Chromium's own throttling does not slow a service
// worker's requests.
import { launch, publicUrl, DIST } from './lab.mjs';
import { serve } from './server.mjs';

/** DevTools' presets, without their request-level multipliers: the issue's "1.6 Mbps, 150 ms". */
export const PROFILES = [
  { id: 'desktop', label: 'desktop (no throttling)', link: null, cpu: 1 },
  { id: 'fast-4g', label: 'fast 4G (9 Mbps, 60 ms) + CPU 4×', link: { down: 9e6, rtt: 60 }, cpu: 4 },
  { id: 'slow-4g', label: 'slow 4G (1.6 Mbps, 150 ms) + CPU 4×', link: { down: 1.6e6, rtt: 150 }, cpu: 4 },
];

export const HOSTS = [
  { id: 'headers', label: 'isolation headers', isolate: true },
  { id: 'pages', label: 'GitHub Pages (no headers)', isolate: false },
];

/**
 * The views measured: where each opens, and what makes it usable — its main
 * button in the page and enabled (Yew attaches a component's listeners in
 * the task that inserts its DOM, so an enabled button works).
 */
export const VIEWS = [
  { id: 'tour', query: '', button: 'check-all' },
  { id: 'lab', query: '?view=lab', button: 'run' },
];

/**
 * Runs in the page before its own scripts: records, for each button of
 * `VIEWS`, the wall-clock time (ms since the epoch) it was first in the page
 * and enabled — in the page that stays: both hosts end cross-origin
 * isolated, and on GitHub Pages the page before www/coi.js's reload is not
 * (a click there would be lost to the reload).
 */
function markUsable(buttons) {
  globalThis.usableAt = {};
  // When the lab's code (the second half of the page's wasm) is linked:
  // what a claim's check waits for. The glue sets the loader once; its
  // load() is wrapped here, so nothing polls.
  let loader;
  Object.defineProperty(globalThis, '__concurrencyLabCode', {
    configurable: true,
    get: () => loader,
    set: (value) => {
      const load = value.load;
      loader = { ...value, load: () => load().then((r) => { globalThis.codeAt ??= performance.timeOrigin + performance.now(); return r; }) };
    },
  });
  const check = () => {
    if (!globalThis.crossOriginIsolated) return;
    for (const b of buttons) {
      if (globalThis.usableAt[b] !== undefined) continue;
      const el = document.querySelector(`[data-testid="${b}"]`);
      if (el && !el.disabled) globalThis.usableAt[b] = performance.timeOrigin + performance.now();
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] });
}

/**
 * Opens `view` in a fresh browser under `profile` from `host`; returns
 * { ms, codeMs, bytes, requests }: time to usable, time until the lab's
 * code is here too (a claim's check waits for it; never before usable),
 * and the bytes (compressed bodies) of every request that reached the
 * server before usable — the page's and its service worker's.
 */
export async function measureFirstView(view, profile, host = HOSTS[0], { root = DIST } = {}) {
  const server = await serve({ root, isolate: host.isolate, base: publicUrl(root), link: profile.link });
  const browser = await launch();
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await browser.context.addInitScript(markUsable, VIEWS.map((v) => v.button));
    const cdp = await browser.context.newCDPSession(page);
    if (profile.cpu > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
    const start = Date.now();
    await page.goto(server.url + view.query, { waitUntil: 'commit' });
    let at;
    for (let tries = 0; at === undefined; tries++) {
      try {
        await page.waitForFunction((b) => globalThis.usableAt?.[b] !== undefined, view.button, { timeout: 120_000, polling: 200 });
        at = await page.evaluate((b) => globalThis.usableAt[b], view.button);
      } catch (e) {
        // The service worker's reload replaced the page while we asked.
        if (tries >= 3 || !/context was destroyed|navigation/i.test(String(e))) throw e;
      }
    }
    const requests = server.log.filter((r) => r.at <= at);
    // Then the lab's code: fetched ahead once the page is idle (the tour),
    // or needed at once (the lab). A build in one module has it at once.
    await page.waitForFunction(() => globalThis.codeAt !== undefined || globalThis.__concurrencyLabCode === undefined,
      null, { timeout: 120_000, polling: 100 });
    const codeAt = (await page.evaluate(() => globalThis.codeAt)) ?? at;
    return { ms: Math.round(at - start), codeMs: Math.round(Math.max(codeAt, at) - start), bytes: requests.reduce((s, r) => s + r.bytes, 0), requests };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** Every host, view and profile, best of `runs` (a fresh profile each). */
export async function measureFirstViews({ runs = 3, root = DIST } = {}) {
  const out = [];
  for (const host of HOSTS) {
    for (const profile of PROFILES) {
      for (const view of VIEWS) {
        let best = null;
        for (let i = 0; i < runs; i++) {
          const m = await measureFirstView(view, profile, host, { root });
          console.error(`first view: ${host.id} ${profile.id} ${view.id}: ${m.ms} ms (lab code ${m.codeMs} ms), ${m.bytes} B`);
          if (!best || m.ms < best.ms) best = m;
        }
        out.push({ host: host.id, profile: profile.id, label: `${profile.label}, ${host.label}`, view: view.id, ms: best.ms, code_ms: best.codeMs, bytes: best.bytes, requests: best.requests });
      }
    }
  }
  return out;
}

/** Prints the table (shared with bench.mjs). */
export function printFirstViews(rows) {
  const pad = (s, n) => String(s).padEnd(n);
  console.log(pad('profile, host', 66) + pad('view', 7) + pad('usable after', 14) + pad('lab code here', 15) + 'bytes sent before usable (gzip bodies)');
  for (const r of rows) {
    const code = r.code_ms === undefined ? '—' : `${(r.code_ms / 1000).toFixed(2)} s`;
    console.log(pad(r.label, 66) + pad(r.view, 7) + pad(`${(r.ms / 1000).toFixed(2)} s`, 14) + pad(code, 15) + `${(r.bytes / 1024).toFixed(1)} KB`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await measureFirstViews({ runs: Number(process.argv[2] ?? 1) });
  printFirstViews(rows);
  if (process.argv.includes('--requests')) {
    for (const r of rows) console.log(r.host, r.profile, r.view, r.requests.map((q) => `${q.path} ${q.bytes}`).join(', '));
  }
}
