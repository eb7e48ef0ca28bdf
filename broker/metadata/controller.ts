// The active controller: runs on the metadata quorum leader (combined controller+broker mode,
// as KRaft). It turns requests into metadata records and proposes them through Raft, one write
// at a time so that each decision sees the state left by the previous one:
// - broker registration (fenced until its first heartbeat), heartbeats, fencing of a broker that
//   misses heartbeats for brokerSessionTimeoutMs, or that is silent for 300 ms while its port
//   refuses connections (a killed process; deviation: Kafka waits out the session), or that
//   asks for it (wantFence with its current broker epoch; the supervisor asks on behalf of a
//   node it saw die, broker/supervisor/death-report.ts), after which
//   its partitions get new leaders from the ISR and it leaves every ISR; unfencing on
//   heartbeat once it has applied its own registration (leaderless partitions whose ISR holds it
//   get it back as leader);
// - replica assignment like Kafka's (round-robin over unfenced brokers with a random start and a
//   staggered shift for the following replicas);
// - AlterPartition (ISR changes proposed by partition leaders, checked against leader and
//   partition epochs, those of one request committed in one write), which also completes a
//   reassignment once its new replicas are in sync;
// - admin changes answered once every live broker has applied them (propagation.ts);
// - elections, leader balance and reassignment (partition-control.ts).
// - a broker whose log dir is offline (BrokerHeartbeat offlineLogDirs) loses its leadership
//   and ISR memberships as if fenced, but stays registered and unfenced (it still serves
//   Metadata and reads); it cannot lead or rejoin an ISR until it registers again (restart);
// A partition whose ISR holds no live broker stays leaderless, unless the topic (or the cluster
// default) sets unclean.leader.election.enable: then a live out-of-sync replica leads.
// Deviations from Kafka: liveness is in memory on the controller only (a new controller grants
// every registered broker half a session); broker epochs are not checked on AlterPartition.
// Every proposed record gets an `at` field (ms since the epoch, the controller's clock) where
// Kafka has the record batch's append timestamp.

import { randomBytes } from 'node:crypto';
import { ErrorCode } from '../protocol/errors.ts';
import { ControllerError } from './controller-error.ts';
import { isError, leaderElection } from './elections.ts';
import { partitionChange, type MetadataRecord, type MetadataState } from './metadata-state.ts';
import {
  DEFAULT_LEADER_BALANCE,
  electionChange,
  liveBrokers,
  PartitionControl,
  uncleanAllowed,
  type LeaderBalance,
} from './partition-control.ts';
import { Propagation } from './propagation.ts';
import type { RaftNode } from './raft.ts';
import { complete } from './reassignment.ts';
import type { BrokerMeta, CreateTopicSpec, PartitionMeta, TopicMeta } from './types.ts';

export { ControllerError, controllerError } from './controller-error.ts';

/** One partition's ISR change asked for by its leader (an AlterPartition entry). */
export interface IsrChange {
  topic: string;
  partition: number;
  leaderEpoch: number;
  partitionEpoch: number;
  isr: number[];
}

export class Controller {
  private queue: Promise<unknown> = Promise.resolve();
  private lastHeartbeat = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private active = false;
  readonly propagation: Propagation;
  readonly partitions: PartitionControl;

  constructor(
    private readonly raft: RaftNode,
    private readonly state: MetadataState,
    private readonly sessionTimeoutMs: number,
    private readonly log: (msg: string) => void,
    /** Connection refusals seen by this node: a broker whose port refuses is gone. */
    private readonly peers?: { refused(nodeId: number, maxAgeMs: number): boolean; alive(nodeId: number): void },
    balance: LeaderBalance = DEFAULT_LEADER_BALANCE,
    /** Records this node has applied and acted on (its broker's partitions open): what its own
     *  progress counts as (propagation.ts). */
    ownApplied: () => number = () => raft.applied,
  ) {
    this.propagation = new Propagation(raft, state, (fn) => this.write(fn), log, ownApplied);
    this.partitions = new PartitionControl(state, (fn) => this.commit(fn), this.propagation, balance, log);
  }

