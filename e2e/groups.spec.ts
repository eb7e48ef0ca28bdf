// Journey: a consumer group of a real client (kafkajs) shows its lag; reset its offsets with a
// preview; the lag follows.
import { consumeWithGroup, kcatProduce } from './fixtures/kafka-tools.ts';
import { sel } from './fixtures/selectors.ts';
import { expect, test, uniqueName } from './fixtures/test.ts';
import { GroupPage } from './pages/group-page.ts';

test('a real consumer group shows lag, and its offsets can be reset', async ({ console: c, page }) => {
  const topic = uniqueName('lag');
  const group = uniqueName('billing');
  kcatProduce(c.bootstrap, topic, ['a:1', 'b:2', 'c:3', 'd:4', 'e:5']);
  await consumeWithGroup(c.bootstrap, topic, group, 2);

  const g = new GroupPage(page);
  await g.open(group);
  await expect(g.totalLag()).toHaveText('3');
  await expect(sel.groupOffsets(page)).toContainText(topic);

  const dialog = await g.resetTo('Earliest');
  await expect(dialog.getByRole('table', { name: 'Reset preview' })).toContainText('0');
  await dialog.getByRole('button', { name: 'Reset offsets' }).click();
  await expect(dialog).toBeHidden();
  await expect(g.totalLag()).toHaveText('5');

  const latest = await g.resetTo('Latest');
  await latest.getByRole('button', { name: 'Reset offsets' }).click();
  await expect(g.totalLag()).toHaveText('0');
});
