// MetadataStore backed by the Raft metadata quorum (combined controller+broker mode, as KRaft):
// every node of --voters is a voter; a node not listed (added to a running cluster) is an
// observer, a broker only (raft.ts). --voters names the voters' controller listeners: Raft
// traffic, registration, heartbeats and forwarded writes go there (`peers`); replication goes
// to the brokers' registered listeners (`brokerPeers`). Every node applies the committed metadata log to a
// MetadataState and serves reads from it. Writes go to the active controller (the Raft leader): locally when this node leads,
// otherwise forwarded over the Kafka protocol with the admin APIs the leader serves anyway
// (CreateTopics, DeleteTopics, CreatePartitions, IncrementalAlterConfigs); the controller
// answers once every live broker has applied the change (controller.ts), and the call resolves
// once it is applied here too, so callers see their own writes on every node.
// The node registers itself (BrokerRegistration) with every new controller and heartbeats
// (BrokerHeartbeat) every heartbeatMs and right after applying metadata records, reporting the
// offset it has applied and acted on (currentMetadataOffset: the broker may open a new topic's
// logs over several turns, see Broker.reconcile) so the controller knows what it knows; Metadata lists registered unfenced brokers and
// controllerId = the Raft leader (-1 while there is none).
// Deviations from Kafka: no Envelope forwarding (the admin request itself is forwarded), the
// cluster id is given on the command line (persisted by the supervisor and in meta.properties)
// instead of `kafka-storage format`; the voter set is static (no KIP-853 dynamic voters): nodes
// added later stay observers and cannot become controller.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ClientTls, PlainAuth } from '../client/connection.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { AlterPartition } from '../protocol/messages/alter-partition.ts';
import { BrokerHeartbeat } from '../protocol/messages/broker-heartbeat.ts';
import { BrokerRegistration } from '../protocol/messages/broker-registration.ts';
import { CreatePartitions } from '../protocol/messages/create-partitions.ts';
import { CreateTopics } from '../protocol/messages/create-topics.ts';
import { DeleteTopics } from '../protocol/messages/delete-topics.ts';
import { IncrementalAlterConfigs } from '../protocol/messages/incremental-alter-configs.ts';
import { Controller, ControllerError, type IsrChange } from './controller.ts';
import { MetadataChange } from './metadata-change.ts';
import { MetadataState, type MetadataRecord } from './metadata-state.ts';
import { Peers, type Endpoint } from './peers.ts';
import type { LeaderBalance } from './partition-control.ts';
import { NotLeaderError, RaftNode } from './raft.ts';
import { RaftStore } from './raft-store.ts';
import { KafkaRaftTransport } from './raft-transport.ts';
import type { ApiSchema, DecodedResponseOf, RequestOf, RequestOutOf, ResponseOf } from '../protocol/schema.ts';
import { ADMIN_TIMEOUT_MS, type BrokerMeta, type ChangeListener, type CreateTopicSpec, type MetadataStore, type PartitionMeta, type TopicMeta } from './types.ts';
import { isFullyVisible } from './visibility.ts';

export interface QuorumConfig {
  voters: Map<number, Endpoint>;
  clusterId: string;
  electionTimeoutMinMs: number;
  electionTimeoutMaxMs: number;
  heartbeatMs: number;
  sessionTimeoutMs: number;
  snapshotEvery: number;
  /** auto.leader.rebalance.enable and friends (partition-control.ts). */
  leaderBalance: LeaderBalance;
  /** How this node logs in to the others' SASL listeners: the broker listeners (replication,
   *  transaction markers) and the controller listeners (docs/decisions/0015, 0017). */
  peerAuth?: PlainAuth;
  /** The CA this node trusts when it dials the others' TLS broker listeners (docs/decisions/0016). */
  peerTls?: ClientTls;
}

