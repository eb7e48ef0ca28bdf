// Journey: the failover demo told from the Cluster screen of the bundled cluster (3 nodes run by
// the supervisor, the console server beside it). Start the demo (safe mode) from the UI, kill
// the leader of partition 0 with the demo's button, restart that node from its row, wait until
// it is back in the ISR of the demo topic, kill the leader of partition 0 again; the page's
// counters show acknowledgements rising after each kill and lost = 0 throughout and after Stop.
// The time from each kill to the demo producer's next acknowledgement is read from the page and
// printed (and attached as an annotation).
import { test, expect, type Page } from '@playwright/test';
import { startBundledConsole, type BundledConsole } from '../main/testing/bundled-console.ts';
import { ensureRendererBuilt } from '../main/server/renderer-build.ts';
import { sel } from './fixtures/selectors.ts';

test.describe.configure({ mode: 'serial' });

const TOPIC = 'samsa-failover-demo';
const SOON = { timeout: 60_000 };
let bc: BundledConsole;

const counter = async (page: Page, name: string) => Number(await page.getByTestId(`demo-${name}`).textContent());
const nodeRow = (page: Page, id: number) => page.getByTestId('node-row').and(page.locator(`[data-node="${id}"]`));
const cell = (page: Page, partition: string, node: number) =>
  page.getByTestId('partition-row').and(page.locator(`[data-partition="${partition}"]`)).locator(`td[data-node="${node}"]`);
const kills = (page: Page) => page.getByTestId('demo-kill');

test.beforeAll(async () => {
  bc = await startBundledConsole({ nodes: 3, staticDir: await ensureRendererBuilt() });
});
test.afterAll(async () => {
  await bc?.stop();
});

async function killLeaderAndWatch(page: Page, round: number): Promise<number> {
  const before = await counter(page, 'acknowledged');
  await sel.button(page, 'Kill the leader of partition 0').click();
  await expect(kills(page)).toHaveCount(round, SOON);
  const kill = kills(page).nth(round - 1);
  await expect(kill).toContainText(/next acknowledgement after \d/, SOON);
  const text = (await kill.textContent()) ?? '';
  const victim = Number(/node (\d+)/.exec(text)?.[1]);
  const ms = /after ([\d.]+) (ms|s)/.exec(text);
  const ackAfterMs = ms ? Number(ms[1]) * (ms[2] === 's' ? 1000 : 1) : NaN;
  console.log(`failover demo (e2e, kill ${round}): kill -9 of node ${victim} -> next acknowledgement ${ackAfterMs} ms`);
  test.info().annotations.push({ type: `kill ${round} → next acknowledgement`, description: `${ackAfterMs} ms` });
  await expect(nodeRow(page, victim).getByTestId('node-state')).toHaveText('dead', SOON);
  // Acknowledgements keep rising after the kill, and nothing acknowledged is lost.
  await expect.poll(() => counter(page, 'acknowledged'), SOON).toBeGreaterThan(before + 30);
  expect(await counter(page, 'lost')).toBe(0);
  return victim;
}

test('failover demo: two kills of the leader of partition 0 from the UI, lost stays 0, acknowledgements keep rising', async ({ page }) => {
  test.setTimeout(900_000);
  await page.goto(bc.server.pageUrl);
  await sel.nav(page, /^cluster$/i).click();
  for (const id of [1, 2, 3]) await expect(nodeRow(page, id).getByTestId('node-state')).toHaveText('running', SOON);

  await expect(page.getByText(/Lost must stay 0/)).toBeVisible();
  await sel.button(page, 'Start failover demo').click();
  await expect(page.getByTestId('failover-demo')).toHaveAttribute('data-state', 'running', SOON);
  await expect.poll(() => counter(page, 'acknowledged'), SOON).toBeGreaterThan(30);
  await expect.poll(() => counter(page, 'consumed'), SOON).toBeGreaterThan(30);

  const victim = await killLeaderAndWatch(page, 1);

  // Restart the killed node from its row; wait until it is back in the ISR of every demo partition.
  await sel.button(page, `Restart node ${victim}`).click();
  await sel.dialog(page).getByRole('button', { name: 'Restart', exact: true }).click();
  await expect(sel.dialog(page)).toHaveCount(0, { timeout: 90_000 });
  await expect(nodeRow(page, victim).getByTestId('node-state')).toHaveText('running', SOON);
  for (const p of [0, 1, 2]) await expect(cell(page, `${TOPIC}-${p}`, victim)).toHaveAttribute('data-state', /^(leader|in-sync)$/, { timeout: 90_000 });

  await killLeaderAndWatch(page, 2);

  await sel.button(page, 'Stop demo').click();
  await expect(page.getByTestId('failover-demo')).toHaveAttribute('data-state', 'stopped', SOON);
  const acked = await counter(page, 'acknowledged');
  expect(await counter(page, 'lost')).toBe(0);
  expect(await counter(page, 'duplicates')).toBe(0);
  expect(await counter(page, 'consumed')).toBeGreaterThanOrEqual(acked);
});
