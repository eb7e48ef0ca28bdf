// Server-side text search: scans partitions from their start to the end offsets captured when
// the search began, reports progress, streams matches, stops at the match limit or on cancel.
// Matching is on UTF-8 text of key, value and header values.
import type { KafkaMessage } from '../contract/index.ts';
import { topicPartitions } from './browse.ts';
import type { KafkaConnection } from './connection.ts';
import { partitionRanges, pkey } from './offsets.ts';
import { readPartition } from './records.ts';

export interface SearchOptions {
  topic: string;
  partition: number | null;
  query: string;
  caseSensitive: boolean;
  limit: number;
  signal: AbortSignal;
  onProgress(p: { scanned: number; total: number; matches: number }): void;
  onMatches(messages: KafkaMessage[]): void;
}

const text = (b64: string | null) => (b64 === null ? '' : Buffer.from(b64, 'base64').toString('utf8'));

export function matches(m: KafkaMessage, needle: string, caseSensitive: boolean): boolean {
  const fold = (s: string) => (caseSensitive ? s : s.toLowerCase());
  if (fold(text(m.key)).includes(needle)) return true;
  if (fold(text(m.value)).includes(needle)) return true;
  return m.headers.some((h) => fold(h.key).includes(needle) || fold(text(h.value)).includes(needle));
}

export async function search(conn: KafkaConnection, o: SearchOptions) {
  const partitions = await topicPartitions(conn, o.topic, o.partition);
  const ranges = await partitionRanges(conn.admin, partitions.map((partition) => ({ topic: o.topic, partition })));
  const total = partitions.reduce((s, p) => s + ranges.get(pkey(o.topic, p))!.end - ranges.get(pkey(o.topic, p))!.start, 0);
  const needle = o.caseSensitive ? o.query : o.query.toLowerCase();
  let scanned = 0;
  let found = 0;
  let lastProgress = 0;
  for (const p of partitions) {
    const { start, end } = ranges.get(pkey(o.topic, p))!;
    let next = start;
    while (next < end && found < o.limit && !o.signal.aborted) {
      // Full values are needed to match text beyond the first bytes.
      const r = await readPartition(conn, o.topic, p, next, { maxValueBytes: 16 * 1024 * 1024 });
      const hits: KafkaMessage[] = [];
      for (const m of r.messages) {
        if (m.offset >= end) break;
        scanned++;
        if (found < o.limit && matches(m, needle, o.caseSensitive)) {
          found++;
          hits.push(truncate(m));
        }
      }
      if (hits.length) o.onMatches(hits);
      if (r.nextOffset <= next) break;
      next = r.nextOffset;
      if (Date.now() - lastProgress > 150) {
        lastProgress = Date.now();
        o.onProgress({ scanned, total, matches: found });
      }
    }
  }
  return { scanned, total, matches: found, stopped: o.signal.aborted || found >= o.limit };
}

const MAX_SENT_VALUE = 256 * 1024;

/** Matches go to the UI with the same value cut-off as browsing. */
function truncate(m: KafkaMessage): KafkaMessage {
  if (m.value === null || m.valueSize <= MAX_SENT_VALUE) return m;
  const cut = Buffer.from(m.value, 'base64').subarray(0, MAX_SENT_VALUE);
  return { ...m, value: cut.toString('base64'), valueTruncated: true };
}
