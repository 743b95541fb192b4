// The tour of claims: what a first-time visitor sees, "Check all claims"
// with a verdict and numbers on every card (in both languages), the
// claims that must hold on a 2-core machine, permalinks, "Open in the lab",
// and comparing two machines through an export (and refusing bad files).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLab } from './lab.mjs';
import { CLAIMS } from './claims.mjs';

const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');
// What this machine (2 cores, Chromium, cross-origin isolated) guarantees,
// card by card, from each claim's verdict function and thresholds
// (engine::tour::claims) and what was measured here:
// - counts, not times: race-lock (updates lost / not lost), crash (tasks
//   done), memory (bytes: 2 processes hold 2.0× one, 2 threads add 0.3 MiB
//   to one; the rule asks ≥ 1.9× and < one process, 1.8 MiB), deadlock (one
//   global order cannot deadlock; opposite orders hold their first lock
//   10 ms before reaching for the second — deadlock.test.mjs relies on it too);
// - waits, which need no core: io-threads, asyncio-loop;
// - times far from their threshold: data-transfer (copy moves 23–80× as long
//   as sharing, rule 2×; the copy's whole run 19–60× the shared one's, rule
//   >1×), pool (a pool's overhead 0.13–0.14× a process per task's, rule
//   ≤ 0.5×),
//   gil-cpu (GIL threads 0.95–1.03× sequential, 1.17× once on a busy
//   machine; rule < 1.25×), convoy (the I/O thread's wait beside a
//   CPU thread 5.7× its wait alone — set by the GIL's 5 ms switch interval,
//   not by core speed, and the same on a busy machine — rule ≥ 2×).
// - the interpreter's counts, fixed by where CPython 3.11 checks its eval
//   breaker: append-safe (no schedule loses an item), free-needs-locks (the
//   GIL's bare loop loses none; free threads lose 436,763,184 of 601,080,390
//   schedules, and 15–20 % of a million real updates here).
const MUST_HOLD = ['gil-cpu', 'processes-cores', 'io-threads', 'asyncio-loop', 'memory', 'data-transfer',
  'race-lock', 'deadlock', 'crash', 'free-needs-locks', 'append-safe', 'uneven', 'pool', 'mixed', 'convoy'];
// And one that must not: the GIL does not make counter += 1 thread-safe —
// 120 of 252 schedules of the increment with a call lose an update.
const MUST_NOT_HOLD = ['gil-counter'];
// Of those, these need both cores free while they run. The machine is
// shared: when another job holds a core, even free threads cannot run two
// at once, and the page rightly says these do not hold *then*. The gil-cpu
// card's free-thread speedup tells whether two cores were there; as another
// job can start a burst after it (seen: gil-cpu's free threads 1.9×, then
// processes-cores 1.1×, then cpu-count's 2 processes 1.9× again), such a
// card that does not hold is run once more, and must hold then — unless
// gil-cpu, run again right after, shows a core still taken. (mixed:
// processes must beat GIL threads by 1.05× at 100 % CPU; 1.5–2.2× measured
// with both cores free, 0.93–1.13× with a core taken.)
const NEED_FREE_CORES = ['processes-cores', 'uneven', 'mixed'];
const FREE_CORES_SPEEDUP = 1.5;
// The one claim no machine state guarantees: cpu-count holds when 2
// processes are within 10 % of the fastest count. On 2 free cores 2 and 4
// processes tie (2–8 % apart here), and when another job runs, 4 processes
// get a larger share of the machine than 2 and win by more than 10 %. Its
// verdict is only checked against its own rule (below), like every card's.
// Claims whose verdict needs two cores (engine::tour::claims::Claim::needs_cores,
// less race-lock, which holds on one core when it still loses updates).
const NEEDS_TWO_CORES = ['gil-cpu', 'processes-cores', 'cpu-count', 'uneven', 'mixed', 'convoy'];
// Of the others, these may be inconclusive on one core: updates that were
// not lost, or locks that did not deadlock, prove nothing when the two
// threads may not have overlapped.
const MAY_NOT_OVERLAP = ['race-lock', 'deadlock', 'free-needs-locks'];

