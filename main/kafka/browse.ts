// Browse a topic: seek each partition (earliest, latest, offset or timestamp), read up to
// `limit` records, and merge partitions by timestamp so "all partitions" reads like one stream.
// Limitation: when one partition cannot be read (no leader), browsing "all partitions" fails
// with LEADER_NOT_AVAILABLE naming it; the other partitions can still be browsed one by one.
// With a filter (message-filter.ts) a partition is read on from the seek point, keeping only the
// matching records, until `limit` of them or the end; at most FILTER_SCAN records are read per
// partition (from "latest": the last FILTER_SCAN, keeping the last `limit` matches), and the
// response says how many were read (`scanned`). Matching sees the whole value, before it is cut.
import type { BrowseRequestSchema, BrowseResponse, KafkaMessage } from '../contract/index.ts';
import type { z } from 'zod';
import type { KafkaConnection } from './connection.ts';
import { recordFilter } from './message-filter.ts';
import { listOffsets, pkey, readableRanges } from './offsets.ts';
import { noSuchPartition, readRaw, toMessage, topicMeta, type RawRecord } from './records.ts';

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
/** Records a filtered browse reads per partition at most. */
export const FILTER_SCAN = 100_000;

type Keep = ((r: RawRecord) => boolean) | null;

/** Up to `limit` records of [from, end) that `keep` keeps, reading at most `scanCap` records. */
async function readRange(conn: KafkaConnection, topic: string, partition: number, from: number, end: number, limit: number, req: Browse, keep: Keep, scanCap: number) {
  const out: KafkaMessage[] = [];
  let scanned = 0;
  let next = from;
  let maxBytes = FIRST_FETCH_BYTES;
  while (out.length < limit && next < end && scanned < scanCap) {
    const r = await readRaw(conn, topic, partition, next, { maxBytes, isolation: req.isolation, control: req.showControl });
    for (const rec of r.records) {
      if (rec.offset >= end || out.length >= limit || scanned >= scanCap) break;
      scanned++;
      if (!keep || keep(rec)) out.push(toMessage(partition, rec, req.maxValueBytes));
    }
    if (r.nextOffset <= next) break;
    next = r.nextOffset;
    maxBytes = Math.min(maxBytes * 4, MAX_FETCH_BYTES);
  }
  return { messages: out, scanned };
}

export async function browse(conn: KafkaConnection, topic: string, req: Browse): Promise<BrowseResponse> {
  const partitions = await topicPartitions(conn, topic, req.partition);
  const list = partitions.map((partition) => ({ topic, partition }));
  const ranges = await readableRanges(conn, list);
  const byTime = req.seek.mode === 'timestamp' ? await listOffsets(conn, list, BigInt(req.seek.timestamp)) : null;
  const keep = recordFilter(req.filter);

  const perPartition = await Promise.all(
    partitions.map(async (p) => {
      const { start, end } = ranges.get(pkey(topic, p))!;
      let from: number;
      switch (req.seek.mode) {
        case 'earliest':
          from = start;
          break;
        case 'latest':
          from = Math.max(start, end - (keep ? FILTER_SCAN : req.limit));
          break;
        case 'offset':
          from = Math.min(Math.max(req.seek.offset, start), end);
          break;
        case 'timestamp':
          from = byTime!.get(pkey(topic, p)) ?? end;
          break;
      }
      if (!keep) return readRange(conn, topic, p, from, end, req.limit, req, null, Infinity);
      // From "latest", every match of the last FILTER_SCAN records, of which the last `limit` count.
      const r = await readRange(conn, topic, p, from, end, req.seek.mode === 'latest' ? FILTER_SCAN : req.limit, req, keep, FILTER_SCAN);
      return { messages: r.messages.slice(-req.limit), scanned: r.scanned };
    }),
  );

  const merged = perPartition.flatMap((r) => r.messages).sort((a, b) => a.timestamp - b.timestamp || a.partition - b.partition || a.offset - b.offset);
  const messages = req.seek.mode === 'latest' ? merged.slice(-req.limit) : merged.slice(0, req.limit);
  return {
    messages,
    partitions: partitions.map((p) => {
      const r = ranges.get(pkey(topic, p))!;
      return { partition: p, startOffset: r.start, endOffset: r.end };
    }),
    ...(keep ? { scanned: perPartition.reduce((n, r) => n + r.scanned, 0) } : {}),
  };
}