/** Parses `1@127.0.0.1:9092,2@127.0.0.1:9093` (Kafka's controller.quorum.voters syntax). */
export function parseVoters(s: string): Map<number, Endpoint> {
  const out = new Map<number, Endpoint>();
  for (const part of s.split(',').filter(Boolean)) {
    const m = /^(\d+)@(.+):(\d+)$/.exec(part.trim());
    if (!m) throw new Error(`bad voter '${part}': expected id@host:port`);
    out.set(Number(m[1]), { host: m[2], port: Number(m[3]) });
  }
  if (out.size === 0) throw new Error('--voters is empty');
  return out;
}

export class RaftMetadata implements MetadataStore {
  readonly state = new MetadataState();
  readonly raft: RaftNode;
  readonly controller: Controller;
  /** Connections to the voters' controller listeners (Raft, registration, forwarded admin). */
  readonly peers: Peers;
  /** Connections to the brokers' listeners, where replicas fetch. */
  readonly brokerPeers: Peers;
  private listeners: ChangeListener[] = [];
  /**
   * Records applied here that every listener has acted on (a count, as raft.applied): what the
   * heartbeats report, so the controller counts this node as having applied a change, and makes
   * new partitions visible, only once the broker has opened them.
   */
  private actedOn = 0;
  /** The listeners' work still running, in order (actOn). */
  private acting: Promise<void> | undefined;
  private registered = false; // registered in this process's lifetime
  /** This process's broker epoch (the offset of its registration record); -1 until registered. */
  brokerEpoch = -1;
  private registeredListeners: ((brokerEpoch: number) => void)[] = [];
  private heartbeatTimer: NodeJS.Timeout | undefined;
  /** Controller a heartbeat is in flight to (a new controller does not wait for it). */
  private heartbeatingTo = -1;
  /** Another heartbeat is due as soon as the one in flight returns (newer applied offset). */
  private heartbeatAgain = false;
  private reportPending = false;
  /** This node's offline log dirs, sent with every heartbeat (BrokerHeartbeat v1 offlineLogDirs). */
  private offlineLogDirs: string[] = [];
  /** What the records applied since the last emit changed. */
  private touched = new MetadataChange();
  private flushPending = false;
  /** ISR changes waiting to go to the controller in one AlterPartition (sendIsrChanges). */
  private isrChanges: {
    topic: string;
    p: PartitionMeta;
    isr: number[];
    resolve: (p: PartitionMeta) => void;
    reject: (e: Error) => void;
  }[] = [];
  readonly clusterId: string;

  constructor(
    dataDir: string,
    private readonly self: BrokerMeta,
    private readonly q: QuorumConfig,
    private readonly log: (msg: string) => void = () => {},
  ) {
    this.clusterId = persistClusterId(dataDir, self.nodeId, q.clusterId);
    // The controller listeners are loopback without TLS; with SASL they require the inter-broker
    // login too (docs/decisions/0017).
    this.peers = new Peers(self.nodeId, (id) => q.voters.get(id), q.peerAuth);
    this.brokerPeers = new Peers(self.nodeId, (id) => this.state.brokers.get(id), q.peerAuth, q.peerTls);
    const store = new RaftStore(path.join(dataDir, '__cluster_metadata'));
    importLocalMetadata(dataDir, store);
    this.raft = new RaftNode(
      {
        nodeId: self.nodeId,
        voters: [...q.voters.keys()].sort((a, b) => a - b),
        electionTimeoutMinMs: q.electionTimeoutMinMs,
        electionTimeoutMaxMs: q.electionTimeoutMaxMs,
        snapshotEvery: q.snapshotEvery,
        log,
      },
      store,
      new KafkaRaftTransport(this.peers, this.clusterId),
      {
        apply: (e) => this.applyRecord(e.record as MetadataRecord, e.offset),
        restore: (data) => {
          this.state.restore(data);
          this.touched.everything();
          this.flushSoon();
        },
        snapshot: () => this.state.snapshot(),
      },
    );
    this.controller = new Controller(this.raft, this.state, q.sessionTimeoutMs, log, this.peers, q.leaderBalance, () => this.actedOn);
    this.raft.onLeaderChange(() => {
      this.controller.update();
      this.actOn(this.emit(new MetadataChange()), this.actedOn);
      // Meet a new controller at once: registration and unfencing should not wait a beat.
      if (this.controllerId >= 0 && this.heartbeatTimer) setImmediate(() => void this.heartbeat());
    });
  }

