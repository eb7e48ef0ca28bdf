// A kafkajs exactly-once stream processor, as kafkajs documents it: consume IN in a group,
// write out-<value> to OUT in a producer.transaction() together with the consumed offsets
// (sendOffsets), commit. A batch whose transaction fails is aborted and the process exits 2;
// whoever runs it starts it again, the new instance fences any zombie and resumes from the
// committed offsets. Run with `node --import tsx eos-processor.ts BOOT IN OUT GROUP TXN_ID`.
// Prints `processed <n>` after each commit.

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
  maxBytesPerPartition: 256, // small batches: many transactions, so a failure lands mid-run
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
  eachBatch: async ({ batch }) => {
    if (batch.messages.length === 0) return;
    let txn: Transaction | null = null;
    try {
      txn = await producer.transaction();
      await txn.send({
        topic: outTopic,
        messages: batch.messages.map((m) => ({ key: m.key, value: `out-${m.value?.toString()}`, partition: batch.partition })),
      });
      const next = String(Number(batch.lastOffset()) + 1);
      await txn.sendOffsets({ consumerGroupId: group, topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] }] });
      await txn.commit();
    } catch (e) {
      await fail(txn, (e as Error).message);
    }
    processed += batch.messages.length;
    console.log(`processed ${processed}`);
  },
});
consumer.on(consumer.events.CRASH, (e) => void fail(null, `consumer crashed: ${e.payload.error.message}`));
