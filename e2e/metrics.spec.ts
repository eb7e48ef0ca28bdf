// Journey: live metrics on the default 3-node cluster. The Overview's charts start flat; a
// kafkajs producer runs in the background and the "Messages in" line rises off the floor and
// keeps moving while it runs (read from the SVG path recharts drew, not from an element's mere
// presence). A reload shows the same past at once (the history lives in the console server).
// kill -9 of a node: the page says the node is down, its lines are marked down, a marker is drawn
// and the under-replicated line goes up, and no chart breaks; after the restart it is up again.
// A consumer group's lag line rises while it is stopped and falls back when it catches up.
import { test, expect, type Page } from '@playwright/test';
import { Kafka, logLevel } from 'kafkajs';
import { failOnPageErrors, msUntilRedrawn } from './fixtures/charts.ts';
import { createTopics, startClusterConsole, type ClusterConsole } from './fixtures/cluster-console.ts';
import { consumeWithGroup, kcatProduce } from './fixtures/kafka-tools.ts';
import { sel } from './fixtures/selectors.ts';

test.describe.configure({ mode: 'serial' });

let cc: ClusterConsole;
const TOPIC = 'metrics-flow';
const LAG_TOPIC = 'metrics-lag';
const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `k${i % 5}:${tag}-${i}`);
const SOON = { timeout: 40_000 };

