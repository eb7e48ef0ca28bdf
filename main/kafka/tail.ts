// Live tail: start at the current end of each partition and long-poll for new records until
// the caller aborts. Errors (leader moves, topic deleted) are reported, not thrown away.
import type { KafkaMessage } from '../contract/index.ts';
import { topicPartitions } from './browse.ts';
import type { KafkaConnection } from './connection.ts';
import { partitionRanges, pkey } from './offsets.ts';
import { readPartition } from './records.ts';

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

export async function tail(
  conn: KafkaConnection,
  topic: string,
  partition: number | null,
  signal: AbortSignal,
  onMessages: (m: KafkaMessage[]) => void,
): Promise<void> {
  const partitions = await topicPartitions(conn, topic, partition);
  const ranges = await partitionRanges(conn.admin, partitions.map((p) => ({ topic, partition: p })));
  const next = new Map(partitions.map((p) => [p, ranges.get(pkey(topic, p))!.end]));
  while (!signal.aborted) {
    const reads = await Promise.all(
      partitions.map((p) => readPartition(conn, topic, p, next.get(p)!, { maxValueBytes: 256 * 1024, maxWaitMs: 500 })),
    );
    const batch: KafkaMessage[] = [];
    reads.forEach((r, i) => {
      batch.push(...r.messages);
      next.set(partitions[i], Math.max(next.get(partitions[i])!, r.nextOffset));
    });
    if (signal.aborted) return;
    if (batch.length) onMessages(batch.sort((a, b) => a.timestamp - b.timestamp));
    else await sleep(300, signal);
  }
}
