// Journey: the group screen's "Members run by the console" on the bundled cluster (3 nodes run by
// the supervisor, the console server beside it). A group that committed on a 3-partition topic
// (kafkajs); set 1 member with the card's input and button: it owns partitions 0, 1, 2; set 3:
// one partition each; the split in the card's table is the one the group's own Members table
// (DescribeGroups) shows on the same screen. Set 0: they leave, the group has no active members.
import { test, expect } from '@playwright/test';
import { ensureRendererBuilt } from '../main/server/renderer-build.ts';
import { startBundledConsole, type BundledConsole } from '../main/testing/bundled-console.ts';
import { failOnPageErrors } from './fixtures/charts.ts';
import { createTopics } from './fixtures/cluster-console.ts';
import { consumeWithGroup, kcatProduce } from './fixtures/kafka-tools.ts';
import { sel } from './fixtures/selectors.ts';
import { uniqueName } from './fixtures/test.ts';
import { GroupPage } from './pages/group-page.ts';

failOnPageErrors(test);

const SOON = { timeout: 60_000 };
let bc: BundledConsole;

test.beforeAll(async () => {
  bc = await startBundledConsole({ nodes: 3, staticDir: await ensureRendererBuilt() });
});
test.afterAll(async () => {
  await bc?.stop();
});

test('members run by the console: 1 member owns partitions 0, 1, 2; 3 members own one each; 0 and they leave', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const topic = uniqueName('split');
  const group = uniqueName('team');
  await createTopics(bc.bootstrap, [{ name: topic, partitions: 3, replicationFactor: 3 }]);
  kcatProduce(bc.bootstrap, topic, ['a:1', 'b:2', 'c:3', 'd:4', 'e:5', 'f:6']);
  await consumeWithGroup(bc.bootstrap, topic, group, 1);

  await page.goto(bc.server.pageUrl);
  const g = new GroupPage(page);
  await g.open(group);
  await expect(g.consoleMembers().getByLabel('Topic the members read')).toHaveValue(topic);

  await g.setConsoleMembers(1);
  await expect.poll(() => g.split(), SOON).toEqual({ 'samsa-learn-member-1': [0, 1, 2] });
  await expect.poll(() => g.groupSplit(topic), SOON).toEqual({ 'samsa-learn-member-1': [0, 1, 2] });

  await g.setConsoleMembers(3);
  const oneEach = {
    'samsa-learn-member-1': [expect.any(Number)],
    'samsa-learn-member-2': [expect.any(Number)],
    'samsa-learn-member-3': [expect.any(Number)],
  };
  await expect.poll(() => g.split(), SOON).toEqual(oneEach);
  await expect
    .poll(
      async () =>
        Object.values(await g.split())
          .flat()
          .sort(),
      SOON,
    )
    .toEqual([0, 1, 2]);
  const split = await g.split();
  await expect.poll(() => g.groupSplit(topic), SOON).toEqual(split);
  console.log(`console members (e2e): 3 members on ${topic}: ${JSON.stringify(split)}`);

  await g.setConsoleMembers(0);
  await expect(g.consoleMembers().getByTestId('console-member')).toHaveCount(0, SOON);
  await expect(sel.groupMembers(page)).toContainText('No active members.', SOON);
});
