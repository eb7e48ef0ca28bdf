// Journeys through the Learn panel on the bundled cluster (3 nodes run by the supervisor, the
// console server beside it), clicking as a learner would: "Your first topic" (the topic created
// with the real Create topic dialog, the rest with the panel's buttons and tabs, then reset),
// "Fault tolerance" (the failover demo's own buttons on the Cluster screen: start, kill the
// leader of partition 0, stop), and "Offsets and replay" then "Distributed" with "Do it for me"
// (the group screen's offsets table, lag and Reset offsets button; the topic's rows in the
// replica map). The other scenarios run headless in renderer/features/learn. At each step the element the step talks about is highlighted on
// its screen, and the step turns green only when its check has seen the result on the cluster.
import { test, expect, type Page } from '@playwright/test';
import { DEMO_TOPICS } from '../main/contract/index.ts';
import { ensureRendererBuilt } from '../main/server/renderer-build.ts';
import { startBundledConsole, type BundledConsole } from '../main/testing/bundled-console.ts';
import { failOnPageErrors } from './fixtures/charts.ts';
import { sel } from './fixtures/selectors.ts';

test.describe.configure({ mode: 'serial' });
failOnPageErrors(test);

const SOON = { timeout: 60_000 };
const SLOW = { timeout: 120_000 };
let bc: BundledConsole;

const panel = (page: Page) => page.getByRole('complementary', { name: 'Learn' });
const stepOf = (page: Page, id: string) => panel(page).getByTestId('learn-step').and(page.locator(`[data-step="${id}"]`));
const highlighted = (page: Page, target: string) => page.locator(`[data-learn-target~="${target}"]`).first();
const doIt = (page: Page) => panel(page).getByTestId('learn-do-it');

async function expectCurrent(page: Page, id: string, target: string | null) {
  await expect(stepOf(page, id)).toHaveAttribute('data-state', 'current', SOON);
  if (!target) return;
  // "Show me" is there only when the element is on another screen than the one open.
  const showMe = panel(page).getByRole('button', { name: 'Show me' });
  if ((await showMe.count()) > 0) await showMe.click();
  await expect(highlighted(page, target)).toHaveAttribute('data-learn-highlight', '', SOON);
  await expect(highlighted(page, target)).toBeVisible();
}
const expectDone = (page: Page, id: string, opts = SOON) => expect(stepOf(page, id)).toHaveAttribute('data-state', 'done', opts);
/** A step that only asks to watch may be seen done before it is seen current: its element is on screen either way. */
async function watchStep(page: Page, id: string, target: string, opts = SOON) {
  await expectDone(page, id, opts);
  await expect(highlighted(page, target)).toBeVisible();
}

test.beforeAll(async () => {
  bc = await startBundledConsole({ nodes: 3, staticDir: await ensureRendererBuilt() });
});
test.afterAll(async () => {
  await bc?.stop();
});

test('first topic: create it in the real dialog, produce, read, one more to partition 0; reset deletes it', async ({ page }) => {
  test.setTimeout(300_000);
  // The Overview draws live charts every second and is slow on a loaded machine: start from Topics.
  await page.goto(bc.server.pageUrl);
  await sel.nav(page, /^topics$/i).click();
  await page.getByRole('button', { name: 'Learn', exact: true }).click();
  await panel(page).getByRole('button', { name: /Your first topic/ }).click();

  await expectCurrent(page, 'create-topic', 'create-topic');
  await expect(panel(page).getByTestId('learn-observed')).toContainText(/Seen on the cluster: .*learn\.first-topic/, SOON);
  await sel.button(page, 'Create topic').click();
  await sel.dialog(page).getByLabel('Topic name').fill('learn.first-topic');
  await sel.dialog(page).getByLabel('Partitions').fill('3');
  await sel.dialog(page).getByLabel('Replication factor').selectOption('3');
  await sel.dialog(page).getByRole('button', { name: 'Create', exact: true }).click();
  await expectDone(page, 'create-topic');

  await expectCurrent(page, 'produce', 'topic-tab:produce');
  await doIt(page).click();
  await expectDone(page, 'produce');

  await sel.tab(page, 'Messages').click();
  await watchStep(page, 'consume', 'topic-tab:messages');
  await expect(sel.messageRows(page)).toHaveCount(10, SOON);

  await expectCurrent(page, 'one-more', 'topic-tab:partitions');
  await doIt(page).click();
  await expectDone(page, 'one-more');
  await expect(page.getByRole('table', { name: 'Partitions' })).toBeVisible();
  await expect(panel(page).getByTestId('learn-scenario')).toHaveAttribute('data-complete', 'true');

  // Progress survives a reload (persisted), and reset deletes the topic and starts over.
  await page.reload();
  await expect(panel(page).getByTestId('learn-scenario')).toHaveAttribute('data-complete', 'true', SOON);
  await panel(page).getByRole('button', { name: 'Reset scenario' }).click();
  await expect(stepOf(page, 'create-topic')).toHaveAttribute('data-state', 'current', SOON);
  await expect(panel(page).getByTestId('learn-observed')).not.toContainText('has 3 partitions', SOON);
  await sel.nav(page, /^topics$/i).click();
  await expect(sel.topicsTable(page)).toBeVisible(SOON);
  await expect(sel.topicLink(page, 'learn.first-topic')).toHaveCount(0, SOON);
});

