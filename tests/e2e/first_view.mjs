// The first view as a reader's phone gets it: a fresh profile (no cache, no
// service worker), the test server compressing like a static host, and
// Chromium's own network and CPU throttling. Measures the time from the
// navigation until a view is usable and the bytes the browser fetched on the
// way. Used by the benchmark (bench.mjs); `node first_view.mjs` prints it
// for the built site alone.
//
// The site is served with the cross-origin isolation headers (as Netlify or
// Cloudflare Pages can send them). On GitHub Pages, which cannot, the first
// visit also waits for the service worker's one reload (www/coi.js); that
// path is not measured here: Chromium throttles a page's requests, not its
// service worker's, so the figure would be wrong.
import { launch, publicUrl, DIST } from './lab.mjs';
import { serve } from './server.mjs';

/** Network figures are DevTools' presets without their request-level multipliers: the issue's "1.6 Mbps, 150 ms". */
export const PROFILES = [
  { id: 'desktop', label: 'desktop (no throttling)', network: null, cpu: 1 },
  { id: 'fast-4g', label: 'fast 4G (9 Mbps, 60 ms) + CPU 4×', network: { down: 9e6, up: 1.5e6, rtt: 60 }, cpu: 4 },
  { id: 'slow-4g', label: 'slow 4G (1.6 Mbps, 150 ms) + CPU 4×', network: { down: 1.6e6, up: 750e3, rtt: 150 }, cpu: 4 },
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
 * and enabled.
 */
function markUsable(buttons) {
  globalThis.usableAt = {};
  const check = () => {
    for (const b of buttons) {
      if (globalThis.usableAt[b] !== undefined) continue;
      const el = document.querySelector(`[data-testid="${b}"]`);
      if (el && !el.disabled) globalThis.usableAt[b] = performance.timeOrigin + performance.now();
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] });
}

/**
 * Opens `view` in a fresh browser under `profile`; returns { ms, bytes,
 * requests }: time to usable, and the encoded bytes (compressed, with
 * headers) of every request the page sent before that moment.
 */
export async function measureFirstView(view, profile, { root = DIST } = {}) {
  const server = await serve({ root, isolate: true, base: publicUrl(root) });
  const browser = await launch();
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await browser.context.addInitScript(markUsable, VIEWS.map((v) => v.button));
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (profile.network) {
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: profile.network.rtt,
        downloadThroughput: profile.network.down / 8,
        uploadThroughput: profile.network.up / 8,
      });
    }
    if (profile.cpu > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
    const sent = new Map(); // requestId → { url, at (epoch ms), bytes }
    cdp.on('Network.requestWillBeSent', (e) => sent.set(e.requestId, { url: e.request.url, at: e.wallTime * 1000, bytes: null }));
    cdp.on('Network.loadingFinished', (e) => { const r = sent.get(e.requestId); if (r) r.bytes = e.encodedDataLength; });
    cdp.on('Network.loadingFailed', (e) => { const r = sent.get(e.requestId); if (r) r.bytes = 0; });

    const start = Date.now();
    await page.goto(server.url + view.query, { waitUntil: 'commit' });
    await page.waitForFunction((b) => globalThis.usableAt?.[b] !== undefined, view.button, { timeout: 120_000, polling: 200 });
    const at = await page.evaluate((b) => globalThis.usableAt[b], view.button);
    // The requests sent before that moment were in its path: wait for the
    // ones still loading, then count them.
    const before = () => [...sent.values()].filter((r) => r.at <= at && !r.url.startsWith('data:'));
    const end = Date.now() + 60_000;
    while (before().some((r) => r.bytes === null) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    const requests = before().map((r) => ({ url: r.url.replace(server.url, ''), bytes: r.bytes }));
    return { ms: Math.round(at - start), bytes: requests.reduce((s, r) => s + (r.bytes ?? 0), 0), requests };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** Every view under every profile, best of `runs` (fresh profile each). */
export async function measureFirstViews({ runs = 3, root = DIST } = {}) {
  const out = [];
  for (const profile of PROFILES) {
    for (const view of VIEWS) {
      let best = null;
      for (let i = 0; i < runs; i++) {
        const m = await measureFirstView(view, profile, { root });
        if (!best || m.ms < best.ms) best = m;
      }
      out.push({ profile: profile.id, label: profile.label, view: view.id, ms: best.ms, bytes: best.bytes, requests: best.requests });
    }
  }
  return out;
}

/** Prints the table (shared with bench.mjs). */
export function printFirstViews(rows) {
  const pad = (s, n) => String(s).padEnd(n);
  console.log(pad('profile', 38) + pad('view', 7) + pad('usable after', 14) + 'bytes before (gzip, with headers)');
  for (const r of rows) {
    console.log(pad(r.label, 38) + pad(r.view, 7) + pad(`${(r.ms / 1000).toFixed(2)} s`, 14) + `${(r.bytes / 1024).toFixed(1)} KB`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await measureFirstViews({ runs: Number(process.argv[2] ?? 1) });
  printFirstViews(rows);
  if (process.argv.includes('--requests')) for (const r of rows) console.log(r.profile, r.view, JSON.stringify(r.requests));
}
