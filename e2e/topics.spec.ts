// Journey: a topic made with kcat shows up; create a topic in the UI (and see Kafka's error
// for an invalid name); delete it with confirmation; a dotted topic name opens from its URL.
import { kcatProduce } from './fixtures/kafka-tools.ts';
import { sel } from './fixtures/selectors.ts';
import { expect, test, uniqueName } from './fixtures/test.ts';
import { TopicsPage } from './pages/topics-page.ts';

test('a topic created with kcat is listed after clicking Topics', async ({ console: c, page }) => {
  const topic = uniqueName('kcat');
  kcatProduce(c.bootstrap, topic, ['a:1']);
  // Exactly as the acceptance check does it: one link named /topics/i on the landing page.
  await page.getByRole('link', { name: /topics/i }).click();
  await expect(sel.topicLink(page, topic)).toBeVisible();
});

test('create a topic in the UI, with Kafka’s error for an invalid name, then delete it', async ({ console: _c, page }) => {
  const topics = new TopicsPage(page);
  await topics.open();

  await topics.create('bad name!');
  await expect(sel.dialog(page).getByRole('alert')).toContainText('is illegal, it contains a character other than ASCII alphanumerics');

  const name = uniqueName('ui-topic');
  await sel.dialog(page).getByLabel('Topic name').fill(name);
  await sel.dialog(page).getByRole('button', { name: 'Create', exact: true }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  await expect(page.getByText('1 partitions')).toBeVisible();

  await topics.open();
  await expect(topics.topicLink(name)).toBeVisible();
  await topics.delete(name);
  await expect(topics.topicLink(name)).toBeHidden();
});

test('a topic with dots in its name opens from its URL and survives a reload', async ({ console: c, page }) => {
  const topic = `web.clicks.${uniqueName('dot')}`;
  kcatProduce(c.bootstrap, topic, ['k:clicked']);
  await page.goto(`${c.origin}/topics/${encodeURIComponent(topic)}`);
  await expect(page.getByRole('heading', { name: topic, level: 1 })).toBeVisible();
  await expect(sel.messageRows(page)).toHaveCount(1);
  await page.reload();
  await expect(page.getByRole('heading', { name: topic, level: 1 })).toBeVisible();
  await expect(sel.messageRows(page).first()).toContainText('clicked');
  await page.goto(`${c.origin}/topics/${encodeURIComponent(topic)}?tab=partitions`);
  await expect(page.getByRole('table', { name: 'Partitions' })).toBeVisible();
});