  /** Called on every quorum role change. */
  update(): void {
    const leader = this.raft.isLeader;
    if (leader && !this.active) {
      this.active = true;
      this.lastHeartbeat.clear();
      this.propagation.reset();
      this.timer = setInterval(() => {
        this.checkSessions();
        this.changed();
      }, 100);
      this.partitions.start();
    } else if (!leader && this.active) {
      this.active = false;
      clearInterval(this.timer);
      this.partitions.stop();
      this.changed();
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.partitions.stop();
  }

  /** Runs fn after every earlier write, then proposes its records and waits for them to apply. */
  write<T>(fn: () => { records: MetadataRecord[]; result: T }): Promise<T> {
    return this.commit(fn).then((r) => r.result);
  }

  /** write() that also gives the offset of the last record proposed (-1 for none). */
  commit<T>(fn: () => { records: MetadataRecord[]; result: T }): Promise<{ result: T; offset: number }> {
    const run = async () => {
      // Decide on the whole committed state: a controller elected moments ago may not have
      // applied what its predecessor committed (it would, say, create a topic that exists).
      await this.raft.leaderReady();
      const { records, result } = fn();
      // Each record carries the controller's clock (the console's timeline reads it back).
      const offset = records.length ? await this.raft.propose(records.map((r) => ({ ...r, at: Date.now() }))) : -1;
      return { result, offset };
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => {});
    return p;
  }

  /** Something a waiter may wait for changed (an applied offset, fencing, leadership). */
  changed(): void {
    this.propagation.changed();
  }

  // ------------------------------------------------------------------ brokers

  /** (Re-)registration: a restarted broker is fenced and loses leadership and ISR membership
   *  until its heartbeats unfence it and it catches up, as after a KRaft re-registration. */
  register(broker: BrokerMeta): Promise<number> {
    return this.write(() => ({
      records: [
        { type: 'RegisterBroker', broker, incarnation: randomBytes(8).toString('hex') },
        ...this.fenceChanges(broker.nodeId),
      ],
      result: 0,
    })).then(() => {
      this.lastHeartbeat.set(broker.nodeId, Date.now());
      this.propagation.forget(broker.nodeId);
      return this.state.brokers.get(broker.nodeId)?.epoch ?? -1;
    });
  }

  /**
   * A heartbeat with the offset of the last metadata record the broker has applied (Kafka's
   * currentMetadataOffset). Returns whether the broker is fenced after it: a fenced broker is
   * unfenced once it has applied its own registration. Throws if it is not registered.
   */
  async heartbeat(nodeId: number, metadataOffset: number, offlineLogDirs: readonly string[] = []): Promise<boolean> {
    const b = this.state.brokers.get(nodeId);
    if (!b) throw new ControllerError(ErrorCode.BROKER_ID_NOT_REGISTERED, `broker ${nodeId} is not registered`);
    this.lastHeartbeat.set(nodeId, Date.now());
    this.peers?.alive(nodeId);
    if (offlineLogDirs.length && !b.logDirsOffline) await this.logDirsOffline(nodeId);
    const applied = this.propagation.report(nodeId, metadataOffset);
    if (!b.fenced) return false;
    if (applied <= b.epoch) return true; // not caught up with its registration yet
    await this.write(() => {
      const cur = this.state.brokers.get(nodeId);
      if (!cur || !cur.fenced) return { records: [], result: 0 };
      const records: MetadataRecord[] = [{ type: 'UnfenceBroker', nodeId }];
      const live = liveBrokers(this.state);
      if (!cur.logDirsOffline) live.add(nodeId);
      for (const t of this.state.topics.values()) {
        for (const p of t.partitions) {
          if (p.leader !== -1 || !p.replicas.includes(nodeId)) continue;
          // Leaderless: it leads again if in the ISR, or (unclean, when allowed) if no one is.
          const e = leaderElection(p, live, uncleanAllowed(this.state, t));
          if (isError(e)) continue;
          records.push(electionChange(t, p, e, this.log));
        }
      }
      this.log(`controller: unfencing broker ${nodeId}`);
      return { records, result: 0 };
    });
    return false;
  }

  private checkSessions(): void {
    const now = Date.now();
    for (const b of this.state.brokers.values()) {
      if (b.fenced || b.nodeId === this.raft.nodeId) continue; // the controller's own node is alive
      const last = this.lastHeartbeat.get(b.nodeId);
      if (last === undefined) {
        // A new controller gives every broker half a session: live ones heartbeat it within a
        // few hundred ms (they learn of it from BeginQuorumEpoch), and a broker that died with
        // the old controller is fenced sooner.
        this.lastHeartbeat.set(b.nodeId, now - this.sessionTimeoutMs / 2);
        continue;
      }
      // A voter fetching the metadata log is alive too, even if its heartbeat is held up. One
      // that went silent and whose port refuses connections (the leader re-announces itself to
      // silent voters every 250 ms) is gone: fenced without waiting out the session.
      const silent = now - Math.max(last, this.raft.lastFetchOf(b.nodeId));
      const gone = silent > 300 && (this.peers?.refused(b.nodeId, 1000) ?? false);
      if (silent > this.sessionTimeoutMs || gone) {
        this.lastHeartbeat.set(b.nodeId, now); // do not fence twice while the write is in flight
        this.fence(b.nodeId).catch((e) => this.log(`controller: fencing ${b.nodeId} failed: ${(e as Error).message}`));
      }
    }
  }

  /** Controlled shutdown (BrokerHeartbeat wantShutDown): fenced at once, leadership moved. */
  controlledShutdown(nodeId: number): Promise<void> {
    return this.fence(nodeId);
  }

  /**
   * BrokerHeartbeat wantFence (without wantShutDown): the broker registered with `brokerEpoch`
   * is fenced at once and its leadership moves, as Kafka's controller fences a broker at its
   * request. The epoch is checked when the write runs, so a request about an earlier incarnation
   * (a supervisor's death report arriving after the node restarted and registered again,
   * broker/supervisor/death-report.ts) is STALE_BROKER_EPOCH and fences nothing.
   */
  fenceAtRequest(nodeId: number, brokerEpoch: number): Promise<void> {
    return this.fence(nodeId, brokerEpoch);
  }

  private fence(nodeId: number, brokerEpoch?: number): Promise<void> {
    return this.write(() => {
      const b = this.state.brokers.get(nodeId);
      if (brokerEpoch !== undefined) {
        if (!b) throw new ControllerError(ErrorCode.BROKER_ID_NOT_REGISTERED, `broker ${nodeId} is not registered`);
        if (b.epoch !== brokerEpoch)
          throw new ControllerError(ErrorCode.STALE_BROKER_EPOCH, `broker ${nodeId} has epoch ${b.epoch}, not ${brokerEpoch}`);
      }
      if (!b || b.fenced) return { records: [], result: undefined };
      this.log(`controller: fencing broker ${nodeId}`);
      return { records: [{ type: 'FenceBroker', nodeId }, ...this.fenceChanges(nodeId)], result: undefined };
    });
  }

  /**
   * The broker's log dir failed (BrokerHeartbeat offlineLogDirs), as KRaft's handling of
   * offline directories: its partitions get new leaders from the rest of the ISR, and it leaves
   * every ISR that has another member. Deviation: a partition no other in-sync replica can take
   * keeps this leader (read-only: produce gets KAFKA_STORAGE_ERROR, fetch still works) instead
   * of going offline.
   */
  private logDirsOffline(nodeId: number): Promise<void> {
    return this.write(() => {
      const b = this.state.brokers.get(nodeId);
      if (!b || b.logDirsOffline) return { records: [], result: undefined };
      this.log(`controller: the log dir of broker ${nodeId} is offline: moving its leadership, removing it from the ISRs`);
      return { records: [{ type: 'LogDirsOffline', nodeId }, ...this.fenceChanges(nodeId, true)], result: undefined };
    });
  }

  /**
   * Partition changes when a broker goes away: new leaders from the ISR, ISR without it. With
   * keepSoleLeader a partition without another eligible leader keeps it (and its ISR).
   */
  private fenceChanges(nodeId: number, keepSoleLeader = false): MetadataRecord[] {
    const records: MetadataRecord[] = [];
    const live = liveBrokers(this.state);
    live.delete(nodeId);
    for (const t of this.state.topics.values()) {
      for (const p of t.partitions) {
        if (!p.isr.includes(nodeId) && p.leader !== nodeId) continue;
        const isr = p.isr.filter((r) => r !== nodeId);
        if (p.leader === nodeId) {
          const e = leaderElection({ ...p, leader: -1, isr }, live, uncleanAllowed(this.state, t));
          if (!isError(e)) {
            records.push(electionChange(t, p, e, this.log));
          } else if (keepSoleLeader) {
            continue;
          } else {
            // Without an eligible replica the partition goes leaderless but keeps its last ISR
            // member, so that broker can lead again when it returns.
            records.push(this.change(t, p, { leader: -1, leaderEpoch: p.leaderEpoch + 1, isr: isr.length ? isr : p.isr }));
          }
        } else if (p.leader === -1) {
          continue;
        } else {
          records.push(this.change(t, p, { isr: isr.length ? isr : p.isr }));
        }
      }
    }
    return records;
  }

  private change(t: TopicMeta, p: PartitionMeta, c: Partial<PartitionMeta>): MetadataRecord {
    return partitionChange(t.name, p, c);
  }

  // ------------------------------------------------------------------ topics

  /**
   * Creates a topic and resolves once every live broker shows it. A topic that exists already is
   * TOPIC_ALREADY_EXISTS, answered once it is visible everywhere, so a concurrent create or
   * auto-creation joins the one in flight.
   */
  async createTopic(spec: CreateTopicSpec, deadline: number): Promise<TopicMeta> {
    const { result: created } = await this.commit(() => {
      if (this.state.topics.has(spec.name)) return { records: [], result: false };
      const assignment = spec.assignment ?? this.assign(spec.numPartitions, spec.replicationFactor, 0);
      const topic: TopicMeta = {
        name: spec.name,
        topicId: randomBytes(16).toString('hex'),
        internal: spec.internal ?? false,
        partitions: assignment.map((replicas, partition) => this.newPartition(partition, replicas)),
        configs: { ...spec.configs },
      };
      return { records: [{ type: 'Topic', topic }], result: true };
    });
    await this.propagation.awaitVisible(spec.name, deadline, `Topic '${spec.name}' was created`);
    if (!created) throw new ControllerError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${spec.name}' already exists.`);
    const t = this.state.topics.get(spec.name);
    if (!t) throw new ControllerError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${spec.name}' was deleted meanwhile.`);
    return t;
  }

  private newPartition(partition: number, replicas: number[]): PartitionMeta {
    const live = liveBrokers(this.state);
    const leader = replicas.find((r) => live.has(r)) ?? replicas[0];
    return { partition, leader, leaderEpoch: 0, partitionEpoch: 0, replicas, isr: [...replicas] };
  }

  /** Kafka's rack-unaware assignment: random start, then a staggered shift per round. */
  assign(count: number, rf: number, firstPartition: number): number[][] {
    const brokers = this.state.unfenced().map((b) => b.nodeId);
    const n = brokers.length;
    if (rf > n)
      throw new ControllerError(
        ErrorCode.INVALID_REPLICATION_FACTOR,
        `Replication factor ${rf} larger than available brokers ${n}.`,
      );
    const start = Math.floor(Math.random() * n);
    let shift = Math.floor(Math.random() * n);
    const out: number[][] = [];
    for (let i = 0; i < count; i++) {
      const p = firstPartition + i;
      if (p > 0 && p % n === 0) shift++;
      const first = (p + start) % n;
      const replicas = [brokers[first]];
      for (let j = 0; j < rf - 1; j++) replicas.push(brokers[(first + 1 + ((shift + j) % (n - 1))) % n]);
      out.push(replicas);
    }
    return out;
  }

  async deleteTopic(name: string, deadline: number): Promise<void> {
    const { offset } = await this.commit(() => ({
      records: this.state.topics.has(name) ? [{ type: 'RemoveTopic', name }] : [],
      result: undefined,
    }));
    await this.propagation.awaitApplied(offset, deadline, `Topic '${name}' was deleted`);
  }

  async createPartitions(name: string, total: number, assignment: number[][] | undefined, deadline: number): Promise<void> {
    await this.commit(() => {
      const t = this.state.topics.get(name);
      if (!t) throw new ControllerError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `unknown topic ${name}`);
      const extra = total - t.partitions.length;
      const rf = t.partitions[0]?.replicas.length ?? 1;
      const as = assignment ?? this.assign(extra, rf, t.partitions.length);
      const records: MetadataRecord[] = as.map((replicas, i) => ({
        type: 'Partition',
        topic: name,
        partition: this.newPartition(t.partitions.length + i, replicas),
      }));
      return { records, result: undefined };
    });
    await this.propagation.awaitVisible(name, deadline, `Partitions of '${name}' were created`);
  }

