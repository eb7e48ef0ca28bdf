// Journey: the Cluster screen's node charts on the bundled cluster (supervisor, metadata feed,
// metrics collector, as `samsa serve` runs them). Every node has its line in each chart (CPU,
// RSS, event-loop delay, requests, leader and replica counts), and the lines keep being redrawn;
// kill -9 of a partition leader puts a leader-change marker on the charts' time axis, from the
// metadata log's events. The export buttons give the visible series as CSV and the chart as a
// PNG. Playwright 1.65 receives no download from Debian's Chromium 156 (a bare <a download> on a
// static page times out too), so the page's download links are read instead: an init script
// keeps the blob behind every blob: URL a download link is clicked for, which are the bytes the
// browser saves. Throughout, no page error.
import { test, expect, type Page } from '@playwright/test';
import { startBundledConsole, type BundledConsole } from '../main/testing/bundled-console.ts';
import { ensureRendererBuilt } from '../main/server/renderer-build.ts';
import { failOnPageErrors, msUntilRedrawn } from './fixtures/charts.ts';
import { createTopics } from './fixtures/cluster-console.ts';
import { kcatProduce } from './fixtures/kafka-tools.ts';
import { sel } from './fixtures/selectors.ts';

test.describe.configure({ mode: 'serial' });

const TOPIC = 'node-charts';
const SOON = { timeout: 40_000 };
const NODE_CHARTS = ['node-cpu', 'node-rss', 'node-event-loop', 'node-requests', 'node-leaders', 'node-partitions'];
let bc: BundledConsole;
let startedAt = 0;

failOnPageErrors(test);

test.beforeAll(async () => {
  // The UI may be rebuilt first, and three nodes start on a loaded machine.
  test.setTimeout(240_000);
  startedAt = Date.now();
  bc = await startBundledConsole({ nodes: 3, staticDir: await ensureRendererBuilt() });
  await createTopics(bc.bootstrap, [{ name: TOPIC, partitions: 3, replicationFactor: 3 }]);
});
test.afterAll(async () => {
  await bc?.stop();
});

interface Saved {
  name: string;
  bytes: Buffer;
}

/** Records what each clicked download link would save (see the header). */
async function recordDownloads(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __downloads: Promise<{ name: string; dataUrl: string }>[] };
    w.__downloads = [];
    // The page's CSP keeps fetch() off blob: URLs, so the blobs are remembered as they get one.
    const blobs = new Map<string, Blob>();
    const createObjectURL = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (b: Blob | MediaSource) => {
      const url = createObjectURL(b);
      if (b instanceof Blob) blobs.set(url, b);
      return url;
    };
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      const { download, href } = this;
      const blob = blobs.get(href);
      if (download && blob)
        w.__downloads.push(
          new Promise((resolve) => {
            const fr = new FileReader();
            fr.onload = () => resolve({ name: download, dataUrl: String(fr.result) });
            fr.readAsDataURL(blob);
          }),
        );
      click.call(this);
    };
  });
}

