// Safe updates: the page and its workers share a build id. Build A is
// served and visited, then the server switches to build B (the same files
// with another id, so every worker file keeps its name, as across real
// deploys). The open page of build A refuses B's workers with a clear
// message; a reload gets build B, whose service worker keeps only B's copy;
// offline, B still runs. No worker of the other build is ever used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DIST, openLab, configure, run, publicUrl, siteFiles, waitForWholeCopy } from './lab.mjs';

/** Copies dist to `to`, replacing build id `from` with `id` everywhere, and fixes index.html's SRI hashes. */
function copyWithBuild(to, from, id) {
  fs.cpSync(DIST, to, { recursive: true });
  const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]);
  let replaced = 0;
  for (const f of walk(to)) {
    const b = fs.readFileSync(f);
    const old = Buffer.from(from);
    if (b.indexOf(old) < 0) continue;
    let i;
    while ((i = b.indexOf(old)) >= 0) { Buffer.from(id).copy(b, i); replaced++; }
    fs.writeFileSync(f, b);
  }
  // The lab code is named after its build's two halves (scripts/lab_split.py):
  // another build's has another name, which the glue and sw.js's list name.
  const lab = fs.readdirSync(to).find((f) => /^lab-[0-9a-f]+_bg\.wasm$/.test(f));
  if (lab) {
    const renamed = `lab-${crypto.createHash('sha256').update(id + lab).digest('hex').slice(0, 16)}_bg.wasm`;
    fs.renameSync(path.join(to, lab), path.join(to, renamed));
    const naming = fs.readdirSync(to).filter((f) => /\.(js|html)$/.test(f) && fs.readFileSync(path.join(to, f), 'utf8').includes(lab));
    assert.deepEqual(naming.map((f) => f.replace(/-[0-9a-f]+\.js$/, '.js')).sort(), ['app.js', 'index.html', 'sw.js'],
      `the glue, index.html (its preload) and sw.js name ${lab}`);
    for (const f of naming) fs.writeFileSync(path.join(to, f), fs.readFileSync(path.join(to, f), 'utf8').replaceAll(lab, renamed));
  }
  const index = path.join(to, 'index.html');
  // URLs carry the build's --public-url (`/concurrency-lab/app-….js`).
  const base = publicUrl(DIST);
  const html = fs.readFileSync(index, 'utf8').replace(/<(?:link|script)\b[^>]*>/g, (tag) => {
    const url = tag.match(/\b(?:href|src)="([^"]+)"/);
    const file = url && url[1].startsWith(base) && path.join(to, url[1].slice(base.length).split('?')[0]);
    if (!file || !tag.includes('integrity=') || !fs.existsSync(file)) return tag;
    const sri = `sha384-${crypto.createHash('sha384').update(fs.readFileSync(file)).digest('base64')}`;
    return tag.replace(/integrity="[^"]*"/, `integrity="${sri}"`);
  });
  fs.writeFileSync(index, html);
  return replaced;
}

const processes = { workload: 'primes', size: 100000, tasks: 4, model: 'processes' };
const threads = { workload: 'primes', size: 100000, tasks: 4, model: 'threads' };

