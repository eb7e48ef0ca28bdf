// Journey: the failover story told from the Cluster screen of the bundled cluster (3 nodes run
// by the supervisor, the console server driving it through its control endpoint, as `samsa
// serve` does). Kill -9 the leader of a partition from the UI: the node row says dead, the
// replica map shows its replicas offline and another leader, the timeline shows the kill and
// the leader change; restart it from the UI: the ISR expands again in the map. Pause and resume
// another node. Throughout, no error banner ever appears on the page (a MutationObserver
// records any role=alert element from the first paint on).
import { test, expect, type Page } from '@playwright/test';
import { startBundledConsole, type BundledConsole } from '../main/testing/bundled-console.ts';
import { ensureRendererBuilt } from '../main/server/renderer-build.ts';
import { createTopics } from './fixtures/cluster-console.ts';
import { sel } from './fixtures/selectors.ts';

test.describe.configure({ mode: 'serial' });

const TOPIC = 'failover-demo';
// Under a loaded machine give the UI room; the kill -> new leader time has its own bound.
const SOON = { timeout: 30_000 };
/** Issue 11: from the click that confirms Kill -9 to the replica map showing the new leader. */
const KILL_TO_MAP_MS = 2000;
let bc: BundledConsole;

const nodeRow = (page: Page, id: number) => page.getByTestId('node-row').and(page.locator(`[data-node="${id}"]`));
const cell = (page: Page, partition: string, node: number) =>
  page.getByTestId('partition-row').and(page.locator(`[data-partition="${partition}"]`)).locator(`td[data-node="${node}"]`);
const timeline = (page: Page) => page.getByRole('list', { name: 'Events' }).getByTestId('timeline-event');

async function confirmAction(page: Page, button: string, action: string, expectInImpact: RegExp) {
  await sel.button(page, button).click();
  const dialog = sel.dialog(page);
  await expect(dialog.getByTestId('impact')).toContainText(expectInImpact);
  await dialog.getByRole('button', { name: action, exact: true }).click();
  await expect(dialog).toHaveCount(0, { timeout: 90_000 });
}

test.beforeAll(async () => {
  bc = await startBundledConsole({ nodes: 3, staticDir: await ensureRendererBuilt() });
  await createTopics(bc.bootstrap, [{ name: TOPIC, partitions: 3, replicationFactor: 3 }]);
});
test.afterAll(async () => {
  await bc?.stop();
});

