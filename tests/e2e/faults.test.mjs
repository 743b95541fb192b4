// Robustness: crashing tasks in every model, cancel again and again, fifty
// runs without leaks, a hidden tab flagged, the race demo, shareable links
// and exports.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { openLab, configure, run, rows, settledWorkers, race } from './lab.mjs';

let lab;
before(async () => { lab = await openLab(); });
after(async () => { await lab?.close(); });

async function setCrash(page, on) {
  if ((await page.isChecked('[data-testid="input-crash"]')) !== on) await page.click('[data-testid="input-crash"]');
}

async function poolStatus(page) {
  return page.$eval('[data-testid="pool-status"]', (p) => ({
    processes: Number(p.dataset.processes),
    threads: Number(p.dataset.threads),
    page: Number(p.dataset.pageMemory),
    host: Number(p.dataset.hostMemory),
    process: Number(p.dataset.processMemory),
  }));
}

const SMALL = { workload: 'primes', size: 400000, tasks: 12, plan: 'uniform', workers: 2, strategy: 'dynamic', chunk: 1 };
const PI_400K = 33860;

for (const model of ['processes', 'sequential']) {
  test(`crash one task: ${model} reports it, replaces the worker, keeps the rest`, async () => {
    const { page } = lab;
    await configure(page, { ...SMALL, model });
    await setCrash(page, true);
    const [r] = await run(page);
    await setCrash(page, false);
    assert.equal(r.error, null, r.text);
    assert.equal(Number(await page.getAttribute('[data-testid="result-row"]', 'data-failed')), 1);
    assert.equal(Number(await page.getAttribute('[data-testid="result-row"]', 'data-results')), 11);
    assert.match(r.text, /task 6 crashed in process \d/);
    assert.match(r.text, /11 of 12 results kept/);
    assert.ok(r.answer < PI_400K && r.answer > 0, `partial answer ${r.answer}`);
    // The replaced pool works: the next run is whole and right.
    const [again] = await run(page);
    assert.equal(again.error, null);
    assert.equal(again.answer, PI_400K);
  });
}

for (const model of ['threads', 'gil']) {
  test(`crash one task: ${model} fails the whole run clearly, the next run works`, async () => {
    const { page } = lab;
    await configure(page, { ...SMALL, model });
    await setCrash(page, true);
    const [r] = await run(page, { timeout: 30_000 });
    await setCrash(page, false);
    assert.equal(r.error, 'failed', r.text);
    assert.match(r.text, /a thread panicked — task 6 crashed/);
    assert.match(r.text, /takes the whole process down/);
    // The error is data, worded in the reader's language.
    await page.click('[data-testid="lang-ko"]');
    const [ko] = await rows(page);
    await page.click('[data-testid="lang-en"]');
    assert.match(ko.text, /스레드 하나가 패닉했습니다 — 작업 6이\(가\) 죽었습니다/);
    assert.doesNotMatch(ko.text, /panicked|crashed|switch is on/);
    const [again] = await run(page);
    assert.equal(again.error, null, again.text);
    assert.equal(again.answer, PI_400K);
  });
}

test('crash one task: asyncio keeps the other coroutines\' results', async () => {
  const { page } = lab;
  await configure(page, { workload: 'io', size: 20, tasks: 10, model: 'asyncio' });
  await setCrash(page, true);
  const [r] = await run(page);
  await setCrash(page, false);
  assert.equal(r.error, null, r.text);
  assert.match(r.text, /task 5 crashed in coroutine 0/);
  assert.equal(r.answer, 55 - 6);
});

test('cancel again and again in every model, then run', async () => {
  const { page } = lab;
  for (const model of ['sequential', 'gil', 'threads', 'processes', 'asyncio']) {
    for (let i = 0; i < 3; i++) {
      await configure(page, { workload: 'primes', size: 20000000, tasks: 40, model, workers: 2 });
      const before = (await rows(page)).length;
      await page.click('[data-testid="run"]');
      await page.waitForSelector('[data-testid="progress"]');
      await page.waitForTimeout(150 + 100 * i);
      await page.click('[data-testid="cancel"]');
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="result-row"]').length > n
        && !document.querySelector('[data-testid="progress"]'), before, { timeout: 10_000 });
      const [r] = await rows(page);
      assert.equal(r.error, 'cancelled', `${model} #${i}: ${r.text}`);
    }
    await configure(page, { ...SMALL, model });
    const [ok] = await run(page);
    assert.equal(ok.answer, PI_400K, `${model} after cancels: ${ok.text}`);
  }
});