  start(): void {
    this.raft.start();
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), this.q.heartbeatMs);
    void this.heartbeat();
  }

  async stop(): Promise<void> {
    clearInterval(this.heartbeatTimer);
    await Promise.race([this.controlledShutdown().catch(() => {}), sleep(1000)]);
    await this.raft.resign().catch(() => {});
    this.controller.stop();
    this.raft.stop();
    this.peers.close();
    this.brokerPeers.close();
    await this.raft.store.flushed();
  }

  private applyRecord(r: MetadataRecord, offset: number): void {
    this.state.apply(r, offset, this.touched);
    if (r.type === 'LeaderChange') return;
    this.flushSoon();
  }

  /**
   * Listeners run once per batch of records committed together (a broker's fencing moves
   * hundreds of partitions), with what the batch changed: in a microtask, before any other I/O
   * callback sees the state.
   */
  private flushSoon(): void {
    if (this.flushPending) return;
    this.flushPending = true;
    queueMicrotask(() => {
      this.flushPending = false;
      const changed = this.touched;
      this.touched = new MetadataChange();
      const upTo = this.raft.applied;
      this.actOn(this.emit(changed), upTo);
    });
  }

  /** Once `work` (and the work before it) is done, the records below upTo count as acted on. */
  private actOn(work: Promise<void>[], upTo: number): void {
    if (!work.length && !this.acting) {
      this.actedOn = Math.max(this.actedOn, upTo);
      this.reportApplied();
      return;
    }
    const failed = (e: Error) => this.log(`metadata: acting on a change failed: ${e.stack ?? e}`);
    const done: Promise<void> = Promise.all([this.acting, ...work.map((w) => w.catch(failed))]).then(() => {
      this.actedOn = Math.max(this.actedOn, upTo);
      if (this.acting === done) this.acting = undefined;
      this.reportApplied();
    });
    this.acting = done;
  }

  /**
   * Tells the controller what this node has applied, once the records committed together are
   * all applied and acted on (actedOn: a partition this node now leads has its leader replica
   * open, with its role, by then).
   */
  private reportApplied(): void {
    if (this.reportPending) return;
    this.reportPending = true;
    setImmediate(() => {
      this.reportPending = false;
      this.controller.changed(); // wakes its waiters even when this node no longer leads
      if (!this.raft.isLeader && this.heartbeatTimer) void this.heartbeat();
    });
  }

  /** Runs the listeners; returns the work they left running. */
  private emit(change: MetadataChange): Promise<void>[] {
    const work: Promise<void>[] = [];
    for (const fn of this.listeners) {
      const w = fn(change);
      if (w) work.push(w);
    }
    return work;
  }

  // ------------------------------------------------------------------ reads

  get controllerId(): number {
    return this.raft.role === 'candidate' ? -1 : this.raft.leaderId;
  }
  brokers(): BrokerMeta[] {
    return this.state.unfenced().map(({ nodeId, host, port, rack }) => ({ nodeId, host, port, rack }));
  }
  /** The broker listener of a registered broker, fenced or not (replica endpoints). */
  endpoint(nodeId: number): Endpoint | undefined {
    return this.state.brokers.get(nodeId);
  }
  /** The controller listener of a voter (--voters). */
  controllerEndpoint(nodeId: number): Endpoint | undefined {
    return this.q.voters.get(nodeId);
  }
  topics(): TopicMeta[] {
    return [...this.state.topics.values()];
  }
  topic(name: string): TopicMeta | undefined {
    return this.state.topics.get(name);
  }
  topicById(id: string): TopicMeta | undefined {
    return this.state.topicById(id);
  }
  brokerConfigs(): Record<string, string> {
    return this.state.brokerConfigs;
  }
  onChange(fn: ChangeListener): void {
    this.listeners.push(fn);
  }

  /** Waits (up to timeoutMs) until this node has replayed the committed metadata after a start. */
  async waitCaughtUp(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.raft.caughtUp && Date.now() < deadline) await sleep(20);
  }

  // ------------------------------------------------------------------ writes

  /** The current leader id, waiting up to timeoutMs for one to be elected. */
  private async leader(timeoutMs = 5000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const l = this.controllerId;
      if (l >= 0) return l;
      if (Date.now() > deadline) throw new ControllerError(ErrorCode.NOT_CONTROLLER, 'no metadata quorum leader');
      await sleep(25);
    }
  }

  private async until(cond: () => boolean, deadline = Date.now() + 5000): Promise<void> {
    while (!cond()) {
      if (Date.now() > deadline)
        throw new ControllerError(ErrorCode.REQUEST_TIMED_OUT, 'metadata change not seen in time');
      await sleep(10);
    }
  }

  /**
   * Runs `local` on the controller, or `remote` against the controller node; retries (up to 3
   * times) when the controller moved or could not be reached. Always fails with a ControllerError.
   */
  private async toController<T>(local: () => Promise<T>, remote: (leader: number) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const leader = await this.leader();
      try {
        if (leader === this.self.nodeId) return await local();
        return await remote(leader);
      } catch (e) {
        const err =
          e instanceof ControllerError
            ? e
            : e instanceof NotLeaderError
              ? new ControllerError(ErrorCode.NOT_CONTROLLER, e.message)
              : // A connection to the controller failed or timed out: it may have gone.
                new ControllerError(ErrorCode.REQUEST_TIMED_OUT, `controller ${leader}: ${(e as Error).message}`);
        const moved = !(e instanceof ControllerError) || e.code === ErrorCode.NOT_CONTROLLER;
        if (!moved || attempt >= 3) throw err;
        await sleep(100);
      }
    }
  }

  async createTopic(spec: CreateTopicSpec, timeoutMs = ADMIN_TIMEOUT_MS): Promise<TopicMeta> {
    const deadline = Date.now() + timeoutMs;
    return this.toController(
      () => this.controller.createTopic(spec, deadline),
      async (leader) => {
        const res = await this.forward(leader, CreateTopics, 7, deadline, (ms) => ({
          topics: [
            {
              name: spec.name,
              numPartitions: spec.assignment ? -1 : spec.numPartitions,
              replicationFactor: spec.assignment ? -1 : spec.replicationFactor,
              assignments: (spec.assignment ?? []).map((brokerIds, partitionIndex) => ({ partitionIndex, brokerIds })),
              configs: Object.entries(spec.configs).map(([name, value]) => ({ name, value })),
            },
          ],
          timeoutMs: ms,
          validateOnly: false,
        }));
        const t = res.topics[0];
        throwIfError(t, 'CreateTopics');
        await this.until(() => this.state.topics.get(spec.name)?.topicId === t.topicId, deadline);
        return this.state.topics.get(spec.name)!;
      },
    );
  }

  async deleteTopic(name: string, timeoutMs = ADMIN_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await this.toController(
      () => this.controller.deleteTopic(name, deadline),
      async (leader) => {
        const res = await this.forward(leader, DeleteTopics, 5, deadline, (ms) => ({ topicNames: [name], timeoutMs: ms }));
        throwIfError(res.responses[0], 'DeleteTopics');
        await this.until(() => !this.state.topics.has(name), deadline);
      },
    );
  }

  async createPartitions(
    name: string,
    totalCount: number,
    assignment?: number[][],
    timeoutMs = ADMIN_TIMEOUT_MS,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await this.toController(
      () => this.controller.createPartitions(name, totalCount, assignment, deadline),
      async (leader) => {
        const res = await this.forward(leader, CreatePartitions, 1, deadline, (ms) => ({
          topics: [
            { name, count: totalCount, assignments: assignment ? assignment.map((brokerIds) => ({ brokerIds })) : null },
          ],
          timeoutMs: ms,
          validateOnly: false,
        }));
        throwIfError(res.results[0], 'CreatePartitions');
        await this.until(() => (this.state.topics.get(name)?.partitions.length ?? 0) >= totalCount, deadline);
      },
    );
  }

  alterTopicConfigs(name: string, changes: Record<string, string | null>, timeoutMs = ADMIN_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    return this.alterConfigs(
      2,
      name,
      changes,
      deadline,
      () => this.controller.alterTopicConfigs(name, changes, deadline),
      () => this.state.topics.get(name)?.configs ?? {},
    );
  }

  alterBrokerConfigs(changes: Record<string, string | null>, timeoutMs = ADMIN_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    return this.alterConfigs(
      4,
      '',
      changes,
      deadline,
      () => this.controller.alterBrokerConfigs(changes, deadline),
      () => this.state.brokerConfigs,
    );
  }

  private async alterConfigs(
    resourceType: number,
    resourceName: string,
    changes: Record<string, string | null>,
    deadline: number,
    local: () => Promise<void>,
    current: () => Record<string, string>,
  ): Promise<void> {
    await this.toController(local, async (leader) => {
      // IncrementalAlterConfigs has no timeout field: the controller takes its default.
      const res = await this.forward(leader, IncrementalAlterConfigs, 0, deadline, () => ({
        resources: [
          {
            resourceType,
            resourceName,
            configs: Object.entries(changes).map(([name, value]) => ({
              name,
              configOperation: value === null ? 1 : 0,
              value,
            })),
          },
        ],
        validateOnly: false,
      }));
      throwIfError(res.responses[0], 'IncrementalAlterConfigs');
      await this.until(
        () => Object.entries(changes).every(([k, v]) => (v === null ? !(k in current()) : current()[k] === v)),
        deadline,
      );
    });
  }

  /**
   * An admin request served by the controller: `local` when this node is it, else relayed there
   * as is (and retried when the controller moves), its answer passed back.
   */
  onController<A extends ApiSchema>(
    schema: A,
    version: number,
    request: RequestOutOf<A>,
    timeoutMs: number,
    local: () => Promise<ResponseOf<A>>,
  ): Promise<ResponseOf<A> | DecodedResponseOf<A>> {
    const deadline = Date.now() + timeoutMs;
    return this.toController<ResponseOf<A> | DecodedResponseOf<A>>(local, async (leader) => {
      const res = await this.forward(leader, schema, version, deadline, () => request);
      if ('errorCode' in res && res.errorCode === ErrorCode.NOT_CONTROLLER)
        throw new ControllerError(ErrorCode.NOT_CONTROLLER, `node ${leader} is not the controller`);
      return res;
    });
  }

  /**
   * An admin request to the controller, given the time left until the deadline. Its own
   * connection: an answer that waits for every broker must not hold up AlterPartition's.
   */
  private forward<A extends ApiSchema>(
    leader: number,
    schema: A,
    version: number,
    deadline: number,
    body: (timeoutMs: number) => RequestOutOf<A>,
  ): Promise<DecodedResponseOf<A>> {
    const left = Math.max(1, deadline - Date.now());
    return this.peers.request(leader, 'admin', schema, version, body(left), left + 2000);
  }

  /** Resolves once this node shows every partition of the topic (undefined if it does not exist
   *  or is still hidden at the deadline). */
  async awaitVisible(name: string, timeoutMs: number): Promise<TopicMeta | undefined> {
    const deadline = Date.now() + timeoutMs;
    const ok = () => {
      const t = this.state.topics.get(name);
      return !t || isFullyVisible(t);
    };
    await this.until(ok, deadline).catch(() => {});
    const t = this.state.topics.get(name);
    return t && isFullyVisible(t) ? t : undefined;
  }

  /**
   * ISR change proposed by this node as partition leader (AlterPartition to the controller).
   * The changes asked for in one turn of the event loop go in one request, as Kafka's
   * AlterPartitionManager batches them: a follower falling behind on 1000 partitions is one
   * request and one controller write, not 1000.
   */
  alterPartition(topic: string, p: PartitionMeta, isr: number[]): Promise<PartitionMeta> {
    return new Promise((resolve, reject) => {
      this.isrChanges.push({ topic, p, isr, resolve, reject });
      if (this.isrChanges.length === 1) setImmediate(() => void this.sendIsrChanges());
    });
  }

  private async sendIsrChanges(): Promise<void> {
    const batch = this.isrChanges.splice(0);
    const changes: IsrChange[] = batch.map(({ topic, p, isr }) => ({
      topic,
      partition: p.partition,
      leaderEpoch: p.leaderEpoch,
      partitionEpoch: p.partitionEpoch ?? 0,
      isr,
    }));
    let results: (PartitionMeta | ControllerError)[];
    try {
      results = await this.toController(
        () => this.controller.alterPartitions(this.self.nodeId, changes),
        (leader) => this.sendAlterPartition(leader, changes, batch.map((b) => b.p)),
      );
    } catch (e) {
      for (const b of batch) b.reject(e as Error);
      return;
    }
    // Resolved once applied here too (or after 2 s), so the leader acts on the new ISR.
    await this.until(
      () =>
        results.every(
          (r, i) =>
            r instanceof ControllerError ||
            (this.state.topics.get(batch[i].topic)?.partitions[r.partition]?.partitionEpoch ?? -1) >= (r.partitionEpoch ?? 0),
        ),
      Date.now() + 2000,
    ).catch(() => {});
    results.forEach((r, i) => (r instanceof ControllerError ? batch[i].reject(r) : batch[i].resolve(r)));
  }

  /** One AlterPartition request for `changes` (of the partitions `metas`); the outcome of each. */
  private async sendAlterPartition(
    leader: number,
    changes: IsrChange[],
    metas: PartitionMeta[],
  ): Promise<(PartitionMeta | ControllerError)[]> {
    const topics = [...new Set(changes.map((c) => c.topic))].map((topicName) => ({
      topicName,
      partitions: changes
        .filter((c) => c.topic === topicName)
        .map((c) => ({
          partitionIndex: c.partition,
          leaderEpoch: c.leaderEpoch,
          newIsr: c.isr,
          leaderRecoveryState: 0,
          partitionEpoch: c.partitionEpoch,
        })),
    }));
    const res = await this.peers.request(
      leader,
      'controller',
      AlterPartition,
      1,
      { brokerId: this.self.nodeId, brokerEpoch: this.brokerEpoch, topics },
      5000,
    );
    if (res.errorCode !== ErrorCode.NONE) throw new ControllerError(res.errorCode, `AlterPartition error ${res.errorCode}`);
    const answered = new Map<string, (typeof res.topics)[number]['partitions'][number]>();
    for (const t of res.topics) for (const r of t.partitions) answered.set(`${t.topicName}\0${r.partitionIndex}`, r);
    return changes.map((c, i) => {
      const r = answered.get(`${c.topic}\0${c.partition}`);
      if (!r || r.errorCode !== ErrorCode.NONE)
        return new ControllerError(r?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR, `AlterPartition error ${r?.errorCode}`);
      return { ...metas[i], isr: r.isr, leaderEpoch: r.leaderEpoch, partitionEpoch: r.partitionEpoch, leader: r.leaderId };
    });
  }

  // ------------------------------------------------------------------ this node as a broker

  private async heartbeat(): Promise<void> {
    const leader = this.controllerId;
    if (leader < 0) return;
    if (this.heartbeatingTo === leader) {
      this.heartbeatAgain = true;
      return;
    }
    this.heartbeatingTo = leader;
    this.heartbeatAgain = false;
    try {
      if (!this.registered) {
        let epoch: number;
        if (leader === this.self.nodeId) epoch = await this.controller.register(this.self);
        else {
          const res = await this.peers.request(
            leader,
            'heartbeat',
            BrokerRegistration,
            0,
            {
              brokerId: this.self.nodeId,
              clusterId: this.clusterId,
              incarnationId: randomBytes(16).toString('hex'),
              listeners: [{ name: 'PLAINTEXT', host: this.self.host, port: this.self.port, securityProtocol: 0 }],
              features: [],
              rack: this.self.rack,
            },
            this.q.sessionTimeoutMs,
          );
          if (res.errorCode !== ErrorCode.NONE) return;
          epoch = res.brokerEpoch;
        }
        this.registered = true;
        this.brokerEpoch = epoch;
        for (const fn of this.registeredListeners) fn(epoch);
      }
      if (leader === this.self.nodeId)
        await this.controller.heartbeat(this.self.nodeId, this.actedOn - 1, this.offlineLogDirs);
      else {
        const res = await this.peers.request(
          leader,
          'heartbeat',
          BrokerHeartbeat,
          1,
          {
            brokerId: this.self.nodeId,
            brokerEpoch: this.brokerEpoch,
            currentMetadataOffset: this.actedOn - 1,
            wantFence: false,
            wantShutDown: false,
            offlineLogDirs: this.offlineLogDirs,
          },
          this.q.sessionTimeoutMs,
        );
        if (res.errorCode === ErrorCode.BROKER_ID_NOT_REGISTERED) this.registered = false;
      }
    } catch (e) {
      if (e instanceof ControllerError && e.code === ErrorCode.BROKER_ID_NOT_REGISTERED) this.registered = false;
    } finally {
      if (this.heartbeatingTo === leader) this.heartbeatingTo = -1;
      if (this.heartbeatAgain) setImmediate(() => void this.heartbeat());
    }
  }

  /** fn runs with this process's broker epoch now if it is registered, and after each later
   *  registration (the supervisor keeps it to report this node's death, supervisor/death-report.ts). */
  onRegistered(fn: (brokerEpoch: number) => void): void {
    this.registeredListeners.push(fn);
    if (this.brokerEpoch >= 0) fn(this.brokerEpoch);
  }

  /** The node's log dir failed: the controller hears it at once and with every later heartbeat. */
  logDirOffline(dirId: string): void {
    if (this.offlineLogDirs.includes(dirId)) return;
    this.offlineLogDirs.push(dirId);
    if (this.heartbeatTimer) setImmediate(() => void this.heartbeat());
  }

  /** Brokers whose log dir is offline (their replicas are Metadata's offline replicas). */
  logDirsOffline(): number[] {
    return [...this.state.brokers.values()].filter((b) => b.logDirsOffline).map((b) => b.nodeId);
  }

  /** Like Kafka's controlled shutdown: leadership moves away before the process goes. */
  private async controlledShutdown(): Promise<void> {
    const leader = this.controllerId;
    // A lone node keeps its partitions.
    if (leader < 0 || (this.q.voters.size === 1 && this.q.voters.has(this.self.nodeId))) return;
    if (leader === this.self.nodeId) return this.controller.controlledShutdown(this.self.nodeId);
    await this.peers.request(
      leader,
      'shutdown',
      BrokerHeartbeat,
      0,
      {
        brokerId: this.self.nodeId,
        brokerEpoch: this.brokerEpoch,
        currentMetadataOffset: this.actedOn - 1,
        wantFence: true,
        wantShutDown: true,
      },
      1000,
    );
  }

  // ------------------------------------------------------------------ controller-side handlers

  async serveRegistration(b: BrokerMeta): Promise<{ errorCode: number; brokerEpoch: number }> {
    if (!this.raft.isLeader) return { errorCode: ErrorCode.NOT_CONTROLLER, brokerEpoch: -1 };
    try {
      return { errorCode: 0, brokerEpoch: await this.controller.register(b) };
    } catch (e) {
      return { errorCode: errorCodeOf(e), brokerEpoch: -1 };
    }
  }

  async serveHeartbeat(hb: RequestOf<typeof BrokerHeartbeat>): Promise<{ errorCode: number; isFenced: boolean }> {
    if (!this.raft.isLeader) return { errorCode: ErrorCode.NOT_CONTROLLER, isFenced: true };
    try {
      if (hb.wantShutDown) {
        await this.controller.controlledShutdown(hb.brokerId);
        return { errorCode: 0, isFenced: true };
      }
      if (hb.wantFence) {
        await this.controller.fenceAtRequest(hb.brokerId, hb.brokerEpoch);
        return { errorCode: 0, isFenced: true };
      }
      return {
        errorCode: 0,
        isFenced: await this.controller.heartbeat(hb.brokerId, hb.currentMetadataOffset, hb.offlineLogDirs ?? []),
      };
    } catch (e) {
      return { errorCode: errorCodeOf(e), isFenced: true };
    }
  }
}

