// Deadlock: two threads, two locks, opposite orders. The watchdog finds
// the cycle within its timeout and says who holds and waits for what, in
// both languages; both fixes finish; the pool keeps working.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openLab, configure, run } from './lab.mjs';

let lab;
before(async () => { lab = await openLab(); });
after(async () => { await lab?.close(); });

async function runDeadlock(page) {
  await page.click('[data-testid="deadlock-run"]');
  await page.waitForSelector('[data-testid="deadlock"][data-busy="true"]');
  await page.waitForSelector('[data-testid="deadlock"][data-busy="false"]', { timeout: 60_000 });
  return page.$$eval('[data-testid="deadlock-row"]', (rs) => rs.map((r) => ({
    variant: r.dataset.variant, outcome: r.dataset.outcome, after: Number(r.dataset.after), text: r.innerText,
  })));
}

test('opposite orders deadlock, the watchdog says so and recovers; both fixes finish; the next run works', async () => {
  const { page } = lab;
  const timeout = 400;
  await page.fill('[data-testid="input-watchdog"]', String(timeout));
  const rows = await runDeadlock(page);
  console.log(rows.map((r) => `${r.variant}: ${r.outcome} ${r.after || ''}`));
  assert.deepEqual(rows.map((r) => [r.variant, r.outcome]), [['opposite', 'deadlock'], ['ordered', 'finished'], ['timeout', 'finished']]);
  // Found once the cycle has stood for the timeout, and not much later
  // (each thread first holds its lock for 10 ms; the watchdog looks every 5).
  assert.ok(rows[0].after >= timeout && rows[0].after < timeout + 200, `detected after ${rows[0].after} ms`);
  assert.match(rows[0].text, /thread 1 holds lock A and waits for lock B; thread 2 holds lock B and waits for lock A/);
  assert.ok(await page.$('[data-testid="wait-for"]'), 'the wait-for picture is drawn');
  await page.click('[data-testid="lang-ko"]');
  const ko = await page.textContent('[data-testid="deadlock-row"][data-variant="opposite"]');
  await page.click('[data-testid="lang-en"]');
  assert.match(ko, /교착 상태\(데드락\)를 감지했습니다: 스레드 1은\(는\) 락 A을\(를\) 쥐고 락 B을\(를\) 기다립니다/);
  // The pool still works, for threads and every other model.
  for (const model of ['threads', 'gil', 'processes']) {
    await configure(page, { workload: 'primes', size: 400000, tasks: 12, model, workers: 2 });
    const [r] = await run(page);
    assert.equal(r.answer, 33860, `${model}: ${r.text}`);
  }
});

test('a bad watchdog timeout is refused with a message and runs nothing', async () => {
  const { page } = lab;
  const before = await page.$$eval('[data-testid="deadlock-row"]', (r) => r.length);
  await page.fill('[data-testid="input-watchdog"]', '20');
  await page.click('[data-testid="deadlock-run"]');
  await page.waitForSelector('[data-testid="error-watchdog"]');
  assert.match(await page.textContent('[data-testid="error-watchdog"]'), /at least 100/);
  assert.equal(await page.$$eval('[data-testid="deadlock-row"]', (r) => r.length), before);
  await page.fill('[data-testid="input-watchdog"]', '500');
});
