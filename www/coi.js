// Makes the page cross-origin isolated on hosts that cannot send headers,
// by registering www/sw.js and reloading once it controls the page.
// Runs before the app; leaves the outcome in `globalThis.coiStatus` so the
// page can say why threads are unavailable when isolation fails.
(() => {
  const FLAG = 'concurrency-lab-coi-reload';
  const set = (status) => {
    globalThis.coiStatus = status;
    // The page listens, so a late answer still updates what it says.
    globalThis.dispatchEvent(new CustomEvent('coistatus', { detail: status }));
  };
  if (globalThis.crossOriginIsolated) {
    sessionStorage.removeItem(FLAG);
    set('isolated');
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
