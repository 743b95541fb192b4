// Concurrency Lab's service worker: cross-origin isolation on static hosts.
//
// GitHub Pages cannot send response headers (wasm-bindgen#2277), yet the
// threads models need SharedArrayBuffer, which browsers only allow on a
// cross-origin isolated page (COOP same-origin + COEP require-corp). This
// worker adds both headers to every same-origin response it serves —
// including worker scripts, whose own COEP decides whether *they* may
// share memory — and keeps a copy of the site so it also opens offline.
//
// One cache per build. The workers' files keep their names from build to
// build (trunk does not hash worker outputs), so a cache shared by builds
// could hand a page a worker of another build. scripts/post_build.py writes
// the build id here (the same id the page and its workers compare, see
// build.rs); a new id is a new service worker, which fills its own cache
// and deletes the others when it takes over.
const BUILD = 'BUILD_ID_PLACEHOLDER';
const PREFIX = 'concurrency-lab-';
const CACHE = PREFIX + BUILD;

// Every file of the build is kept (scripts/post_build.py writes the list),
// so the page opens and runs every model offline, even one never run while
// online. A list of the workers alone was not enough: after an update, the
// page's own script and wasm were cached only if the new service worker
// happened to take over before the reloaded page fetched them, and
// otherwise went with the old build's cache — a blank page offline.
const PRECACHE = ['./', ...'PRECACHE_FILES_PLACEHOLDER'.split(',')];

// Installing fetches nothing. On a first visit the page waits for this
// worker to take over and then reloads (www/coi.js): fetching the whole
// site here first made that reload wait for every file — the page's wasm a
// second time, the workers' — and a first visit on a slow phone network
// took 8.5 s instead of 3 (tests/e2e/first_view.mjs). The copy is filled
// instead as the page's requests pass through `fetch` below, and the rest
// when the page, idle after its first view, asks for it ("fill").
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil((async () => {
  // Other builds' copies go: nothing may serve their workers any more.
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n)));
  // This build's copy starts now, so the files the page fetches from here
  // on are kept (`keep` only writes to an existing copy).
  await caches.open(CACHE);
  await self.clients.claim();
})()));

// The rest of the copy: what the page has not fetched through this worker.
// Only the active worker fills: one that a newer build replaced must not
// re-create its deleted copy (its list names the old build's files, and
// the server already sends the new build's workers under those names).
// `self.serviceWorker` (this worker as its clients see it) is missing in
// older engines; there the deleted copy alone tells.
async function fill() {
  const me = self.serviceWorker;
  // Pages this registration already controls get this worker as their
  // controller when its activation *starts* (and may ask at once), before
  // `activate` below has started this build's copy.
  if (me && me.state === 'activating') {
    await new Promise((done) => me.addEventListener('statechange', done, { once: true }));
  }
  if ((me && self.registration.active !== me) || !(await caches.has(CACHE))) return;
  const cache = await caches.open(CACHE);
  const have = new Set((await cache.keys()).map((r) => r.url));
  const missing = PRECACHE.map((url) => new URL(url, self.registration.scope).href).filter((url) => !have.has(url));
  // `reload`: straight from the server, never from the HTTP cache, which
  // may still hold the previous build's files under the same names.
  await Promise.all(missing.map(async (url) => {
    const response = await download(new Request(url, { cache: 'reload' }));
    if (response.ok) await cache.put(url, response);
  }).map((p) => p.catch(() => {})));
}

// Downloads in progress of files named after their content (`app-<hash>…`,
// `lab-<hash>_bg.wasm`), by URL. The page fetches its lab code ahead when
// idle, at about the moment it asks for `fill`: both then share one
// download instead of making two. Held until the body has arrived. Only
// such names: another file's name (a worker's) stays from build to build,
// and `fill` must not take the page's response, which may come from the
// HTTP cache, for it.
const downloads = new Map();
// (trunk writes its hashes without leading zeros.)
const HASHED = /-[0-9a-f]{1,16}(?:_bg)?\.[a-z]+$/;
function download(request) {
  const url = request.url;
  if (!HASHED.test(new URL(url).pathname)) return fetch(request);
  let shared = downloads.get(url);
  if (!shared) {
    const forget = () => downloads.delete(url);
    // A request of its own: the first asker's may be aborted (a page that
    // goes away), and the other must still get the file.
    shared = fetch(url).then((response) => {
      response.clone().arrayBuffer().catch(() => {}).finally(forget);
      return response;
    });
    shared.catch(forget);
    downloads.set(url, shared);
  }
  return shared.then((response) => response.clone());
}
self.addEventListener('message', (event) => {
  if (event.data === 'fill') event.waitUntil(fill());
});

function isolate(response) {
  if (!response || response.status === 0 || response.type === 'opaque') return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

// Only while this build's cache exists: an old service worker still
// answering the requests of a page it controlled when the next build took
// over must not re-create the cache the next build deleted.
async function keep(request, response) {
  if (await caches.has(CACHE)) await (await caches.open(CACHE)).put(request, response);
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  // Only this site's own files: the page never loads anything else.
  if (new URL(request.url).origin !== self.location.origin || request.method !== 'GET') return;
  event.respondWith((async () => {
    try {
      // Network first, so a new deploy is picked up at once.
      const response = await download(request);
      if (response.ok) keep(request, response.clone()).catch(() => {});
      return isolate(response);
    } catch (err) {
      const cached = await caches.match(request, { cacheName: CACHE, ignoreSearch: request.mode === 'navigate' });
      if (cached) return isolate(cached);
      throw err;
    }
  })());
});