test('fifty runs across all models: same answers, no leaked workers, bounded memory', async () => {
  const { page } = lab;
  await page.click('[data-testid="clear"]');
  const models = ['sequential', 'gil', 'threads', 'processes', 'asyncio'];
  const answers = new Set();
  let first;
  for (let i = 0; i < 50; i++) {
    await configure(page, { ...SMALL, model: models[i % models.length], tasks: 8 + (i % 3) });
    const [r] = await run(page);
    assert.equal(r.error, null, `run ${i}: ${r.text}`);
    answers.add(r.answer);
    if (i === 9) first = await poolStatus(page);
  }
  const last = await poolStatus(page);
  console.log('pools after 10 runs', first, 'after 50', last);
  assert.deepEqual([...answers], [PI_400K]);
  // One sequential worker + two pool processes; two threads: never more.
  assert.equal(last.processes, 3);
  assert.equal(last.threads, 2);
  assert.deepEqual([last.processes, last.threads], [first.processes, first.threads]);
  // Memory does not grow with the number of runs.
  assert.ok(last.page <= first.page + 4 * 1024 * 1024, `page memory ${first.page} → ${last.page}`);
  assert.ok(last.host <= first.host + 4 * 1024 * 1024, `host memory ${first.host} → ${last.host}`);
  assert.ok(last.process <= first.process + 4 * 1024 * 1024, `process memory ${first.process} → ${last.process}`);
  // And the browser agrees: the workers alive in the tab are exactly the
  // ones the pools own — a forgotten but live worker would show here.
  const live = await settledWorkers(page, { process: 3, host: 1, rayon: 2 });
  console.log('live workers (browser)', live);
  assert.equal(live.process, 3, live.urls.join('\n'));
  assert.equal(live.host, 1, live.urls.join('\n'));
  assert.equal(live.rayon, 2, live.urls.join('\n'));
});

test('a run while the tab is hidden is flagged, not reported as real', async () => {
  const { page } = lab;
  await configure(page, { workload: 'io', size: 50, tasks: 4, model: 'asyncio' });
  await page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  const [r] = await run(page);
  await page.evaluate(() => {
    delete document.hidden;
    delete document.visibilityState;
  });
  assert.equal(await page.getAttribute('[data-testid="result-row"]', 'data-hidden'), 'true');
  assert.match(r.text, /tab was hidden/);
  const [visible] = await run(page);
  assert.doesNotMatch(visible.text, /tab was hidden/);
});

test('while the race demo runs nothing else can start, and no second pool appears', async () => {
  const { page } = lab;
  await configure(page, { ...SMALL, model: 'threads', workers: 3 });
  // Fresh pools of 3 threads and 3 processes: the race must start them,
  // which keeps it busy long enough to try every button meanwhile.
  const rowsBefore = (await rows(page)).length;
  const racesBefore = Number(await page.getAttribute('[data-testid="race"]', 'data-races'));
  const seen = await page.evaluate(() => new Promise((resolve) => {
    const controls = document.querySelector('.controls');
    const states = [];
    const ids = ['run', 'run-all', 'sweep', 'race-run'];
    const observer = new MutationObserver(() => {
      if (controls.dataset.busy !== 'race') {
        if (states.length) { observer.disconnect(); resolve(states); }
        return;
      }
      const disabled = Object.fromEntries(ids.map((id) => [id, document.querySelector(`[data-testid="${id}"]`).disabled]));
      // Try to start a run and a second race anyway.
      for (const id of ids) document.querySelector(`[data-testid="${id}"]`).click();
      states.push({ disabled, cancel: document.querySelector('[data-testid="cancel"]').disabled });
    });
    observer.observe(document.body, { attributes: true, subtree: true, childList: true });
    document.querySelector('[data-testid="race-run"]').click();
  }));
  assert.equal(Number(await page.getAttribute('[data-testid="race"]', 'data-races')), racesBefore + 1);
  console.log('states seen while racing', seen.length, seen[0]);
  assert.ok(seen.length > 0, 'the race was never seen running');
  for (const s of seen) {
    assert.deepEqual(s.disabled, { run: true, 'run-all': true, sweep: true, 'race-run': true });
    assert.equal(s.cancel, false, 'Cancel stays available');
  }
  assert.equal((await rows(page)).length, rowsBefore, 'a run started during the race');
  const live = await settledWorkers(page, { host: 1, rayon: 3 });
  assert.equal(live.host, 1, `thread hosts: ${live.urls.join(', ')}`);
  assert.equal(live.rayon, 3, `pool threads: ${live.urls.join(', ')}`);
  // The pools are ready for the next run.
  const [r] = await run(page);
  assert.equal(r.answer, PI_400K, r.text);
});

