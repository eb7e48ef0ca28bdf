// Low-level reads of one partition with the Fetch API, straight from the leader, without a
// consumer group: the console looks at data, it never moves anyone's offsets.
// Isolation as a Kafka consumer has it: read_committed fetches stop at the last stable offset
// and skip the batches of the aborted transactions the broker lists (Kafka's consumer rule:
// a producer's transactional batches from the aborted transaction's first offset up to its abort
// marker). Control batches (commit/abort markers) are records too when asked for.
import type { Isolation, KafkaMessage } from '../contract/index.ts';
import type { KafkaConnection } from './connection.ts';
import { ConsoleError } from './errors.ts';

const IS_CONTROL_BATCH = 0x20;
const IS_TRANSACTIONAL = 0x10;

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
  /** read_uncommitted unless told. */
  isolation?: Isolation;
  /** Include the transaction markers as records (their key and value are the marker's bytes). */
  control?: boolean;
}

/** One record as fetched: bytes untouched, so callers convert (or match) only what they need. */
export interface RawRecord {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: [Buffer | null, Buffer | null][];
  /** Written in a transaction (the batch's transactional flag). */
  transactional: boolean;
  /** A transaction marker: its type. */
  control: 'COMMIT' | 'ABORT' | null;
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
    messages: records.map((x) => toMessage(partition, x, opts.maxValueBytes)),
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
  const committed = opts.isolation === 'read_committed';
  const [{ leader, topicId }, useIds] = await Promise.all([partitionLeader(conn, topic, partition), conn.fetchUsesTopicIds()]);
  if (leader < 0) throw new ConsoleError('LEADER_NOT_AVAILABLE', `Partition ${topic}-${partition} has no leader right now.`, 503);
  const res = await fetchFrom(conn, topic, {
    node: leader,
    maxWaitTime: opts.maxWaitMs ?? 0,
    minBytes: 1,
    maxBytes: opts.maxBytes ?? 4 * 1024 * 1024,
    isolationLevel: committed ? 1 : 0,
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
  const aborted = committed ? [...(p?.abortedTransactions ?? [])].sort((a, b) => Number(a.firstOffset - b.firstOffset)) : [];
  const abortedProducers = new Set<bigint>();
  for (const batch of p?.records ?? []) {
    const first = Number(batch.firstOffset);
    const last = first + batch.lastOffsetDelta;
    while (aborted.length > 0 && aborted[0].firstOffset <= BigInt(last)) abortedProducers.add(aborted.shift()!.producerId);
    const control = batch.attributes & IS_CONTROL_BATCH ? markerType(batch.records[0]?.key ?? null) : null;
    const transactional = (batch.attributes & IS_TRANSACTIONAL) !== 0;
    nextOffset = Math.max(nextOffset, last + 1);
    if (control === 'ABORT') abortedProducers.delete(batch.producerId);
    if (batch.attributes & IS_CONTROL_BATCH ? !opts.control : transactional && abortedProducers.has(batch.producerId)) continue;
    const firstTimestamp = Number(batch.firstTimestamp);
    for (const r of batch.records) {
      const o = first + r.offsetDelta;
      if (o < offset) continue;
      records.push({ offset: o, timestamp: firstTimestamp + Number(r.timestampDelta), key: r.key, value: r.value, headers: r.headers, transactional, control });
    }
  }
  return { records, nextOffset, highWatermark: Number(p?.highWatermark ?? 0n) };
}

/** A control record's key: version (int16), then type (int16): 0 abort, 1 commit. */
function markerType(key: Buffer | null): 'COMMIT' | 'ABORT' | null {
  if (!key || key.length < 4) return null;
  const type = key.readInt16BE(2);
  return type === 1 ? 'COMMIT' : type === 0 ? 'ABORT' : null;
}

export function toMessage(partition: number, r: RawRecord, maxValueBytes: number): KafkaMessage {
  const { offset, timestamp, key, value, headers } = r;
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
    transactional: r.transactional,
    control: r.control,
  };
}
