// Journey: the Workloads screen on the bundled cluster (3 nodes run by the supervisor, the
// console server beside it). Start clickstream at 40 msg/s from its card, see sent/s and
// consumed/s rise above 0 and the "active users" summary, stop it: the rates fall to 0 and the
// total the page shows is what a separate client (kafkajs) finds in demo.clickstream.
import { test, expect, type Page } from '@playwright/test';
import { Kafka, logLevel } from 'kafkajs';
import { ensureRendererBuilt } from '../main/server/renderer-build.ts';
import { startBundledConsole, type BundledConsole } from '../main/testing/bundled-console.ts';
import { failOnPageErrors } from './fixtures/charts.ts';
import { sel } from './fixtures/selectors.ts';

test.describe.configure({ mode: 'serial' });
failOnPageErrors(test);

const SOON = { timeout: 60_000 };
let bc: BundledConsole;

const card = (page: Page, name: string) => page.getByTestId('workload').and(page.locator(`[data-workload="${name}"]`));
const value = async (page: Page, name: string, testId: string) =>
  Number((await card(page, name).getByTestId(testId).textContent())?.replace(/[^\d.]/g, ''));

test.beforeAll(async () => {
  bc = await startBundledConsole({ nodes: 3, staticDir: await ensureRendererBuilt() });
});
test.afterAll(async () => {
  await bc?.stop();
});

test('workloads: start clickstream from its card, see its rates above 0, stop it', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(bc.server.pageUrl);
  await sel.nav(page, /^workloads$/i).click();
  const click = card(page, 'clickstream');
  await expect(click).toHaveAttribute('data-state', 'idle', SOON);
  await expect(card(page, 'service-logs')).toBeVisible();
  await expect(card(page, 'bank-accounts')).toBeVisible();

  await click.getByLabel('Clickstream rate').fill('40');
  await sel.button(page, 'Start Clickstream').click();
  await expect(click).toHaveAttribute('data-state', 'running', SOON);
  await expect.poll(() => value(page, 'clickstream', 'workload-sent-per-sec'), SOON).toBeGreaterThan(0);
  await expect.poll(() => value(page, 'clickstream', 'workload-consumed-per-sec'), SOON).toBeGreaterThan(0);
  await expect(click.getByTestId('workload-summary')).toContainText(/[1-9]\d* active users in the last 30 s/, SOON);
  const rate = await value(page, 'clickstream', 'workload-sent-per-sec');
  console.log(`workloads (e2e): clickstream at 40 msg/s -> the page shows ${rate} sent/s`);
  expect(await value(page, 'clickstream', 'workload-errors')).toBe(0);

  await sel.button(page, 'Stop Clickstream').click();
  await expect(click).toHaveAttribute('data-state', 'stopped', SOON);
  await expect.poll(() => value(page, 'clickstream', 'workload-sent-per-sec'), SOON).toBe(0);
  const sent = await value(page, 'clickstream', 'workload-sent');
  expect(sent).toBeGreaterThan(0);

  const admin = new Kafka({
    brokers: bc.bootstrap.split(','),
    clientId: 'e2e-workloads',
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets('demo.clickstream');
    expect(ends.reduce((s, p) => s + Number(p.high), 0)).toBe(sent);
  } finally {
    await admin.disconnect();
  }
});

test('producer lab: two producers from the knobs, results with the read-back, MB/s and latency charts drawn', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(bc.server.pageUrl);
  await sel.nav(page, /^workloads$/i).click();
  const lab = page.getByTestId('producer-lab');
  await expect(lab).toHaveAttribute('data-state', 'idle', SOON);
  await lab.getByLabel('producer-1 rate').fill('300');
  await sel.button(page, 'Add producer').click();
  await lab.getByLabel('producer-2 compression').selectOption('gzip');
  await lab.getByLabel('producer-2 acks').selectOption('1');
  await lab.getByLabel('Producer lab duration').fill('5');
  await sel.button(page, 'Start producer lab').click();
  await expect(lab).toHaveAttribute('data-state', 'running', SOON);
  await expect(lab).toHaveAttribute('data-state', 'stopped', SOON);
  const rows = lab.getByTestId('producer-lab-row');
  await expect(rows).toHaveCount(2);
  for (const label of ['producer-1', 'producer-2']) {
    const verify = lab.locator(`[data-producer="${label}"]`).getByTestId('producer-lab-verify');
    await expect(verify).toContainText(/[1-9][\d,]* found, lost 0/);
    console.log(`producer lab (e2e): ${label}: ${await verify.textContent()}`);
  }
  for (const chart of ['chart-producer-lab-throughput', 'chart-producer-lab-latency']) await expect(page.getByTestId(chart).locator('.recharts-wrapper > svg.recharts-surface')).toBeVisible(SOON);
  await expect(page.getByTestId('chart-producer-lab-latency')).toContainText('producer-2 p99');
});
