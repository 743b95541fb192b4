// A "forkserver-like" process (see src/web/pools/start.rs): instead of fetching
// and compiling the process worker's wasm itself, as a spawned worker does,
// it is handed the module the page compiled once, and only instantiates it
// — the way a forkserver's children skip re-importing what it loaded.
self.addEventListener('message', async (event) => {
  const { default: init } = await import('./process_worker.js');
  await init({ module_or_path: event.data });
}, { once: true });
