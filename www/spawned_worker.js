// A "spawned" process (see src/web/pools/start.rs): a fresh worker that
// fetches the process worker's wasm and compiles it itself, every time —
// the way a spawned interpreter starts from nothing and imports everything.
//
// It compiles from bytes on purpose, not with compileStreaming (which the
// pools use): V8 caches a streamed module's machine code once it is fully
// tiered up (the WebAssembly caching API, crbug.com/719172, is plumbed only
// through streaming compilation), and Firefox does the same. A spawn that
// loads that cache compiles nothing, so "spawn" would cost what
// "forkserver-like" costs in one page load and more in the next.
import init from './process_worker.js';

const response = await fetch(new URL('./process_worker_bg.wasm', import.meta.url));
const module = await WebAssembly.compile(await response.arrayBuffer());
await init({ module_or_path: module });
