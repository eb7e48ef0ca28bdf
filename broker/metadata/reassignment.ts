// Partition reassignment as Kafka's KRaft controller does it (KIP-455), as pure functions of a
// partition: a target replica list starts a reassignment in which the partition's replicas are
// target ++ (original - target), addingReplicas = target - original and removingReplicas =
// original - target. The adding replicas fetch from the leader like any follower and join the
// ISR once caught up (replication/); once all of them are in the ISR, and the ISR without the
// removing replicas is not empty, the reassignment completes: replicas = target, removing
// replicas leave the ISR (and, no longer replicas, drop their logs), and a leader that is being
// removed hands over to the first target replica in the ISR. A null target cancels: the adding
// replicas go away and the original replicas stay. A new target during a reassignment starts
// over from the original replicas.
// Every step bumps the leader epoch, so the leader's follower list and the followers' fetch
// state follow the new replica set. Deviations from Kafka: no replication throttles
// (leader/follower.replication.throttled.replicas); Kafka bumps the leader epoch only when the
// leader changes or replicas leave.

import { ErrorCode } from '../protocol/errors.ts';
import type { PartitionMeta } from './types.ts';

export type Change = Partial<PartitionMeta>;
export type Step = { change: Change } | { error: number; message: string };

export function inProgress(p: PartitionMeta): boolean {
  return !!(p.addingReplicas?.length || p.removingReplicas?.length);
}

/** The replicas before the reassignment in progress (or now, without one). */
export function originalReplicas(p: PartitionMeta): number[] {
  const adding = p.addingReplicas ?? [];
  return p.replicas.filter((r) => !adding.includes(r));
}

export function startReassignment(p: PartitionMeta, target: number[], registered: Set<number>): Step {
  if (target.length === 0) return invalid('The replica list is empty.');
  if (new Set(target).size !== target.length) return invalid(`The replica list ${JSON.stringify(target)} has duplicates.`);
  const unknown = target.find((r) => !registered.has(r));
  if (unknown !== undefined) return invalid(`Broker ${unknown} in ${JSON.stringify(target)} is not registered.`);
  const original = originalReplicas(p);
  const adding = target.filter((r) => !original.includes(r));
  const removing = original.filter((r) => !target.includes(r));
  const started: PartitionMeta = {
    ...p,
    replicas: [...target, ...removing],
    isr: p.isr.filter((r) => !(p.addingReplicas ?? []).includes(r) || target.includes(r)),
    addingReplicas: adding,
    removingReplicas: removing,
  };
  // Nothing to add: done at once if the ISR allows it (a reorder, or replicas only leaving).
  const done = adding.length === 0 ? complete(started) : undefined;
  return { change: done ?? pick(started) };
}

export function cancelReassignment(p: PartitionMeta): Step {
  if (!inProgress(p)) return { error: ErrorCode.NO_REASSIGNMENT_IN_PROGRESS, message: 'No reassignment is in progress.' };
  const adding = p.addingReplicas ?? [];
  const replicas = originalReplicas(p);
  const isr = p.isr.filter((r) => !adding.includes(r));
  return { change: withLeader({ ...p, replicas, isr: isr.length ? isr : p.isr, addingReplicas: [], removingReplicas: [] }) };
}

/** The completing change once every adding replica is in the ISR, else undefined. */
export function complete(p: PartitionMeta): Change | undefined {
  if (!inProgress(p)) return undefined;
  const adding = p.addingReplicas ?? [];
  const removing = p.removingReplicas ?? [];
  if (!adding.every((r) => p.isr.includes(r))) return undefined;
  const isr = p.isr.filter((r) => !removing.includes(r));
  if (isr.length === 0) return undefined;
  const replicas = p.replicas.filter((r) => !removing.includes(r));
  return withLeader({ ...p, replicas, isr, addingReplicas: [], removingReplicas: [] });
}

/** Keeps the leader if it stays a replica in the ISR, else the first replica in the ISR. */
function withLeader(p: PartitionMeta): Change {
  const keep = p.replicas.includes(p.leader) && p.isr.includes(p.leader);
  return { ...pick(p), leader: keep ? p.leader : (p.replicas.find((r) => p.isr.includes(r)) ?? -1) };
}

function pick(p: PartitionMeta): Change {
  return { replicas: p.replicas, isr: p.isr, addingReplicas: p.addingReplicas, removingReplicas: p.removingReplicas };
}

function invalid(message: string): Step {
  return { error: ErrorCode.INVALID_REPLICA_ASSIGNMENT, message };
}
