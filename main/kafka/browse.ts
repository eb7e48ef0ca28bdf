// Browse a topic: seek each partition (earliest, latest, offset or timestamp), read up to
// `limit` records, and merge partitions by timestamp so "all partitions" reads like one stream.
// Limitation: when one partition cannot be read (no leader), browsing "all partitions" fails
// with LEADER_NOT_AVAILABLE naming it; the other partitions can still be browsed one by one.
import type { BrowseRequestSchema, BrowseResponse, KafkaMessage } from '../contract/index.ts';
import type { z } from 'zod';
import type { KafkaConnection } from './connection.ts';
import { listOffsets, pkey, readableRanges } from './offsets.ts';
import { noSuchPartition, readPartition, topicMeta } from './records.ts';

type Browse = z.output<typeof BrowseRequestSchema>;

export async function topicPartitions(conn: KafkaConnection, topic: string, only: number | null): Promise<number[]> {
  const partitionCount = (await topicMeta(conn, topic)).partitions.length;
  if (only !== null) {
    if (only >= partitionCount) throw noSuchPartition(topic, only, partitionCount);
    return [only];
  }
  return Array.from({ length: partitionCount }, (_, i) => i);
}

// A page is small: fetch little first (the broker still returns at least one whole batch) and
// grow, instead of pulling and decoding megabytes per partition for a hundred rows.
const FIRST_FETCH_BYTES = 64 * 1024;
const MAX_FETCH_BYTES = 4 * 1024 * 1024;

async function readRange(conn: KafkaConnection, topic: string, partition: number, from: number, end: number, limit: number, req: Browse) {
  const out: KafkaMessage[] = [];
  let next = from;
  let maxBytes = FIRST_FETCH_BYTES;
  while (out.length < limit && next < end) {
    const want = Math.min(limit - out.length, end - next);
    const r = await readPartition(conn, topic, partition, next, { maxValueBytes: req.maxValueBytes, maxBytes, limit: want, isolation: req.isolation, control: req.showControl });
    for (const m of r.messages) if (m.offset < end && out.length < limit) out.push(m);
    if (r.nextOffset <= next) break;
    next = r.nextOffset;
    maxBytes = Math.min(maxBytes * 4, MAX_FETCH_BYTES);
  }
  return out;
}

export async function browse(conn: KafkaConnection, topic: string, req: Browse): Promise<BrowseResponse> {
  const partitions = await topicPartitions(conn, topic, req.partition);
  const list = partitions.map((partition) => ({ topic, partition }));
  const ranges = await readableRanges(conn, list);
  const byTime = req.seek.mode === 'timestamp' ? await listOffsets(conn, list, BigInt(req.seek.timestamp)) : null;

  const perPartition = await Promise.all(
    partitions.map(async (p) => {
      const { start, end } = ranges.get(pkey(topic, p))!;
      let from: number;
      switch (req.seek.mode) {
        case 'earliest':
          from = start;
          break;
        case 'latest':
          from = Math.max(start, end - req.limit);
          break;
        case 'offset':
          from = Math.min(Math.max(req.seek.offset, start), end);
          break;
        case 'timestamp':
          from = byTime!.get(pkey(topic, p)) ?? end;
          break;
      }
      return readRange(conn, topic, p, from, end, req.limit, req);
    }),
  );

  const merged = perPartition.flat().sort((a, b) => a.timestamp - b.timestamp || a.partition - b.partition || a.offset - b.offset);
  const messages = req.seek.mode === 'latest' ? merged.slice(-req.limit) : merged.slice(0, req.limit);
  return {
    messages,
    partitions: partitions.map((p) => {
      const r = ranges.get(pkey(topic, p))!;
      return { partition: p, startOffset: r.start, endOffset: r.end };
    }),
  };
}