  async alterTopicConfigs(name: string, changes: Record<string, string | null>, deadline: number): Promise<void> {
    const { offset } = await this.commit(() => ({ records: [{ type: 'TopicConfigs', name, changes }], result: undefined }));
    this.configsChanged(changes);
    await this.propagation.awaitApplied(offset, deadline, `Configs of topic '${name}' were changed`);
  }

  async alterBrokerConfigs(changes: Record<string, string | null>, deadline: number): Promise<void> {
    const { offset } = await this.commit(() => ({ records: [{ type: 'BrokerConfigs', changes }], result: undefined }));
    this.configsChanged(changes);
    await this.propagation.awaitApplied(offset, deadline, 'Broker configs were changed');
  }

  /** Security changes (SCRAM credentials, ACLs), built by fn from the state at commit time (so
   *  checks and writes cannot interleave with another change); answered once every live broker
   *  has applied them. `what` names the change in a timeout's message. */
  async alterSecurity<T>(fn: () => { records: MetadataRecord[]; result: T }, deadline: number, what: string): Promise<T> {
    const { offset, result } = await this.commit(fn);
    if (offset >= 0) await this.propagation.awaitApplied(offset, deadline, what);
    return result;
  }

  /** Turning unclean.leader.election.enable on gives leaderless partitions a leader at once. */
  private configsChanged(changes: Record<string, string | null>): void {
    if (changes['unclean.leader.election.enable'] === 'true') void this.partitions.uncleanElections();
  }