async function downloadBy(page: Page, click: () => Promise<void>): Promise<Saved> {
  const count = () => page.evaluate(() => (window as unknown as { __downloads: unknown[] }).__downloads.length);
  const before = await count();
  await click();
  await expect.poll(count, SOON).toBe(before + 1);
  const { name, dataUrl } = await page.evaluate(
    (i) => (window as unknown as { __downloads: Promise<{ name: string; dataUrl: string }>[] }).__downloads[i],
    before,
  );
  return { name, bytes: Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64') };
}

async function openCluster(page: Page) {
  await page.goto(bc.server.pageUrl);
  await sel.nav(page, /^cluster$/i).click();
}

test('the Cluster screen charts every node: CPU, RSS, event-loop delay, requests, leaders, replicas', async ({
  page,
}) => {
  test.setTimeout(360_000);
  await openCluster(page);
  for (const chart of NODE_CHARTS)
    for (const n of [1, 2, 3]) await expect(sel.chartLine(page, chart, `node-${n}`)).toHaveCount(1, SOON);
  // Live: new points keep arriving.
  for (const chart of ['node-rss', 'node-requests'])
    expect(await msUntilRedrawn(page, chart, 'node-1', 5000)).toBeLessThan(5000);
});

test('export: the visible series as CSV, the chart as a PNG with the lines drawn in it', async ({ page }) => {
  test.setTimeout(360_000);
  await recordDownloads(page);
  await openCluster(page);
  const chart = sel.chart(page, 'node-rss');
  for (const n of [1, 2, 3]) await expect(sel.chartLine(page, 'node-rss', `node-${n}`)).toHaveCount(1, SOON);

  const csvOf = async () => {
    const dl = await downloadBy(page, () => chart.getByRole('button', { name: 'Export Memory (RSS) as CSV' }).click());
    expect(dl.name).toMatch(/^samsa-node-rss-.*\.csv$/);
    return dl.bytes.toString('utf8').trimEnd().split('\r\n');
  };
  const [head, ...rows] = await csvOf();
  expect(head).toBe('timestamp_ms,time,node 1 (B),node 2 (B),node 3 (B)');
  expect(rows.length).toBeGreaterThanOrEqual(2);
  const last = rows.at(-1)!.split(',');
  // Points of this cluster's life, one a second, in time order.
  const times = rows.map((r) => Number(r.split(',')[0]));
  expect(times[0]).toBeGreaterThan(startedAt);
  for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(1000);
  expect(new Date(last[1]).getTime()).toBe(Number(last[0]));
  // A node's RSS is tens of MB: real numbers, not placeholders.
  for (const v of last.slice(2)) expect(Number(v)).toBeGreaterThan(10e6);

  // A series hidden with the legend is left out.
  await chart.locator('.recharts-legend-item').filter({ hasText: 'node 2' }).click();
  await expect(sel.chartLine(page, 'node-rss', 'node-2')).toHaveCount(0);
  expect((await csvOf())[0]).toBe('timestamp_ms,time,node 1 (B),node 3 (B)');

  const dl = await downloadBy(page, () => chart.getByRole('button', { name: 'Export Memory (RSS) as PNG' }).click());
  expect(dl.name).toMatch(/^samsa-node-rss-.*\.png$/);
  const png = dl.bytes;
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  expect(png.readUInt32BE(16)).toBeGreaterThan(300);
  expect(png.readUInt32BE(20)).toBeGreaterThan(200);
  // Decoded by the browser: how many pixels differ from the background, and how many have the
  // colour of node 1's line (the first of the chart's palette).
  const counts = await page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const c = new OffscreenCanvas(bmp.width, bmp.height);
    const ctx = c.getContext('2d')!;
    ctx.drawImage(bmp, 0, 0);
    const d = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
    let notBackground = 0;
    let lineColour = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) notBackground++;
      if (Math.abs(d[i] - 0x4f) < 24 && Math.abs(d[i + 1] - 0x5d) < 24 && Math.abs(d[i + 2] - 0xff) < 24) lineColour++;
    }
    return { notBackground, lineColour, total: d.length / 4 };
  }, png.toString('base64'));
  expect(counts.notBackground / counts.total).toBeGreaterThan(0.01);
  expect(counts.lineColour).toBeGreaterThan(50);
});

test("the topics list draws each topic's in-rate as a sparkline that rises when messages arrive", async ({ page }) => {
  test.setTimeout(360_000);
  await page.goto(bc.server.pageUrl);
  await sel.nav(page, /^topics$/i).click();
  const spark = sel.topicRow(page, TOPIC).getByTestId('sparkline');
  await expect(spark).toHaveCount(1, SOON);
  const ys = async () =>
    (
      await spark
        .locator('polyline')
        .evaluateAll((ps) => ps.flatMap((p) => (p.getAttribute('points') ?? '').split(' ')))
    )
      .filter(Boolean)
      .map((xy) => Number(xy.split(',')[1]));
  // Idle: the line lies on its floor.
  await expect.poll(async () => (await ys()).length, SOON).toBeGreaterThanOrEqual(3);
  expect(new Set(await ys()).size).toBe(1);
  kcatProduce(
    bc.bootstrap,
    TOPIC,
    Array.from({ length: 500 }, (_, i) => `k${i % 3}:v${i}`),
  );
  // A peak stands above the floor, and the newest value is in the label.
  await expect
    .poll(async () => {
      const y = await ys();
      return Math.max(...y) - Math.min(...y);
    }, SOON)
    .toBeGreaterThan(10);
  await expect(spark).toHaveAttribute('aria-label', new RegExp(`^${TOPIC} messages in: `));
});

test('kill -9 of a partition leader draws a leader-change marker on the node charts', async ({ page }) => {
  test.setTimeout(360_000);
  await openCluster(page);
  const p0 = page.getByTestId('partition-row').and(page.locator(`[data-partition="${TOPIC}-0"]`));
  await expect(p0.getByTestId('leader')).toHaveText(/^[123]$/, SOON);
  const victim = Number(await p0.getByTestId('leader').textContent());
  await expect(sel.chartLine(page, 'node-leaders', `node-${victim}`)).toHaveCount(1, SOON);
  const markers = sel.chart(page, 'node-leaders').locator('.marker-leader-change');
  const before = await markers.count();

  await bc.control.call('kill', { id: victim });
  await expect.poll(() => markers.count(), SOON).toBeGreaterThan(before);
  // Every node chart draws the same markers, on the same time axis.
  const after = await markers.count();
  for (const chart of NODE_CHARTS)
    await expect
      .poll(() => sel.chart(page, chart).locator('.marker-leader-change').count(), SOON)
      .toBeGreaterThanOrEqual(after);
  // After a reload they are still there: the markers live in the console server's history.
  await page.reload();
  await expect
    .poll(() => sel.chart(page, 'node-leaders').locator('.marker-leader-change').count(), SOON)
    .toBeGreaterThanOrEqual(after);
  await bc.control.call('restart', { id: victim });
});
