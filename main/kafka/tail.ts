// Live tail: start at the current end of each partition (or where a resumed tail left off) and
// long-poll for new records until the caller aborts. A tail outlives outages: a partition
// without a leader, a dead node or an unreachable cluster is reported as `reconnecting` with
// Kafka's words for what is wrong, the other partitions keep flowing, and reads resume from
// the same offsets once the partition is back (nothing in between is skipped). Only a topic or
// partition that does not exist ends the tail.
import type { KafkaMessage, TailPosition } from '../contract/index.ts';
import { topicPartitions } from './browse.ts';
import type { KafkaConnection } from './connection.ts';
import { toErrorBody } from './errors.ts';
import { LATEST, listOffsets, pkey } from './offsets.ts';
import { readPartition } from './records.ts';

export interface TailStatus {
  state: 'live' | 'reconnecting';
  message: string | null;
  positions: TailPosition[];
}

export interface TailOptions {
  topic: string;
  partition: number | null;
  from: TailPosition[];
  signal: AbortSignal;
  onMessages(m: KafkaMessage[]): void;
  onStatus(s: TailStatus): void;
}

const IDLE_MS = 300;
const RETRY_MS = 1000;

/** Ends early on abort; the abort listener goes away with the timer (a tail sleeps for hours). */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const wake = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', wake);
      resolve();
    };
    const t = setTimeout(wake, ms);
    signal.addEventListener('abort', wake, { once: true });
  });

/** A topic or partition that does not exist will not come back by waiting. */
function reasonOrThrow(err: unknown): string {
  const { status, body } = toErrorBody(err);
  if (status === 404) throw err;
  return body.error.message;
}

export async function tail(conn: KafkaConnection, o: TailOptions): Promise<void> {
  const next = new Map(o.from.map((p) => [p.partition, p.offset]));
  let partitions: number[] | null = null;
  let reported: string | null = null;

  while (!o.signal.aborted) {
    const problems: string[] = [];
    const batch: KafkaMessage[] = [];
    try {
      partitions ??= await topicPartitions(conn, o.topic, o.partition);
      const unknown = partitions.filter((p) => !next.has(p));
      if (unknown.length > 0) {
        const ends = await listOffsets(conn, unknown.map((partition) => ({ topic: o.topic, partition })), LATEST);
        for (const p of unknown) if (ends.has(pkey(o.topic, p))) next.set(p, ends.get(pkey(o.topic, p)) ?? 0);
      }
      for (const p of partitions) if (!next.has(p)) problems.push(`Partition ${o.topic}-${p}: no leader is reachable.`);
      const readable = partitions.filter((p) => next.has(p));
      const reads = await Promise.allSettled(
        readable.map((p) => readPartition(conn, o.topic, p, next.get(p)!, { maxValueBytes: 256 * 1024, maxWaitMs: 500 })),
      );
      reads.forEach((r, i) => {
        const p = readable[i];
        if (r.status === 'rejected') {
          const reason = reasonOrThrow(r.reason);
          return problems.push(reason.includes(`${o.topic}-${p}`) ? reason : `Partition ${o.topic}-${p}: ${reason}`);
        }
        batch.push(...r.value.messages);
        next.set(p, Math.max(next.get(p)!, r.value.nextOffset));
      });
    } catch (err) {
      problems.push(reasonOrThrow(err));
    }
    if (o.signal.aborted) return;

    const message = problems.length > 0 ? [...new Set(problems)].join(' ') : null;
    const key = message ?? 'live';
    if (key !== reported) {
      reported = key;
      const positions = [...next].sort((a, b) => a[0] - b[0]).map(([partition, offset]) => ({ partition, offset }));
      o.onStatus({ state: message ? 'reconnecting' : 'live', message, positions });
    }
    if (batch.length) o.onMessages(batch.sort((a, b) => a.timestamp - b.timestamp));
    else await sleep(message ? RETRY_MS : IDLE_MS, o.signal);
  }
}