  // ------------------------------------------------------------------ partitions

  /** AlterPartition from a partition leader: returns the new state or throws a ControllerError. */
  async alterPartition(
    topic: string,
    partition: number,
    leaderId: number,
    leaderEpoch: number,
    partitionEpoch: number,
    isr: number[],
  ): Promise<PartitionMeta> {
    const [r] = await this.alterPartitions(leaderId, [{ topic, partition, leaderEpoch, partitionEpoch, isr }]);
    if (r instanceof ControllerError) throw r;
    return r;
  }

  /**
   * The ISR changes of one AlterPartition request, as Kafka's controller handles one: every
   * partition checked on its own, the accepted changes proposed together in one write (a leader
   * of 1000 partitions whose follower fell behind shrinks them all in one Raft commit, not in
   * 1000 commits queued one after the other ahead of every other write).
   */
  alterPartitions(leaderId: number, changes: readonly IsrChange[]): Promise<(PartitionMeta | ControllerError)[]> {
    return this.write(() => {
      const live = liveBrokers(this.state);
      const records: MetadataRecord[] = [];
      const seen = new Set<string>();
      const result = changes.map((c) => {
        try {
          // A second change of a partition would be checked against the state before the first.
          const key = `${c.topic}\0${c.partition}`;
          if (seen.has(key)) throw new ControllerError(ErrorCode.INVALID_REQUEST, `${c.topic}-${c.partition} is named twice`);
          seen.add(key);
          const rec = this.isrChange(leaderId, c, live);
          records.push(rec);
          return rec.partition;
        } catch (e) {
          if (e instanceof ControllerError) return e;
          throw e;
        }
      });
      return { records, result };
    });
  }

