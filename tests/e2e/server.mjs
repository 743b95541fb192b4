// A plain static file server for the built site (dist/), used by the
// end-to-end tests and the benchmark. `isolate: true` sends COOP/COEP like
// `trunk serve`; `isolate: false` behaves like GitHub Pages (no headers).
// `base` is the sub-path the site is served under, as GitHub Pages serves a
// project site (`/<repository>/`): the site must be built with the same
// `--public-url`, and anything outside it is a 404, as there. Like a static
// host (GitHub Pages, Netlify, Cloudflare Pages), it sends text and wasm
// gzip-compressed to a browser that accepts it (`gzip: false` turns that
// off), so the bytes a test or the benchmark sees are the bytes a reader's
// browser downloads. `link: { rtt, down }` makes it answer like a phone's
// network (see `phoneLink`), and `log` lists what it sent and when.
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';

/** What a static host compresses: text, and wasm (GitHub Pages does both). */
const COMPRESSED = new Set(['.html', '.js', '.mjs', '.wasm', '.css', '.json', '.svg', '.webmanifest']);

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/**
 * A phone's network on the server's side: each response starts one round
 * trip (`rtt` ms) after its request, and all bodies share one downlink of
 * `down` bit/s, sent in 16 KB slices in the order they fall due, so
 * parallel downloads split the bandwidth as on a real link. Chromium's own
 * throttling (DevTools' presets) slows a page's requests but not its
 * service worker's; this slows every request alike. Connection set-up and
 * the uplink are not modelled.
 */
function phoneLink({ rtt, down }) {
  const SLICE = 16 * 1024;
  let free = 0; // when the downlink is next free (ms since the epoch)
  return async (res, headers, body, entry) => {
    await sleep(rtt);
    if (res.destroyed) return;
    res.writeHead(200, headers);
    for (let i = 0; i < body.length && !res.destroyed; i += SLICE) {
      const part = body.subarray(i, i + SLICE);
      free = Math.max(Date.now(), free) + (part.length * 8 * 1000) / down;
      await sleep(free - Date.now());
      if (res.destroyed) break; // the browser gave up on it (a reload)
      res.write(part);
      entry.bytes += part.length;
    }
    res.end();
  };
}

export async function serve({ root, isolate = true, port = 0, base = '/', gzip = true, link = null }) {
  const dir = path.resolve(root);
  const send = link ? phoneLink(link) : null;
  // What was sent: { path, at (ms since the epoch, the request's arrival),
  // bytes (of its body, as far as it was sent) }.
  const log = [];
  // Compressed bodies by file and modification time: a rebuilt file is
  // compressed again, an unchanged one once.
  const packed = new Map();
  const compressed = async (file, stat) => {
    // The real path: a test may swap a symlinked root between two builds.
    const key = `${await fs.realpath(file)}:${stat.mtimeMs}:${stat.size}`;
    if (!packed.has(key)) packed.set(key, zlib.gzipSync(await fs.readFile(file), { level: 6 }));
    return packed.get(key);
  };
  const prefix = base.endsWith('/') ? base : `${base}/`;
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://localhost');
      if (!url.pathname.startsWith(prefix)) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
        return;
      }
      const rel = decodeURIComponent(url.pathname.slice(prefix.length));
      let file = path.normalize(path.join(dir, rel));
      if (file !== dir && !file.startsWith(dir + path.sep)) {
        res.writeHead(403).end();
        return;
      }
      let stat = await fs.stat(file).catch(() => null);
      if (stat && stat.isDirectory()) {
        file = path.join(file, 'index.html');
        stat = await fs.stat(file).catch(() => null);
      }
      if (!stat) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
        return;
      }
      const headers = {
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-cache',
      };
      if (isolate) {
        headers['Cross-Origin-Opener-Policy'] = 'same-origin';
        headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
      }
      let body;
      if (gzip && COMPRESSED.has(path.extname(file)) && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
        body = await compressed(file, stat);
        headers['Content-Encoding'] = 'gzip';
        headers.Vary = 'Accept-Encoding';
      } else {
        body = await fs.readFile(file);
      }
      headers['Content-Length'] = body.length;
      const entry = { path: url.pathname + url.search, at: Date.now(), bytes: send ? 0 : body.length };
      log.push(entry);
      if (send) {
        await send(res, headers, body, entry);
      } else {
        res.writeHead(200, headers);
        res.end(body);
      }
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: actual } = server.address();
  return {
    url: `http://127.0.0.1:${actual}${prefix}`,
    log,
    // Drop kept-alive browser connections too, or close() would wait on them.
    close: () => new Promise((r) => { server.close(r); server.closeAllConnections(); }),
  };
}

// `node server.mjs [dist] [port] [--no-isolation] [--no-gzip] [--base=/sub/]` serves until killed.
if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const root = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a)) ?? 'dist';
  const port = Number(args.find((a) => /^\d+$/.test(a)) ?? 8080);
  const base = args.find((a) => a.startsWith('--base='))?.slice('--base='.length) ?? '/';
  const s = await serve({ root, port, base, isolate: !args.includes('--no-isolation'), gzip: !args.includes('--no-gzip') });
  console.log(`serving ${root} at ${s.url}`);
}
