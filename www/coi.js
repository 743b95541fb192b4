// Makes the page cross-origin isolated on hosts that cannot send headers,
// by registering www/sw.js and reloading once it controls the page.
// Runs before the app; leaves the outcome in `globalThis.coiStatus` so the
// page can say why threads are unavailable when isolation fails.
(() => {
  const FLAG = 'concurrency-lab-coi-reload';
  // Once the app has started (its wasm fetched and running: trunk's loader
  // then fires "TrunkApplicationStarted") and the page is idle, the service
  // worker fetches the files of the build the page did not (www/sw.js
  // "fill"): the workers, so that every model runs offline after one visit.
  // Again when a new build's worker takes over. Not earlier: on a slow
  // network those bytes would compete with the first view's (the `load`
  // event came while the page's wasm was still arriving).
  function fillWhenIdle() {
    const sw = navigator.serviceWorker;
    if (!sw) return;
    const ask = () => sw.controller && sw.controller.postMessage('fill');
    const idle = globalThis.requestIdleCallback || ((f) => setTimeout(f, 500));
    const later = () => idle(ask, { timeout: 3000 });
    globalThis.addEventListener('TrunkApplicationStarted', later, { once: true });
    sw.addEventListener('controllerchange', later);
  }
  const set = (status) => {
    globalThis.coiStatus = status;
    // The page listens, so a late answer still updates what it says.
    globalThis.dispatchEvent(new CustomEvent('coistatus', { detail: status }));
  };
  if (globalThis.crossOriginIsolated) {
    sessionStorage.removeItem(FLAG);
    set('isolated');
    fillWhenIdle();
    return;
  }
  if (new URLSearchParams(location.search).has('nosw')) return set('disabled');
  if (!globalThis.isSecureContext) return set('insecure');
  if (!('serviceWorker' in navigator)) return set('no-service-worker');
  // One reload per tab session, ever: if the browser still refuses
  // isolation after the worker took over, reloading again would loop.
  const reloadOnce = () => {
    if (sessionStorage.getItem(FLAG)) return set('refused');
    sessionStorage.setItem(FLAG, '1');
    location.reload();
  };
  set('registering');
  // Some browsers (and settings) neither accept nor refuse: give up after a while.
  setTimeout(() => {
    if (globalThis.coiStatus === 'registering') set('blocked: no answer from the service worker');
  }, 5000);
  navigator.serviceWorker
    .register(new URL('sw.js', document.baseURI))
    .then(() => {
      if (navigator.serviceWorker.controller) {
        reloadOnce();
      } else {
        navigator.serviceWorker.addEventListener('controllerchange', reloadOnce, { once: true });
      }
    })
    .catch((err) => set(`blocked: ${err && err.message ? err.message : err}`));
})();
