// Low-level reads of one partition with the Fetch API, straight from the leader, without a
// consumer group: the console looks at data, it never moves anyone's offsets.
import type { KafkaMessage } from '../contract/index.ts';
import type { KafkaConnection } from './connection.ts';
import { ConsoleError } from './errors.ts';

const IS_CONTROL_BATCH = 0x20;

export interface PartitionRead {
  messages: KafkaMessage[];
  /** Offset to fetch next (after the last record or control batch seen). */
  nextOffset: number;
  highWatermark: number;
}

export interface ReadOptions {
  maxValueBytes: number;
  maxBytes?: number;
  maxWaitMs?: number;
}

export async function partitionLeader(conn: KafkaConnection, topic: string, partition: number) {
  const meta = await conn.fetcher.metadata({ topics: [topic] });
  const t = meta.topics.get(topic);
  if (!t) throw new ConsoleError('UNKNOWN_TOPIC_OR_PARTITION', 'This server does not host this topic-partition.', 404);
  const p = t.partitions[partition];
  if (!p) throw new ConsoleError('UNKNOWN_TOPIC_OR_PARTITION', `Topic ${topic} has no partition ${partition}.`, 404);
  return { leader: p.leader, leaderEpoch: p.leaderEpoch, topicId: t.id, partitionCount: t.partitionsCount };
}

export async function readPartition(
  conn: KafkaConnection,
  topic: string,
  partition: number,
  offset: number,
  opts: ReadOptions,
): Promise<PartitionRead> {
  const [{ leader, topicId }, useIds] = await Promise.all([partitionLeader(conn, topic, partition), conn.fetchUsesTopicIds()]);
  if (leader < 0) throw new ConsoleError('LEADER_NOT_AVAILABLE', `Partition ${topic}-${partition} has no leader right now.`, 503);
  const res = await conn.fetcher.fetch({
    node: leader,
    maxWaitTime: opts.maxWaitMs ?? 0,
    minBytes: 1,
    maxBytes: opts.maxBytes ?? 4 * 1024 * 1024,
    topics: [
      {
        topicId: useIds ? topicId : topic,
        partitions: [
          {
            partition,
            currentLeaderEpoch: -1,
            fetchOffset: BigInt(offset),
            lastFetchedEpoch: -1,
            partitionMaxBytes: opts.maxBytes ?? 4 * 1024 * 1024,
          },
        ],
      },
    ],
  });
  const p = res.responses[0]?.partitions.find((x) => x.partitionIndex === partition);
  const messages: KafkaMessage[] = [];
  let nextOffset = offset;
  for (const batch of p?.records ?? []) {
    const last = Number(batch.firstOffset) + batch.lastOffsetDelta;
    if ((batch.attributes & IS_CONTROL_BATCH) === 0) {
      for (const r of batch.records) {
        const o = Number(batch.firstOffset) + r.offsetDelta;
        if (o < offset) continue;
        messages.push(toMessage(partition, o, Number(batch.firstTimestamp + r.timestampDelta), r.key, r.value, r.headers, opts.maxValueBytes));
      }
    }
    nextOffset = Math.max(nextOffset, last + 1);
  }
  return { messages, nextOffset, highWatermark: Number(p?.highWatermark ?? 0n) };
}

function toMessage(
  partition: number,
  offset: number,
  timestamp: number,
  key: Buffer | null,
  value: Buffer | null,
  headers: [Buffer | null, Buffer | null][],
  maxValueBytes: number,
): KafkaMessage {
  const truncated = value !== null && value.length > maxValueBytes;
  return {
    partition,
    offset,
    timestamp,
    key: key === null ? null : key.toString('base64'),
    value: value === null ? null : (truncated ? value.subarray(0, maxValueBytes) : value).toString('base64'),
    keySize: key?.length ?? 0,
    valueSize: value?.length ?? 0,
    valueTruncated: truncated,
    headers: headers.map(([k, v]) => ({ key: k?.toString('utf8') ?? '', value: v === null ? null : v.toString('base64') })),
  };
}
