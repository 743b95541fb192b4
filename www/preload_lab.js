// A page opened straight on a view drawn by the lab's code (a link with
// `?view=lab`, or the view chosen on the last visit) fetches that code
// alongside its own wasm, not one round trip after it. Mirrors
// `View::choose` (src/ui/state/mod.rs) and `VIEW_KEY` (src/ui/app.rs): a
// claim's permalink opens the tour, then `?view=`, then the view last
// chosen here. An unknown view opens the tour: one fetch ahead, no harm.
// The file's URL is in `<meta name="lab-code">` (written by
// scripts/lab_split.py), not in this script, whose CSP hash must not change
// with it. A build that is one module (a debug build) keeps the placeholder.
(() => {
  const url = document.querySelector('meta[name="lab-code"]')?.content ?? '';
  if (!/\/lab-[0-9a-f]+_bg\.wasm$/.test(url) || location.hash.startsWith('#claim-')) return;
  // coi.js is about to reload this page for isolation: the reloaded one fetches it.
  if (globalThis.coiStatus === 'registering') return;
  let view = new URLSearchParams(location.search).get('view');
  try {
    view ??= localStorage.getItem('concurrency-lab.view');
  } catch {
    // Storage refused (a privacy setting): the query alone decides.
  }
  if (!view || view === 'tour') return;
  // `as="fetch"` with CORS mode: what the loader's `fetch(url)` asks for,
  // so the browser hands it this response.
  const link = document.createElement('link');
  link.rel = 'preload';
  link.as = 'fetch';
  link.crossOrigin = 'anonymous';
  link.href = url;
  document.head.append(link);
})();