/** A forwarded admin request's per-resource error, as the ControllerError it was. */
function throwIfError(r: { errorCode: number; errorMessage: string | null } | undefined, api: string): void {
  if (r && r.errorCode !== ErrorCode.NONE) throw new ControllerError(r.errorCode, r.errorMessage ?? `${api} error ${r.errorCode}`);
}

export function errorCodeOf(e: unknown): number {
  if (e instanceof ControllerError) return e.code;
  if (e instanceof NotLeaderError) return ErrorCode.NOT_CONTROLLER;
  return ErrorCode.UNKNOWN_SERVER_ERROR;
}

/**
 * A data dir of a single node from before the quorum (local-metadata.ts's metadata.json) seeds
 * an empty metadata log with its topics and configs, so an upgrade keeps them (the supervisor
 * keeps such a dir a 1-node cluster, whose only voter commits these entries on its election).
 */
function importLocalMetadata(dataDir: string, store: RaftStore): void {
  const file = path.join(dataDir, '__cluster_metadata', 'metadata.json');
  if (store.entries.length || store.snapshot || store.quorum.epoch !== 0 || !fs.existsSync(file)) return;
  const old = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    topics: TopicMeta[];
    brokerConfigs: Record<string, string>;
  };
  const records: MetadataRecord[] = [
    ...old.topics.map((topic): MetadataRecord => ({ type: 'Topic', topic })),
    { type: 'BrokerConfigs', changes: old.brokerConfigs ?? {} },
  ];
  store.append(records.map((record, offset) => ({ offset, epoch: 0, record })));
  fs.renameSync(file, file + '.imported');
}

/** Kafka's meta.properties: the node id and cluster id of this data dir, checked on restart. */
function persistClusterId(dataDir: string, nodeId: number, given: string): string {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'meta.properties');
  if (fs.existsSync(file)) {
    const props = Object.fromEntries(
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.includes('=') && !l.startsWith('#'))
        .map((l) => l.split('=', 2) as [string, string]),
    );
    if (props['node.id'] !== undefined && Number(props['node.id']) !== nodeId)
      throw new Error(`data dir ${dataDir} belongs to node ${props['node.id']}, not ${nodeId}`);
    if (props['cluster.id'] && given && props['cluster.id'] !== given)
      throw new Error(`data dir ${dataDir} belongs to cluster ${props['cluster.id']}, not ${given}`);
    if (props['cluster.id']) return props['cluster.id'];
  }
  const id = given || randomBytes(16).toString('base64url');
  fs.writeFileSync(file, `#Samsa node\nversion=1\nnode.id=${nodeId}\ncluster.id=${id}\n`);
  return id;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