test('a page never uses a worker of another build, online or offline', async () => {
  const A = fs.readFileSync(path.join(DIST, 'sw.js'), 'utf8').match(/\bBUILD\s*=\s*["']([^"']+)["']/)?.[1]; // release builds are minified
  assert.ok(A && A.length >= 8, `dist/sw.js names its build (${A})`);
  const B = [...A].reverse().map((c) => (c === '0' ? 'f' : '0')).join('');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-update-'));
  const dirA = path.join(tmp, 'a');
  const dirB = path.join(tmp, 'b');
  fs.cpSync(DIST, dirA, { recursive: true });
  // sw.js and all three wasm files carry the id.
  assert.ok(copyWithBuild(dirB, A, B) >= 4, 'the id is in sw.js and the wasm files');
  const live = path.join(tmp, 'live');
  fs.symlinkSync(dirA, live);
  const switchTo = (dir) => { fs.unlinkSync(live); fs.symlinkSync(dir, live); };

  // A header-less host, so the service worker (and its offline copy) is in play.
  const lab = await openLab({ root: live, isolate: false, waitIsolated: true });
  try {
    const { page } = lab;
    const build = () => page.getAttribute('.page', 'data-build');
    assert.equal(await build(), A);
    await configure(page, { ...processes, workers: 2 });
    assert.equal((await run(page))[0].answer, 9592);
    await configure(page, { ...threads, workers: 2 });
    assert.equal((await run(page))[0].answer, 9592);

    // Deploy B while page A stays open. New workers now come from B.
    switchTo(dirB);
    for (const s of [{ ...processes, workers: 3 }, { ...threads, workers: 3 }]) {
      await configure(page, s);
      const [r] = await run(page);
      assert.equal(r.error, 'failed', `${s.model}: a worker of build B must not run for page A (${r.text})`);
      assert.match(r.text, /updated while this page was open.*reload the page/s);
      assert.ok(r.text.includes(A) && r.text.includes(B), r.text);
    }
    await page.click('[data-testid="lang-ko"]');
    assert.match(await page.textContent('[data-testid="result-row"]'), /사이트가 업데이트되었습니다.*새로 고침하세요/s);
    await page.click('[data-testid="lang-en"]');

    // A reload gets build B, and its service worker replaces A's copy.
    await page.reload();
    await page.waitForSelector('[data-testid="settings"]');
    assert.equal(await build(), B);
    // B's service worker installs a moment after the reload, from the
    // page's register() call, deletes A's copy and starts its own; the page,
    // idle, then has it fetch what it did not fetch itself.
    const cacheOf = (id) => `concurrency-lab-${id}`;
    // B's copy must become whole, and be the only one: the page's own
    // script and wasm too, which this reload fetched through A's service
    // worker, into A's cache, deleted since.
    await waitForWholeCopy(page, siteFiles(dirB), { name: cacheOf(B), only: true });
    for (const s of [{ ...processes, workers: 3 }, { ...threads, workers: 3 }]) {
      await configure(page, s);
      const [r] = await run(page);
      assert.equal(r.error, null, `${s.model} on build B: ${r.text}`);
      assert.equal(r.answer, 9592);
    }

    // Offline: the service worker's copy is build B, whole.
    await lab.server.close();
    await page.reload();
    await page.waitForSelector('[data-testid="settings"]');
    assert.equal(await build(), B);
    for (const s of [{ ...processes, workers: 2 }, { ...threads, workers: 2 }]) {
      await configure(page, s);
      const [r] = await run(page);
      assert.equal(r.error, null, `${s.model} offline: ${r.text}`);
      assert.equal(r.answer, 9592);
    }
  } finally {
    await lab.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('a view opened later gets its code from the page\'s own build, or is told to reload', async () => {
  const A = fs.readFileSync(path.join(DIST, 'sw.js'), 'utf8').match(/\bBUILD\s*=\s*["']([^"']+)["']/)?.[1];
  const B = [...A].reverse().map((c) => (c === '0' ? 'f' : '0')).join('');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-update-'));
  const dirA = path.join(tmp, 'a');
  const dirB = path.join(tmp, 'b');
  fs.cpSync(DIST, dirA, { recursive: true });
  copyWithBuild(dirB, A, B);
  const labOf = (dir) => fs.readdirSync(dir).find((f) => /^lab-[0-9a-f]+_bg\.wasm$/.test(f));
  assert.notEqual(labOf(dirA), labOf(dirB));
  const live = path.join(tmp, 'live');
  fs.symlinkSync(dirA, live);
  // Page A reads the tour; its lab code is held back until B is deployed
  // (else the page, idle, would have fetched it ahead from A).
  let held = true;
  const asked = [];
  const route = [/\/lab-[0-9a-f]+_bg\.wasm$/, (r) => {
    asked.push(path.basename(new URL(r.request().url()).pathname));
    return held ? r.abort('internetdisconnected') : r.continue();
  }];
  const lab = await openLab({ root: live, isolate: true, view: null, route });
  try {
    const { page } = lab;
    fs.unlinkSync(live);
    fs.symlinkSync(dirB, live);
    held = false;
    // A claim checked now needs the lab's code: the card says the site was
    // updated, and offers a reload rather than another try.
    const claim = '[data-testid="claim"][data-claim="append-safe"]';
    await page.click(`${claim} [data-testid="claim-run"]`);
    await page.waitForSelector(`${claim}[data-state="no-code"]`);
    assert.match(await page.textContent(`${claim} [data-testid="claim-no-code"]`), /updated while this page was open.*Reload the page/s);
    assert.ok(await page.$(`${claim} [data-testid="claim-reload"]`), 'the card offers a reload');
    await page.click('[data-testid="tab-lab"]');
    const failed = '[data-testid="lab-code"][data-state="failed"]';
    await page.waitForSelector(failed);
    assert.match(await page.textContent(failed), /updated while this page was open.*Reload the page/s);
    await page.click('[data-testid="lang-ko"]');
    assert.match(await page.textContent(failed), /사이트가 업데이트되어.*새로 고침하세요/s);
    // Page A only ever asked for its own build's lab code.
    assert.deepEqual([...new Set(asked)], [labOf(dirA)]);
    assert.equal(await page.evaluate(() => __concurrencyLabCode.loaded()), false);
    // Trying again cannot help: the page offers a reload, which is build B,
    // whose lab code loads and runs.
    assert.equal(await page.$('[data-testid="lab-code-retry"]'), null);
    await page.click('[data-testid="lab-code-reload"]');
    await page.waitForSelector('[data-testid="settings"]');
    await page.waitForSelector('[data-testid="settings"]');
    assert.equal(await page.getAttribute('.page', 'data-build'), B);
    await configure(page, { ...processes, workers: 2 });
    assert.equal((await run(page))[0].answer, 9592);
    assert.ok(asked.includes(labOf(dirB)));
  } finally {
    await lab.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