let lab;
before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  // As a first-time visitor: no view in the address, nothing remembered.
  lab = await openLab({ view: null });
});
after(async () => { await lab?.close(); });

const visible = (page, sel) => page.isVisible(sel);

/** Every card as { claim, state, verdict, figures: { slot: value }, text }. */
async function cards(page) {
  return page.$$eval('[data-testid="claim"]', (cs) => cs.map((c) => ({
    claim: c.dataset.claim,
    state: c.dataset.state,
    verdict: c.dataset.verdict,
    settings: c.dataset.settings ?? null,
    figures: Object.fromEntries([...c.querySelectorAll('[data-testid="figure"]')].map((f) => [f.dataset.slot, Number(f.dataset.value)])),
    verdictText: c.querySelector('[data-testid="claim-verdict"]')?.innerText ?? '',
    text: c.innerText,
  })));
}

/**
 * What a claim's verdict function (engine::tour::claims::judge_*) makes of
 * one result of the tour's export — its raw measurements, not the rounded
 * figures on the card — on `cores` (the cores the page judged with):
 * { verdict, why }. Same thresholds, same arithmetic in the same order.
 * A page whose card says anything else judged wrongly (an inverted
 * comparison, a verdict from the wrong figure, a changed threshold).
 */
function judge(r, cores) {
  const NOISE_MAX = 0.25;
  const spread = (a, b) => (Math.min(a, b) > 0 ? Math.abs(a - b) / Math.min(a, b) : Infinity);
  const ratio = (a, b) => (b > 0 ? a / b : 0);
  const needsCores = !['io-threads', 'asyncio-loop', 'deadlock', 'crash', 'memory', 'data-transfer', 'pool'].includes(r.claim);
  const say = (holds) => ({ verdict: holds ? 'holds' : 'does-not-hold', why: null });
  const doubt = (why) => ({ verdict: 'inconclusive', why });
  const judged = (repeat, holds) => {
    if (needsCores && cores < 2) return doubt('few-cores');
    if (r.hidden) return doubt('hidden');
    if (repeat && spread(...repeat) > NOISE_MAX) return doubt('noisy');
    return say(holds);
  };
  const baseline = () => Math.min(r.sequential_ms, r.sequential_again_ms);
  const wall = (n) => r.points?.find((p) => p[0] === n)?.[1];
  switch (r.claim) {
    case 'gil-cpu':
      return judged([r.sequential_ms, r.sequential_again_ms], ratio(baseline(), r.gil_ms) < 1.25);
    case 'processes-cores': {
      const n = Math.max(r.cores, 1);
      const [at, beyond] = [wall(n), wall(2 * n)].map((w) => (w === undefined ? undefined : ratio(baseline(), w)));
      const holds = at !== undefined && beyond !== undefined && at >= 0.7 * n && beyond <= at * 1.15;
      return judged([r.sequential_ms, r.sequential_again_ms], holds);
    }
    case 'cpu-count': {
      const best = Math.min(...r.points.map((p) => p[1]));
      const w = wall(Math.max(r.cores, 1));
      return judged([r.sequential_ms, r.sequential_again_ms], w !== undefined && w <= best * 1.10);
    }
    case 'io-threads': {
      const few = ratio(r.sequential_ms, r.few_ms);
      return judged(null, few >= 1.5 && ratio(r.sequential_ms, r.many_ms) >= 2.0 * few);
    }
    case 'asyncio-loop':
      return judged(null, ratio(r.sequential_ms, r.asyncio_ms) >= 4.0 && r.cpu_blocked_ms >= 0.8 * r.cpu_ms_per_task);
    case 'memory': {
      if (r.one_thread == null || r.threads == null) return doubt('unexpected');
      const copies = r.processes >= 0.95 * r.workers * r.one_process;
      const shared = Math.max(r.threads - r.one_thread, 0) < r.one_process;
      return judged(null, r.workers >= 2 && copies && shared);
    }
    case 'data-transfer':
      if (r.shared_ms == null || r.shared_move_ms == null) return doubt('unexpected');
      return judged(null, r.copy_move_ms >= 2.0 * Math.max(r.shared_move_ms, 0.1) && r.copy_ms > r.shared_ms);
    case 'race-lock':
      if (r.lost_unlocked === 0 && cores < 2) return doubt('few-cores');
      return say(r.lost_unlocked > 0 && r.lost_locked === 0);
    case 'deadlock':
      if (!r.opposite_deadlocked && (cores < 2 || r.hidden)) return doubt(r.hidden ? 'hidden' : 'few-cores');
      return say(r.opposite_deadlocked && !r.ordered_deadlocked);
    case 'crash': {
      if (r.processes.end === 'other' || r.threads.end === 'other') return doubt('unexpected');
      const kept = r.processes.end === 'partial' && r.processes.done === Math.max(r.tasks - 1, 0) && r.processes.failed === 1;
      return say(kept && r.threads.end === 'whole-run-failed');
    }
    case 'uneven':
      return judged([r.queue_ms, r.queue_again_ms], ratio(r.static_ms, (r.queue_ms + r.queue_again_ms) / 2.0) >= 1.10);
    case 'pool':
      return judged(null, r.reused_ms < r.spawn_ms && r.pool_ms <= 0.5 * r.per_task_ms);
    case 'mixed': {
      // Processes lead by g / p; they take over above the share where the
      // lead minus the 1.05 margin last crosses zero (crossover::first_crossing).
      const leads = r.shares.map(([, , g, p]) => ratio(g, p));
      const lastLow = leads.map((l) => l - 1.05).findLastIndex((y) => y <= 0);
      const takeover = lastLow !== leads.length - 1;
      return judged(null, leads.length >= 2 && leads[0] < 1.05 && leads.at(-1) >= 1.05 && takeover);
    }
    case 'convoy':
      return judged(null, ratio(r.gil_beside_ms, r.gil_alone_ms) >= 2.0);
    // The interpreter's claims: two counted cells (`bad` of `all`
    // schedules) and the same two scenarios on real threads (`lost` of
    // `expected`; null where threads cannot run).
    case 'gil-counter':
    case 'append-safe':
      return say([0, 1].every((i) => r.counted[i].bad === 0 && !(r.real[i]?.lost > 0)));
    case 'free-needs-locks': {
      const realLost = (i) => (r.real[i] == null ? null : r.real[i].lost > 0);
      if (realLost(1) === false && r.cores < 2) return doubt('few-cores');
      return say(r.counted[0].bad === 0 && realLost(0) !== true && r.counted[1].bad > 0 && realLost(1) !== false);
    }
    default:
      throw new Error(`no verdict rule for ${r.claim}`);
  }
}

