// A kafkajs exactly-once stream processor (consume-transform-produce): consume IN in a group with
// read_committed; for each fetched batch of one partition, one transaction: producer.transaction(),
// send out-<value> for each message to OUT (same partition), sendOffsets with the offset after the
// batch's last message, commit. Only after the commit does it resolveOffset each message of the
// batch (and heartbeat): kafkajs fetches from the resolved offset, and with
// eachBatchAutoResolve: false and no resolveOffset it would fetch the same batch again and copy it
// again (sendOffsets moves the group's committed offset, not the consumer's position). A batch
// whose transaction fails is aborted and the process exits 2 without resolving it; whoever runs it
// starts it again, the new instance fences any zombie (same transactional.id) and resumes from the
// committed offsets. Run with `node --import tsx eos-processor.ts BOOT IN OUT GROUP TXN_ID`.
// Prints `processed <n>` (inputs copied so far) after each commit.

import { Kafka, logLevel, type Transaction } from 'kafkajs';

const [boot, inTopic, outTopic, group, transactionalId] = process.argv.slice(2);
const kafka = new Kafka({
  brokers: boot.split(','),
  clientId: 'eos-processor',
  logLevel: logLevel.NOTHING,
  retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 2000 },
});
const producer = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, transactionTimeout: 30000 });
const consumer = kafka.consumer({
  groupId: group,
  readUncommitted: false,
  sessionTimeout: 6000,
  rebalanceTimeout: 10000,
  heartbeatInterval: 1000,
  maxBytesPerPartition: 64, // below one record batch: each fetch returns one batch (KIP-74), so one transaction per input batch
});

let processed = 0;

async function fail(txn: Transaction | null, why: string): Promise<never> {
  console.log(`txn failed: ${why}`);
  await txn?.abort().catch(() => {});
  await Promise.race([consumer.disconnect().catch(() => {}), new Promise((r) => setTimeout(r, 3000))]);
  process.exit(2);
}

await producer.connect();
await consumer.connect();
await consumer.subscribe({ topic: inTopic, fromBeginning: true });
await consumer.run({
  autoCommit: false,
  eachBatchAutoResolve: false,
  partitionsConsumedConcurrently: 1, // one transactional producer: one transaction at a time
  eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
    if (batch.messages.length === 0) return;
    let txn: Transaction | null = null;
    try {
      txn = await producer.transaction();
      await txn.send({
        topic: outTopic,
        messages: batch.messages.map((m) => ({ key: m.key, value: `out-${m.value?.toString()}`, partition: batch.partition })),
      });
      const next = String(Number(batch.messages[batch.messages.length - 1].offset) + 1);
      await txn.sendOffsets({ consumerGroupId: group, topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] }] });
      await txn.commit();
    } catch (e) {
      await fail(txn, (e as Error).message);
    }
    for (const m of batch.messages) resolveOffset(m.offset);
    processed += batch.messages.length;
    console.log(`processed ${processed}`);
    await heartbeat();
  },
});
consumer.on(consumer.events.CRASH, (e) => void fail(null, `consumer crashed: ${e.payload.error.message}`));
