// A "spawned" process (see src/web/pools/start.rs): a fresh worker that
// fetches the process worker's wasm and compiles it itself, every time —
// the way a spawned interpreter starts from nothing and imports everything.
//
// It compiles from bytes on purpose, not with compileStreaming (which the
// pools use): V8 caches a streamed module's machine code on disk once it is
// fully tiered up (the WebAssembly caching API, crbug.com/719172, is plumbed
// only through streaming compilation), and Firefox does the same; a spawn
// that loaded that cache would compile nothing in one page load and
// everything in the next. V8 still shares a module compiled from the same
// bytes that is alive in another worker of this process (its wasm engine's
// native-module cache, UpdateNativeModuleCache in src/wasm/module-compiler.cc):
// while the page's pools hold the module, a spawn costs about what a
// forkserver-like start does, and the page says so.
import init from './process_worker.js';

const response = await fetch(new URL('./process_worker_bg.wasm', import.meta.url));
const module = await WebAssembly.compile(await response.arrayBuffer());
await init({ module_or_path: module });