test('fault tolerance: start the demo, kill the leader of partition 0, new leader, lost 0, node back, stop', async ({ page }) => {
  test.setTimeout(900_000);
  await page.goto(bc.server.pageUrl);
  await sel.nav(page, /^cluster$/i).click();
  // A fresh browser context: the panel starts closed, with the scenario list.
  await page.getByRole('button', { name: 'Learn', exact: true }).click();
  await panel(page).getByRole('button', { name: /Fault tolerance/ }).click();

  await expectCurrent(page, 'start-writes', 'failover-demo-start');
  await page.getByRole('button', { name: 'Start failover demo', exact: true }).click();
  await expectDone(page, 'start-writes');

  const row0 = `replica-row:${DEMO_TOPICS.safe}-0`;
  await watchStep(page, 'three-in-sync', row0);

  await expectCurrent(page, 'kill-leader', 'failover-demo-kill');
  const leaderBefore = Number(await highlighted(page, row0).getByTestId('leader').textContent());
  await page.getByRole('button', { name: 'Kill the leader of partition 0', exact: true }).click();
  await expectDone(page, 'kill-leader');

  await watchStep(page, 'new-leader', row0, SLOW);
  await expect(highlighted(page, row0).getByTestId('leader')).not.toHaveText(String(leaderBefore), SOON);
  await expect(highlighted(page, row0).locator(`td[data-node="${leaderBefore}"]`)).not.toHaveAttribute('data-state', /^(leader|in-sync)$/, SOON);

  await watchStep(page, 'nothing-lost', 'failover-demo-counters', SLOW);
  expect(Number(await page.getByTestId('demo-lost').textContent())).toBe(0);

  await expectCurrent(page, 'bring-back', 'node-table');
  await doIt(page).click();
  await expectDone(page, 'bring-back', SLOW);

  await expectCurrent(page, 'final-count', 'failover-demo-stop');
  await page.getByRole('button', { name: 'Stop demo', exact: true }).click();
  await expectDone(page, 'final-count', SLOW);
  await expect(panel(page).getByTestId('learn-scenario')).toHaveAttribute('data-complete', 'true');
  expect(Number(await page.getByTestId('demo-lost').textContent())).toBe(0);
  expect(Number(await page.getByTestId('demo-consumed').textContent())).toBeGreaterThanOrEqual(Number(await page.getByTestId('demo-acknowledged').textContent()));
});

test('offsets and replay, then distributed: "Do it for me" at each step, the group and replica-map elements highlighted', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto(bc.server.pageUrl);
  await sel.nav(page, /^topics$/i).click();
  await page.getByRole('button', { name: 'Learn', exact: true }).click();
  await panel(page).getByRole('button', { name: /Offsets and replay/ }).click();

  await expectCurrent(page, 'produce', 'create-topic');
  await doIt(page).click();
  await expectDone(page, 'produce');
  // The group's screen has nothing to highlight before the group exists: commit first, then look.
  await expectCurrent(page, 'commit', null);
  await doIt(page).click();
  await expectDone(page, 'commit');

  await expectCurrent(page, 'lag-grows', 'group-offsets');
  await doIt(page).click();
  await expectDone(page, 'lag-grows');
  await expect(page.getByTestId('total-lag')).toHaveText('4', SOON);

  await expectCurrent(page, 'reset-earliest', 'reset-offsets');
  await doIt(page).click();
  await expectDone(page, 'reset-earliest');
  await expectDone(page, 'replay');
  await expect(page.getByTestId('total-lag')).toHaveText('10', SOON);
  await expect(panel(page).getByTestId('learn-scenario')).toHaveAttribute('data-complete', 'true');
  await panel(page).getByRole('button', { name: 'Reset scenario' }).click();
  await expect(stepOf(page, 'produce')).toHaveAttribute('data-state', 'current', SOON);

  await panel(page).getByRole('button', { name: '← All scenarios' }).click();
  await panel(page).getByRole('button', { name: /Distributed/ }).click();
  await expectCurrent(page, 'create-topic', 'create-topic');
  await doIt(page).click();
  await expectDone(page, 'create-topic');
  await sel.nav(page, /^cluster$/i).click();
  await watchStep(page, 'leaders-spread', 'replica-topic:learn.distributed');
  await expect(highlighted(page, 'replica-topic:learn.distributed').getByTestId('partition-row')).toHaveCount(6, SOON);
  await expectCurrent(page, 'writes-spread', 'topic-tab:partitions');
  await doIt(page).click();
  await expectDone(page, 'writes-spread');
  await expect(panel(page).getByTestId('learn-scenario')).toHaveAttribute('data-complete', 'true');
  await panel(page).getByRole('button', { name: 'Reset scenario' }).click();
  await expect(stepOf(page, 'create-topic')).toHaveAttribute('data-state', 'current', SOON);
});
