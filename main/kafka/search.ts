// Server-side text search: scans partitions from their start to the end offsets captured when
// the search began, reports progress, streams matches, stops at the match limit or on cancel.
// Matching is on UTF-8 text of key, value and header values.
import type { KafkaMessage } from '../contract/index.ts';
import { topicPartitions } from './browse.ts';
import type { KafkaConnection } from './connection.ts';
import { pkey, readableRanges } from './offsets.ts';
import { readRaw, toMessage, type RawRecord } from './records.ts';

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

/**
 * The same test as `matches`, on the fetched bytes: a case-sensitive search is a byte search for
 * the UTF-8 needle (no decoding at all); a case-insensitive one decodes only the fields it tests.
 */
export function matcher(needle: string, caseSensitive: boolean): (r: RawRecord) => boolean {
  if (caseSensitive) {
    const bytes = Buffer.from(needle, 'utf8');
    const has = (b: Buffer | null) => b !== null && b.indexOf(bytes) !== -1;
    return (r) => has(r.key) || has(r.value) || r.headers.some(([k, v]) => has(k) || has(v));
  }
  const has = (b: Buffer | null) => b !== null && b.toString('utf8').toLowerCase().includes(needle);
  return (r) => has(r.key) || has(r.value) || r.headers.some(([k, v]) => has(k) || has(v));
}

const FETCH_BYTES = 4 * 1024 * 1024;

export async function search(conn: KafkaConnection, o: SearchOptions) {
  const partitions = await topicPartitions(conn, o.topic, o.partition);
  const ranges = await readableRanges(conn, partitions.map((partition) => ({ topic: o.topic, partition })));
  const total = partitions.reduce((s, p) => s + ranges.get(pkey(o.topic, p))!.end - ranges.get(pkey(o.topic, p))!.start, 0);
  const test = matcher(o.caseSensitive ? o.query : o.query.toLowerCase(), o.caseSensitive);
  let scanned = 0;
  let found = 0;
  let lastProgress = 0;
  for (const p of partitions) {
    const { start, end } = ranges.get(pkey(o.topic, p))!;
    const read = (offset: number) => readRaw(conn, o.topic, p, offset, { maxBytes: FETCH_BYTES });
    // One fetch ahead: the broker reads the next chunk while this one is matched.
    let pending = start < end ? read(start) : null;
    let next = start;
    while (pending && found < o.limit && !o.signal.aborted) {
      const r = await pending;
      pending = r.nextOffset > next && r.nextOffset < end ? read(r.nextOffset) : null;
      const hits: KafkaMessage[] = [];
      for (const rec of r.records) {
        if (rec.offset >= end) break;
        scanned++;
        if (found < o.limit && test(rec)) {
          found++;
          hits.push(truncate(toMessage(p, rec, 16 * 1024 * 1024)));
        }
      }
      if (hits.length) o.onMatches(hits);
      next = r.nextOffset;
      if (Date.now() - lastProgress > 150) {
        lastProgress = Date.now();
        o.onProgress({ scanned, total, matches: found });
      }
    }
    // A read started ahead but no longer needed (limit reached, cancelled) must not reject unhandled.
    pending?.catch(() => {});
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
