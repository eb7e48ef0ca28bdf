// The controller's leadership and placement work beyond fencing (controller.ts): ElectLeaders
// (preferred and unclean), the automatic leader balance (auto.leader.rebalance.enable every
// leader.imbalance.check.interval.seconds, by leader.imbalance.per.broker.percentage), unclean
// elections of leaderless partitions when unclean.leader.election.enable allows them, and
// partition reassignment (reassignment.ts). Every change is a partition record with a new
// leader epoch, and admin calls resolve once every live broker has applied it (propagation.ts).
// Deviation from Kafka: leader.imbalance.per.broker.percentage is honoured as by Kafka's
// ZooKeeper-era controller (KRaft's balances any partition off its preferred leader).

import { ErrorCode } from '../protocol/errors.ts';
import { imbalanced, isError, leaderElection, preferredElection, type Election } from './elections.ts';
import { partitionChange, type MetadataRecord, type MetadataState } from './metadata-state.ts';
import type { Propagation } from './propagation.ts';
import { cancelReassignment, inProgress, startReassignment } from './reassignment.ts';
import { effectiveConfig } from './topic-configs.ts';
import type { PartitionMeta, TopicMeta } from './types.ts';

export interface LeaderBalance {
  /** auto.leader.rebalance.enable */
  enabled: boolean;
  /** leader.imbalance.check.interval.seconds, in ms */
  intervalMs: number;
  /** leader.imbalance.per.broker.percentage */
  perBrokerPercentage: number;
}

export const DEFAULT_LEADER_BALANCE: LeaderBalance = { enabled: true, intervalMs: 300_000, perBrokerPercentage: 10 };

type Commit = <T>(fn: () => { records: MetadataRecord[]; result: T }) => Promise<{ result: T; offset: number }>;

export interface PartitionResult {
  partitionIndex: number;
  errorCode: number;
  errorMessage: string | null;
}

export function uncleanAllowed(state: MetadataState, t: TopicMeta): boolean {
  return effectiveConfig(t.configs, state.brokerConfigs)('unclean.leader.election.enable') === 'true';
}

/** Brokers that may lead or join an ISR: unfenced, with their log dir online. */
export function liveBrokers(state: MetadataState): Set<number> {
  return new Set(
    state
      .unfenced()
      .filter((b) => !b.logDirsOffline)
      .map((b) => b.nodeId),
  );
}

/** The record that makes an election's outcome the partition's leadership (an unclean one is logged). */
export function electionChange(
  t: TopicMeta,
  p: PartitionMeta,
  e: { leader: number; isr: number[] },
  log: (msg: string) => void,
): MetadataRecord {
  if (!p.isr.includes(e.leader)) log(`controller: unclean election of ${t.name}-${p.partition}: leader ${e.leader}`);
  return partitionChange(t.name, p, { leader: e.leader, isr: e.isr, leaderEpoch: p.leaderEpoch + 1 });
}

