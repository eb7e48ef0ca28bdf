// Pipelined Produce for the benchmarks: `count` requests on one connection with `inFlight`
// outstanding at a time, each the next one sent as soon as one is acknowledged. Rejects on the
// first error code.

import type { KafkaConnection } from '../broker/client/connection.ts';
import { Produce } from '../broker/protocol/messages/produce.ts';
import type { RequestOutOf } from '../broker/protocol/schema.ts';

export function pipelinedProduce(
  conn: KafkaConnection,
  body: RequestOutOf<typeof Produce>,
  count: number,
  inFlight: number,
  onAck: (acked: number) => void = () => {},
): Promise<void> {
  let sent = 0;
  let acked = 0;
  return new Promise<void>((resolve, reject) => {
    const pump = () => {
      while (sent < count && sent - acked < inFlight) {
        sent++;
        conn.request(Produce, 9, body).then((r) => {
          const code = r.responses[0].partitionResponses[0].errorCode;
          if (code !== 0) return reject(new Error(`produce failed with error ${code}`));
          acked++;
          onAck(acked);
          if (acked === count) resolve();
          else pump();
        }, reject);
      }
    };
    if (count === 0) resolve();
    else pump();
  });
}
