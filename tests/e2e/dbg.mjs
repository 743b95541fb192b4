import { openLab, configure, run, rows } from './lab.mjs';
const lab = await openLab();
const { page } = lab;
page.on('console', (m) => { if (m.type() === 'error') console.log('console:', m.text()); });
await configure(page, { workload: 'mixed', size: 20, tasks: 16, plan: 'uniform', workers: 2 });
await page.fill('[data-testid="input-cpu"]', '50');
for (const model of ['sequential', 'gil', 'threads', 'processes', 'asyncio']) {
  await configure(page, { model });
  const [r] = await run(page);
  console.log(model, r.answer, r.wall, r.error);
}
console.log('calibration', await page.getAttribute('[data-testid="calibration"]', 'data-rounds'));
await page.fill('[data-testid="input-waits"]', '100');
await page.click('[data-testid="convoy-run"]');
await page.waitForFunction(() => document.querySelector('[data-testid="convoy"]').dataset.busy === 'false' && document.querySelectorAll('[data-testid="convoy-row"]').length > 0, null, { timeout: 60000 });
await page.waitForTimeout(300);
console.log(await page.$$eval('[data-testid="convoy-row"]', (t) => t.map((r) => [r.dataset.model, r.dataset.cpuThreads, r.dataset.median, r.dataset.p95, r.dataset.slowdown].join(' '))));
const t0 = Date.now();
await page.click('[data-testid="crossover-run"]');
await page.waitForFunction(() => !document.querySelector('[data-testid="progress"]') && document.querySelector('.controls').dataset.busy === '', null, { timeout: 180000 });
console.log('crossover took', Date.now() - t0);
console.log(await page.$$eval('[data-testid="crossover-point"]', (t) => t.map((r) => [r.dataset.model, r.dataset.share, r.dataset.speedup].join(' '))));
console.log(await page.textContent('[data-testid="crossover-verdict"]'));
await (await page.$("[data-testid=crossover]")).screenshot({ path: "/tmp/shot-cross.png" }); await (await page.$("[data-testid=convoy]")).screenshot({ path: "/tmp/shot-convoy.png" });
await lab.close();
