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
  /** Convert at most this many records (the fetch may return many more). */
  limit?: number;
}

/** One record as fetched: bytes untouched, so callers convert (or match) only what they need. */
export interface RawRecord {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: [Buffer | null, Buffer | null][];
}

export interface RawRead {
  records: RawRecord[];
  nextOffset: number;
  highWatermark: number;
}

export function noSuchPartition(topic: string, partition: number, count: number): ConsoleError {
  const range = count === 1 ? 'one partition, 0' : `${count} partitions, 0–${count - 1}`;
  return new ConsoleError('UNKNOWN_TOPIC_OR_PARTITION', `Topic ${topic} has ${range}: partition ${partition} does not exist.`, 404);
}

/** The topic as Metadata describes it now (a second old at most); 404 when Kafka does not know it. */
export async function topicMeta(conn: KafkaConnection, topic: string) {
  const t = (await conn.topicView(topic)).topics.get(topic);
  if (!t) throw new ConsoleError('UNKNOWN_TOPIC_OR_PARTITION', 'This server does not host this topic-partition.', 404);
  return t;
}

export async function partitionLeader(conn: KafkaConnection, topic: string, partition: number) {
  const t = await topicMeta(conn, topic);
  const p = t.partitions[partition];
  if (!p) throw noSuchPartition(topic, partition, t.partitions.length);
  return { leader: p.leader, leaderEpoch: p.leaderEpoch, topicId: t.id };
}

export async function readPartition(
  conn: KafkaConnection,
  topic: string,
  partition: number,
  offset: number,
  opts: ReadOptions,
): Promise<PartitionRead> {
  const r = await readRaw(conn, topic, partition, offset, opts);
  const records = opts.limit === undefined ? r.records : r.records.slice(0, opts.limit);
  return {
    messages: records.map((x) => toMessage(partition, x.offset, x.timestamp, x.key, x.value, x.headers, opts.maxValueBytes)),
    nextOffset: r.nextOffset,
    highWatermark: r.highWatermark,
  };
}

type FetchOptions = Parameters<KafkaConnection['fetcher']['fetch']>[0];

/** A failed fetch (leader moved or died) drops the cached routing, so the next try asks again. */
async function fetchFrom(conn: KafkaConnection, topic: string, options: FetchOptions) {
  try {
    return await conn.fetcher.fetch(options);
  } catch (err) {
    conn.forget(topic);
    throw err;
  }
}

/** One Fetch of one partition from `offset` (records before it in the first batch are skipped). */
export async function readRaw(
  conn: KafkaConnection,
  topic: string,
  partition: number,
  offset: number,
  opts: Omit<ReadOptions, 'maxValueBytes' | 'limit'>,
): Promise<RawRead> {
  const [{ leader, topicId }, useIds] = await Promise.all([partitionLeader(conn, topic, partition), conn.fetchUsesTopicIds()]);
  if (leader < 0) throw new ConsoleError('LEADER_NOT_AVAILABLE', `Partition ${topic}-${partition} has no leader right now.`, 503);
  const res = await fetchFrom(conn, topic, {
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
  const records: RawRecord[] = [];
  let nextOffset = offset;
  for (const batch of p?.records ?? []) {
    const first = Number(batch.firstOffset);
    const last = first + batch.lastOffsetDelta;
    if ((batch.attributes & IS_CONTROL_BATCH) === 0) {
      const firstTimestamp = Number(batch.firstTimestamp);
      for (const r of batch.records) {
        const o = first + r.offsetDelta;
        if (o < offset) continue;
        records.push({ offset: o, timestamp: firstTimestamp + Number(r.timestampDelta), key: r.key, value: r.value, headers: r.headers });
      }
    }
    nextOffset = Math.max(nextOffset, last + 1);
  }
  return { records, nextOffset, highWatermark: Number(p?.highWatermark ?? 0n) };
}

export function toMessage(
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