test('race demo: lost updates without a lock, exact counts with one', async () => {
  const { page } = lab;
  await configure(page, { workers: 2 });
  await race(page);
  const got = Object.fromEntries(await page.$$eval('[data-testid="race-row"]', (trs) => trs.map((t) => [t.dataset.mode, [Number(t.dataset.expected), Number(t.dataset.counted)]])));
  console.log('race', got);
  assert.deepEqual(Object.keys(got).sort(), ['atomic', 'mutex', 'processes', 'unsync']);
  const [e, c] = got.unsync;
  assert.equal(e, 20000000);
  assert.ok(c < e, `no update was lost (${c} of ${e})`);
  for (const m of ['atomic', 'mutex', 'processes']) assert.equal(got[m][1], got[m][0], m);
});

test('settings live in the link; results export as JSON and CSV', async () => {
  const { page } = lab;
  await configure(page, { workload: 'sha256', size: 30000, tasks: 7, plan: 'uneven', model: 'processes', workers: 3, strategy: 'static' });
  await page.click('[data-testid="lang-ko"]');
  const url = page.url();
  assert.match(url, /workload=sha256/);
  assert.match(url, /lang=ko/);
  const other = await lab.browser.context.newPage();
  await other.goto(url);
  await other.waitForSelector('[data-testid="settings"]');
  assert.equal(await other.inputValue('[data-testid="input-workload"]'), 'sha256');
  assert.equal(await other.inputValue('[data-testid="input-size"]'), '30000');
  assert.equal(await other.inputValue('[data-testid="input-tasks"]'), '7');
  assert.equal(await other.inputValue('[data-testid="input-plan"]'), 'uneven');
  assert.equal(await other.inputValue('[data-testid="input-workers"]'), '3');
  assert.equal(await other.inputValue('[data-testid="input-strategy"]'), 'static');
  assert.equal(await other.getAttribute('html', 'lang'), 'ko');
  // A link with nonsense shows the usual messages instead of breaking.
  await other.goto(new URL('?size=-4&workers=lots', lab.server.url).href);
  await other.waitForSelector('[data-testid="settings"]');
  await other.click('[data-testid="run"]');
  await other.waitForSelector('[data-testid="error-size"]');
  await other.waitForSelector('[data-testid="error-workers"]');
  await other.close();
  await page.click('[data-testid="lang-en"]');

  const [r] = await run(page);
  const n = (await rows(page)).filter((x) => !x.error).length;
  const [json] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-json"]')]);
  const reports = JSON.parse(fs.readFileSync(await json.path(), 'utf8'));
  assert.equal(reports.length, n);
  assert.equal(reports.at(-1).answer, r.answer);
  assert.equal(reports.at(-1).workload.kind, 'Sha256');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-csv"]')]);
  const lines = fs.readFileSync(await csv.path(), 'utf8').trim().split('\n');
  assert.equal(lines.length, n + 1);
  // (The answer is a 64-bit number: compare its text, not a JS double.)
  const answerText = await page.getAttribute('[data-testid="result-row"]', 'data-answer');
  assert.match(lines.at(-1), new RegExp(`^processes,sha256,30000,7,uneven,3,"static slices",[\\d.]+,[\\d.]+,${answerText},`));
});
