// Transactions and producers, as kafka-transactions.sh finds them: ListTransactions asked of every
// live broker (each lists only the transactional ids it coordinates), DescribeTransactions of
// the same broker for its ids, and DescribeProducers of each partition's leader. A broker that
// cannot answer (down, or a Kafka older than 3.0 without these APIs) is reported by id, its
// transactions missing, never failing the whole list.
import { z } from 'zod';
import type { Transaction, TransactionList, TopicProducers } from '../contract/index.ts';
import { request, type BrokerAddress } from './broker-calls.ts';
import { errorName } from './cluster-metadata.ts';
import type { KafkaConnection } from './connection.ts';
import { topicMeta } from './records.ts';

const ListSchema = z.object({
  errorCode: z.number(),
  transactionStates: z.array(z.object({ transactionalId: z.string() })),
});

const DescribeSchema = z.object({
  transactionStates: z.array(
    z.object({
      errorCode: z.number(),
      transactionalId: z.string(),
      transactionState: z.string(),
      transactionTimeoutMs: z.number(),
      transactionStartTimeMs: z.bigint(),
      producerId: z.bigint(),
      producerEpoch: z.number(),
      topics: z.array(z.object({ topic: z.string(), partitions: z.array(z.number()) })),
    }),
  ),
});

const ProducersSchema = z.object({
  topics: z.array(
    z.object({
      name: z.string(),
      partitions: z.array(
        z.object({
          partitionIndex: z.number(),
          errorCode: z.number(),
          activeProducers: z.array(
            z.object({
              producerId: z.bigint(),
              producerEpoch: z.number(),
              lastSequence: z.number(),
              lastTimestamp: z.bigint(),
              coordinatorEpoch: z.number(),
              currentTxnStartOffset: z.bigint(),
            }),
          ),
        }),
      ),
    }),
  ),
});

const orNull = (v: bigint) => (v < 0n ? null : Number(v));
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function coordinatedBy(conn: KafkaConnection, brokerId: number, at: BrokerAddress): Promise<Transaction[]> {
  const listed = await request(conn.admin, at, 'ListTransactions', [[], [], -1n, null], ListSchema);
  if (listed.errorCode !== 0) throw new Error(`ListTransactions: ${errorName(listed.errorCode)}`);
  const ids = listed.transactionStates.map((t) => t.transactionalId);
  if (ids.length === 0) return [];
  const described = await request(conn.admin, at, 'DescribeTransactions', [ids], DescribeSchema);
  // An id that moved to another coordinator in between answers NOT_COORDINATOR: that one lists it.
  return described.transactionStates
    .filter((t) => t.errorCode === 0)
    .map((t) => ({
      transactionalId: t.transactionalId,
      state: t.transactionState,
      producerId: Number(t.producerId),
      producerEpoch: t.producerEpoch,
      timeoutMs: t.transactionTimeoutMs,
      startTimeMs: orNull(t.transactionStartTimeMs),
      coordinator: brokerId,
      partitions: t.topics.flatMap((tp) => tp.partitions.map((partition) => ({ topic: tp.topic, partition }))).sort((a, b) =>
        a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1,
      ),
    }));
}

export async function listTransactions(conn: KafkaConnection): Promise<TransactionList> {
  const view = await conn.clusterView([]);
  const out: TransactionList = { transactions: [], unavailable: [] };
  await Promise.all(
    view.brokers.map(async (b) => {
      if (!b.up || !b.host || b.port === null) {
        out.unavailable.push({ brokerId: b.id, message: 'Broker is down.' });
        return;
      }
      try {
        out.transactions.push(...(await coordinatedBy(conn, b.id, { host: b.host, port: b.port })));
      } catch (err) {
        out.unavailable.push({ brokerId: b.id, message: messageOf(err) });
      }
    }),
  );
  out.transactions.sort((a, b) => (a.transactionalId < b.transactionalId ? -1 : a.transactionalId > b.transactionalId ? 1 : 0));
  out.unavailable.sort((a, b) => a.brokerId - b.brokerId);
  return out;
}

export async function topicProducers(conn: KafkaConnection, topic: string): Promise<TopicProducers> {
  const meta = await topicMeta(conn, topic);
  const view = await conn.clusterView([topic]);
  const byLeader = new Map<number, number[]>();
  for (const p of meta.partitions) byLeader.set(p.leader, [...(byLeader.get(p.leader) ?? []), p.partition]);
  const rows: TopicProducers['partitions'] = [];
  await Promise.all(
    [...byLeader].map(async ([leader, partitions]) => {
      const b = view.brokers.find((x) => x.id === leader && x.up);
      const failed = (error: string) => rows.push(...partitions.map((partition) => ({ partition, leader, error, producers: [] })));
      if (!b?.host || b.port === null) return failed('LEADER_NOT_AVAILABLE');
      const res = await request(conn.admin, { host: b.host, port: b.port }, 'DescribeProducers', [[{ name: topic, partitionIndexes: partitions }]], ProducersSchema).catch(
        (err: unknown) => messageOf(err),
      );
      if (typeof res === 'string') return failed(res);
      for (const p of res.topics.flatMap((t) => t.partitions)) {
        rows.push({
          partition: p.partitionIndex,
          leader,
          error: errorName(p.errorCode),
          producers: p.activeProducers.map((s) => ({
            producerId: Number(s.producerId),
            producerEpoch: s.producerEpoch,
            lastSequence: s.lastSequence,
            lastTimestamp: orNull(s.lastTimestamp),
            coordinatorEpoch: s.coordinatorEpoch,
            currentTxnStartOffset: orNull(s.currentTxnStartOffset),
          })),
        });
      }
    }),
  );
  return { topic, partitions: rows.sort((a, b) => a.partition - b.partition) };
}
