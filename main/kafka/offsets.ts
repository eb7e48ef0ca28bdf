// ListOffsets helpers: earliest (-2), latest (-1) or first offset at/after a timestamp, for many
// partitions in one request per kind. Kafka answers -1 for "no record at or after timestamp";
// callers get null there and decide (usually: the end offset).
import type { Admin } from '@platformatic/kafka';

export const EARLIEST = -2n;
export const LATEST = -1n;

export type PartitionKey = `${string}:${number}`;
export const pkey = (topic: string, partition: number): PartitionKey => `${topic}:${partition}`;

export async function listOffsets(
  admin: Admin,
  partitions: { topic: string; partition: number }[],
  timestamp: bigint,
): Promise<Map<PartitionKey, number | null>> {
  const out = new Map<PartitionKey, number | null>();
  if (partitions.length === 0) return out;
  const byTopic = new Map<string, number[]>();
  for (const p of partitions) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.partition]);
  const res = await admin.listOffsets({
    topics: [...byTopic].map(([name, ps]) => ({ name, partitions: ps.map((partitionIndex) => ({ partitionIndex, timestamp })) })),
  });
  for (const t of res) {
    for (const p of t.partitions) out.set(pkey(t.name, p.partitionIndex), p.offset < 0n ? null : Number(p.offset));
  }
  return out;
}

export interface Range {
  start: number;
  end: number;
}

export async function partitionRanges(
  admin: Admin,
  partitions: { topic: string; partition: number }[],
): Promise<Map<PartitionKey, Range>> {
  const [starts, ends] = await Promise.all([
    listOffsets(admin, partitions, EARLIEST),
    listOffsets(admin, partitions, LATEST),
  ]);
  const out = new Map<PartitionKey, Range>();
  for (const p of partitions) {
    const k = pkey(p.topic, p.partition);
    const end = ends.get(k) ?? 0;
    out.set(k, { start: Math.min(starts.get(k) ?? 0, end), end });
  }
  return out;
}
