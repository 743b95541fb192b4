// Concurrency Lab's service worker: cross-origin isolation on static hosts.
//
// GitHub Pages cannot send response headers (wasm-bindgen#2277), yet the
// threads models need SharedArrayBuffer, which browsers only allow on a
// cross-origin isolated page (COOP same-origin + COEP require-corp). This
// worker adds both headers to every same-origin response it serves —
// including worker scripts, whose own COEP decides whether *they* may
// share memory — and keeps a copy of the site so it also opens offline.
const CACHE = 'concurrency-lab-v1';

// The workers' files keep their names from build to build (trunk does not
// hash worker outputs), so they can be fetched ahead: the page then opens
// and runs every model offline, even one never run while online.
const PRECACHE = [
  './',
  'process_worker_loader.js', 'process_worker.js', 'process_worker_bg.wasm', 'forked_worker.js',
  'thread_host_loader.js', 'thread_host.js', 'thread_host_bg.wasm',
];

self.addEventListener('install', (event) => {
  self.skipWaiting();
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(PRECACHE)).catch(() => {}));
});
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

function isolate(response) {
  if (!response || response.status === 0 || response.type === 'opaque') return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  // Only this site's own files: the page never loads anything else.
  if (new URL(request.url).origin !== self.location.origin || request.method !== 'GET') return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      // Network first, so a new deploy is picked up at once.
      const response = await fetch(request);
      if (response.ok) cache.put(request, response.clone()).catch(() => {});
      return isolate(response);
    } catch (err) {
      const cached = await cache.match(request, { ignoreSearch: request.mode === 'navigate' });
      if (cached) return isolate(cached);
      throw err;
    }
  })());
});