export class PartitionControl {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly state: MetadataState,
    private readonly commit: Commit,
    private readonly propagation: Propagation,
    private readonly balance: LeaderBalance,
    private readonly log: (msg: string) => void,
  ) {}

  /** This node became the active controller. */
  start(): void {
    if (this.balance.enabled) {
      this.timer = setInterval(() => void this.balanceLeaders(), this.balance.intervalMs);
      this.timer.unref();
    }
    void this.uncleanElections();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** ElectLeaders: type 0 preferred, 1 unclean; null partitions means all of them. */
  async electLeaders(
    type: number,
    wanted: { topic: string; partitions: number[] }[] | null,
    deadline: number,
  ): Promise<{ topic: string; partitions: PartitionResult[] }[]> {
    const all = wanted === null;
    const { result, offset } = await this.commit(() => {
      const live = liveBrokers(this.state);
      const records: MetadataRecord[] = [];
      const asked = wanted ?? [...this.state.topics.values()].map((t) => ({ topic: t.name, partitions: t.partitions.map((p) => p.partition) }));
      const result = asked.map(({ topic, partitions }) => {
        const t = this.state.topics.get(topic);
        const out: PartitionResult[] = [];
        for (const i of partitions) {
          const p = t?.partitions[i];
          let e: Election;
          if (!t || !p) e = { error: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
          else if (type === 0) e = preferredElection(p, live);
          else if (type === 1) e = leaderElection(p, live, true);
          else e = { error: ErrorCode.INVALID_REQUEST };
          if (!isError(e)) records.push(electionChange(t!, p!, e, this.log));
          const errorCode = isError(e) ? e.error : ErrorCode.NONE;
          // Electing everything, Kafka leaves out the partitions that already have their leader.
          if (!(all && errorCode === ErrorCode.ELECTION_NOT_NEEDED)) out.push({ partitionIndex: i, errorCode, errorMessage: null });
        }
        return { topic, partitions: out };
      });
      return { records, result: result.filter((r) => r.partitions.length) };
    });
    await this.propagation.awaitApplied(offset, deadline, 'The leaders were elected');
    return result;
  }

  /** auto.leader.rebalance.enable: preferred leaders take back what they lead too little of. */
  async balanceLeaders(): Promise<void> {
    await this.commit(() => {
      const live = liveBrokers(this.state);
      const parts = [...this.state.topics.values()].flatMap((t) => t.partitions.map((p) => ({ t, p })));
      const records = imbalanced(parts, live, this.balance.perBrokerPercentage).map(({ t, p }) =>
        electionChange(t, p, { leader: p.replicas[0], isr: p.isr }, this.log),
      );
      if (records.length) this.log(`controller: moving ${records.length} partition(s) back to their preferred leaders`);
      return { records, result: undefined };
    }).catch((e: Error) => this.log(`controller: leader balance failed: ${e.message}`));
  }

  /** Leaderless partitions of topics that allow it get a live out-of-sync replica as leader. */
  async uncleanElections(): Promise<void> {
    await this.commit(() => {
      const live = liveBrokers(this.state);
      const records: MetadataRecord[] = [];
      for (const t of this.state.topics.values()) {
        if (!uncleanAllowed(this.state, t)) continue;
        for (const p of t.partitions) {
          if (p.leader >= 0 && live.has(p.leader)) continue;
          const e = leaderElection(p, live, true);
          if (isError(e)) continue;
          records.push(electionChange(t, p, e, this.log));
        }
      }
      return { records, result: undefined };
    }).catch((e: Error) => this.log(`controller: unclean elections failed: ${e.message}`));
  }

  /** AlterPartitionReassignments: start (or replace) or, with null replicas, cancel. */
  async reassign(
    topics: { name: string; partitions: { partitionIndex: number; replicas: number[] | null }[] }[],
    deadline: number,
  ): Promise<{ name: string; partitions: PartitionResult[] }[]> {
    const { result, offset } = await this.commit(() => {
      const registered = new Set(this.state.brokers.keys());
      const records: MetadataRecord[] = [];
      const result = topics.map(({ name, partitions }) => {
        const t = this.state.topics.get(name);
        return {
          name,
          partitions: partitions.map(({ partitionIndex, replicas }): PartitionResult => {
            const p = t?.partitions[partitionIndex];
            if (!t || !p)
              return { partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Unknown partition ${name}-${partitionIndex}.` };
            const step = replicas === null ? cancelReassignment(p) : startReassignment(p, replicas, registered);
            if ('error' in step) return { partitionIndex, errorCode: step.error, errorMessage: step.message };
            const same = JSON.stringify(step.change.replicas) === JSON.stringify(p.replicas) && !inProgress(p);
            if (!same) {
              const leader = step.change.leader ?? p.leader;
              records.push(partitionChange(name, p, { ...step.change, leader, leaderEpoch: p.leaderEpoch + 1 }));
              this.log(`controller: reassigning ${name}-${partitionIndex} to ${JSON.stringify(replicas)}`);
            }
            return { partitionIndex, errorCode: ErrorCode.NONE, errorMessage: null };
          }),
        };
      });
      return { records, result };
    });
    await this.propagation.awaitApplied(offset, deadline, 'The reassignment was recorded');
    return result;
  }

  /** ListPartitionReassignments: the partitions with a reassignment in progress. */
  listReassignments(wanted: { name: string; partitionIndexes: number[] }[] | null) {
    const asked = wanted ?? [...this.state.topics.values()].map((t) => ({ name: t.name, partitionIndexes: t.partitions.map((p) => p.partition) }));
    return asked
      .map(({ name, partitionIndexes }) => ({
        name,
        partitions: partitionIndexes
          .map((i) => this.state.topics.get(name)?.partitions[i])
          .filter((p): p is PartitionMeta => !!p && inProgress(p))
          .map((p) => ({
            partitionIndex: p.partition,
            replicas: p.replicas,
            addingReplicas: p.addingReplicas ?? [],
            removingReplicas: p.removingReplicas ?? [],
          })),
      }))
      .filter((t) => t.partitions.length);
  }
}
