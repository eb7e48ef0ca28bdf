// ListOffsets helpers: earliest (-2), latest (-1) or first offset at/after a timestamp, for many
// partitions, one request per leader. Kafka answers -1 for "no record at or after timestamp";
// callers get null there and decide (usually: the end offset). A partition that cannot be asked
// right now (no leader, leader unreachable, an error code) is absent from the result: one
// offline partition costs its own numbers, never everybody's.
import { z } from 'zod';
import { request } from './broker-calls.ts';
import type { KafkaConnection } from './connection.ts';
import { ConsoleError } from './errors.ts';

export const EARLIEST = -2n;
export const LATEST = -1n;

export type PartitionKey = `${string}:${number}`;
export const pkey = (topic: string, partition: number): PartitionKey => `${topic}:${partition}`;

const ListOffsetsSchema = z.object({
  topics: z.array(
    z.object({
      name: z.string(),
      partitions: z.array(z.object({ partitionIndex: z.number(), errorCode: z.number(), offset: z.bigint() })),
    }),
  ),
});

interface Ask {
  partitionIndex: number;
  currentLeaderEpoch: number;
  timestamp: bigint;
}

export async function listOffsets(
  conn: KafkaConnection,
  partitions: { topic: string; partition: number }[],
  timestamp: bigint,
): Promise<Map<PartitionKey, number | null>> {
  const out = new Map<PartitionKey, number | null>();
  if (partitions.length === 0) return out;
  const cluster = await conn.clusterView([...new Set(partitions.map((p) => p.topic))]);
  const byLeader = new Map<number, Map<string, Ask[]>>();
  for (const { topic, partition } of partitions) {
    const p = cluster.topics.get(topic)?.partitions[partition];
    if (!p || p.leader < 0) continue;
    const topics = byLeader.get(p.leader) ?? new Map<string, Ask[]>();
    byLeader.set(p.leader, topics);
    topics.set(topic, [...(topics.get(topic) ?? []), { partitionIndex: partition, currentLeaderEpoch: p.leaderEpoch, timestamp }]);
  }
  await Promise.all(
    [...byLeader].map(async ([leader, topics]) => {
      const b = cluster.brokers.find((x) => x.id === leader && x.up);
      if (!b?.host || b.port === null) return;
      const ask = [...topics].map(([name, ps]) => ({ name, partitions: ps }));
      const res = await request(conn.admin, { host: b.host, port: b.port }, 'ListOffsets', [-1, 0, ask], ListOffsetsSchema).catch(() => null);
      for (const t of res?.topics ?? []) {
        for (const p of t.partitions) {
          if (p.errorCode === 0) out.set(pkey(t.name, p.partitionIndex), p.offset < 0n ? null : Number(p.offset));
        }
      }
    }),
  );
  return out;
}

export interface Range {
  start: number;
  end: number;
}

/** Start and end offsets; partitions that could not be asked are absent. */
export async function partitionRanges(conn: KafkaConnection, partitions: { topic: string; partition: number }[]): Promise<Map<PartitionKey, Range>> {
  const [starts, ends] = await Promise.all([listOffsets(conn, partitions, EARLIEST), listOffsets(conn, partitions, LATEST)]);
  const out = new Map<PartitionKey, Range>();
  for (const p of partitions) {
    const k = pkey(p.topic, p.partition);
    if (!starts.has(k) || !ends.has(k)) continue;
    const end = ends.get(k) ?? 0;
    out.set(k, { start: Math.min(starts.get(k) ?? 0, end), end });
  }
  return out;
}

/** Ranges of every partition asked for, or a clear error naming those that cannot be read now. */
export async function readableRanges(conn: KafkaConnection, partitions: { topic: string; partition: number }[]): Promise<Map<PartitionKey, Range>> {
  const ranges = await partitionRanges(conn, partitions);
  const missing = partitions.filter((p) => !ranges.has(pkey(p.topic, p.partition)));
  if (missing.length > 0) {
    for (const t of new Set(missing.map((p) => p.topic))) conn.forget(t);
    const which = missing.map((p) => `${p.topic}-${p.partition}`).join(', ');
    throw new ConsoleError('LEADER_NOT_AVAILABLE', `Partition ${which} cannot be read right now: no leader is reachable.`, 503);
  }
  return ranges;
}
