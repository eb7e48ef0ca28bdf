// One classic consumer group as Kafka's GroupMetadata keeps it: state, generation, members (with
// the callbacks of their parked JoinGroup/SyncGroup requests), static members, pending members
// (JoinGroup v4+ MEMBER_ID_REQUIRED), the running rebalance and the committed offsets.
// Pure data and the small rules Kafka attaches to it; the transitions live in group-coordinator.ts.

export type GroupState = 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Empty' | 'Dead';

export interface Protocol {
  name: string;
  metadata: Buffer;
}

export interface JoinResult {
  errorCode: number;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leader: string;
  memberId: string;
  members: { memberId: string; groupInstanceId: string | null; metadata: Buffer }[];
}

export interface SyncResult {
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Buffer;
}

export interface OffsetEntry {
  offset: number;
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
  expireTimestamp: number; // -1 unless the commit asked for its own retention (v2-4)
}

export const EMPTY = Buffer.alloc(0);

export class Member {
  assignment: Buffer = EMPTY;
  awaitingJoin: ((r: JoinResult) => void) | null = null;
  awaitingSync: ((r: SyncResult) => void) | null = null;
  lastHeartbeat: number;
  /** Joined during the current rebalance and has not completed one yet. */
  isNew = true;

  constructor(
    public memberId: string,
    readonly groupInstanceId: string | null,
    public clientId: string,
    public clientHost: string,
    public rebalanceTimeoutMs: number,
    public sessionTimeoutMs: number,
    public protocolType: string,
    public protocols: Protocol[],
    now: number,
  ) {
    this.lastHeartbeat = now;
  }

  metadataFor(protocol: string): Buffer {
    return this.protocols.find((p) => p.name === protocol)?.metadata ?? EMPTY;
  }

  /** Same protocols, in the same order, with the same metadata. */
  matches(protocols: Protocol[]): boolean {
    return (
      protocols.length === this.protocols.length &&
      protocols.every((p, i) => p.name === this.protocols[i].name && p.metadata.equals(this.protocols[i].metadata))
    );
  }
}

export interface Rebalance {
  /** InitialDelayedJoin (group.initial.rebalance.delay.ms) rather than a plain DelayedJoin. */
  initial: boolean;
  deadline: number;
  /** Rebalance timeout budget left for extending the initial delay. */
  remaining: number;
}

export class Group {
  state: GroupState = 'Empty';
  stateTimestamp: number;
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  readonly members = new Map<string, Member>();
  /** group.instance.id -> member id */
  readonly staticMembers = new Map<string, string>();
  /** member id -> deadline: ids handed out with MEMBER_ID_REQUIRED, not joined yet. */
  readonly pendingMembers = new Map<string, number>();
  /** Members that completed the join but have not sent SyncGroup yet. */
  readonly pendingSync = new Set<string>();
  syncDeadline: number | null = null;
  rebalance: Rebalance | null = null;
  newMemberAdded = false;
  /** `${topic}\0${partition}` -> committed offset */
  readonly offsets = new Map<string, OffsetEntry>();

  constructor(
    readonly groupId: string,
    readonly partition: number,
    now: number,
  ) {
    this.stateTimestamp = now;
  }

  is(...states: GroupState[]): boolean {
    return states.includes(this.state);
  }

  transition(state: GroupState, now: number): void {
    this.state = state;
    this.stateTimestamp = now;
  }

  add(member: Member): void {
    if (this.members.size === 0) this.protocolType = member.protocolType;
    this.members.set(member.memberId, member);
    if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId);
    if (this.leaderId === null) this.leaderId = member.memberId;
    this.pendingMembers.delete(member.memberId);
  }

  remove(memberId: string): void {
    const m = this.members.get(memberId);
    if (!m) return;
    this.members.delete(memberId);
    this.pendingSync.delete(memberId);
    if (m.groupInstanceId !== null && this.staticMembers.get(m.groupInstanceId) === memberId)
      this.staticMembers.delete(m.groupInstanceId);
    if (this.leaderId === memberId) this.leaderId = this.members.keys().next().value ?? null;
  }

  /** Replaces a static member's id (a restarted instance), keeping its place and assignment. */
  replaceStaticMember(instanceId: string, oldId: string, newId: string): Member | undefined {
    const m = this.members.get(oldId);
    if (!m) return undefined;
    this.members.delete(oldId);
    m.memberId = newId;
    this.members.set(newId, m);
    this.staticMembers.set(instanceId, newId);
    if (this.leaderId === oldId) this.leaderId = newId;
    if (this.pendingSync.delete(oldId)) this.pendingSync.add(newId);
    return m;
  }

  get rebalanceTimeoutMs(): number {
    let t = 0;
    for (const m of this.members.values()) t = Math.max(t, m.rebalanceTimeoutMs);
    return t;
  }

  hasAllMembersJoined(): boolean {
    for (const m of this.members.values()) if (!m.awaitingJoin) return false;
    return this.pendingMembers.size === 0;
  }

  /** Protocols every member supports. */
  supportedProtocols(): Set<string> {
    const counts = new Map<string, number>();
    for (const m of this.members.values()) {
      for (const name of new Set(m.protocols.map((p) => p.name))) counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    const all = new Set<string>();
    for (const [name, n] of counts) if (n === this.members.size) all.add(name);
    return all;
  }

  /** Whether a member with this protocol type and protocols may join (Kafka's supportsProtocols). */
  supportsProtocols(protocolType: string, protocols: Protocol[]): boolean {
    if (this.is('Empty') || this.members.size === 0) return protocolType.length > 0 && protocols.length > 0;
    if (protocolType !== this.protocolType) return false;
    const supported = this.supportedProtocols();
    return protocols.some((p) => supported.has(p.name));
  }

  /** The protocol all members support that most members prefer (each votes its first candidate). */
  selectProtocol(): string | null {
    const candidates = this.supportedProtocols();
    if (candidates.size === 0) return null;
    const votes = new Map<string, number>();
    let order: string[] = [];
    for (const m of this.members.values()) {
      const choice = m.protocols.find((p) => candidates.has(p.name))!.name;
      votes.set(choice, (votes.get(choice) ?? 0) + 1);
      if (order.length === 0) order = m.protocols.map((p) => p.name).filter((n) => candidates.has(n));
    }
    let best: string | null = null;
    for (const name of order) if (best === null || (votes.get(name) ?? 0) > (votes.get(best) ?? 0)) best = name;
    return best;
  }

  isStaticMemberFenced(memberId: string, instanceId: string | null): boolean {
    if (instanceId === null) return false;
    const current = this.staticMembers.get(instanceId);
    return current !== undefined && current !== memberId;
  }

  /** Topics the members subscribe to, when every member speaks the consumer protocol. */
  subscribedTopics(parse: (metadata: Buffer) => string[] | null): Set<string> | null {
    if (this.protocolType !== 'consumer' || this.protocolName === null) return null;
    const topics = new Set<string>();
    for (const m of this.members.values()) {
      const ts = parse(m.metadataFor(this.protocolName));
      if (ts === null) return null;
      for (const t of ts) topics.add(t);
    }
    return topics;
  }
}

export const offsetKeyOf = (topic: string, partition: number) => `${topic}\u0000${partition}`;
export function splitOffsetKey(k: string): [string, number] {
  const i = k.lastIndexOf('\u0000');
  return [k.slice(0, i), Number(k.slice(i + 1))];
}