/** The points (x, y in SVG pixels) of a drawn line; a gap starts a new M segment. */
async function points(page: Page, chart: string, series: string): Promise<{ x: number; y: number }[]> {
  const d = (await sel.chartLine(page, chart, series).first().getAttribute('d')) ?? '';
  return [...d.matchAll(/[ML]\s*(-?[\d.]+)[ ,](-?[\d.]+)/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
}

/** How far (px) the line's highest point stands above its first one (SVG y grows downwards). */
async function rise(page: Page, chart: string, series: string): Promise<number> {
  const p = await points(page, chart, series);
  return p.length < 2 ? 0 : p[0].y - Math.min(...p.map((q) => q.y));
}

/** How far (px) the line's newest point stands above its lowest one: 0 while it is at its floor. */
async function lastAboveFloor(page: Page, chart: string, series: string): Promise<number> {
  const p = await points(page, chart, series);
  return p.length < 2 ? 0 : Math.max(...p.map((q) => q.y)) - p[p.length - 1].y;
}

async function produceFor(bootstrap: string, ms: number): Promise<number> {
  const kafka = new Kafka({ brokers: bootstrap.split(','), clientId: 'e2e-metrics', logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  let sent = 0;
  try {
    for (const end = Date.now() + ms; Date.now() < end; ) {
      await producer.send({ topic: TOPIC, acks: -1, messages: Array.from({ length: 100 }, (_, i) => ({ key: `k${i % 7}`, value: `click-${sent + i}` })) });
      sent += 100;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await producer.disconnect();
  }
  return sent;
}

failOnPageErrors(test);

test.beforeAll(async () => {
  cc = await startClusterConsole(3);
  await createTopics(cc.bootstrap, [
    { name: TOPIC, partitions: 3, replicationFactor: 3 },
    { name: LAG_TOPIC, partitions: 2, replicationFactor: 3 },
  ]);
});
test.afterAll(async () => {
  await cc?.stop();
});

test('produced messages move the Overview throughput line; the history survives a reload', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(cc.url);
  // Idle first: the line exists and lies on the floor (0 msg/s) for a few seconds.
  await expect(sel.chartLine(page, 'messages-in', 'cluster')).toHaveCount(1, SOON);
  await expect.poll(async () => (await points(page, 'messages-in', 'cluster')).length, SOON).toBeGreaterThanOrEqual(4);
  expect(await rise(page, 'messages-in', 'cluster')).toBeLessThan(1);

  const producing = produceFor(cc.bootstrap, 12_000);
  // While it runs, the line rises off the floor ...
  await expect.poll(() => rise(page, 'messages-in', 'cluster'), SOON).toBeGreaterThan(30);
  // ... and keeps moving: the drawn path changes within 3 s (a new point a second). Timed in
  // the page, so the test's own round trips on a loaded machine do not count.
  expect(await msUntilRedrawn(page, 'messages-in', 'cluster')).toBeLessThan(3000);
  const sent = await producing;
  expect(sent).toBeGreaterThan(0);
  // Bytes in rose too, for the cluster and on the partitions' leaders (not necessarily all three).
  await expect.poll(() => rise(page, 'cluster-bytes', 'in'), SOON).toBeGreaterThan(30);
  const nodeRises = async () => Math.max(...(await Promise.all([1, 2, 3].map((n) => rise(page, 'bytes-in-nodes', `node-${n}`)))));
  await expect.poll(nodeRises, SOON).toBeGreaterThan(30);
  // CPU and memory of each node are charted.
  for (const node of [1, 2, 3]) await expect(sel.chartLine(page, 'rss', `node-${node}`)).toHaveCount(1);

  // A reload: the past is drawn at once, from the console server's history.
  await page.reload();
  await expect.poll(() => rise(page, 'messages-in', 'cluster'), { timeout: 10_000 }).toBeGreaterThan(30);
  // The topic's own charts show it per partition.
  await page.goto(cc.url.replace('/?', `/topics/${TOPIC}?tab=metrics&`));
  for (const p of [0, 1, 2]) await expect.poll(() => rise(page, 'topic-messages', `partition-${p}`), SOON).toBeGreaterThan(10);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('kill -9 of a node: "node down", a marker and the under-replicated line rising; no chart breaks', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(cc.url);
  await expect(sel.chartLine(page, 'rss', 'node-3')).toHaveCount(1, SOON);
  await expect(sel.chartLine(page, 'replication', 'under-replicated')).toHaveCount(1, SOON);
  // The partitions are fully replicated now (the line may show the ISRs forming at the start).
  await expect.poll(() => lastAboveFloor(page, 'replication', 'under-replicated'), SOON).toBeLessThan(1);

  const downMarkers = sel.chart(page, 'messages-in').locator('.marker-node-down');
  const upMarkers = sel.chart(page, 'messages-in').locator('.marker-node-up');
  const [downBefore, upBefore] = [await downMarkers.count(), await upMarkers.count()];
  cc.cluster.kill(3);
  await expect(page.getByRole('status').filter({ hasText: 'Node 3 is down' })).toBeVisible(SOON);
  await expect(sel.chart(page, 'rss').getByText('node 3 (down)')).toBeVisible();
  await expect(downMarkers).toHaveCount(downBefore + 1);
  // Under-replicated partitions: the line goes up from 0.
  await expect.poll(() => lastAboveFloor(page, 'replication', 'under-replicated'), SOON).toBeGreaterThan(30);
  // The other nodes are still charted; every chart still draws.
  expect(await msUntilRedrawn(page, 'rss', 'node-1')).toBeLessThan(3000);
  await expect(page.locator('.chart .recharts-wrapper > svg.recharts-surface')).toHaveCount(8);
  await expect(page.getByRole('alert')).toHaveCount(0);

  await cc.cluster.startNode(3);
  await expect(page.getByRole('status').filter({ hasText: 'Node 3 is down' })).toHaveCount(0, SOON);
  await expect(upMarkers).toHaveCount(upBefore + 1);
  await expect(sel.chart(page, 'rss').getByText('node 3', { exact: true })).toBeVisible();
});

test("a consumer group's lag line rises while it is stopped and falls when it catches up", async ({ page }) => {
  test.setTimeout(180_000);
  kcatProduce(cc.bootstrap, LAG_TOPIC, lines(200, 'first'));
  await consumeWithGroup(cc.bootstrap, LAG_TOPIC, 'billing', 200);
  await page.goto(cc.url.replace('/?', '/groups/billing?'));
  await expect(sel.chartLine(page, 'lag', 'total')).toHaveCount(1, SOON);
  await expect.poll(async () => (await points(page, 'lag', 'total')).length, SOON).toBeGreaterThanOrEqual(3);
  expect(await lastAboveFloor(page, 'lag', 'total')).toBeLessThan(1);

  kcatProduce(cc.bootstrap, LAG_TOPIC, lines(300, 'second'));
  await expect.poll(() => lastAboveFloor(page, 'lag', 'total'), SOON).toBeGreaterThan(30);
  await consumeWithGroup(cc.bootstrap, LAG_TOPIC, 'billing', 300);
  // Caught up: the newest point is back on the floor, below the peak it drew.
  await expect.poll(() => lastAboveFloor(page, 'lag', 'total'), SOON).toBeLessThan(1);
  expect(await rise(page, 'lag', 'total')).toBeGreaterThan(30);
  await expect(sel.chartLine(page, 'consume-rate', 'committed-per-second')).toHaveCount(1);
});
