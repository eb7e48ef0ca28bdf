// Partition reassignment from the console, as kafka-reassign-partitions.sh does it:
// AlterPartitionReassignments (key 45) with an ordered replica list per partition (the first is
// the preferred leader; null cancels a reassignment in progress), and ListPartitionReassignments
// (key 46) for the ones in progress. Both go through the client library's connections, so they
// work on any Kafka cluster, SASL included.
import { z } from 'zod';
import type { ReassignRequest, ReassignResponse, Reassignments } from '../contract/index.ts';
import { request } from './broker-calls.ts';
import { errorName } from './cluster-metadata.ts';
import type { KafkaConnection } from './connection.ts';
import { ConsoleError } from './errors.ts';

const TIMEOUT_MS = 30_000;

/** One retry on a lost connection (a pooled connection closed under us): both requests are
 *  idempotent, a reassignment to the replica set it already has changes nothing. */
async function once<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch {
    return f();
  }
}

const AlterSchema = z.object({
  errorCode: z.number(),
  errorMessage: z.string().nullable(),
  responses: z.array(
    z.object({ name: z.string(), partitions: z.array(z.object({ partitionIndex: z.number(), errorCode: z.number(), errorMessage: z.string().nullable() })) }),
  ),
});

const ListSchema = z.object({
  errorCode: z.number(),
  errorMessage: z.string().nullable(),
  topics: z.array(
    z.object({
      name: z.string(),
      partitions: z.array(
        z.object({ partitionIndex: z.number(), replicas: z.array(z.number()), addingReplicas: z.array(z.number()), removingReplicas: z.array(z.number()) }),
      ),
    }),
  ),
});

const byTopic = <T extends { topic: string; partition: number }>(ps: T[]) => {
  const m = new Map<string, T[]>();
  for (const p of ps) m.set(p.topic, [...(m.get(p.topic) ?? []), p]);
  return [...m];
};

function topLevel(what: string, r: { errorCode: number; errorMessage: string | null }): void {
  if (r.errorCode !== 0) throw new ConsoleError(errorName(r.errorCode) ?? 'UNKNOWN', `${what} failed: ${r.errorMessage ?? errorName(r.errorCode)}`, 502);
}

export async function reassignPartitions(conn: KafkaConnection, body: ReassignRequest): Promise<ReassignResponse> {
  const topics = byTopic(body.partitions).map(([name, ps]) => ({ name, partitions: ps.map((p) => ({ partitionIndex: p.partition, replicas: p.replicas })) }));
  const res = await once(() => request(conn.admin, null, 'AlterPartitionReassignments', [TIMEOUT_MS, false, topics], AlterSchema));
  topLevel('AlterPartitionReassignments', res);
  return {
    results: res.responses.flatMap((t) =>
      t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, code: errorName(p.errorCode) ?? 'NONE', message: p.errorMessage })),
    ),
  };
}

/** The reassignments in progress among `partitions`. */
export async function listReassignments(conn: KafkaConnection, partitions: { topic: string; partition: number }[]): Promise<Reassignments> {
  const topics = byTopic(partitions).map(([name, ps]) => ({ name, partitionIndexes: ps.map((p) => p.partition) }));
  const res = await once(() => request(conn.admin, null, 'ListPartitionReassignments', [TIMEOUT_MS, topics], ListSchema));
  topLevel('ListPartitionReassignments', res);
  return {
    reassignments: res.topics.flatMap((t) =>
      t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, replicas: p.replicas, adding: p.addingReplicas, removing: p.removingReplicas })),
    ),
  };
}
