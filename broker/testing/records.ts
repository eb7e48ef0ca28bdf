// The message set the interop tests produce and the checks they run on what comes back.
// Message i: key k<i%100>, value v<i>, header h=<i>, partition i%3, timestamp T0 for the first
// half and T1 for the second, so offsets-by-time have a known answer.

import { batchInfo, buildBatch } from '../protocol/record-batch.ts';

export const T0 = 1_700_000_000_000;
export const T1 = T0 + 60_000;

export function message(i: number, n: number) {
  return { key: `k${i % 100}`, value: `v${i}`, partition: i % 3, header: String(i), timestamp: i < n / 2 ? T0 : T1 };
}

export interface Consumed {
  partition: number;
  offset: number;
  key: string;
  value: string;
  headers: Record<string, string>;
  timestamp: number;
}

/** Count, distinct values, per-partition order and field checks of consumed records. */
export function verify(records: Consumed[], n: number, opts: { checkPartition?: boolean; checkTimestamp?: boolean } = {}) {
  const last = new Map<number, number>();
  let orderOk = true;
  let fieldsOk = true;
  const seen = new Set<number>();
  for (const r of records) {
    const i = Number(r.value.slice(1));
    seen.add(i);
    const m = message(i, n);
    if (r.key !== m.key || r.headers.h !== m.header) fieldsOk = false;
    if (opts.checkPartition !== false && r.partition !== m.partition) fieldsOk = false;
    if (opts.checkTimestamp !== false && r.timestamp !== m.timestamp) fieldsOk = false;
    if ((last.get(r.partition) ?? -1) >= i) orderOk = false;
    last.set(r.partition, i);
  }
  return { consumed: records.length, distinct: seen.size, orderOk, fieldsOk };
}

/** Expected first offset with timestamp >= T1 in each of the 3 partitions. */
export function expectedOffsetsForT1(n: number): number[] {
  const counts = [0, 0, 0];
  for (let i = 0; i < n / 2; i++) counts[i % 3]++;
  return counts;
}

/**
 * A hand-built idempotent batch as a validated Produce payload: `count` records from
 * `baseSequence` (values `<producerId>:<epoch>:<seq>`), for producer-state tests.
 */
export function idempotentBatch(producerId: number, epoch: number, baseSequence: number, count = 1, timestamp = Date.now()) {
  const values = Array.from({ length: count }, (_, i) => ({ value: `${producerId}:${epoch}:${baseSequence + i}`, timestamp }));
  const buf = buildBatch(values, { producerId, producerEpoch: epoch, baseSequence });
  return { buf, batches: [batchInfo(buf, 0)] };
}