test('kill -9 the leader from the Cluster screen, watch leaders move, restart it; pause and resume; never an error page', async ({ page }) => {
  // The Cluster page draws node charts, the replica map and the demo panel at 1 Hz; its main-thread
  // cost (issue 10) makes this journey take 2.5-10 min beside another heavy spec: 15 min of room.
  test.setTimeout(900_000);
  await page.addInitScript(() => {
    const w = window as unknown as { __alerts: string[] };
    w.__alerts = [];
    new MutationObserver(() => {
      for (const a of document.querySelectorAll('[role="alert"]')) w.__alerts.push(a.textContent ?? '');
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  await page.goto(bc.server.pageUrl);
  await sel.nav(page, /^cluster$/i).click();

  for (const id of [1, 2, 3]) await expect(nodeRow(page, id).getByTestId('node-state')).toHaveText('running', SOON);
  const p0 = `${TOPIC}-0`;
  await expect(page.getByTestId('partition-row').and(page.locator(`[data-partition="${p0}"]`))).toBeVisible(SOON);
  for (const id of [1, 2, 3]) await expect(cell(page, p0, id)).toHaveAttribute('data-state', /^(leader|in-sync)$/, SOON);
  const leaderText = await page.getByTestId('partition-row').and(page.locator(`[data-partition="${p0}"]`)).getByTestId('leader').textContent();
  const victim = Number(leaderText);
  expect([1, 2, 3]).toContain(victim);

  // Kill -9 from the UI: the confirmation names the leadership that will move. The page itself
  // notes when the confirming click's input event happened (its timeStamp: before any wait for a
  // busy main thread) and when the map first shows another leader (checked every frame).
  await page.evaluate(() => {
    const w = window as unknown as { __killClickAt?: number };
    const onClick = (e: MouseEvent) => {
      const b = (e.target as Element | null)?.closest('[role="dialog"] button');
      if (b?.textContent?.trim() === 'Kill -9') w.__killClickAt ??= performance.timeOrigin + e.timeStamp;
    };
    document.addEventListener('click', onClick, { capture: true });
  });
  const leaderShown = page.waitForFunction(
    ({ partition, old }) => {
      const t = document.querySelector(`[data-testid="partition-row"][data-partition="${partition}"] [data-testid="leader"]`)?.textContent;
      return t !== undefined && t !== null && t !== 'none' && t !== String(old) && performance.timeOrigin + performance.now();
    },
    { partition: p0, old: victim },
    // From before the dialog opens (a starved page takes minutes to get there); the bound is below.
    { timeout: 600_000, polling: 'raf' },
  );
  leaderShown.catch(() => {}); // awaited below, unless the kill itself fails first
  await confirmAction(page, `Kill -9 node ${victim}`, 'Kill -9', /leader/i);
  const shownAt = Number(await (await leaderShown).jsonValue());
  const killToMapMs = Math.round(shownAt - (await page.evaluate(() => (window as unknown as { __killClickAt?: number }).__killClickAt ?? NaN)));
  test.info().annotations.push({ type: 'kill → new leader in the map', description: `${killToMapMs} ms` });
  expect(killToMapMs, 'Kill -9 click -> the replica map shows the new leader').toBeLessThan(KILL_TO_MAP_MS);
  await expect(nodeRow(page, victim).getByTestId('node-state')).toHaveText('dead', SOON);
  await expect(cell(page, p0, victim)).toHaveAttribute('data-state', 'offline', SOON);
  const newLeader = cell(page, p0, victim === 1 ? 2 : 1).or(cell(page, p0, victim === 3 ? 2 : 3)).and(page.locator('[data-state="leader"]'));
  await expect(newLeader).toHaveCount(1, SOON);
  await expect(page.getByTestId('partition-row').and(page.locator(`[data-partition="${p0}"]`)).getByTestId('leader')).not.toHaveText(String(victim));

  // The timeline tells it from the supervisor and the metadata log.
  await expect(timeline(page).and(page.locator('[data-kind="node-killed"]')).filter({ hasText: `node ${victim}` })).not.toHaveCount(0, SOON);
  await expect(timeline(page).and(page.locator('[data-kind="leader-changed"]')).filter({ hasText: p0 })).not.toHaveCount(0, SOON);
  await expect(timeline(page).and(page.locator('[data-kind="broker-fenced"]'))).not.toHaveCount(0, SOON);

  // The Overview counts what the outage did, then back to the Cluster screen.
  await sel.nav(page, /overview/i).click();
  await expect(sel.stat(page, 'Brokers')).toHaveText('2 of 3', SOON);
  await expect.poll(async () => Number(await sel.stat(page, 'Under-replicated').textContent()), SOON).toBeGreaterThanOrEqual(3);
  await sel.nav(page, /^cluster$/i).click();

  // Restart: the node runs again and its replicas rejoin the ISR.
  await confirmAction(page, `Restart node ${victim}`, 'Restart', /node/i);
  await expect(nodeRow(page, victim).getByTestId('node-state')).toHaveText('running', SOON);
  for (const p of [0, 1, 2]) await expect(cell(page, `${TOPIC}-${p}`, victim)).toHaveAttribute('data-state', /^(leader|in-sync)$/, { timeout: 60_000 });
  await expect(timeline(page).and(page.locator('[data-kind="isr-expanded"]')).filter({ hasText: TOPIC })).not.toHaveCount(0, SOON);

  // Pause and resume another node.
  const other = victim === 1 ? 2 : 1;
  await confirmAction(page, `Pause node ${other}`, 'Pause', /SIGSTOP/);
  await expect(nodeRow(page, other).getByTestId('node-state')).toHaveText('paused', SOON);
  await expect(cell(page, p0, other)).toHaveAttribute('data-state', 'offline', SOON);
  await confirmAction(page, `Resume node ${other}`, 'Resume', /SIGCONT/);
  await expect(nodeRow(page, other).getByTestId('node-state')).toHaveText('running', SOON);
  await expect(cell(page, p0, other)).toHaveAttribute('data-state', /^(leader|in-sync)$/, { timeout: 60_000 });
  await expect(timeline(page).and(page.locator('[data-kind="node-resumed"]'))).not.toHaveCount(0, SOON);

  // Never an error page or banner, from the first paint to here.
  expect(await page.evaluate(() => (window as unknown as { __alerts: string[] }).__alerts)).toEqual([]);
});
