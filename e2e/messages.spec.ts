// Journey: see records produced by kcat (with headers), produce from the UI, and browse by
// offset and by timestamp, and filter by JSON fields and text on the server.
import { kcatProduce } from './fixtures/kafka-tools.ts';
import { sel } from './fixtures/selectors.ts';
import { expect, test, uniqueName } from './fixtures/test.ts';
import { TopicPage } from './pages/topic-page.ts';

const pad = (n: number) => String(n).padStart(2, '0');
const localInput = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
};

test('messages produced by kcat show key, value and headers', async ({ console: c, page }) => {
  const topic = uniqueName('kc');
  kcatProduce(c.bootstrap, topic, ['order-1:{"total":42}'], { source: 'kcat', trace: 'xyz-123' });
  const t = new TopicPage(page);
  await t.openFromList(topic);
  await expect(t.rows()).toHaveCount(1);
  await t.rows().first().click();
  const detail = sel.messageDetail(page);
  await expect(detail.getByRole('region', { name: 'Key' })).toContainText('order-1');
  await expect(detail.getByRole('region', { name: 'Value' })).toContainText('"total": 42');
  const headers = detail.getByRole('region', { name: 'Headers' });
  await expect(headers).toContainText('source');
  await expect(headers).toContainText('kcat');
  await expect(headers).toContainText('trace');
  await expect(headers).toContainText('xyz-123');
});

test('produce from the UI, then browse by offset and by timestamp', async ({ console: c, page }) => {
  const topic = uniqueName('browse');
  kcatProduce(c.bootstrap, topic, ['k0:zero', 'k1:one', 'k2:two']);
  await new Promise((r) => setTimeout(r, 1100));
  const cut = Date.now();
  await new Promise((r) => setTimeout(r, 1100));

  const t = new TopicPage(page);
  await t.openFromList(topic);
  await t.produce({ key: 'ui-key', value: 'from the console', headers: { origin: 'ui' } });

  await t.browse({ mode: 'Offset', offset: 2 });
  await expect(t.rows()).toHaveCount(2);
  await expect(t.rows().nth(0)).toContainText('two');
  await expect(t.rows().nth(1)).toContainText('from the console');

  await t.browse({ mode: 'Timestamp', time: localInput(cut) });
  await expect(t.rows()).toHaveCount(1);
  await expect(t.rows().first()).toContainText('ui-key');
  await t.rows().first().click();
  await expect(sel.messageDetail(page).getByRole('region', { name: 'Headers' })).toContainText('origin');

  await t.browse({ mode: 'Earliest' });
  await expect(t.rows()).toHaveCount(4);
});

test('the Filter box keeps only the lines whose JSON fields match, read on the server', async ({ console: c, page }) => {
  const topic = uniqueName('logs');
  const line = (service: string, level: string, message: string) => `${service}:${JSON.stringify({ service, level, message })}`;
  kcatProduce(c.bootstrap, topic, [
    line('payments', 'ERROR', 'card declined'),
    line('payments', 'INFO', 'paid'),
    line('auth', 'ERROR', 'token expired'),
    line('payments', 'ERROR', 'provider timed out'),
    line('orders', 'INFO', 'accepted'),
  ]);
  const t = new TopicPage(page);
  await t.openFromList(topic);
  await t.browse({ mode: 'Earliest', filter: 'service=payments level=error' });
  await expect(t.rows()).toHaveCount(2);
  await expect(t.rows().nth(0)).toContainText('card declined');
  await expect(t.rows().nth(1)).toContainText('provider timed out');
  await expect(page.getByText('2 messages matching the filter, of 5 read')).toBeVisible();
  await t.browse({ mode: 'Earliest', filter: 'expired' });
  await expect(t.rows()).toHaveCount(1);
  await expect(t.rows().first()).toContainText('auth');
  await t.browse({ mode: 'Earliest', filter: '' });
  await expect(t.rows()).toHaveCount(5);
});
