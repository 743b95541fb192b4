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

const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');
const CLAIMS = ['gil-cpu', 'processes-cores', 'cpu-count', 'io-threads', 'asyncio-loop', 'memory', 'data-transfer',
  'race-lock', 'deadlock', 'crash', 'uneven', 'pool', 'mixed', 'convoy'];
// Claims 1, 2, 4, 5, 8, 10, 11 and 12 of the issue: these hold on this machine.
const MUST_HOLD = ['gil-cpu', 'processes-cores', 'io-threads', 'asyncio-loop', 'race-lock', 'crash', 'uneven', 'pool'];
// Of those, these need both cores free while they run. The machine is
// shared: when another job holds a core, even free threads cannot run two
// at once, and the page rightly says these do not hold *then*. The gil-cpu
// card's free-thread speedup tells whether two cores were there.
const NEED_FREE_CORES = ['processes-cores', 'uneven'];
const FREE_CORES_SPEEDUP = 1.5;
// Claims whose verdict needs two cores (engine::claims::Claim::needs_cores,
// less race-lock, which holds on one core when it still loses updates).
const NEEDS_TWO_CORES = ['gil-cpu', 'processes-cores', 'cpu-count', 'uneven', 'mixed', 'convoy'];

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
    assert.ok(['holds', 'does-not-hold', 'inconclusive'].includes(c.verdict), `${c.claim}: ${c.verdict}`);
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

  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  if (cores < 2) {
    t.skip(`needs 2 cores for the verdicts; this machine reports ${cores}`);
    return;
  }
  const verdicts = Object.fromEntries(all.map((c) => [c.claim, c.verdict]));
  // Check all measured the cores the page really gets, first.
  const measured = Number(await page.getAttribute('[data-testid="cores"]', 'data-measured'));
  assert.ok(measured >= 1, `the cores were measured before the claims (${measured})`);
  if (measured < 2) {
    // Another job held a core while the probe ran: the claims that need
    // two cores must say so, not pass or fail on one; the others still hold.
    t.diagnostic(`the page measured ${measured} core on a ${cores}-core machine (busy): core-bound claims are inconclusive`);
    for (const id of NEEDS_TWO_CORES) {
      const card = all.find((c) => c.claim === id);
      assert.equal(card.verdict, 'inconclusive', `${id}: ${card.text}`);
      assert.match(card.verdictText, /This page got 1 core/);
    }
    for (const id of MUST_HOLD.filter((c) => !NEEDS_TWO_CORES.includes(c) && c !== 'race-lock')) {
      assert.equal(verdicts[id], 'holds', `${id}: ${all.find((c) => c.claim === id).text}`);
    }
    return;
  }
  const free = all.find((c) => c.claim === 'gil-cpu').figures['free-x'];
  const coresFree = free >= FREE_CORES_SPEEDUP;
  if (!coresFree) t.diagnostic(`free threads reached only ${free}× on 2 cores: another job held a core, so ${NEED_FREE_CORES} are not asserted`);
  for (const id of MUST_HOLD.filter((c) => coresFree || !NEED_FREE_CORES.includes(c))) {
    assert.equal(verdicts[id], 'holds', `${id}: ${all.find((c) => c.claim === id).text}`);
  }
});

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
  assert.ok(exported.machine.reported_cores >= 1, JSON.stringify(exported.machine));
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
