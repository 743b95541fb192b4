import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openLab, configure, run } from './lab.mjs';

test('smoke: every model counts primes below 200,000 the same', async () => {
  const lab = await openLab();
  try {
    assert.equal(await lab.page.evaluate(() => crossOriginIsolated), true);
    await configure(lab.page, { workload: 'primes', size: 200000, tasks: 8, workers: 2 });
    const got = await run(lab.page, { all: true });
    console.log(got);
    assert.deepEqual(lab.errors, []);
  } finally {
    await lab.close();
  }
});
