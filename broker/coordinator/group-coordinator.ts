// The classic group coordinator, after Kafka's GroupCoordinator (core/.../group): the group state
// machine Empty -> PreparingRebalance -> CompletingRebalance -> Stable (-> Dead when deleted or
// expired), JoinGroup/SyncGroup parking until the rebalance completes, session and rebalance
// timeouts, group.initial.rebalance.delay.ms for a new or empty group's first rebalance,
// static membership (group.instance.id), MEMBER_ID_REQUIRED (JoinGroup v4+), committed offsets and
// their retention. Every change that Kafka persists is written to `__consumer_offsets` through
// the CoordinatorStore before it is acknowledged.
//
// Time is explicit: `tick(now)` runs the expirations (sessions, pending members, join and sync
// deadlines, offset retention); the broker calls it from a timer, unit tests with a fake clock.
//
// Offset commits are answered once the ISR has them (acks=all, offsets.commit.timeout.ms 5 s).
// Deviations from Kafka: group metadata and tombstones (assignments, deleted offsets and groups,
// expiry) are acknowledged once in the coordinator's log, not after the ISR (a failover right
// after may bring a rebalance or a deleted offset back); offsets of Stable groups for topics no longer subscribed are not expired (only
// Empty groups' and standalone commits are, as offsets.retention.minutes says); group.max.size
// is unlimited.
// Transactional offsets (TxnOffsetCommit, txn-offsets.ts): written in the producer's
// transactional batch and pending until the transaction's marker reaches the group's partition
// (completeTxn, from WriteTxnMarkers), as Kafka; OffsetFetch with requireStable answers
// UNSTABLE_OFFSET_COMMIT for a partition with a pending one.

import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../protocol/errors.ts';
import { subscriptionTopics } from './consumer-protocol.ts';
import {
  EMPTY,
  Group,
  Member,
  offsetKeyOf,
  splitOffsetKey,
  type GroupState,
  type JoinResult,
  type OffsetEntry,
  type Protocol,
  type SyncResult,
} from './group.ts';
import { decodeRecord, groupKey, groupValue, offsetKey, offsetValue, partitionForGroup } from './records.ts';
import { TxnOffsets } from './txn-offsets.ts';

export interface CoordinatorConfig {
  /** group.initial.rebalance.delay.ms */
  initialRebalanceDelayMs: number;
  /** group.min.session.timeout.ms / group.max.session.timeout.ms */
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  /** offsets.retention.minutes, in ms */
  offsetsRetentionMs: number;
  /** offsets.retention.check.interval.ms */
  offsetsRetentionCheckIntervalMs: number;
  /** offset.metadata.max.bytes */
  offsetMetadataMaxBytes: number;
  /** How long a new member may wait in a rebalance without rejoining (Kafka: 5 minutes). */
  newMemberJoinTimeoutMs: number;
}

export const COORDINATOR_DEFAULTS: CoordinatorConfig = {
  initialRebalanceDelayMs: 3000,
  minSessionTimeoutMs: 6000,
  maxSessionTimeoutMs: 1800000,
  offsetsRetentionMs: 10080 * 60000,
  offsetsRetentionCheckIntervalMs: 600000,
  offsetMetadataMaxBytes: 4096,
  newMemberJoinTimeoutMs: 300000,
};

export interface StoredRecord {
  key: Buffer | null;
  value: Buffer | null;
  /** When read back from the log: its offset, its batch's producer id and transactional flag, the marker of a control batch. */
  offset?: number;
  producerId?: number;
  transactional?: boolean;
  marker?: { commit: boolean } | null;
}

/** Where the coordinator persists, and what it needs to know about the cluster. */
export interface CoordinatorStore {
  /** Partition count of __consumer_offsets (the existing topic's, else the configured one). */
  numPartitions(): number;
  /** NONE when this node coordinates the partition; NOT_COORDINATOR or COORDINATOR_NOT_AVAILABLE otherwise. */
  status(partition: number): number;
  /** Appends records to the partition (group metadata, tombstones); returns a Kafka error code. */
  append(partition: number, records: StoredRecord[]): number;
  /**
   * Appends offset commits and resolves once every ISR member has them (acks=all), with an
   * OffsetCommit error code; `txn`: in a transactional batch of that producer (TxnOffsetCommit).
   */
  commit(partition: number, records: StoredRecord[], txn?: { producerId: number; producerEpoch: number }): Promise<number>;
  /** Whether a topic partition exists (OffsetCommit refuses unknown ones). */
  partitionExists(topic: string, partition: number): boolean;
}

export interface JoinRequest {
  groupId: string;
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: Protocol[];
  requireKnownMemberId: boolean;
}

export interface SyncRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string | null;
  protocolName: string | null;
  assignments: { memberId: string; assignment: Buffer }[];
}

export interface TxnCommitRequest extends Omit<CommitRequest, 'retentionTimeMs'> {
  producerId: number;
  producerEpoch: number;
}

export interface CommitRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  retentionTimeMs: number;
  topics: {
    name: string;
    partitions: {
      partitionIndex: number;
      committedOffset: number;
      committedLeaderEpoch: number;
      committedMetadata: string | null;
    }[];
  }[];
}

export interface TopicPartitionsResult {
  name: string;
  partitions: { partitionIndex: number; errorCode: number }[];
}

export interface FetchedOffsets {
  errorCode: number;
  topics: {
    name: string;
    partitions: {
      partitionIndex: number;
      committedOffset: number;
      committedLeaderEpoch: number;
      metadata: string | null;
      errorCode: number;
    }[];
  }[];
}

