// Pipelined Produce for the benchmarks: `count` requests of one batch each, `inFlight` at a time,
// over one connection, to partition 0 or to partition(i) for request i. The batches come from a BatchSource: a fresh copy of a template per
// request with its own base sequence and CRC, so a plain and an idempotent run (producer id set,
// sequences advancing as a real idempotent producer's) cost the client the same.

import type { KafkaConnection } from '../broker/client/connection.ts';
import { crc32c } from '../broker/protocol/crc32c.ts';
import { Produce } from '../broker/protocol/messages/produce.ts';
import { buildBatch, OFF } from '../broker/protocol/record-batch.ts';

export type BatchSource = (i: number) => Buffer;

/** Batches of `perBatch` records of `value`; idempotent ones from producer id `producerId`, epoch 0. */
export function batchSource(value: Buffer, perBatch: number, producerId: number | null): BatchSource {
  const template = buildBatch(
    Array.from({ length: perBatch }, () => ({ value })),
    producerId === null ? {} : { producerId, producerEpoch: 0, baseSequence: 0 },
  );
  return (i) => {
    const b = Buffer.from(template);
    if (producerId !== null) b.writeInt32BE((i * perBatch) % 0x7fffffff, OFF.baseSequence);
    b.writeUInt32BE(crc32c(b, OFF.attributes), OFF.crc);
    return b;
  };
}

/** Sends the requests; resolves with the seconds taken. Any error code rejects. */
export async function pipelinedProduce(
  conn: KafkaConnection,
  opts: { topic: string; count: number; acks: number; inFlight: number; next: BatchSource; partition?: (i: number) => number },
  onAcked: (acked: number) => void = () => {},
): Promise<number> {
  const { topic, count, acks, inFlight, next, partition = () => 0 } = opts;
  let sent = 0;
  let acked = 0;
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const pump = () => {
      while (sent < count && sent - acked < inFlight) {
        const index = partition(sent);
        const records = next(sent++);
        conn
          .request(Produce, 9, { acks, timeoutMs: 30000, topicData: [{ name: topic, partitionData: [{ index, records }] }] })
          .then((r) => {
            const code = r.responses[0].partitionResponses[0].errorCode;
            if (code !== 0) return reject(new Error(`produce to ${topic} failed with error ${code}`));
            acked++;
            onAcked(acked);
            if (acked === count) resolve();
            else pump();
          }, reject);
      }
    };
    pump();
  });
  return (performance.now() - t0) / 1000;
}