test('a first-time visitor lands on the tour; the lab is one click away, then the default', async () => {
  const { page } = lab;
  assert.ok(await visible(page, '[data-testid="tour"]'));
  assert.equal(await visible(page, '[data-testid="settings"]'), false, 'the lab is not shown first');
  assert.deepEqual((await cards(page)).map((c) => c.claim), CLAIMS);
  assert.match(new URL(page.url()).search, /view=tour/);
  await page.click('[data-testid="tab-lab"]');
  await page.waitForSelector('[data-testid="settings"]');
  assert.equal(await visible(page, '[data-testid="tour"]'), false);
  // Having used the lab, a plain visit opens the lab…
  const other = await lab.browser.context.newPage();
  await other.goto(lab.server.url);
  await other.waitForSelector('[data-testid="settings"]');
  assert.equal(await visible(other, '[data-testid="tour"]'), false);
  // …while ?view= and a claim's permalink still win.
  await other.goto(`${lab.server.url}?view=tour`);
  await other.waitForSelector('[data-testid="tour"]');
  assert.equal(await visible(other, '[data-testid="settings"]'), false);
  await other.close();
  await page.click('[data-testid="tab-tour"]');
  await page.waitForSelector('[data-testid="tour"]');
});

test('a permalink opens the tour at its card, scrolled into view and highlighted', async () => {
  const other = await lab.browser.context.newPage();
  try {
    // The lab is remembered as the default now: the permalink wins over it.
    await other.goto(`${lab.server.url}#claim-deadlock`);
    await other.waitForSelector('#claim-deadlock.focused');
    assert.ok(await visible(other, '[data-testid="tour"]'));
    const inView = await other.$eval('#claim-deadlock', (el) => {
      const r = el.getBoundingClientRect();
      return r.top >= -1 && r.top < window.innerHeight;
    });
    assert.ok(inView, 'the card is scrolled into view');
    assert.match(other.url(), /#claim-deadlock$/, 'the fragment stays in the address');
    // Following another card's link inside the page moves the highlight.
    await other.click('#claim-crash [data-testid="permalink"]');
    await other.waitForSelector('#claim-crash.focused');
    assert.equal(await other.$('#claim-deadlock.focused'), null);
  } finally {
    await other.close();
  }
});

let exported;

test('"Check all claims": a verdict with numbers on every card, in both languages', async (t) => {
  const { page } = lab;
  const started = Date.now();
  await page.click('[data-testid="check-all"]');
  await page.waitForSelector('[data-testid="tour-progress"]');
  await page.waitForSelector('[data-testid="tour-summary"]', { timeout: 240_000 });
  const seconds = (Date.now() - started) / 1000;
  const all = await cards(page);
  const summary = await page.$eval('[data-testid="tour-summary"]', (s) => ({ ...s.dataset, text: s.innerText }));
  console.log(`check all: ${seconds.toFixed(1)} s — ${summary.text}`);
  for (const c of all) console.log(c.claim, c.verdict, JSON.stringify(c.figures), c.verdict === 'inconclusive' ? c.verdictText : '');
  for (const c of all) {
    assert.equal(c.state, 'done', `${c.claim}: ${c.text}`);
    const values = Object.values(c.figures);
    assert.ok(values.length >= 2 && values.every(Number.isFinite), `${c.claim} numbers: ${JSON.stringify(c.figures)}`);
    assert.match(c.verdictText, /Holds on this machine|Does not hold here|Inconclusive/);
    assert.match(c.text, /Holds if/);
  }
  assert.equal(Number(summary.holds) + Number(summary.doesNot) + Number(summary.inconclusive), CLAIMS.length);
  assert.ok(seconds < 90, `the whole tour took ${seconds} s`);
  // Charts are drawn where there are times.
  assert.ok(await page.$$eval('[data-testid="claim-chart"] rect', (r) => r.length) >= 10);

  // The same cards in Korean.
  await page.click('[data-testid="lang-ko"]');
  const ko = await cards(page);
  for (const c of ko) {
    assert.match(c.verdictText, /이 컴퓨터에서 성립|여기서는 성립하지 않음|판단 보류/, c.claim);
    assert.match(c.text, /성립/);
  }
  assert.match(await page.textContent('[data-testid="tour-summary"]'), new RegExp(`주장 ${CLAIMS.length}개 중`));
  for (const [w, h] of [[1280, 900], [390, 844]]) {
    await page.setViewportSize({ width: w, height: h });
    for (const lang of ['ko', 'en']) {
      await page.click(`[data-testid="lang-${lang}"]`);
      await page.evaluate(() => window.scrollTo(0, 0));
      const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(over <= 0, `${lang} at ${w} px: ${over} px of sideways overflow`);
      await page.screenshot({ path: path.join(SHOTS, `tour-${lang}-${w}.png`), fullPage: true });
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="tour-export"]')]);
  exported = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));

  const verdicts = Object.fromEntries(all.map((c) => [c.claim, c.verdict]));
  const text = (id) => all.find((c) => c.claim === id).text;
  // Check all measured the cores the page really gets, first, and judged
  // every claim on that count.
  const measured = Number(await page.getAttribute('[data-testid="cores"]', 'data-measured'));
  assert.ok(measured >= 1, `the cores were measured before the claims (${measured})`);
  assert.equal(exported.machine.cores, measured, 'the export names the cores the claims were judged on');

  // On any machine, busy or not: every card's verdict is what its rule
  // makes of the numbers it measured (from the export, which carries them
  // unrounded: the card shows 4 decimals), and the export says the same.
  // This is the whole check for cpu-count, and for a card the machine's
  // state leaves open below (a busy core).
  const results = Object.fromEntries(exported.results.map((r) => [r.claim, r]));
  for (const c of all) {
    const r = results[c.claim];
    const want = judge(r, exported.machine.cores);
    assert.equal(r.verdict.verdict, c.verdict, `${c.claim}: the export says ${r.verdict.verdict}, the card ${c.verdict}`);
    assert.equal(c.verdict, want.verdict,
      `${c.claim}: the card says ${c.verdict}; its rule on its numbers gives ${want.verdict} ${want.why ?? ''} — ${JSON.stringify(r)}`);
    if (want.why) assert.equal(r.verdict.doubt.why, want.why, `${c.claim}: why inconclusive`);
  }
  // The card shows the numbers its verdict came from (to its 4 decimals).
  const shown = (id, slot, value) => {
    const f = all.find((c) => c.claim === id).figures[slot];
    assert.ok(Math.abs(f - value) <= 1e-4 * Math.max(1, Math.abs(value)), `${id} ${slot}: card ${f}, measured ${value}`);
  };
  const sweep = results['cpu-count'];
  for (const [n, w] of sweep.points) shown('cpu-count', n === 1 ? 'p@1' : n === sweep.cores ? 'p@cores' : 'p@2cores', w);
  for (const [s, q, g, p] of results.mixed.shares) {
    shown('mixed', `gil@${s}`, q / g);
    shown('mixed', `p@${s}`, q / p);
  }
  // Counts that timing cannot change, on any number of cores: one global
  // lock order never deadlocks; pure waits need no core, so GIL threads
  // keep up with processes at 0 % CPU (lead < 1.05; 0.98–0.99 measured) —
  // unless the GIL is held through a wait, which doubles their time.
  assert.equal(results.deadlock.ordered_deadlocked, false, text('deadlock'));
  // The interpreter's counts are the same on every machine: 2 threads × 1
  // iteration under the GIL, 70 schedules of counter += 1, none lose.
  assert.deepEqual(results['gil-counter'].counted, [{ bad: 0, all: 70 }, { bad: 120, all: 252 }]);
  for (const id of MUST_NOT_HOLD) assert.equal(verdicts[id], 'does-not-hold', `${id}: ${text(id)}`);
  const [share0, , gil0, proc0] = results.mixed.shares[0];
  assert.equal(share0, 0);
  assert.ok(gil0 / proc0 < 1.05, `mixed at 0 % CPU: GIL threads ${gil0} ms, processes ${proc0} ms`);

  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  if (cores < 2) {
    t.skip(`needs 2 cores for the verdicts; this machine reports ${cores}`);
    return;
  }
  if (measured < 2) {
    // Another job held a core while the probe ran: the claims that need
    // two cores must say so, not pass or fail on one; the others still hold.
    t.diagnostic(`the page measured ${measured} core on a ${cores}-core machine (busy): core-bound claims are inconclusive`);
    for (const id of NEEDS_TWO_CORES) {
      assert.equal(verdicts[id], 'inconclusive', `${id}: ${text(id)}`);
      assert.match(all.find((c) => c.claim === id).verdictText, /This page got 1 core/);
    }
    for (const id of MUST_HOLD.filter((c) => !NEEDS_TWO_CORES.includes(c) && !MAY_NOT_OVERLAP.includes(c))) {
      assert.equal(verdicts[id], 'holds', `${id}: ${text(id)}`);
    }
    return;
  }
  const free = all.find((c) => c.claim === 'gil-cpu').figures['free-x'];
  const coresFree = free >= FREE_CORES_SPEEDUP;
  if (!coresFree) t.diagnostic(`free threads reached only ${free}× on 2 cores: another job held a core, so ${NEED_FREE_CORES} are checked against their rule only`);
  for (const id of MUST_HOLD.filter((c) => coresFree || !NEED_FREE_CORES.includes(c))) {
    let verdict = verdicts[id];
    if (verdict !== 'holds' && NEED_FREE_CORES.includes(id)) {
      t.diagnostic(`${id} ${verdict}: ${JSON.stringify(all.find((c) => c.claim === id).figures)}; once more`);
      verdict = (await runCard(page, id)).verdict;
      if (verdict !== 'holds') {
        // Still not: were both cores free this time? gil-cpu's free
        // threads, run right after, say. If not, the machine stayed busy
        // (its rule was checked above); if so, the claim really failed.
        const witness = (await runCard(page, 'gil-cpu')).figures['free-x'];
        if (witness < FREE_CORES_SPEEDUP) {
          t.diagnostic(`${id} ${verdict} again, and free threads reached ${witness}× right after: the machine stayed busy`);
          continue;
        }
      }
    }
    assert.equal(verdict, 'holds', `${id}: ${await page.innerText(`#claim-${id}`)}`);
  }
});

/** Runs one card again ("Run again"); returns it as `cards` does. */
async function runCard(page, id) {
  const card = `#claim-${id}`;
  await page.click(`${card} [data-testid="claim-run"]`);
  await page.waitForSelector(`${card}[data-state="running"]`);
  await page.waitForSelector(`${card}[data-state="done"]`, { timeout: 60_000 });
  return (await cards(page)).find((c) => c.claim === id);
}

test('"Open in the lab" loads the claim\'s exact settings into the form', async () => {
  const { page } = lab;
  const card = (await cards(page)).find((c) => c.claim === 'uneven');
  assert.ok(card.settings, 'the card carries its settings');
  const want = new URLSearchParams(card.settings);
  await page.click('#claim-uneven [data-testid="open-in-lab"]');
  await page.waitForSelector('[data-testid="settings"]');
  assert.equal(await visible(page, '[data-testid="tour"]'), false);
  for (const field of ['workload', 'size', 'tasks', 'plan', 'model', 'workers', 'strategy']) {
    assert.equal(await page.inputValue(`[data-testid="input-${field}"]`), want.get(field), field);
  }
  assert.equal(want.get('plan'), 'uneven');
  assert.equal(want.get('strategy'), 'static');
  assert.equal(want.get('model'), 'processes');
  assert.match(page.url(), /view=lab/);
  assert.match(page.url(), /plan=uneven/);
  await page.click('[data-testid="tab-tour"]');
  // A claim about the interpreter opens its scenario there, ready to play.
  assert.match(await page.textContent('#claim-gil-counter [data-testid="open-in-lab"]'), /Open in the interpreter/);
  await page.click('#claim-gil-counter [data-testid="open-in-lab"]');
  await page.waitForSelector('[data-testid="interp"]');
  assert.equal(await page.inputValue('[data-testid="input-scenario"]'), 'increment-call');
  assert.equal(await page.inputValue('[data-testid="input-rule"]'), 'gil');
  assert.match(page.url(), /view=interpreter/);
  await page.click('[data-testid="tab-tour"]');
});

/** Picks `text` as the file to compare with. */
async function pick(page, name, text) {
  await page.setInputFiles('[data-testid="tour-file"]', { name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

test('an export from another machine is shown beside this one, claim by claim', async () => {
  const { page } = lab;
  assert.ok(exported, 'the export of the previous test');
  assert.equal(exported.format, 'concurrency-lab/tour');
  assert.equal(exported.version, 1);
  assert.equal(exported.results.length, CLAIMS.length);
  assert.ok(exported.machine.cores >= 1 && exported.machine.user_agent.length > 0);
  // The cores the claims were sized from (measured) and the browser's figure.
  assert.equal(exported.machine.reported_cores, await page.evaluate(() => navigator.hardwareConcurrency), JSON.stringify(exported.machine));
  assert.equal(typeof exported.machine.isolated, 'boolean');
  for (const r of exported.results) assert.ok(CLAIMS.includes(r.claim) && r.verdict && r.settings, JSON.stringify(r));
  // A colleague's 8-core laptop, as the file would come from it.
  const theirs = structuredClone(exported);
  theirs.machine = { cores: 8, user_agent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', isolated: true };
  const gil = theirs.results.find((r) => r.claim === 'gil-cpu');
  gil.gil_ms = 4321;
  gil.verdict = { verdict: 'does-not-hold' };
  // Its mixed claim was sized to its own speed: other work.
  const mixed = theirs.results.find((r) => r.claim === 'mixed');
  assert.match(mixed.settings.rate, /^\d+$/, 'the export names the mixed work (rounds per CPU ms)');
  mixed.settings.rate = String(Number(mixed.settings.rate) * 3);
  await pick(page, 'colleague.json', JSON.stringify(theirs));
  await page.waitForSelector('[data-testid="compare"]');
  assert.equal(await page.getAttribute('[data-testid="compare"]', 'data-other-cores'), '8');
  assert.equal(await page.getAttribute('[data-testid="compare"]', 'data-other-claims'), String(CLAIMS.length));
  assert.match(await page.textContent('[data-testid="other-machine"]'), /8 cores · Firefox 133/);
  assert.equal(await page.$$eval('[data-testid="compare-verdict"]', (r) => r.length), CLAIMS.length);
  assert.equal(await page.getAttribute('#claim-gil-cpu [data-testid="compare-verdict"] td.theirs', 'data-verdict'), 'does-not-hold');
  // Which claims ran the same work on both machines, and which did not.
  assert.equal(await page.getAttribute('#claim-mixed [data-testid="compare-work"]', 'data-differs'), 'rate');
  assert.match(await page.textContent('#claim-mixed [data-testid="compare-work"]'), /different work/);
  assert.equal(await page.$$eval('[data-testid="compare-work"][data-same="true"]', (r) => r.length), CLAIMS.length - 1);
  const row = await page.$eval('#claim-gil-cpu [data-slot="gil"]', (tr) => tr.innerText);
  assert.match(row, /4321 ms/);
  // Bars of both machines.
  assert.ok(await page.$$eval('#claim-gil-cpu .bar-theirs', (r) => r.length) >= 2);
  await page.screenshot({ path: path.join(SHOTS, 'tour-compare-en-1280.png'), fullPage: false });
});

test('a broken or foreign file is refused with a message in the reader\'s language and changes nothing', async () => {
  const { page } = lab;
  const before = await page.$eval('[data-testid="compare"]', (c) => c.outerHTML);
  const cases = [
    ['broken.json', '{ "format": "concurrency-lab/tour", "version": 1, ', /not JSON/],
    ['package.json', JSON.stringify({ name: 'left-pad', version: '1.3.0' }), /not a Concurrency Lab tour export/],
    ['future.json', JSON.stringify({ ...exported, version: 2 }), /version 2; this page reads version 1/],
    ['lab-runs.json', JSON.stringify([{ model: 'Sequential', wall_ms: 12 }]), /not a Concurrency Lab tour export/],
    ['damaged.json', JSON.stringify({ ...exported, results: [{ ...exported.results[0], sequential_ms: 'fast' }] }), /damaged/],
  ];
  for (const [name, text, message] of cases) {
    await pick(page, name, text);
    await page.waitForFunction((m) => new RegExp(m).test(document.querySelector('[data-testid="import-error"]')?.textContent ?? ''),
      message.source);
    const shown = await page.textContent('[data-testid="import-error"]');
    assert.match(shown, /Could not compare: .*Nothing was changed\./, name);
    assert.equal(await page.$eval('[data-testid="compare"]', (c) => c.outerHTML), before, `${name} changed the comparison`);
  }
  await page.click('[data-testid="lang-ko"]');
  assert.match(await page.textContent('[data-testid="import-error"]'), /비교할 수 없습니다: 파일이 손상되었습니다.*아무것도 바뀌지 않았습니다/);
  await pick(page, 'package.json', JSON.stringify({ name: 'left-pad' }));
  await page.waitForFunction(() => /투어에서 내보낸 JSON이 아닙니다/.test(document.querySelector('[data-testid="import-error"]')?.textContent ?? ''));
  await page.click('[data-testid="lang-en"]');
  // Every card still shows this machine's verdict.
  assert.ok((await cards(page)).every((c) => c.state === 'done'));
  // (The crash claim's panics are logged by the workers on purpose.)
  if (lab.errors.length) console.log('page errors:', lab.errors.slice(0, 5));
});