export interface GroupDescription {
  errorCode: number;
  groupId: string;
  groupState: string;
  protocolType: string;
  protocolData: string;
  members: {
    memberId: string;
    groupInstanceId: string | null;
    clientId: string;
    clientHost: string;
    memberMetadata: Buffer;
    memberAssignment: Buffer;
  }[];
}

export interface GroupListing {
  groupId: string;
  protocolType: string;
  groupState: string;
  groupType: string;
}

const joinError = (memberId: string, errorCode: number): JoinResult => ({
  errorCode,
  generationId: -1,
  protocolType: null,
  protocolName: null,
  leader: '',
  memberId,
  members: [],
});
const syncError = (errorCode: number): SyncResult => ({
  errorCode,
  protocolType: null,
  protocolName: null,
  assignment: EMPTY,
});

export class GroupCoordinator {
  readonly groups = new Map<string, Group>();
  /** Partitions of __consumer_offsets being loaded: their groups answer COORDINATOR_LOAD_IN_PROGRESS. */
  readonly loading = new Set<number>();
  /** Pending transactional offsets and the write order of commits. */
  readonly txnOffsets = new TxnOffsets();
  /** Kafka's group-rebalance-count and group-completed-rebalance-count, read by broker/metrics. */
  readonly stats = { rebalances: 0, completedRebalances: 0 };
  private nextRetentionCheck: number;

  constructor(
    private readonly store: CoordinatorStore,
    readonly config: CoordinatorConfig = COORDINATOR_DEFAULTS,
    private readonly now: () => number = Date.now,
  ) {
    this.nextRetentionCheck = now() + config.offsetsRetentionCheckIntervalMs;
  }

  partitionFor(groupId: string): number {
    return partitionForGroup(groupId, this.store.numPartitions());
  }

  /** NONE when this node may serve the group now. */
  private coordinatorError(groupId: string): number {
    const p = this.partitionFor(groupId);
    const status = this.store.status(p);
    if (status !== ErrorCode.NONE) return status;
    if (this.loading.has(p)) return ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
    return ErrorCode.NONE;
  }

  private getOrCreate(groupId: string): Group {
    let g = this.groups.get(groupId);
    if (!g) this.groups.set(groupId, (g = new Group(groupId, this.partitionFor(groupId), this.now())));
    return g;
  }

  // ------------------------------------------------------------------ JoinGroup

