// Journey: "Reassign to…" from the replica map of the bundled cluster (3 nodes). A partition with
// replicas on two nodes is moved to the third node plus one of them, the new one first (the
// preferred leader): the dialog shows the reassignment submitted, in progress and done, the
// cells move (the new node's cell becomes a replica, the dropped node's cell empties), the new
// first replica ends up leading after a preferred election, and the timeline shows the
// reassignment from the metadata log. A bad replica list is refused in the dialog before sending.
import { test, expect, type Page } from '@playwright/test';
import { startBundledConsole, type BundledConsole } from '../main/testing/bundled-console.ts';
import { ensureRendererBuilt } from '../main/server/renderer-build.ts';
import { createTopics } from './fixtures/cluster-console.ts';
import { sel } from './fixtures/selectors.ts';

const TOPIC = 'moving';
const SOON = { timeout: 60_000 };
let bc: BundledConsole;

const row = (page: Page, partition: string) => page.getByTestId('partition-row').and(page.locator(`[data-partition="${partition}"]`));
const cell = (page: Page, partition: string, node: number) => row(page, partition).locator(`td[data-node="${node}"]`);

test.beforeAll(async () => {
  bc = await startBundledConsole({ nodes: 3, staticDir: await ensureRendererBuilt() });
  await createTopics(bc.bootstrap, [{ name: TOPIC, partitions: 1, replicationFactor: 2 }]);
});
test.afterAll(async () => {
  await bc?.stop();
});

test('reassign a partition from the replica map and see its cells move', async ({ page }) => {
  test.setTimeout(600_000);
  await page.goto(bc.server.pageUrl);
  await sel.nav(page, /^cluster$/i).click();
  const p0 = `${TOPIC}-0`;
  await expect(row(page, p0)).toBeVisible(SOON);
  const states = async () => Promise.all([1, 2, 3].map(async (id) => (await cell(page, p0, id).getAttribute('data-state')) ?? ''));
  await expect.poll(async () => (await states()).filter((s) => s === 'leader' || s === 'in-sync').length, SOON).toBe(2);
  const before = await states();
  const outside = [1, 2, 3].find((id) => before[id - 1] === 'none')!;
  const [kept, dropped] = [1, 2, 3].filter((id) => id !== outside);

  await row(page, p0).getByRole('button', { name: `Reassign ${p0}` }).click();
  const dialog = sel.dialog(page);
  const input = dialog.getByLabel('New replicas');
  await input.fill(`${outside}, ${outside}`);
  await expect(dialog).toContainText('only one replica');
  await input.fill('7');
  await expect(dialog).toContainText('Node 7 is not in this cluster');
  await expect(dialog.getByRole('button', { name: 'Reassign', exact: true })).toBeDisabled();
  await input.fill(`${outside}, ${kept}`);
  await dialog.getByRole('button', { name: 'Reassign', exact: true }).click();
  await expect(dialog.getByTestId('reassign-status')).toContainText(`Done: ${p0} has replicas [${outside}, ${kept}]`, SOON);
  await dialog.locator('footer').getByRole('button', { name: 'Close' }).click();

  await expect(cell(page, p0, dropped)).toHaveAttribute('data-state', 'none', SOON);
  await expect(cell(page, p0, outside)).toHaveAttribute('data-state', /^(leader|in-sync)$/, SOON);
  await expect(cell(page, p0, kept)).toHaveAttribute('data-state', /^(leader|in-sync)$/, SOON);
  // The new first replica is the preferred leader: one election (or the auto rebalance) puts it there.
  const prefer = row(page, p0).getByRole('button', { name: `Elect preferred leader of ${p0}` });
  if (await prefer.isVisible()) await prefer.click();
  await expect(cell(page, p0, outside)).toHaveAttribute('data-state', 'leader', SOON);

  const events = page.getByRole('list', { name: 'Events' }).getByTestId('timeline-event');
  await expect(events.and(page.locator('[data-kind="reassignment-started"]')).filter({ hasText: p0 })).not.toHaveCount(0, SOON);
  await expect(events.and(page.locator('[data-kind="reassignment-completed"]')).filter({ hasText: p0 })).not.toHaveCount(0, SOON);
});
