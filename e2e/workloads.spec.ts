// Journey: the Workloads screen on the bundled cluster (3 nodes run by the supervisor, the
// console server beside it). Start clickstream at 40 msg/s from its card, see sent/s and
// consumed/s rise above 0 and the "active users" summary, stop it: the rates fall to 0 and the
// total the page shows is what a separate client (kafkajs) finds in demo.clickstream. The
// pipeline from its card: every hop of its flow view (producer, enrich in/out, sink in/out)
// shows records/s above 0 and growing totals; stopped, the rates fall to 0 and the sink wrote
// every event the producer sent (what kafkajs finds in demo.pipeline.raw and .sink).
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

const HOPS = ['producer', 'demo.pipeline.enrich:in', 'demo.pipeline.enrich:out', 'demo.pipeline.sink:in', 'demo.pipeline.sink:out'];
/** One hop of a pipeline's flow view: its records/s and its total ("12.5/s → 1,234"). */
async function hop(page: Page, name: string) {
  const h = card(page, 'pipeline').getByLabel('Pipeline flow', { exact: true }).getByTestId(`flow-hop:${name}`);
  const [perSec, , total] = await h.locator('> *').allTextContents();
  return { perSec: Number(perSec.replace(/\/s$/, '')), total: Number(total.replace(/,/g, '')) };
}

/** Records in a topic, as a separate client (kafkajs) finds them: the sum of its end offsets. */
async function topicTotal(topic: string): Promise<number> {
  const admin = new Kafka({ brokers: bc.bootstrap.split(','), clientId: 'e2e-workloads', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((s, p) => s + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

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

  expect(await topicTotal('demo.clickstream')).toBe(sent);
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

test('pipeline: start it from its card, every hop of the flow view has records/s above 0 and growing totals, stop it', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(bc.server.pageUrl);
  await sel.nav(page, /^workloads$/i).click();
  const pipe = card(page, 'pipeline');
  await expect(pipe).toHaveAttribute('data-state', /idle|stopped/, SOON);
  await pipe.getByLabel('Pipeline rate').fill('20');
  await sel.button(page, 'Start Pipeline').click();
  await expect(pipe).toHaveAttribute('data-state', 'running', SOON);
  for (const name of HOPS) await expect.poll(async () => (await hop(page, name)).perSec, SOON).toBeGreaterThan(0);
  const first = await Promise.all(HOPS.map((name) => hop(page, name)));
  for (const [i, name] of HOPS.entries()) await expect.poll(async () => (await hop(page, name)).total, SOON).toBeGreaterThan(first[i].total);
  console.log(`pipeline (e2e): at 20 msg/s the flow shows ${HOPS.map((n, i) => `${n} ${first[i].perSec}/s`).join(', ')}`);
  expect(await value(page, 'pipeline', 'workload-errors')).toBe(0);

  await sel.button(page, 'Stop Pipeline').click();
  await expect(pipe).toHaveAttribute('data-state', 'stopped', SOON);
  for (const name of HOPS) await expect.poll(async () => (await hop(page, name)).perSec, SOON).toBe(0);
  // A clean stop drains hop by hop: the sink wrote a row for every event the producer sent.
  const sent = (await hop(page, 'producer')).total;
  expect(sent).toBeGreaterThan(0);
  expect((await hop(page, 'demo.pipeline.sink:out')).total).toBe(sent);
  expect(await value(page, 'pipeline', 'workload-sent')).toBe(sent);
  expect(await topicTotal('demo.pipeline.raw')).toBe(sent);
  expect(await topicTotal('demo.pipeline.sink')).toBe(sent);
});
