// Journey: a kafkajs transactional producer leaves a transaction open; the Transactions screen
// shows it Ongoing with its partitions, the topic's producers show where it holds the last
// stable offset back; after the commit both follow. The Messages view of a topic with an aborted
// and a committed transaction, by isolation level and with the markers shown.
import { Kafka, logLevel } from 'kafkajs';
import { expect, test, uniqueName } from './fixtures/test.ts';
import { TopicPage } from './pages/topic-page.ts';

test('an open transaction and its producer, then committed', async ({ console: c, page }) => {
  const topic = uniqueName('ledger');
  const txnId = uniqueName('ledger-writer');
  const kafka = new Kafka({ brokers: c.bootstrap.split(','), clientId: 'e2e-txn', logLevel: logLevel.NOTHING, retry: { retries: 10 } });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ transactionalId: txnId, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const txn = await producer.transaction();
    await txn.send({ topic, messages: [{ key: 'k', value: 'v', partition: 1 }] });

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Transactions' }).click();
    const row = page.getByTestId('transaction-row').filter({ hasText: txnId });
    await expect(row).toContainText('Ongoing');
    await expect(row).toContainText(`${topic}-1`);
    await expect(row).toContainText('running');

    await page.getByRole('combobox', { name: 'Topic' }).selectOption(topic);
    const producers = page.getByRole('table', { name: 'Producers' });
    await expect(producers.getByTestId('producer-row').filter({ hasText: 'offset 0' })).toHaveCount(1);
    await expect(producers).toContainText('No producers.'); // partition 0 was not written

    await txn.commit();
    await expect(row).toContainText('CompleteCommit');
    await expect(row).not.toContainText(`${topic}-1`);
    await expect(producers.getByTestId('producer-row').filter({ hasText: 'offset 0' })).toHaveCount(0);
  } finally {
    await producer.disconnect();
  }
});

test('messages by isolation level, transactional records and markers marked', async ({ console: c, page }) => {
  const topic = uniqueName('orders-txn');
  const kafka = new Kafka({ brokers: c.bootstrap.split(','), clientId: 'e2e-txn', logLevel: logLevel.NOTHING, retry: { retries: 10 } });
  const producer = kafka.producer({ transactionalId: uniqueName('orders-writer'), idempotent: true, maxInFlightRequests: 1 });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  await producer.connect();
  try {
    const aborted = await producer.transaction();
    await aborted.send({ topic, messages: [{ value: 'never-happened' }] });
    await aborted.abort();
    const committed = await producer.transaction();
    await committed.send({ topic, messages: [{ value: 'paid' }] });
    await committed.commit();
  } finally {
    await producer.disconnect();
  }

  const t = new TopicPage(page);
  await t.openFromList(topic);
  await t.browse({ mode: 'Earliest' });
  await expect(t.rows()).toHaveCount(2);
  await expect(t.rows().filter({ hasText: 'never-happened' })).toContainText('txn');

  await page.getByLabel('Isolation level').selectOption('read_committed');
  await expect(t.rows()).toHaveCount(1);
  await expect(t.rows()).toContainText('paid');

  await page.getByLabel('Transaction markers').check();
  await expect(t.rows()).toHaveCount(3);
  await expect(t.rows().filter({ hasText: 'Abort marker' })).toHaveCount(1);
  await expect(t.rows().filter({ hasText: 'Commit marker' })).toHaveCount(1);
});
