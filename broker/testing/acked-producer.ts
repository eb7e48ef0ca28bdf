// confluent-kafka's acked_producer.py (clients/) run until the test stops it: every value the
// cluster acknowledged (acks=all), with when the acknowledgement arrived. Used by the failover
// and storage-failure tests.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestCluster } from './cluster.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface Ack {
  v: string;
  t: number;
}

/** A producer the test stops once its disruptions are done (a fixed duration can run out under load). */
export interface RunningProducer {
  acks: Ack[];
  /** Stops sending; resolves once every outstanding send was acknowledged or given up. */
  stop: () => Promise<void>;
}

/** `py`: the python3 with confluent_kafka (kafkaPython()); `rate`: sends per second. */
export function ackedProducer(py: string, tc: TestCluster, topic: string, idempotent: boolean, rate = 1000): RunningProducer {
  const args = [path.join(here, 'clients/acked_producer.py'), tc.bootstrap, topic, 'stdin', String(rate)];
  const producer = spawn(py, idempotent ? [...args, 'idempotent'] : args);
  const acks: Ack[] = [];
  let buf = '';
  producer.stdout.on('data', (d) => {
    buf += d;
    const lines = buf.split('\n');
    buf = lines.pop()!;
    const t = Date.now();
    for (const v of lines) if (v) acks.push({ v, t });
  });
  producer.stderr.on('data', () => {});
  const done = new Promise<void>((r) => producer.on('close', () => r()));
  return {
    acks,
    stop: () => {
      producer.stdin.end();
      return done;
    },
  };
}
