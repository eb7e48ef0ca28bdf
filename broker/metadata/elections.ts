// Partition leader choices of the controller, as pure functions of a partition and the live
// (unfenced) brokers, each returning the change to make or an error code (Kafka's rules):
// - preferred: the first replica, if it is live and in the ISR (ElectLeaders type 0 and the
//   automatic leader balancing);
// - clean: the first replica, in replica order, that is live and in the ISR (a leader went away);
// - unclean: when no ISR member is live, the first live replica, which becomes the ISR alone:
//   records the old leader had and it did not are lost (ElectLeaders type 1, or when
//   unclean.leader.election.enable is true for the topic).
// Plus the leader balance check: a broker whose preferred partitions are led elsewhere beyond
// leader.imbalance.per.broker.percentage gets them back.
// Deviation from Kafka: an unclean leader starts serving at once (Kafka's KRaft marks the
// partition RECOVERING first, KIP-704).

import { ErrorCode } from '../protocol/errors.ts';
import type { PartitionMeta } from './types.ts';

export type Election = { leader: number; isr: number[] } | { error: number };

export const isError = (e: Election): e is { error: number } => 'error' in e;

export function preferredElection(p: PartitionMeta, live: Set<number>): Election {
  const preferred = p.replicas[0];
  if (p.leader === preferred) return { error: ErrorCode.ELECTION_NOT_NEEDED };
  if (!p.isr.includes(preferred) || !live.has(preferred)) return { error: ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE };
  return { leader: preferred, isr: p.isr };
}

/** A leader from the ISR, else (when `unclean`) from any live replica; ELECTION_NOT_NEEDED when the leader is live. */
export function leaderElection(p: PartitionMeta, live: Set<number>, unclean: boolean): Election {
  if (p.leader >= 0 && live.has(p.leader)) return { error: ErrorCode.ELECTION_NOT_NEEDED };
  const clean = p.replicas.find((r) => p.isr.includes(r) && live.has(r));
  if (clean !== undefined) return { leader: clean, isr: p.isr };
  const any = unclean ? p.replicas.find((r) => live.has(r)) : undefined;
  if (any !== undefined) return { leader: any, isr: [any] };
  return { error: ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE };
}

/**
 * Partitions to give back to their preferred leaders: for each live broker whose preferred
 * partitions are led by another broker more often than `percentage` percent, those of them it
 * can lead now (live and in the ISR). Partitions being reassigned are left alone, as in Kafka.
 */
export function imbalanced<P extends { p: PartitionMeta }>(parts: P[], live: Set<number>, percentage: number): P[] {
  const byBroker = new Map<number, { total: number; off: P[] }>();
  for (const x of parts) {
    const preferred = x.p.replicas[0];
    if (!live.has(preferred) || x.p.addingReplicas?.length || x.p.removingReplicas?.length) continue;
    let b = byBroker.get(preferred);
    if (!b) byBroker.set(preferred, (b = { total: 0, off: [] }));
    b.total++;
    if (x.p.leader !== preferred) b.off.push(x);
  }
  const out: P[] = [];
  for (const b of byBroker.values())
    if ((b.off.length / b.total) * 100 > percentage) out.push(...b.off.filter((x) => x.p.isr.includes(x.p.replicas[0])));
  return out;
}
