// Accessibility: axe-core finds no serious or critical violation before and
// after "Run all models", in both languages, light and dark; everything
// works from the keyboard with a visible focus; charts have a text
// alternative; reduced motion turns transitions and animations off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { openLab, configure, run } from './lab.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Runs axe on the whole page; returns the serious and critical violations, logs the rest. */
async function audit(page, what) {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const r = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`),
      count: v.nodes.length,
    }));
  });
  for (const v of violations) console.log(`[axe ${what}] ${v.impact} ${v.id} ×${v.count}: ${v.help}\n  ${v.nodes.join('\n  ')}`);
  if (violations.length === 0) console.log(`[axe ${what}] no violations`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

test('axe: no serious or critical violations, before and after Run all, both languages, light and dark', async () => {
  // The page's CSP forbids injected scripts; axe is injected, so bypass it here.
  const lab = await openLab({ bypassCSP: true });
  try {
    const { page } = lab;
    // Every audit runs; the test fails at the end with all that was found.
    const found = [];
    const check = async (what) => {
      for (const lang of ['en', 'ko']) {
        await page.click(`[data-testid="lang-${lang}"]`);
        for (const v of await audit(page, `${what}, ${lang}`)) found.push({ what: `${what}, ${lang}`, ...v });
      }
    };
    await check('light, before a run');
    await configure(page, { workload: 'primes', size: 200000, tasks: 8, plan: 'uneven', workers: 2 });
    const all = await run(page, { all: true });
    assert.equal(all.filter((r) => r.error).length, 0);
    await check('light, after Run all');
    await page.emulateMedia({ colorScheme: 'dark' });
    const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    assert.notEqual(bg, 'rgb(246, 247, 249)', 'the dark theme is applied');
    await check('dark, after Run all');
    await page.click('[data-testid="clear"]');
    await check('dark, before a run');
    await page.emulateMedia({ colorScheme: 'light' });
    assert.deepEqual(found, [], JSON.stringify(found, null, 1));
  } finally {
    await lab.close();
  }
});

test('keyboard only: Tab to Run, Enter and Space run, focus is visible, rows toggle with Enter', async () => {
  const lab = await openLab();
  try {
    const { page } = lab;
    await configure(page, { workload: 'primes', size: 100000, tasks: 4, model: 'processes', workers: 2 });
    // Start from the top of the page, as a keyboard user would.
    await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
    let presses = 0;
    for (; presses < 80; presses++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.dataset.testid === 'run')) break;
    }
    assert.ok(presses < 80, 'Tab never reached the Run button');
    // The focus ring is visible (:focus-visible), not just the default.
    const ring = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement);
      return { style: s.outlineStyle, width: parseFloat(s.outlineWidth), visible: document.activeElement.matches(':focus-visible') };
    });
    assert.ok(ring.visible && ring.style !== 'none' && ring.width >= 2, `focus ring ${JSON.stringify(ring)}`);
    for (const [key, n] of [['Enter', 1], ['Space', 2]]) {
      await page.keyboard.press(key);
      await page.waitForFunction((want) => document.querySelectorAll('[data-testid="result-row"]').length >= want
        && !document.querySelector('[data-testid="progress"]'), n, { timeout: 60_000 });
      const answer = await page.getAttribute('[data-testid="result-row"]', 'data-answer');
      assert.equal(answer, '9592', `run by ${key}`);
      // Focus returns to Run once the run is over (the button was disabled meanwhile).
      await page.focus('[data-testid="run"]');
    }
    // A result row is reachable by Tab, and Enter shows its timeline.
    const before = await page.$$eval('[data-testid="timeline"]', (f) => f.length);
    for (presses = 0; presses < 40; presses++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.dataset.testid === 'result-row')) break;
    }
    assert.ok(presses < 40, 'Tab never reached a result row');
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="timeline"]').length !== n, before);
  } finally {
    await lab.close();
  }
});

test('charts and timelines describe themselves in words', async () => {
  const lab = await openLab();
  try {
    const { page } = lab;
    await configure(page, { workload: 'primes', size: 200000, tasks: 8, plan: 'uniform', model: 'processes', workers: 2 });
    await run(page);
    const label = await page.getAttribute('[data-testid="timeline"] svg', 'aria-label');
    assert.match(label, /8 tasks on 2 process lanes/);
    assert.match(label, /computing \d+%/);
    await page.click('[data-testid="lang-ko"]');
    assert.match(await page.getAttribute('[data-testid="timeline"] svg', 'aria-label'), /작업 8개, 프로세스 레인 2개/);
    await page.click('[data-testid="lang-en"]');
    await page.click('[data-testid="sweep"]');
    // The sweep runs 1, 2, … up to twice the cores the page measured: on a
    // busy machine that can be 1 core, so 2 points (not 3: that wait never
    // ended on a loaded CI machine).
    await page.waitForFunction(() => !document.querySelector('[data-testid="progress"]')
      && document.querySelectorAll('[data-testid="sweep-point"]').length >= 2, null, { timeout: 120_000 });
    assert.match(await page.getAttribute('[data-testid="scaling"] svg', 'aria-label'), /^Speedup against workers — 1: 1\.00×/);
  } finally {
    await lab.close();
  }
});

test('prefers-reduced-motion: no transitions or animations', async () => {
  const lab = await openLab();
  try {
    const { page } = lab;
    await page.emulateMedia({ reducedMotion: 'reduce' });
    const moving = await page.evaluate(() => [...document.querySelectorAll('*')].filter((el) => {
      const s = getComputedStyle(el);
      return s.animationName !== 'none' || s.transitionDuration.split(',').some((d) => parseFloat(d) > 0);
    }).map((el) => el.tagName));
    assert.deepEqual(moving, []);
  } finally {
    await lab.close();
  }
});
