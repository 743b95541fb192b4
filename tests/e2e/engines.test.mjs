// The built site in the other engines readers use: Firefox ESR and WebKitGTK
// (Safari's engine) — WebKit twice, with SharedArrayBuffer (as Safari on an
// isolated page) and without it (JavaScriptCore's default here). The same
// checks run on each (drivers in engines.mjs): the tour and its languages,
// "Check all claims", "Run all models", a refused bad input, and nothing
// left running. Each engine prints one summary line to paste in a report;
// screenshots go to screenshots/<engine>-tour-*.png.
import { describe, test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { DIST, INTERP_COUNT_LINK, INTERP_COUNTS, MIXED_LINK, MIXED_LINK_ANSWER, countTable, publicUrl } from './lab.mjs';
import { serve } from './server.mjs';
import { ENGINES, POLL_MS } from './engines.mjs';
import { CLAIMS } from './claims.mjs';

const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');
const MODELS = ['sequential', 'gil', 'threads', 'processes', 'asyncio'];
// The models that share one wasm memory between workers: impossible without SharedArrayBuffer.
const SHARED_MEMORY_MODELS = ['gil', 'threads'];
// π(100,000): the number of primes below 100,000.
const PRIMES_100K = 9592;
const SMALL_RUN = { workload: 'primes', size: 100000, tasks: 8, workers: 2 };
// A run of this size takes well under a second a model; a minute means a hang.
const RUN_ALL_TIMEOUT = 60_000;
// "Check all claims" takes ~20–30 s here; a card's step that shows no
// progress for this long is stuck (the longest steps take a few seconds).
const CHECK_ALL_TIMEOUT = 180_000;
const CHECK_ALL_STALL = 40_000;
const HANGUL = /[\uac00-\ud7a3]/;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The page's own markers of being busy, read in the page. Kept as plain
// functions: each engine serialises them into the page.
function labIdle() {
  const controls = document.querySelector('.controls');
  const runAll = document.querySelector('[data-testid="run-all"]');
  return !document.querySelector('[data-testid="progress"]') && controls?.dataset.busy === '' && !!runAll && !runAll.disabled;
}

function rowsInPage() {
  return [...document.querySelectorAll('[data-testid="result-row"]')].map((tr) => ({
    model: tr.dataset.model,
    answer: tr.dataset.answer === undefined ? null : Number(tr.dataset.answer),
    workers: tr.dataset.workers === undefined ? null : Number(tr.dataset.workers),
    error: tr.dataset.error ?? null,
    text: tr.innerText.replace(/\s+/g, ' ').trim(),
  }));
}

function labState() {
  const p = document.querySelector('[data-testid="progress"]');
  return {
    busy: document.querySelector('.controls')?.dataset.busy,
    progress: p ? p.innerText.replace(/\s+/g, ' ').trim() : null,
    rows: document.querySelectorAll('[data-testid="result-row"]').length,
  };
}

/** The core count the page sizes work from: the browser's figure, and what the page measured (once it has). */
function coresInPage() {
  const c = document.querySelector('[data-testid="cores"]');
  return { reported: c?.dataset.reported ?? null, measured: c?.dataset.measured || null, text: c?.innerText.trim() ?? null };
}

function poolStatus() {
  const p = document.querySelector('[data-testid="pool-status"]');
  return p && { processes: Number(p.dataset.processes), threads: Number(p.dataset.threads), text: p.innerText.trim() };
}

function tourState() {
  const tour = document.querySelector('[data-testid="tour"]');
  const progress = document.querySelector('[data-testid="tour-progress"]');
  return {
    checking: tour?.dataset.checking,
    summary: document.querySelector('[data-testid="tour-summary"]')?.innerText.trim() ?? null,
    progress: progress ? `${progress.innerText.trim()} ${progress.querySelector('progress')?.value}` : null,
    cards: [...document.querySelectorAll('[data-testid="claim"]')].map((c) => ({
      claim: c.dataset.claim,
      state: c.dataset.state,
      verdict: c.dataset.verdict,
      step: c.querySelector('.progress-label')?.innerText.trim() ?? null,
      verdictText: c.querySelector('[data-testid="claim-verdict"]')?.innerText.replace(/\s+/g, ' ').trim() ?? '',
    })),
  };
}

/** Clicks Cancel if the lab is busy and says whether the page became idle again (within 10 s). */
async function cancelRun(b) {
  await b.click('[data-testid="cancel"]').catch(() => {});
  return b.waitFor(labIdle, { timeout: 10_000, message: 'idle after Cancel' }).then(() => true, () => false);
}

if (!fs.existsSync(path.join(DIST, 'index.html'))) {
  test('the site is built', () => assert.fail(`no build at ${DIST}: build it first (scripts/test.sh builds it as GitHub Pages does)`));
}

// LAB_ENGINES=firefox,webkit runs only those (ids in engines.mjs); all by default.
const only = process.env.LAB_ENGINES?.split(',').map((s) => s.trim()).filter(Boolean);
if (only?.some((id) => !ENGINES.some((e) => e.id === id))) {
  test('LAB_ENGINES names known engines', () => assert.fail(`LAB_ENGINES=${process.env.LAB_ENGINES}; known: ${ENGINES.map((e) => e.id)}`));
}

for (const engine of ENGINES.filter((e) => !only || only.includes(e.id))) {
  describe(engine.label, { skip: !fs.existsSync(path.join(DIST, 'index.html')) }, () => {
    let server;
    let b;
    // What the summary line reports; filled in as the tests go.
    const seen = { runAll: null, checkAll: null, checkAllSeconds: null, problems: [], errorsSeen: 0 };
    let started;
    const tourUrl = () => `${server.url}?view=tour`;
    const labUrl = () => `${server.url}?view=lab`;

    before(async () => {
      started = Date.now();
      fs.mkdirSync(SHOTS, { recursive: true });
      server = await serve({ root: DIST, isolate: true, base: publicUrl(DIST) });
      b = await engine.start();
    }, { timeout: 120_000 });

    // The page's errors are reported under the test during which they came.
    afterEach(async (t) => {
      const errors = await b?.errors().catch(() => []) ?? [];
      for (const e of errors.slice(seen.errorsSeen)) t.diagnostic(`page error: ${e.slice(0, 500)}`);
      seen.errorsSeen = errors.length;
    });

    after(async () => {
      try {
        if (b) seen.errors = await b.errors().catch((e) => [`(could not read: ${e.message})`]);
        if (b) seen.cores = await b.eval(coresInPage, undefined, 5000).catch(() => seen.cores);
      } finally {
        await b?.close();
        await server?.close();
        const answers = seen.runAll
          ? MODELS.map((m) => `${m}=${seen.runAll[m] ?? 'none'}`).join(' ')
          : 'not run';
        const verdicts = seen.checkAll
          ? Object.entries(seen.checkAll).map(([c, v]) => `${c}=${v}`).join(' ')
          : 'not finished';
        const cores = seen.cores ? `cores: browser ${seen.cores.reported}, measured ${seen.cores.measured ?? '—'}` : 'cores ?';
        console.log(`[${engine.id}] ${b?.version ?? '?'} · SAB ${seen.sab ?? '?'} · isolated ${seen.isolated ?? '?'} · ${cores}`
          + ` | run-all: ${answers}`
          + ` | mixed link: ${seen.mixed === MIXED_LINK_ANSWER ? 'same answer' : seen.mixed ?? 'not run'}`
          + ` | interpreter: ${seen.interp ?? 'not run'}`
          + ` | check-all${seen.checkAllSeconds ? ` ${seen.checkAllSeconds} s` : ''}`
          + `${seen.tourCores ? ` (measured ${seen.tourCores.measured ?? '—'} cores)` : ''}: ${verdicts}`
          + (seen.problems.length ? ` | noticed: ${seen.problems.join('; ')}` : '')
          + (seen.errors?.length ? ` | page errors: ${seen.errors.length} (${seen.errors.slice(0, 3).join(' / ').slice(0, 400)})` : '')
          + ` | ${((Date.now() - started) / 1000).toFixed(0)} s`);
      }
    }, { timeout: 60_000 });

    // Each test's time-out is a backstop only: the waits inside are bounded
    // and say what they were waiting for.
    test('the tour opens with every claim card, in English and in Korean', { timeout: 90_000 }, async (t) => {
      await b.open(tourUrl());
      await b.waitFor((n) => document.querySelectorAll('[data-testid="claim"]').length >= n,
        { arg: CLAIMS.length, timeout: 30_000, message: 'the tour with its cards', describe: () => document.body.innerText.slice(0, 300) });
      const env = await b.eval(() => ({
        isolated: crossOriginIsolated,
        sab: typeof SharedArrayBuffer === 'function',
        chip: document.querySelector('[data-testid="isolation"]')?.innerText.trim(),
        claims: [...document.querySelectorAll('[data-testid="claim"]')].map((c) => c.dataset.claim),
        lab: !document.querySelector('#view-lab')?.hidden,
      }));
      Object.assign(seen, { isolated: env.isolated, sab: env.sab });
      t.diagnostic(`isolation chip: ${env.chip}`);
      assert.deepEqual(env.claims, CLAIMS);
      assert.equal(env.lab, false, 'the lab view is hidden on the tour');
      assert.equal(env.isolated, true, 'served with COOP/COEP: cross-origin isolated');
      assert.equal(env.sab, engine.sab, `SharedArrayBuffer ${engine.sab ? 'available' : 'hidden'} in this engine`);
      // Without shared memory the page must not promise threads.
      if (!env.sab) assert.doesNotMatch(env.chip ?? '', /shared-memory threads available/, 'the isolation chip without SharedArrayBuffer');

      const heading = () => {
        const tour = document.querySelector('[data-testid="tour"]');
        return {
          h2: tour.querySelector('h2').innerText.trim(),
          button: document.querySelector('[data-testid="check-all"]').innerText.trim(),
          text: tour.innerText,
        };
      };
      await b.click('[data-testid="lang-ko"]');
      const ko = await b.waitFor((re) => {
        const h2 = document.querySelector('[data-testid="tour"] h2')?.innerText ?? '';
        return new RegExp(re).test(h2) && document.querySelector('[data-testid="lang-ko"]').getAttribute('aria-pressed') === 'true';
      }, { arg: HANGUL.source, timeout: 5000, message: 'the Korean heading' }).then(() => b.eval(heading));
      assert.match(ko.h2, HANGUL);
      assert.match(ko.button, /모든 주장 확인하기/);
      assert.match(ko.text, /성립/);

      await b.click('[data-testid="lang-en"]');
      await b.waitFor(() => document.querySelector('[data-testid="tour"] h2')?.innerText.trim() === 'The claims, checked',
        { timeout: 5000, message: 'the English heading' });
      const en = await b.eval(heading);
      assert.equal(en.button, 'Check all claims');
      assert.doesNotMatch(en.h2 + en.button, HANGUL);
    });

    test('"Check all claims" ends with a verdict on every card', { timeout: CHECK_ALL_TIMEOUT + 60_000 }, async (t) => {
      if (!(await b.eval(() => !!document.querySelector('[data-testid="tour"]')))) await b.open(tourUrl());
      const t0 = Date.now();
      try {
        await b.click('[data-testid="check-all"]');
        // Polled from here rather than with waitFor: a check that stops
        // moving is reported as stuck long before the overall time-out.
        let last = '';
        let movedAt = Date.now();
        let state;
        for (;;) {
          state = await b.eval(tourState);
          if (state.checking === 'false' && state.summary) break;
          const sig = JSON.stringify([state.progress, state.cards.map((c) => [c.state, c.step])]);
          if (sig !== last) { last = sig; movedAt = Date.now(); }
          const running = state.cards.find((c) => c.state === 'running');
          // Which card was running when the page reported an error.
          const errors = await b.errors();
          for (const e of errors.slice(seen.errorsSeen)) t.diagnostic(`page error while ${running?.claim ?? 'no card'} ran: ${e.slice(0, 300)}`);
          seen.errorsSeen = errors.length;
          const where = `${state.progress ?? 'no progress bar'}; card ${running?.claim ?? '—'}: ${running?.step ?? '—'}`;
          if (Date.now() - movedAt > CHECK_ALL_STALL) {
            seen.checkAll = Object.fromEntries(state.cards.map((c) => [c.claim, c.state === 'done' ? c.verdict : c.state]));
            assert.fail(`"Check all claims" stuck: nothing moved for ${CHECK_ALL_STALL / 1000} s at ${where}`);
          }
          if (Date.now() - t0 > CHECK_ALL_TIMEOUT) assert.fail(`"Check all claims" not done after ${CHECK_ALL_TIMEOUT / 1000} s: ${where}`);
          await sleep(4 * POLL_MS);
        }
        seen.checkAllSeconds = ((Date.now() - t0) / 1000).toFixed(1);
        seen.tourCores = await b.eval(coresInPage);
        seen.checkAll = Object.fromEntries(state.cards.map((c) => [c.claim, c.state === 'failed' ? 'failed' : c.verdict]));
        t.diagnostic(`${state.summary} (${seen.checkAllSeconds} s)`);
        for (const c of state.cards) {
          if (c.state === 'failed') t.diagnostic(`${c.claim} failed: ${c.verdictText}`);
          else if (c.verdict === 'inconclusive') t.diagnostic(`${c.claim} inconclusive: ${c.verdictText}`);
          assert.ok(['done', 'failed'].includes(c.state), `${c.claim} ended ${c.state}`);
          assert.ok(['holds', 'does-not-hold', 'inconclusive'].includes(c.verdict), `${c.claim}: verdict "${c.verdict}"`);
          if (c.state === 'failed') assert.match(c.verdictText, /The experiment could not run: \S/, `${c.claim} says why it failed`);
          else assert.match(c.verdictText, /Holds on this machine|Does not hold here|Inconclusive/, c.claim);
        }
        // Nothing of the tour left running.
        const idle = await b.eval(() => ({
          progress: !!document.querySelector('[data-testid="tour-progress"]'),
          cancel: !!document.querySelector('[data-testid="tour-cancel"]'),
          checkAll: !document.querySelector('[data-testid="check-all"]').disabled,
        }));
        assert.deepEqual(idle, { progress: false, cancel: false, checkAll: true }, 'the tour is idle again');
      } finally {
        // Screenshots whatever the outcome: they show how far it got.
        await b.click('[data-testid="lang-en"]');
        const wideEn = await b.screenshot(path.join(SHOTS, `${engine.id}-tour-en-1280.png`), { width: 1280 });
        await b.click('[data-testid="lang-ko"]');
        const narrowKo = await b.screenshot(path.join(SHOTS, `${engine.id}-tour-ko-390.png`), { width: 390, height: 844 });
        await b.click('[data-testid="lang-en"]');
        await b.resize(1280, 800);
        if (wideEn !== 1280 || narrowKo !== 390) {
          seen.problems.push(`screenshots are ${wideEn} and ${narrowKo} px wide (asked 1280 and 390)`);
          t.diagnostic(`screenshot widths: ${wideEn} and ${narrowKo} px (asked 1280 and 390)`);
        }
      }
    });

    test('a link to a mixed run gives the answer every engine and load gives', { timeout: 90_000 }, async () => {
      // The link carries its work (rate=): the same answer as Chromium's
      // loads and as the engine's own native computation.
      await b.open(`${server.url}${MIXED_LINK}&view=lab`);
      await b.present('[data-testid="settings"]', 30_000);
      await b.waitFor(labIdle, { timeout: 30_000, message: 'an idle lab' });
      const before = (await b.eval(rowsInPage)).length;
      await b.click('[data-testid="run"]');
      await b.waitFor((n) => document.querySelectorAll('[data-testid="result-row"]').length > n && !document.querySelector('[data-testid="progress"]'),
        { arg: before, timeout: 60_000, message: 'the mixed run finished', describe: labState });
      const answer = await b.eval(() => document.querySelector('[data-testid="result-row"]').dataset.answer);
      seen.mixed = answer;
      assert.equal(answer, MIXED_LINK_ANSWER);
      // The cores: measured by that first run, never more than the machine
      // has (WebKit says 4 on a 2-core machine).
      const cores = await b.eval(coresInPage);
      assert.ok(Number(cores.measured) >= 1 && Number(cores.measured) <= os.availableParallelism(),
        `measured ${cores.measured} on ${os.availableParallelism()} cores (the browser says ${cores.reported})`);
    });

    test('inside the interpreter, every interleaving is counted as in every other engine and natively', { timeout: 120_000 }, async () => {
      // The view and its count (a process worker) come with the lab's code,
      // the second half of the page's wasm, loaded when the view opens.
      await b.open(`${server.url}${INTERP_COUNT_LINK}`);
      await b.present('[data-testid="interp"]', 30_000);
      await b.click('[data-testid="count-run"]');
      await b.waitFor((n) => document.querySelectorAll('[data-testid="count-cell"]').length >= n
          && document.querySelector('[data-testid="counts"]')?.dataset.busy === 'false',
        { arg: Object.keys(INTERP_COUNTS).length, timeout: 90_000, message: 'every scenario counted' });
      const table = await b.eval(countTable);
      // WebDriver hands objects back with their keys in another order.
      seen.interp = isDeepStrictEqual(table, INTERP_COUNTS) ? 'same counts' : 'other counts';
      assert.deepEqual(table, INTERP_COUNTS);
    });

    test(`"Run all models" on a small CPU workload: every available model answers ${PRIMES_100K}`, { timeout: RUN_ALL_TIMEOUT + 60_000 }, async (t) => {
      await b.open(labUrl());
      await b.present('[data-testid="settings"]', 30_000);
      await b.waitFor(labIdle, { timeout: 10_000, message: 'an idle lab' });
      await b.select('[data-testid="input-workload"]', SMALL_RUN.workload);
      for (const f of ['size', 'tasks', 'workers']) await b.fill(`[data-testid="input-${f}"]`, SMALL_RUN[f]);
      const before = (await b.eval(rowsInPage)).length;
      const t0 = Date.now();
      await b.click('[data-testid="run-all"]');
      let finished = true;
      try {
        await b.waitFor((n) => {
          const idle = !document.querySelector('[data-testid="progress"]') && document.querySelector('.controls')?.dataset.busy === '';
          return idle && document.querySelectorAll('[data-testid="result-row"]').length > n;
        }, { arg: before, timeout: RUN_ALL_TIMEOUT, message: '"Run all models" finished', describe: labState });
      } catch (e) {
        finished = false;
        const got = (await b.eval(rowsInPage)).slice(0, -before || undefined);
        seen.runAll = Object.fromEntries(got.map((r) => [r.model, r.error ?? r.answer]));
        const recovered = await cancelRun(b);
        throw new Error(`${e.message}; rows so far: ${JSON.stringify(got.map((r) => `${r.model}: ${r.error ?? r.answer}`))}; `
          + `Cancel ${recovered ? 'brought the lab back to idle' : 'did not bring the lab back to idle within 10 s'}`);
      } finally {
        t.diagnostic(`run all: ${((Date.now() - t0) / 1000).toFixed(1)} s${finished ? '' : ' (did not finish)'}`);
      }
      const all = await b.eval(rowsInPage);
      const got = all.slice(0, all.length - before);
      seen.runAll = Object.fromEntries(got.map((r) => [r.model, r.error ? `${r.error}(${r.text.slice(0, 120)})` : `${r.answer}(${r.workers}w)`]));
      // The worker count each pool was left with, for the last test.
      seen.workers = Object.fromEntries(got.map((r) => [r.model, r.workers]));
      const typed = await b.eval(() => document.querySelector('[data-testid="input-workers"]').value);
      seen.cores = await b.eval(coresInPage);
      const parallel = got.filter((r) => ['processes', 'threads'].includes(r.model) && r.workers !== null);
      if (parallel.some((r) => r.workers !== SMALL_RUN.workers)) {
        const note = `workers typed ${SMALL_RUN.workers}, rows ran with ${parallel.map((r) => `${r.model} ${r.workers}`).join(', ')}; `
          + `the form now says ${typed}; cores chip: "${seen.cores.text}"`;
        seen.problems.push(note);
        t.diagnostic(note);
      }
      // A count the reader typed is kept, whatever the page measured.
      assert.deepEqual(parallel.map((r) => r.workers), parallel.map(() => SMALL_RUN.workers), 'the typed worker count');
      assert.deepEqual(got.map((r) => r.model).sort(), [...MODELS].sort(), 'one row per model');
      for (const r of got) {
        if (engine.sab || !SHARED_MEMORY_MODELS.includes(r.model)) {
          assert.equal(r.error, null, `${r.model} failed: ${r.text}`);
          assert.equal(r.answer, PRIMES_100K, `${r.model}: ${r.text}`);
        } else {
          // Refused at once with the reason, not a hang or a wrong answer.
          assert.equal(r.error, 'failed', `${r.model} without SharedArrayBuffer: ${r.text}`);
          assert.match(r.text, /shared memory|SharedArrayBuffer|not shared/i, `${r.model} says why: ${r.text}`);
        }
      }
      seen.ranAll = true;
    });

    test('a bad input is refused with its message, and nothing runs', { timeout: 90_000 }, async () => {
      // A lab left busy by a stuck run above is reloaded: this test is about the form.
      const ok = await b.eval(() => !!document.querySelector('[data-testid="settings"]')).catch(() => false);
      if (!ok || !(await b.eval(labIdle))) {
        seen.ranAll = false;
        await b.open(labUrl());
        await b.present('[data-testid="settings"]', 30_000);
        await b.waitFor(labIdle, { timeout: 10_000, message: 'an idle lab' });
      }
      await b.select('[data-testid="input-workload"]', 'primes');
      await b.select('[data-testid="input-model"]', 'processes');
      await b.fill('[data-testid="input-size"]', 'lots');
      const before = (await b.eval(rowsInPage)).length;
      await b.click('[data-testid="run"]');
      await b.present('[data-testid="error-size"]', 5000);
      const after = await b.eval(() => ({
        message: document.querySelector('[data-testid="error-size"]').innerText.trim(),
        invalid: document.querySelector('[data-testid="input-size"]').getAttribute('aria-invalid'),
        progress: !!document.querySelector('[data-testid="progress"]'),
        busy: document.querySelector('.controls').dataset.busy,
        rows: document.querySelectorAll('[data-testid="result-row"]').length,
      }));
      assert.match(after.message, /is not a whole number/);
      assert.equal(after.invalid, 'true');
      assert.equal(after.rows, before, 'no run added a row');
      assert.equal(after.progress, false, 'no progress: nothing started');
      assert.equal(after.busy, '', 'the lab is not busy');
      // Fixing the field clears the message.
      await b.fill('[data-testid="input-size"]', SMALL_RUN.size);
      await b.waitFor(() => !document.querySelector('[data-testid="error-size"]'), { timeout: 5000, message: 'the message gone once fixed' });
    });

    test('nothing is left running afterwards', { timeout: 60_000 }, async () => {
      await b.waitFor(labIdle, { timeout: 10_000, message: 'an idle lab', describe: labState });
      const read = () => b.eval(() => ({
        progress: !!document.querySelector('[data-testid="progress"]'),
        tourProgress: !!document.querySelector('[data-testid="tour-progress"]'),
        busy: document.querySelector('.controls').dataset.busy,
        disabled: ['run', 'run-all', 'sweep'].filter((id) => document.querySelector(`[data-testid="${id}"]`).disabled),
        cancel: document.querySelector('[data-testid="cancel"]').disabled,
      }));
      const first = await read();
      const pools = await b.eval(poolStatus);
      // A second look a moment later: the same, and the page still answers.
      await sleep(1000);
      const second = await read();
      const poolsLater = await b.eval(poolStatus);
      assert.deepEqual(first, { progress: false, tourProgress: false, busy: '', disabled: [], cancel: true });
      assert.deepEqual(second, first);
      assert.ok(pools, 'the pool status line is shown');
      assert.deepEqual([poolsLater.processes, poolsLater.threads], [pools.processes, pools.threads], 'pool counts are steady');
      if (seen.ranAll) {
        // Run all ended with the process model, then asyncio (on the
        // sequential worker): one sequential worker plus the process pool
        // of the workers that run used; the thread pool is the one the
        // threads model left (none without shared memory).
        assert.equal(pools.processes, 1 + seen.workers.processes, `after Run all: ${pools.text}`);
        assert.equal(pools.threads, engine.sab ? seen.workers.threads : 0, `after Run all: ${pools.text}`);
      }
    });
  });
}