  private isrChange(
    leaderId: number,
    { topic, partition, leaderEpoch, partitionEpoch, isr }: IsrChange,
    live: Set<number>,
  ): Extract<MetadataRecord, { type: 'Partition' }> {
    const t = this.state.topics.get(topic);
    const p = t?.partitions[partition];
    if (!t || !p) throw new ControllerError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `unknown partition ${topic}-${partition}`);
    if (p.leader !== leaderId)
      throw new ControllerError(ErrorCode.NOT_LEADER_OR_FOLLOWER, `${leaderId} does not lead ${topic}-${partition}`);
    if (leaderEpoch !== p.leaderEpoch)
      throw new ControllerError(ErrorCode.FENCED_LEADER_EPOCH, `leader epoch ${leaderEpoch} is not ${p.leaderEpoch}`);
    if (partitionEpoch !== (p.partitionEpoch ?? 0))
      throw new ControllerError(ErrorCode.INVALID_UPDATE_VERSION, `partition epoch ${partitionEpoch} is not ${p.partitionEpoch ?? 0}`);
    if (!isr.includes(leaderId) || isr.some((r) => !p.replicas.includes(r)))
      throw new ControllerError(ErrorCode.INVALID_REQUEST, `invalid ISR ${JSON.stringify(isr)}`);
    if (isr.some((r) => !p.isr.includes(r) && !live.has(r)))
      throw new ControllerError(ErrorCode.INELIGIBLE_REPLICA, `ISR ${JSON.stringify(isr)} adds a fenced broker`);
    // All the replicas being added are in sync: the reassignment completes with this change.
    const done = complete({ ...p, isr: [...isr] });
    const next: PartitionMeta = done ? { ...p, ...done, leaderEpoch: p.leaderEpoch + 1 } : { ...p, isr: [...isr] };
    if (done) this.log(`controller: reassignment of ${topic}-${partition} to ${JSON.stringify(next.replicas)} complete`);
    return partitionChange(topic, p, next);
  }
}
