// Decommissioning a node (`samsa node remove ID`, the console's Remove node): where its replicas
// go, and moving them there through AlterPartitionReassignments as any Kafka admin tool would
// (kafka-reassign-partitions.sh): each target's new replica catches up from the leader, joins
// the ISR, and then the removed node leaves the replica list (metadata/reassignment.ts).
// Placement: every partition hosted on the node keeps its other replicas in their order and
// gets one new replica at the end, on the live broker that holds the fewest replicas so far
// (ties: lowest id), so the replicas spread evenly over the remaining brokers. The first
// target replica (the preferred leader) is therefore always a replica that is already in
// sync, never the removed node: a partition it led hands over to that replica when its
// reassignment completes. Refused, with the reason, when a partition could not keep its
// replication factor on the other live brokers (RF 3 on 3 nodes) or is offline (no leader to
// copy from). Voters are refused by the supervisor itself (Cluster.assertRemovable).
// Deviations from Kafka: Kafka has no single "decommission" command (an operator generates a
// reassignment plan, executes it, then stops and unregisters the broker); here the supervisor
// does all three. The removed broker is not unregistered (no UnregisterBroker): stopped, it is
// fenced and leaves Metadata the same way. Partitions that move are placed by replica count
// only (no racks, no throttles).

import { KafkaConnection, type PlainAuth } from '../client/connection.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { AlterPartitionReassignments } from '../protocol/messages/alter-partition-reassignments.ts';
import { ControlError } from './control-error.ts';

export interface HostedPartition {
  topic: string;
  partition: number;
  /** -1: offline */
  leader: number;
  replicas: number[];
}

export interface Move {
  topic: string;
  partition: number;
  from: number[];
  to: number[];
}

export type Plan = { moves: Move[] } | { refusal: string };

const key = (p: { topic: string; partition: number }) => `${p.topic}\u0000${p.partition}`;

/**
 * Where the replicas on node `id` go, given every partition of the cluster and the brokers that
 * are live now (node `id` may be among them). `skip` leaves out partitions already under way.
 */
export function decommissionPlan(partitions: HostedPartition[], id: number, live: number[], skip = new Set<string>()): Plan {
  const others = [...new Set(live)].filter((b) => b !== id).sort((a, b) => a - b);
  const hosted = partitions
    .filter((p) => p.replicas.includes(id) && !skip.has(key(p)))
    .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  const short = hosted.find((p) => p.replicas.length > others.length);
  if (short) {
    const rf = short.replicas.length;
    const on = others.length ? ` (${others.join(', ')})` : '';
    return {
      refusal:
        `partition ${short.topic}-${short.partition} has ${rf} replicas and only ${others.length} other live broker${others.length === 1 ? '' : 's'}${on} ` +
        `could hold them: removing node ${id} would leave it with fewer replicas than its replication factor; add a node first`,
    };
  }
  const offline = hosted.find((p) => p.leader < 0);
  if (offline)
    return { refusal: `partition ${offline.topic}-${offline.partition} is offline (no leader to copy its data from); bring its replicas back first` };
  const load = new Map(others.map((b) => [b, 0]));
  for (const p of partitions) for (const r of p.replicas) if (load.has(r)) load.set(r, load.get(r)! + 1);
  const moves = hosted.map((p) => {
    const kept = p.replicas.filter((r) => r !== id);
    const target = others.filter((b) => !kept.includes(b)).reduce((best, b) => (load.get(b)! < load.get(best)! ? b : best));
    load.set(target, load.get(target)! + 1);
    return { topic: p.topic, partition: p.partition, from: p.replicas, to: [...kept, target] };
  });
  return { moves };
}

export const moveKey = key;

/** "on4-0 [4,1] → [1,2]": one move as the CLI and the console state it. */
export const moveLine = (m: Move) => `${m.topic}-${m.partition} [${m.from.join(', ')}] → [${m.to.join(', ')}]`;

/** Submits `moves` through AlterPartitionReassignments on a running node (relayed to the controller). */
export async function submitMoves(via: { host: string; port: number }, moves: Move[], timeoutMs: number, auth?: PlainAuth): Promise<void> {
  const byTopic = new Map<string, Move[]>();
  for (const m of moves) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
  const topics = [...byTopic].map(([name, ms]) => ({ name, partitions: ms.map((m) => ({ partitionIndex: m.partition, replicas: m.to })) }));
  const conn = await KafkaConnection.connect(via.host, via.port, 'samsa-supervisor', timeoutMs, auth);
  try {
    const res = await conn.request(AlterPartitionReassignments, 0, { timeoutMs, topics }, timeoutMs + 5000);
    if (res.errorCode !== ErrorCode.NONE)
      throw new ControlError('UNAVAILABLE', `the controller refused the reassignment: ${res.errorMessage ?? `error ${res.errorCode}`}`);
    const failed = res.responses.flatMap((t) => t.partitions.filter((p) => p.errorCode !== ErrorCode.NONE).map((p) => ({ t: t.name, p })));
    if (failed.length)
      throw new ControlError(
        'UNAVAILABLE',
        failed
          .slice(0, 3)
          .map(({ t, p }) => `${t}-${p.partitionIndex}: ${p.errorMessage ?? `error ${p.errorCode}`}`)
          .join('; '),
      );
  } finally {
    conn.close();
  }
}
