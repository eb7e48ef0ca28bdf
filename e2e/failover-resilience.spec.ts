// Journey: the failover demo, watched from the console. A 3-node cluster with an RF 1 topic whose
// only replica is on node 3 and an RF 3 topic; a live tail on the RF 1 topic in a second tab.
// kill -9 node 3 (through the test's supervisor handle): the Overview keeps working and counts
// the offline partition, the under-replicated ones and node 3 as down; the Topics list keeps
// listing both topics with badges; the tail says it is reconnecting. Restart node 3: the tail
// is live again by itself and shows what kcat writes; the Overview shows node 3 up.
import { test, expect } from '@playwright/test';
import { createTopics, startClusterConsole, type ClusterConsole } from './fixtures/cluster-console.ts';
import { kcatProduce } from './fixtures/kafka-tools.ts';
import { sel } from './fixtures/selectors.ts';
import { TopicPage } from './pages/topic-page.ts';

test.describe.configure({ mode: 'serial' });

let cc: ClusterConsole;
const RF1 = 'only-on-node-3';
const RF3 = 'on-every-node';
// Polled screens refresh every 5 s (Overview) and 10 s (Topics); node fencing takes ~1 s.
const SOON = { timeout: 40_000 };

test.beforeAll(async () => {
  cc = await startClusterConsole(3);
  await createTopics(cc.bootstrap, [
    { name: RF1, replicas: [3] },
    { name: RF3, partitions: 3, replicationFactor: 3 },
  ]);
});
test.afterAll(async () => {
  await cc?.stop();
});

test('kill -9 of a node: Overview, Topics and the live tail keep working and heal by themselves', async ({ page, context }) => {
  test.setTimeout(240_000);
  await page.goto(cc.url);
  await expect(sel.stat(page, 'Brokers')).toHaveText('3');
  await expect(sel.stat(page, 'Offline partitions')).toHaveText('0');

  const tailPage = await context.newPage();
  await tailPage.goto(cc.url);
  const topic = new TopicPage(tailPage);
  await topic.openFromList(RF1);
  await sel.button(tailPage, 'Live tail').click();
  await expect(sel.tailStatus(tailPage)).toContainText('Waiting for new messages');

  cc.cluster.kill(3);

  await expect(sel.stat(page, 'Offline partitions')).toHaveText('1', SOON);
  await expect(sel.brokerRow(page, 3)).toContainText('down');
  await expect(sel.brokerRow(page, 1)).toContainText('up');
  await expect(sel.stat(page, 'Brokers')).toHaveText('2 of 3');
  expect(Number(await sel.stat(page, 'Under-replicated').textContent())).toBeGreaterThanOrEqual(3);
  await expect(page.getByRole('alert')).toHaveCount(0);

  await sel.nav(page, /topics/i).click();
  await expect(sel.topicRow(page, RF1)).toContainText('1 offline', SOON);
  await expect(sel.topicRow(page, RF3)).toContainText('3 under-replicated', SOON);
  await expect(page.getByText(/No topics yet/)).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);

  await expect(sel.tailStatus(tailPage)).toContainText('Reconnecting', SOON);
  await expect(tailPage.getByRole('status').filter({ hasText: 'reconnecting' })).toContainText(`${RF1}-0`);

  await cc.cluster.startNode(3);

  await expect(sel.tailStatus(tailPage)).toContainText('Waiting for new messages', { timeout: 60_000 });
  kcatProduce(cc.bootstrap, RF1, ['k:after-the-restart']);
  await expect(sel.messageRows(tailPage).filter({ hasText: 'after-the-restart' })).toHaveCount(1, SOON);

  await sel.nav(page, /overview/i).click();
  await expect(sel.brokerRow(page, 3)).toContainText('up', SOON);
  await expect(sel.stat(page, 'Offline partitions')).toHaveText('0', SOON);
});