  join(req: JoinRequest): Promise<JoinResult> {
    const { groupId, memberId } = req;
    if (!groupId) return Promise.resolve(joinError(memberId, ErrorCode.INVALID_GROUP_ID));
    const coordErr = this.coordinatorError(groupId);
    if (coordErr) return Promise.resolve(joinError(memberId, coordErr));
    if (
      req.sessionTimeoutMs < this.config.minSessionTimeoutMs ||
      req.sessionTimeoutMs > this.config.maxSessionTimeoutMs
    )
      return Promise.resolve(joinError(memberId, ErrorCode.INVALID_SESSION_TIMEOUT));
    const unknown = memberId === '';
    let group = this.groups.get(groupId);
    if (!group) {
      if (!unknown) return Promise.resolve(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
      group = this.getOrCreate(groupId);
    }
    const g = group;
    return new Promise<JoinResult>((resolve) => {
      if (unknown) this.joinUnknown(g, req, resolve);
      else this.joinKnown(g, req, resolve);
      if (g.is('PreparingRebalance')) this.tryCompleteJoin(g);
    });
  }

  private joinUnknown(g: Group, req: JoinRequest, respond: (r: JoinResult) => void): void {
    if (g.is('Dead')) return respond(joinError('', ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (!g.supportsProtocols(req.protocolType, req.protocols))
      return respond(joinError('', ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    const newMemberId = `${req.groupInstanceId ?? req.clientId}-${randomUUID()}`;
    if (req.groupInstanceId !== null) {
      const oldId = g.staticMembers.get(req.groupInstanceId);
      if (oldId === undefined) return this.addMemberAndRebalance(g, newMemberId, req, respond);
      return this.replaceStaticMember(g, oldId, newMemberId, req, respond);
    }
    if (req.requireKnownMemberId) {
      g.pendingMembers.set(newMemberId, this.now() + req.sessionTimeoutMs);
      return respond(joinError(newMemberId, ErrorCode.MEMBER_ID_REQUIRED));
    }
    this.addMemberAndRebalance(g, newMemberId, req, respond);
  }

  private joinKnown(g: Group, req: JoinRequest, respond: (r: JoinResult) => void): void {
    const { memberId } = req;
    if (g.is('Dead')) return respond(joinError(memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (!g.supportsProtocols(req.protocolType, req.protocols))
      return respond(joinError(memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    if (g.pendingMembers.has(memberId)) return this.addMemberAndRebalance(g, memberId, req, respond);
    if (req.groupInstanceId !== null) {
      const current = g.staticMembers.get(req.groupInstanceId);
      if (current === undefined) return respond(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
      if (current !== memberId) return respond(joinError(memberId, ErrorCode.FENCED_INSTANCE_ID));
    }
    const member = g.members.get(memberId);
    if (!member) return respond(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    switch (g.state) {
      case 'PreparingRebalance':
        return this.updateMemberAndRebalance(g, member, req, respond);
      case 'CompletingRebalance':
        if (member.matches(req.protocols)) return respond(this.currentJoinResult(g, member));
        return this.updateMemberAndRebalance(g, member, req, respond);
      case 'Stable':
        if (g.leaderId === memberId || !member.matches(req.protocols))
          return this.updateMemberAndRebalance(g, member, req, respond);
        member.lastHeartbeat = this.now();
        return respond(this.currentJoinResult(g, member));
      default:
        return respond(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    }
  }

  private currentJoinResult(g: Group, member: Member): JoinResult {
    const isLeader = g.leaderId === member.memberId;
    return {
      errorCode: ErrorCode.NONE,
      generationId: g.generationId,
      protocolType: g.protocolType,
      protocolName: g.protocolName,
      leader: g.leaderId ?? '',
      memberId: member.memberId,
      members: isLeader ? this.memberMetadata(g) : [],
    };
  }

  private memberMetadata(g: Group): JoinResult['members'] {
    return [...g.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.metadataFor(g.protocolName ?? ''),
    }));
  }

  private addMemberAndRebalance(g: Group, memberId: string, req: JoinRequest, respond: (r: JoinResult) => void): void {
    const now = this.now();
    const m = new Member(
      memberId,
      req.groupInstanceId,
      req.clientId,
      req.clientHost,
      req.rebalanceTimeoutMs,
      req.sessionTimeoutMs,
      req.protocolType,
      req.protocols,
      now,
    );
    m.awaitingJoin = respond;
    if (g.is('PreparingRebalance') && g.generationId === 0) g.newMemberAdded = true;
    g.add(m);
    this.maybePrepareRebalance(g);
  }

  private updateMemberAndRebalance(g: Group, m: Member, req: JoinRequest, respond: (r: JoinResult) => void): void {
    m.protocols = req.protocols;
    m.protocolType = req.protocolType;
    m.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    m.sessionTimeoutMs = req.sessionTimeoutMs;
    m.clientId = req.clientId;
    m.clientHost = req.clientHost;
    m.lastHeartbeat = this.now();
    // A repeated JoinGroup replaces the parked one (its client has given up on it).
    m.awaitingJoin?.(joinError(m.memberId, ErrorCode.REBALANCE_IN_PROGRESS));
    m.awaitingJoin = respond;
    this.maybePrepareRebalance(g);
  }

  /** A restarted static member takes over its old member id; the old id is fenced. */
  private replaceStaticMember(
    g: Group,
    oldId: string,
    newId: string,
    req: JoinRequest,
    respond: (r: JoinResult) => void,
  ): void {
    const old = g.members.get(oldId)!;
    old.awaitingJoin?.(joinError(oldId, ErrorCode.FENCED_INSTANCE_ID));
    old.awaitingJoin = null;
    old.awaitingSync?.(syncError(ErrorCode.FENCED_INSTANCE_ID));
    old.awaitingSync = null;
    const wasLeader = g.leaderId === oldId;
    const m = g.replaceStaticMember(req.groupInstanceId!, oldId, newId)!;
    if (g.is('Stable') && !wasLeader && m.matches(req.protocols)) {
      m.sessionTimeoutMs = req.sessionTimeoutMs;
      m.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
      m.clientId = req.clientId;
      m.clientHost = req.clientHost;
      m.lastHeartbeat = this.now();
      const err = this.storeGroup(g);
      if (err) {
        g.replaceStaticMember(req.groupInstanceId!, newId, oldId);
        return respond(joinError('', err));
      }
      return respond(this.currentJoinResult(g, m));
    }
    this.updateMemberAndRebalance(g, m, req, respond);
  }

  private maybePrepareRebalance(g: Group): void {
    if (g.is('Stable', 'CompletingRebalance', 'Empty')) this.prepareRebalance(g);
  }

  private prepareRebalance(g: Group): void {
    const now = this.now();
    if (g.is('CompletingRebalance')) this.resetAndPropagateAssignmentError(g, ErrorCode.REBALANCE_IN_PROGRESS);
    g.pendingSync.clear();
    g.syncDeadline = null;
    const delay = this.config.initialRebalanceDelayMs;
    if (g.is('Empty') && delay > 0) {
      g.rebalance = { initial: true, deadline: now + delay, remaining: Math.max(g.rebalanceTimeoutMs - delay, 0) };
      g.newMemberAdded = false;
    } else {
      g.rebalance = { initial: false, deadline: now + g.rebalanceTimeoutMs, remaining: 0 };
    }
    g.transition('PreparingRebalance', now);
    this.stats.rebalances++;
  }

  private resetAndPropagateAssignmentError(g: Group, errorCode: number): void {
    for (const m of g.members.values()) {
      m.assignment = EMPTY;
      const cb = m.awaitingSync;
      m.awaitingSync = null;
      cb?.(syncError(errorCode));
    }
  }

  private tryCompleteJoin(g: Group): void {
    if (g.is('PreparingRebalance') && g.rebalance && !g.rebalance.initial && g.hasAllMembersJoined())
      this.completeJoin(g);
  }

  private completeJoin(g: Group): void {
    const now = this.now();
    g.rebalance = null;
    // Dynamic members that did not rejoin in time are out; static ones keep their place.
    for (const m of [...g.members.values()]) {
      if (!m.awaitingJoin && m.groupInstanceId === null) g.remove(m.memberId);
    }
    if (g.is('Dead')) return;
    if (g.leaderId !== null && !g.members.get(g.leaderId)?.awaitingJoin) {
      const joined = [...g.members.values()].find((m) => m.awaitingJoin);
      if (joined) g.leaderId = joined.memberId;
      else if (g.members.size > 0) {
        // Nobody rejoined (only absent static members): wait another rebalance timeout.
        g.rebalance = { initial: false, deadline: now + g.rebalanceTimeoutMs, remaining: 0 };
        return;
      }
    }
    g.generationId++;
    this.stats.completedRebalances++;
    if (g.members.size === 0) {
      g.protocolName = null;
      g.leaderId = null;
      g.transition('Empty', now);
      this.storeGroup(g);
      return;
    }
    g.protocolName = g.selectProtocol();
    g.transition('CompletingRebalance', now);
    g.syncDeadline = now + g.rebalanceTimeoutMs;
    for (const m of g.members.values()) {
      g.pendingSync.add(m.memberId);
      const cb = m.awaitingJoin;
      m.awaitingJoin = null;
      m.lastHeartbeat = now;
      m.isNew = false;
      cb?.(this.currentJoinResult(g, m));
    }
  }

  // ------------------------------------------------------------------ SyncGroup

  sync(req: SyncRequest): Promise<SyncResult> {
    const { groupId, memberId } = req;
    if (!groupId) return Promise.resolve(syncError(ErrorCode.INVALID_GROUP_ID));
    const coordErr = this.coordinatorError(groupId);
    // While loading the rebalance state is lost: the member has to join again.
    if (coordErr)
      return Promise.resolve(
        syncError(coordErr === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS ? ErrorCode.REBALANCE_IN_PROGRESS : coordErr),
      );
    const g = this.groups.get(groupId);
    if (!g) return Promise.resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    if (g.is('Dead')) return Promise.resolve(syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (g.isStaticMemberFenced(memberId, req.groupInstanceId))
      return Promise.resolve(syncError(ErrorCode.FENCED_INSTANCE_ID));
    const m = g.members.get(memberId);
    if (!m) return Promise.resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    if (req.generationId !== g.generationId) return Promise.resolve(syncError(ErrorCode.ILLEGAL_GENERATION));
    if (
      (req.protocolType !== null && req.protocolType !== g.protocolType) ||
      (req.protocolName !== null && req.protocolName !== g.protocolName)
    )
      return Promise.resolve(syncError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    m.lastHeartbeat = this.now();
    switch (g.state) {
      case 'Empty':
        return Promise.resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
      case 'PreparingRebalance':
        return Promise.resolve(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      case 'Stable':
        g.pendingSync.delete(memberId);
        return Promise.resolve(this.syncResult(g, m));
      case 'CompletingRebalance':
        return new Promise((resolve) => {
          m.awaitingSync?.(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
          m.awaitingSync = resolve;
          g.pendingSync.delete(memberId);
          if (g.leaderId === memberId) this.completeSync(g, req.assignments);
        });
    }
    return Promise.resolve(syncError(ErrorCode.UNKNOWN_SERVER_ERROR));
  }

  private syncResult(g: Group, m: Member): SyncResult {
    return {
      errorCode: ErrorCode.NONE,
      protocolType: g.protocolType,
      protocolName: g.protocolName,
      assignment: m.assignment,
    };
  }

  private completeSync(g: Group, assignments: { memberId: string; assignment: Buffer }[]): void {
    const byId = new Map(assignments.map((a) => [a.memberId, a.assignment]));
    for (const m of g.members.values()) m.assignment = byId.get(m.memberId) ?? EMPTY;
    const err = this.storeGroup(g);
    if (err) {
      this.resetAndPropagateAssignmentError(g, err);
      this.prepareRebalance(g);
      return;
    }
    g.transition('Stable', this.now());
    for (const m of g.members.values()) {
      const cb = m.awaitingSync;
      m.awaitingSync = null;
      cb?.(this.syncResult(g, m));
    }
    if (g.pendingSync.size === 0) g.syncDeadline = null;
  }

  // ------------------------------------------------------------------ Heartbeat / LeaveGroup

  heartbeat(req: { groupId: string; generationId: number; memberId: string; groupInstanceId: string | null }): number {
    if (!req.groupId) return ErrorCode.INVALID_GROUP_ID;
    const coordErr = this.coordinatorError(req.groupId);
    if (coordErr) return coordErr;
    const g = this.groups.get(req.groupId);
    if (!g) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (g.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (g.is('Empty')) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (g.isStaticMemberFenced(req.memberId, req.groupInstanceId)) return ErrorCode.FENCED_INSTANCE_ID;
    const m = g.members.get(req.memberId);
    if (!m) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (req.generationId !== g.generationId) return ErrorCode.ILLEGAL_GENERATION;
    m.lastHeartbeat = this.now();
    return g.is('PreparingRebalance') ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  leave(
    groupId: string,
    leaving: { memberId: string; groupInstanceId: string | null }[],
  ): { errorCode: number; members: { memberId: string; groupInstanceId: string | null; errorCode: number }[] } {
    if (!groupId) return { errorCode: ErrorCode.INVALID_GROUP_ID, members: [] };
    const coordErr = this.coordinatorError(groupId);
    if (coordErr) return { errorCode: coordErr, members: [] };
    const g = this.groups.get(groupId);
    if (!g || g.is('Dead')) {
      if (g?.is('Dead')) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
      return {
        errorCode: ErrorCode.NONE,
        members: leaving.map((l) => ({ ...l, errorCode: ErrorCode.UNKNOWN_MEMBER_ID })),
      };
    }
    const members = leaving.map((l) => {
      let memberId = l.memberId;
      if (l.groupInstanceId !== null) {
        const current = g.staticMembers.get(l.groupInstanceId);
        if (current === undefined) return { ...l, errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
        if (memberId !== '' && memberId !== current) return { ...l, errorCode: ErrorCode.FENCED_INSTANCE_ID };
        memberId = current;
      }
      if (g.pendingMembers.delete(memberId)) {
        if (g.is('PreparingRebalance')) this.tryCompleteJoin(g);
        return { ...l, errorCode: ErrorCode.NONE };
      }
      const m = g.members.get(memberId);
      if (!m) return { ...l, errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
      this.removeMemberAndUpdateGroup(g, m);
      return { ...l, errorCode: ErrorCode.NONE };
    });
    return { errorCode: ErrorCode.NONE, members };
  }

  private removeMemberAndUpdateGroup(g: Group, m: Member): void {
    const join = m.awaitingJoin;
    m.awaitingJoin = null;
    join?.(joinError(m.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    const sync = m.awaitingSync;
    m.awaitingSync = null;
    sync?.(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    g.remove(m.memberId);
    switch (g.state) {
      case 'Stable':
      case 'CompletingRebalance':
        this.maybePrepareRebalance(g);
        this.tryCompleteJoin(g);
        break;
      case 'PreparingRebalance':
        this.tryCompleteJoin(g);
        break;
      default:
    }
  }

  // ------------------------------------------------------------------ offsets

  /** Answered once the commit is replicated to the ISR; the offsets are visible from then on. */
  async commitOffsets(req: CommitRequest): Promise<TopicPartitionsResult[]> {
    const all = (errorCode: number) =>
      req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
      }));
    if (!req.groupId) return all(ErrorCode.INVALID_GROUP_ID);
    const coordErr = this.coordinatorError(req.groupId);
    if (coordErr) return all(coordErr);
    let g = this.groups.get(req.groupId);
    if (!g) {
      // Only a standalone (non-member) commit may bring a group into existence.
      if (req.generationId >= 0) return all(ErrorCode.ILLEGAL_GENERATION);
      g = this.getOrCreate(req.groupId);
    } else if (g.is('Dead')) {
      return all(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    } else if (!(req.generationId < 0 && g.is('Empty'))) {
      if (g.isStaticMemberFenced(req.memberId, req.groupInstanceId)) return all(ErrorCode.FENCED_INSTANCE_ID);
      const m = g.members.get(req.memberId);
      if (!m) return all(ErrorCode.UNKNOWN_MEMBER_ID);
      if (req.generationId !== g.generationId) return all(ErrorCode.ILLEGAL_GENERATION);
      if (g.is('CompletingRebalance')) return all(ErrorCode.REBALANCE_IN_PROGRESS);
      m.lastHeartbeat = this.now();
    }
    const now = this.now();
    const records: { key: Buffer; value: Buffer }[] = [];
    const accepted: [string, OffsetEntry][] = [];
    const results = req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        const res = (errorCode: number) => ({ partitionIndex: p.partitionIndex, errorCode });
        if (!this.store.partitionExists(t.name, p.partitionIndex)) return res(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        const metadata = p.committedMetadata ?? '';
        if (Buffer.byteLength(metadata) > this.config.offsetMetadataMaxBytes)
          return res(ErrorCode.OFFSET_METADATA_TOO_LARGE);
        const entry: OffsetEntry = {
          offset: p.committedOffset,
          leaderEpoch: p.committedLeaderEpoch,
          metadata,
          commitTimestamp: now,
          expireTimestamp: req.retentionTimeMs >= 0 ? now + req.retentionTimeMs : -1,
        };
        records.push({ key: offsetKey(req.groupId, t.name, p.partitionIndex), value: offsetValue(entry) });
        accepted.push([offsetKeyOf(t.name, p.partitionIndex), entry]);
        return res(ErrorCode.NONE);
      }),
    }));
    if (records.length > 0) {
      const position = this.txnOffsets.nextPosition(g.partition);
      const err = await this.store.commit(g.partition, records);
      if (err) {
        for (const t of results) for (const p of t.partitions) if (p.errorCode === ErrorCode.NONE) p.errorCode = err;
        return results;
      }
      // The group may have been unloaded meanwhile: its next coordinator reads the commit from the log.
      if (this.groups.get(req.groupId) === g)
        for (const [k, e] of accepted) if (this.txnOffsets.claim(g.groupId, k, position)) g.offsets.set(k, e);
    }
    return results;
  }

  /**
   * TxnOffsetCommit (Kafka's handleTxnCommitOffsets): written in the producer's transactional
   * batch, answered once the ISR has it, visible once the transaction commits. The group is
   * created if unknown; a member id or generation, when given (v3+), must match.
   */
  async commitTxnOffsets(req: TxnCommitRequest): Promise<TopicPartitionsResult[]> {
    const all = (errorCode: number) =>
      req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) }));
    if (!req.groupId) return all(ErrorCode.INVALID_GROUP_ID);
    const coordErr = this.coordinatorError(req.groupId);
    if (coordErr) return all(coordErr);
    const g = this.getOrCreate(req.groupId);
    if (g.is('Dead')) return all(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    if (!(req.generationId < 0 && g.is('Empty')) && (req.generationId >= 0 || req.memberId !== '' || req.groupInstanceId !== null)) {
      if (g.isStaticMemberFenced(req.memberId, req.groupInstanceId)) return all(ErrorCode.FENCED_INSTANCE_ID);
      if (!g.members.has(req.memberId)) return all(ErrorCode.UNKNOWN_MEMBER_ID);
      if (req.generationId !== g.generationId) return all(ErrorCode.ILLEGAL_GENERATION);
    }
    const now = this.now();
    const records: StoredRecord[] = [];
    const accepted: [string, OffsetEntry][] = [];
    const results = req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        const res = (errorCode: number) => ({ partitionIndex: p.partitionIndex, errorCode });
        const metadata = p.committedMetadata ?? '';
        if (Buffer.byteLength(metadata) > this.config.offsetMetadataMaxBytes) return res(ErrorCode.OFFSET_METADATA_TOO_LARGE);
        const entry: OffsetEntry = {
          offset: p.committedOffset,
          leaderEpoch: p.committedLeaderEpoch,
          metadata,
          commitTimestamp: now,
          expireTimestamp: -1,
        };
        records.push({ key: offsetKey(req.groupId, t.name, p.partitionIndex), value: offsetValue(entry) });
        accepted.push([offsetKeyOf(t.name, p.partitionIndex), entry]);
        return res(ErrorCode.NONE);
      }),
    }));
    if (records.length === 0) return results;
    const position = this.txnOffsets.nextPosition(g.partition);
    const err = await this.store.commit(g.partition, records, { producerId: req.producerId, producerEpoch: req.producerEpoch });
    if (err) {
      for (const t of results) for (const p of t.partitions) if (p.errorCode === ErrorCode.NONE) p.errorCode = err;
      return results;
    }
    if (this.groups.get(req.groupId) === g)
      for (const [k, e] of accepted) this.txnOffsets.prepare(req.producerId, g.groupId, k, e, position);
    return results;
  }

  /** A producer's transaction ended on a __consumer_offsets partition (its marker is written there). */
  completeTxn(partition: number, producerId: number, commit: boolean): void {
    const done = this.txnOffsets.complete(producerId, commit, (id) => this.groups.get(id)?.partition === partition);
    for (const { groupId, key, entry } of done) this.groups.get(groupId)?.offsets.set(key, entry);
  }

  /** Committed offsets of the group; topics null = all it has. */
  fetchOffsets(groupId: string, topics: { name: string; partitionIndexes: number[] }[] | null, requireStable = false): FetchedOffsets {
    const coordErr = this.coordinatorError(groupId);
    if (coordErr) return { errorCode: coordErr, topics: [] };
    const g = this.groups.get(groupId);
    const one = (topic: string, partition: number) => {
      const key = offsetKeyOf(topic, partition);
      if (requireStable && this.txnOffsets.hasPending(groupId, key))
        return { partitionIndex: partition, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT };
      const e = g?.offsets.get(key);
      return {
        partitionIndex: partition,
        committedOffset: e?.offset ?? -1,
        committedLeaderEpoch: e?.leaderEpoch ?? -1,
        metadata: e ? e.metadata : '',
        errorCode: ErrorCode.NONE,
      };
    };
    if (topics !== null) {
      return {
        errorCode: ErrorCode.NONE,
        topics: topics.map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((p) => one(t.name, p)) })),
      };
    }
    const byTopic = new Map<string, number[]>();
    for (const k of g?.offsets.keys() ?? []) {
      const [t, p] = splitOffsetKey(k);
      if (!byTopic.has(t)) byTopic.set(t, []);
      byTopic.get(t)!.push(p);
    }
    return {
      errorCode: ErrorCode.NONE,
      topics: [...byTopic].map(([name, ps]) => ({
        name,
        partitions: ps.sort((a, b) => a - b).map((p) => one(name, p)),
      })),
    };
  }

  deleteOffsets(
    groupId: string,
    topics: { name: string; partitions: { partitionIndex: number }[] }[],
  ): { errorCode: number; topics: TopicPartitionsResult[] } {
    if (!groupId) return { errorCode: ErrorCode.INVALID_GROUP_ID, topics: [] };
    const coordErr = this.coordinatorError(groupId);
    if (coordErr) return { errorCode: coordErr, topics: [] };
    const g = this.groups.get(groupId);
    if (!g || g.is('Dead')) return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, topics: [] };
    let subscribed: Set<string> | null = null;
    if (!g.is('Empty')) {
      subscribed = g.subscribedTopics(subscriptionTopics);
      if (subscribed === null) return { errorCode: ErrorCode.NON_EMPTY_GROUP, topics: [] };
    }
    const records: { key: Buffer; value: null }[] = [];
    const removed: string[] = [];
    const results = topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        if (subscribed?.has(t.name))
          return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC };
        const k = offsetKeyOf(t.name, p.partitionIndex);
        if (g.offsets.has(k)) {
          records.push({ key: offsetKey(groupId, t.name, p.partitionIndex), value: null });
          removed.push(k);
        }
        return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.NONE };
      }),
    }));
    if (records.length) {
      const err = this.store.append(g.partition, records);
      if (err) return { errorCode: err, topics: [] };
      for (const k of removed) g.offsets.delete(k);
    }
    return { errorCode: ErrorCode.NONE, topics: results };
  }

  // ------------------------------------------------------------------ admin

  listGroups(states: string[], types: string[]): GroupListing[] {
    const stateSet = new Set(states.map((s) => s.toLowerCase()));
    const typeSet = new Set(types.map((s) => s.toLowerCase()));
    const out: GroupListing[] = [];
    for (const g of this.groups.values()) {
      if (g.is('Dead') || this.store.status(g.partition) !== ErrorCode.NONE) continue;
      if (stateSet.size && !stateSet.has(g.state.toLowerCase())) continue;
      if (typeSet.size && !typeSet.has('classic')) continue;
      out.push({ groupId: g.groupId, protocolType: g.protocolType ?? '', groupState: g.state, groupType: 'classic' });
    }
    return out;
  }

  describeGroup(groupId: string): GroupDescription {
    const base = { groupId, groupState: '', protocolType: '', protocolData: '', members: [] };
    if (!groupId) return { ...base, errorCode: ErrorCode.INVALID_GROUP_ID };
    const coordErr = this.coordinatorError(groupId);
    if (coordErr) return { ...base, errorCode: coordErr };
    const g = this.groups.get(groupId);
    if (!g) return { ...base, errorCode: ErrorCode.NONE, groupState: 'Dead' };
    const stable = g.is('Stable');
    const protocol = g.protocolName ?? '';
    return {
      errorCode: ErrorCode.NONE,
      groupId,
      groupState: g.state,
      protocolType: g.protocolType ?? '',
      protocolData: stable ? protocol : '',
      members: [...g.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: stable ? m.metadataFor(protocol) : EMPTY,
        memberAssignment: stable ? m.assignment : EMPTY,
      })),
    };
  }

  deleteGroups(groupIds: string[]): { groupId: string; errorCode: number }[] {
    return groupIds.map((groupId) => {
      if (!groupId) return { groupId, errorCode: ErrorCode.INVALID_GROUP_ID };
      const coordErr = this.coordinatorError(groupId);
      if (coordErr) return { groupId, errorCode: coordErr };
      const g = this.groups.get(groupId);
      if (!g || g.is('Dead')) return { groupId, errorCode: ErrorCode.GROUP_ID_NOT_FOUND };
      if (!g.is('Empty')) return { groupId, errorCode: ErrorCode.NON_EMPTY_GROUP };
      const records = [...g.offsets.keys()].map((k) => {
        const [t, p] = splitOffsetKey(k);
        return { key: offsetKey(groupId, t, p), value: null };
      });
      records.push({ key: groupKey(groupId), value: null });
      const err = this.store.append(g.partition, records);
      if (err) return { groupId, errorCode: err };
      this.killGroup(g);
      return { groupId, errorCode: ErrorCode.NONE };
    });
  }

  private killGroup(g: Group): void {
    g.transition('Dead', this.now());
    g.offsets.clear();
    this.groups.delete(g.groupId);
  }

  // ------------------------------------------------------------------ persistence

  private storeGroup(g: Group): number {
    const protocol = g.protocolName;
    return this.store.append(g.partition, [
      {
        key: groupKey(g.groupId),
        value: groupValue({
          protocolType: g.protocolType ?? '',
          generation: g.generationId,
          protocol,
          leader: g.leaderId,
          currentStateTimestamp: g.stateTimestamp,
          members: [...g.members.values()].map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.groupInstanceId,
            clientId: m.clientId,
            clientHost: m.clientHost,
            rebalanceTimeout: m.rebalanceTimeoutMs,
            sessionTimeout: m.sessionTimeoutMs,
            subscription: m.metadataFor(protocol ?? ''),
            assignment: m.assignment,
          })),
        }),
      },
    ]);
  }

  /**
   * Rebuilds the groups of one partition from its records (oldest first). Groups with members
   * come back Stable with fresh session deadlines, as Kafka restores them; a member whose client
   * is gone expires after its session timeout.
   */
  loadPartition(partition: number, records: Iterable<StoredRecord>): void {
    this.loading.add(partition);
    try {
      const now = this.now();
      const stale = [...this.groups.values()].filter((g) => g.partition === partition).map((g) => g.groupId);
      for (const id of stale) this.groups.delete(id);
      this.txnOffsets.forget(stale);
      let position = -1;
      for (const r of records) {
        const { key, value } = r;
        position = r.offset ?? position + 1;
        if (r.marker) {
          this.completeTxn(partition, r.producerId ?? -1, r.marker.commit);
          continue;
        }
        let rec;
        try {
          rec = decodeRecord(key, value);
        } catch {
          continue; // a record we cannot read: skip it, as Kafka logs and skips
        }
        if (rec.type === 'offset') {
          const k = offsetKeyOf(rec.topic, rec.partition);
          if (rec.value === null) {
            this.groups.get(rec.group)?.offsets.delete(k);
            continue;
          }
          const g = this.loadedGroup(rec.group, partition, now);
          const entry: OffsetEntry = {
            offset: rec.value.offset,
            leaderEpoch: rec.value.leaderEpoch,
            metadata: rec.value.metadata,
            commitTimestamp: rec.value.commitTimestamp,
            expireTimestamp: rec.value.expireTimestamp,
          };
          // A transactional commit waits for its marker (later in the log, or still to come).
          const pid = r.producerId ?? -1;
          if (r.transactional && pid >= 0) this.txnOffsets.prepare(pid, rec.group, k, entry, position);
          else if (this.txnOffsets.claim(rec.group, k, position)) g.offsets.set(k, entry);
        } else if (rec.type === 'group') {
          const v = rec.value;
          if (v === null) {
            // The group's metadata is gone; offsets not tombstoned keep an Empty group alive.
            const old = this.groups.get(rec.group);
            const fresh = new Group(rec.group, partition, now);
            if (old) for (const [k, e] of old.offsets) fresh.offsets.set(k, e);
            if (old && old.offsets.size) this.groups.set(rec.group, fresh);
            else this.groups.delete(rec.group);
            continue;
          }
          const old = this.groups.get(rec.group);
          const g = new Group(rec.group, partition, now);
          if (old) for (const [k, e] of old.offsets) g.offsets.set(k, e);
          g.generationId = v.generation;
          g.protocolType = v.protocolType || null;
          g.protocolName = v.protocol;
          g.leaderId = v.leader;
          for (const mv of v.members) {
            const m = new Member(
              mv.memberId,
              mv.groupInstanceId,
              mv.clientId,
              mv.clientHost,
              mv.rebalanceTimeout < 0 ? mv.sessionTimeout : mv.rebalanceTimeout,
              mv.sessionTimeout,
              v.protocolType,
              [{ name: v.protocol ?? '', metadata: mv.subscription }],
              now,
            );
            m.assignment = mv.assignment;
            m.isNew = false;
            g.members.set(m.memberId, m);
            if (m.groupInstanceId !== null) g.staticMembers.set(m.groupInstanceId, m.memberId);
          }
          g.state = g.members.size ? 'Stable' : 'Empty';
          g.stateTimestamp = v.currentStateTimestamp >= 0 ? v.currentStateTimestamp : now;
          this.groups.set(rec.group, g);
        }
      }
      this.txnOffsets.startPositionsAt(partition, position + 1);
    } finally {
      this.loading.delete(partition);
    }
  }

  private loadedGroup(groupId: string, partition: number, now: number): Group {
    let g = this.groups.get(groupId);
    if (!g) this.groups.set(groupId, (g = new Group(groupId, partition, now)));
    return g;
  }

  /** Forgets the groups of a partition this node no longer coordinates. */
  unloadPartition(partition: number): void {
    this.txnOffsets.unloadPartition(partition);
    for (const g of [...this.groups.values()]) {
      if (g.partition !== partition) continue;
      this.txnOffsets.forget([g.groupId]);
      for (const m of g.members.values()) {
        m.awaitingJoin?.(joinError(m.memberId, ErrorCode.NOT_COORDINATOR));
        m.awaitingSync?.(syncError(ErrorCode.NOT_COORDINATOR));
      }
      this.groups.delete(g.groupId);
    }
  }

  // ------------------------------------------------------------------ time

  /** Runs every expiration due at `now`. */
  tick(now = this.now()): void {
    for (const g of [...this.groups.values()]) {
      for (const [id, deadline] of g.pendingMembers) {
        if (deadline <= now) {
          g.pendingMembers.delete(id);
          this.tryCompleteJoin(g);
        }
      }
      for (const m of [...g.members.values()]) {
        if (!g.members.has(m.memberId)) continue;
        if (!this.shouldKeepAlive(m, now)) this.removeMemberAndUpdateGroup(g, m);
      }
      if (g.rebalance && g.is('PreparingRebalance') && g.rebalance.deadline <= now) {
        const r = g.rebalance;
        if (r.initial && g.newMemberAdded && r.remaining > 0) {
          g.newMemberAdded = false;
          const delay = Math.min(this.config.initialRebalanceDelayMs, r.remaining);
          g.rebalance = { initial: true, deadline: now + delay, remaining: Math.max(r.remaining - delay, 0) };
        } else {
          this.completeJoin(g);
        }
      }
      if (g.syncDeadline !== null && g.syncDeadline <= now) {
        g.syncDeadline = null;
        if (g.is('CompletingRebalance', 'Stable') && g.pendingSync.size > 0) {
          // Members that joined but never synced are gone (Kafka's DelayedSync).
          for (const id of [...g.pendingSync]) {
            const m = g.members.get(id);
            if (m) this.removeMemberAndUpdateGroup(g, m);
          }
        }
        g.pendingSync.clear();
      }
    }
    if (now >= this.nextRetentionCheck) {
      this.nextRetentionCheck = now + this.config.offsetsRetentionCheckIntervalMs;
      this.expireOffsets(now);
    }
  }

  private shouldKeepAlive(m: Member, now: number): boolean {
    if (m.awaitingJoin) return !m.isNew || m.lastHeartbeat + this.config.newMemberJoinTimeoutMs > now;
    if (m.awaitingSync) return true;
    return m.lastHeartbeat + m.sessionTimeoutMs > now;
  }

  /** offsets.retention.minutes: Empty groups from when they emptied, standalone commits from their commit. */
  expireOffsets(now = this.now()): void {
    for (const g of [...this.groups.values()]) {
      if (this.store.status(g.partition) !== ErrorCode.NONE) continue;
      const expired: string[] = [];
      for (const [k, e] of g.offsets) {
        if (e.expireTimestamp >= 0) {
          if (e.expireTimestamp <= now) expired.push(k);
          continue;
        }
        if (!g.is('Empty')) continue;
        const base = g.protocolType !== null ? g.stateTimestamp : e.commitTimestamp;
        if (base + this.config.offsetsRetentionMs <= now) expired.push(k);
      }
      const records: StoredRecord[] = expired.map((k) => {
        const [t, p] = splitOffsetKey(k);
        return { key: offsetKey(g.groupId, t, p), value: null };
      });
      const dies =
        g.is('Empty') && g.offsets.size === expired.length && g.stateTimestamp + this.config.offsetsRetentionMs <= now;
      if (dies) records.push({ key: groupKey(g.groupId), value: null });
      if (records.length === 0) continue;
      if (this.store.append(g.partition, records)) continue;
      for (const k of expired) g.offsets.delete(k);
      if (dies) this.killGroup(g);
    }
  }

  /** Answers every parked request (shutdown). */
  close(): void {
    for (const g of this.groups.values()) {
      for (const m of g.members.values()) {
        m.awaitingJoin?.(joinError(m.memberId, ErrorCode.NOT_COORDINATOR));
        m.awaitingJoin = null;
        m.awaitingSync?.(syncError(ErrorCode.NOT_COORDINATOR));
        m.awaitingSync = null;
      }
    }
  }

  stateOf(groupId: string): GroupState | undefined {
    return this.groups.get(groupId)?.state;
  }
}
