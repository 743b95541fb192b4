// The lab's code: the second half of the page's wasm (scripts/lab_split.py
// appends this to wasm-bindgen's glue, whose `wasm` is the first half's
// exports). `__concurrencyLabCode.load()` fetches, compiles and links it;
// the page awaits that before it shows a view that needs it (src/web/lab_code.rs).
const __labCode = (() => {
  const url = new URL('LAB_FILE', import.meta.url);
  // The file is named after this build's two halves; the hash makes sure
  // the bytes are the ones this build wrote.
  const integrity = 'LAB_INTEGRITY';
  let instance = null;
  let table = null;
  let compiling = null;
  // Calls that reached the lab's code before it was loaded. The page never
  // makes one on purpose; tests/e2e/split.test.mjs checks it stays 0.
  let early = 0;
  const link = (module) => {
    if (instance) return;
    // The table the lab's functions go into, as the primary exports it.
    const name = WebAssembly.Module.imports(module).find((i) => i.kind === 'table').name;
    instance = new WebAssembly.Instance(module, { primary: wasm });
    table = wasm[name];
  };
  // A load that has not finished by then fails (and can be retried),
  // rather than leave the view "loading" for ever on a stalled connection.
  const DEADLINE_MS = 30000;
  // Fetched, checked and compiled; linked by `load`, which needs the first
  // half's exports. Started at once on a page that preloads the file
  // (www/preload_lab.js: it opened on a view that needs it), so the compile
  // overlaps the first half's start.
  const prepare = () => (compiling ??= (async () => {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), DEADLINE_MS);
    try {
      // The hash is checked here rather than by fetch's `integrity`, which
      // turns a 404 into the same bare "Failed to fetch" as being offline.
      const response = await fetch(url, { signal: abort.signal });
      // Not found: this build is no longer on the server (a new deploy).
      if (response.status === 404) throw Object.assign(new Error('404'), { name: 'Gone' });
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      const bytes = await response.arrayBuffer();
      // `crypto.subtle` exists only in secure contexts (HTTPS, localhost): on
      // a plain-HTTP page the content-named file goes unchecked.
      if (globalThis.crypto?.subtle) {
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-384', bytes));
        // The name is the content's: other bytes under it were altered on the way.
        if (`sha384-${btoa(String.fromCharCode(...digest))}` !== integrity) throw new Error('the file arrived altered');
      }
      return await WebAssembly.compile(bytes);
    } catch (error) {
      throw abort.signal.aborted ? new Error(`no answer within ${DEADLINE_MS / 1000} s`) : error;
    } finally {
      clearTimeout(timer);
    }
  })().catch((error) => {
    compiling = null;
    throw error;
  }));
  const load = () => (instance ? Promise.resolve() : prepare().then(link));
  if (document.querySelector(`link[rel="preload"][href$="/${url.pathname.split('/').pop()}"]`)) {
    // A failure is reported when the page asks (`load`), not here.
    prepare().catch(() => {});
  }
  // Last resort for a call that comes before `load` finished: fetch and
  // link right now. A synchronous request can only return text in a
  // document; `x-user-defined` maps each byte to one character.
  const loadNow = () => {
    early += 1;
    const xhr = new XMLHttpRequest();
    xhr.open('GET', url, false);
    xhr.overrideMimeType('text/plain; charset=x-user-defined');
    xhr.send();
    if (xhr.status !== 200) throw new Error(`the lab's code could not be loaded: ${xhr.status}`);
    const text = xhr.responseText;
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
    link(new WebAssembly.Module(bytes));
  };
  // The primary imports one placeholder per table slot of a lab function
  // ("placeholder" "<slot>"). Once the lab's module is linked, its element
  // segment has replaced them in the table, and calls go straight there.
  const placeholders = {};
  for (const slot of 'LAB_SLOTS') {
    placeholders[slot] = (...args) => {
      if (!instance) loadNow();
      return table.get(slot)(...args);
    };
  }
  globalThis.__concurrencyLabCode = { load, loaded: () => instance !== null, early: () => early };
  return { placeholders };
})();
