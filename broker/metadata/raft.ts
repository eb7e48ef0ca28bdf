// The Raft core of the metadata quorum, KRaft-style (KIP-595): pull-based replication where
// followers Fetch from the leader (fetchOffset + lastFetchedEpoch; the leader answers a
// divergingEpoch when the follower's log diverged, or a snapshotId when it is behind the log
// start), Vote for elections, BeginQuorumEpoch to announce a leader, EndQuorumEpoch on a graceful
// resignation. The high watermark is the offset a majority of voters has fetched, counted only
// once an entry of the leader's own epoch is covered (the new leader appends a LeaderChange
// entry at once). Pure logic: I/O goes through RaftTransport (the Kafka protocol in production,
// in-memory calls in unit tests) and RaftStore.
// Observers (KRaft's brokers that are not controllers): a node whose id is not in the voter set
// never votes or stands; it finds the leader by fetching from the voters (following the leader
// id a non-leader voter reports), then replicates and applies the log like a follower
// (FetchSnapshot included). The leader serves its fetches but counts only voters for the high
// watermark and the quorum check.
// The leader remembers the high watermark it last sent each follower and answers a fetch at
// once when that is stale, so a commit reaches every node in about one round trip (KIP-1166's
// aim, without its new Fetch field).
// Deviations from Kafka: no pre-vote (KIP-996) and no dynamic voters (KIP-853); the voter set is
// static (the node ids given with --voters at the cluster's creation; nodes added later are
// observers, never voters). The leader resigns when a majority
// has not fetched for checkQuorumMs (Kafka's fetch-timeout based check). Snapshots are fetched
// whole in one FetchSnapshot round trip. A follower whose leader's port refuses connections
// (a killed process) stands within 150 ms instead of waiting out the election timeout.

import type { RaftEntry, RaftStore, Snapshot } from './raft-store.ts';

export type Role = 'follower' | 'candidate' | 'leader';

export interface VoteReq {
  candidateId: number;
  epoch: number;
  lastEpoch: number;
  lastOffset: number;
}
export interface VoteRes {
  granted: boolean;
  epoch: number;
  leaderId: number;
}
export interface FetchReq {
  replicaId: number;
  epoch: number;
  fetchOffset: number;
  lastFetchedEpoch: number;
  maxWaitMs: number;
}
export type FetchError = 'none' | 'fenced' | 'not_leader' | 'unknown_epoch';
export interface FetchRes {
  error: FetchError;
  leaderId: number;
  epoch: number;
  hw: number;
  entries: RaftEntry[];
  diverging?: { epoch: number; endOffset: number };
  snapshotId?: { endOffset: number; epoch: number };
}

export interface RaftTransport {
  vote(to: number, req: VoteReq): Promise<VoteRes>;
  beginEpoch(to: number, epoch: number, leaderId: number): Promise<void>;
  endEpoch(to: number, epoch: number, leaderId: number, successors: number[]): Promise<void>;
  fetch(to: number, req: FetchReq): Promise<FetchRes>;
  fetchSnapshot(to: number, epoch: number, replicaId: number): Promise<Snapshot | null>;
}

export interface StateMachine {
  apply(entry: RaftEntry): void;
  restore(data: unknown): void;
  snapshot(): unknown;
}

export interface RaftOptions {
  nodeId: number;
  voters: number[];
  electionTimeoutMinMs?: number;
  electionTimeoutMaxMs?: number;
  fetchMaxWaitMs?: number;
  /** Leader resigns if a majority has not fetched for this long. */
  checkQuorumMs?: number;
  /** Committed entries between snapshots. */
  snapshotEvery?: number;
  log?: (msg: string) => void;
}

export class NotLeaderError extends Error {
  constructor(readonly leaderId: number) {
    super(`not the metadata quorum leader (leader is ${leaderId})`);
  }
}

interface Follower {
  offset: number;
  lastFetch: number;
  lastCaughtUp: number;
  /** The high watermark in the last answer to it: a newer one is sent without a long poll. */
  sentHw: number;
}

export class RaftNode {
  role: Role = 'follower';
  hw = 0;
  /** True once this node has applied everything committed as of its first contact with a leader. */
  caughtUp = false;
  applied = 0;
  private readonly o: Required<Omit<RaftOptions, 'log'>>;
  private followers = new Map<number, Follower>();
  private votes = new Set<number>();
  private electionDeadline = 0;
  private leaderSince = 0;
  private lastBegin = new Map<number, number>();
  private fetchGen = 0;
  private wakers = new Set<() => void>();
  private commitWaiters: { offset: number; resolve: () => void; reject: (e: Error) => void }[] = [];
  /** Offset of the LeaderChange entry that opened this leader's epoch. */
  private epochStart = -1;
  private timer: NodeJS.Timeout | undefined;
  private listeners: (() => void)[] = [];
  private stopped = false;
  private lastFetchErrorLog = 0;
  private log: (msg: string) => void;

  constructor(
    opts: RaftOptions,
    readonly store: RaftStore,
    private readonly transport: RaftTransport,
    private readonly sm: StateMachine,
  ) {
    this.o = {
      electionTimeoutMinMs: 300,
      electionTimeoutMaxMs: 1000,
      checkQuorumMs: 1500,
      snapshotEvery: 1000,
      ...opts,
      // A follower's long poll must end well within the shortest election timeout.
      fetchMaxWaitMs: opts.fetchMaxWaitMs ?? Math.floor((opts.electionTimeoutMinMs ?? 300) / 3),
    };
    this.log = opts.log ?? (() => {});
    if (store.snapshot) sm.restore(store.snapshot.data);
    this.applied = this.hw = store.startOffset;
  }

  get nodeId(): number {
    return this.o.nodeId;
  }
  get voters(): number[] {
    return this.o.voters;
  }
  get epoch(): number {
    return this.store.quorum.epoch;
  }
  get leaderId(): number {
    return this.store.quorum.leaderId;
  }
  get isLeader(): boolean {
    return this.role === 'leader';
  }
  /** False for an observer: a node outside the (static) voter set. */
  get isVoter(): boolean {
    return this.o.voters.includes(this.o.nodeId);
  }
  private get majority(): number {
    return Math.floor(this.o.voters.length / 2) + 1;
  }

  onLeaderChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  start(): void {
    const q = this.store.quorum;
    if (this.o.voters.length === 1 && this.o.voters[0] === this.o.nodeId) {
      this.becomeLeader(q.epoch + 1);
    } else if (!this.isVoter) {
      // An observer follows the last known leader, or asks the voters who leads.
      this.electionDeadline = Date.now() + this.randomTimeout();
      const gen = ++this.fetchGen;
      if (q.leaderId >= 0) void this.fetchLoop(gen, q.leaderId);
      else void this.discoverLoop(gen);
    } else if (q.leaderId >= 0 && q.leaderId !== this.o.nodeId) {
      this.becomeFollower(q.epoch, q.leaderId); // resume following the last known leader
    } else {
      this.becomeFollower(q.epoch, -1);
      // A fresh quorum stands soon, at a random moment so that nodes starting together rarely
      // tie. A restarted voter waits a full timeout first: a live leader re-announces itself
      // (BeginQuorumEpoch) to silent voters every 250 ms, and an election with no pre-vote
      // would depose it for nothing.
      this.electionDeadline =
        Date.now() + (q.epoch === 0 ? Math.random() * this.o.electionTimeoutMinMs : this.randomTimeout());
    }
    this.timer = setInterval(() => this.tick(), 25);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.fetchGen++;
    for (const w of this.wakers) w();
    this.rejectWaiters(new Error('raft stopped'));
  }

  /** Graceful stop: a leader hands over (EndQuorumEpoch) so the others elect at once. */
  async resign(): Promise<void> {
    if (this.role !== 'leader' || this.o.voters.length === 1) return;
    const others = this.o.voters.filter((v) => v !== this.o.nodeId);
    const by = (v: number) => this.followers.get(v)?.offset ?? 0;
    others.sort((a, b) => by(b) - by(a));
    await Promise.race([
      Promise.allSettled(others.map((v) => this.transport.endEpoch(v, this.epoch, this.o.nodeId, others))),
      new Promise((r) => setTimeout(r, 300)),
    ]);
  }

  private randomTimeout(): number {
    const { electionTimeoutMinMs: a, electionTimeoutMaxMs: b } = this.o;
    return a + Math.random() * (b - a);
  }

  private tick(): void {
    if (this.stopped) return;
    const now = Date.now();
    if (this.role !== 'leader') {
      if (now < this.electionDeadline) return;
      if (this.isVoter) this.startElection();
      else {
        // An observer that heard nothing from its leader for an election timeout looks again.
        this.electionDeadline = now + this.randomTimeout();
        if (this.leaderId >= 0) this.becomeFollower(this.epoch, -1);
      }
      return;
    }
    // Check quorum: resign when a majority has stopped fetching (e.g. after a SIGSTOP).
    if (now - this.leaderSince > this.o.checkQuorumMs) {
      let live = 1;
      for (const v of this.o.voters) {
        if (v !== this.o.nodeId && now - (this.followers.get(v)?.lastFetch ?? 0) < this.o.checkQuorumMs) live++;
      }
      if (live < this.majority) {
        this.log(`raft: leader of epoch ${this.epoch} lost its majority; resigning`);
        this.becomeFollower(this.epoch, -1);
        return;
      }
    }
    // Re-announce to voters that do not fetch (restarted or missed the first BeginQuorumEpoch).
    for (const v of this.o.voters) {
      if (v === this.o.nodeId) continue;
      const f = this.followers.get(v);
      if (f && now - f.lastFetch < 300) continue;
      if (now - (this.lastBegin.get(v) ?? 0) < 250) continue;
      this.lastBegin.set(v, now);
      this.transport.beginEpoch(v, this.epoch, this.o.nodeId).catch(() => {});
    }
  }

  private persist(epoch: number, votedFor: number, leaderId: number): void {
    this.store.saveQuorum({ epoch, votedFor, leaderId });
  }

  private startElection(): void {
    const epoch = this.epoch + 1;
    this.role = 'candidate';
    this.persist(epoch, this.o.nodeId, -1);
    this.votes = new Set([this.o.nodeId]);
    this.electionDeadline = Date.now() + this.randomTimeout();
    this.fetchGen++;
    this.log(`raft: candidate for epoch ${epoch}`);
    this.emit();
    if (this.votes.size >= this.majority) return this.becomeLeader(epoch);
    const req: VoteReq = {
      candidateId: this.o.nodeId,
      epoch,
      lastEpoch: this.store.lastEpoch,
      lastOffset: this.store.logEndOffset,
    };
    for (const v of this.o.voters) {
      if (v === this.o.nodeId) continue;
      this.transport.vote(v, req).then(
        (res) => {
          if (this.stopped) return;
          if (res.epoch > this.epoch) return this.becomeFollower(res.epoch, res.leaderId);
          if (this.role !== 'candidate' || this.epoch !== epoch || !res.granted) return;
          this.votes.add(v);
          if (this.votes.size >= this.majority) this.becomeLeader(epoch);
        },
        () => {},
      );
    }
  }

  private becomeLeader(epoch: number): void {
    this.role = 'leader';
    this.persist(epoch, this.o.nodeId, this.o.nodeId);
    this.fetchGen++;
    this.followers.clear();
    this.lastBegin.clear();
    this.leaderSince = Date.now();
    this.log(`raft: leader of epoch ${epoch}`);
    this.epochStart = this.appendLocal([{ type: 'LeaderChange', leaderId: this.o.nodeId, epoch, at: Date.now() }]);
    for (const v of this.o.voters) {
      if (v === this.o.nodeId) continue;
      this.lastBegin.set(v, Date.now());
      this.transport.beginEpoch(v, epoch, this.o.nodeId).catch(() => {});
    }
    this.emit();
  }

  private becomeFollower(epoch: number, leaderId: number): void {
    const changed = epoch !== this.epoch || leaderId !== this.leaderId || this.role !== 'follower';
    if (!changed) return;
    const wasLeader = this.role === 'leader';
    const votedFor = epoch === this.epoch ? this.store.quorum.votedFor : -1;
    this.role = 'follower';
    this.persist(epoch, votedFor, leaderId);
    this.electionDeadline = Date.now() + this.randomTimeout();
    if (wasLeader) this.rejectWaiters(new NotLeaderError(leaderId));
    for (const w of this.wakers) w();
    const gen = ++this.fetchGen;
    if (leaderId >= 0 && leaderId !== this.o.nodeId) void this.fetchLoop(gen, leaderId);
    else if (!this.isVoter) void this.discoverLoop(gen);
    this.emit();
  }

  private emit(): void {
    for (const fn of this.listeners) fn();
  }

  private rejectWaiters(e: Error): void {
    const ws = this.commitWaiters;
    this.commitWaiters = [];
    for (const w of ws) w.reject(e);
  }

  // ------------------------------------------------------------------ follower side

  /** Observer without a known leader: asks the voters in turn (a Fetch) until one names it. */
  private async discoverLoop(gen: number): Promise<void> {
    const voters = this.o.voters;
    let i = Math.floor(Math.random() * voters.length);
    while (!this.stopped && gen === this.fetchGen) {
      const v = voters[i++ % voters.length];
      try {
        const res = await this.transport.fetch(v, {
          replicaId: this.o.nodeId,
          epoch: this.epoch,
          fetchOffset: this.store.logEndOffset,
          lastFetchedEpoch: this.store.lastEpoch,
          maxWaitMs: 0,
        });
        if (this.stopped || gen !== this.fetchGen) return;
        const leader = res.error === 'none' ? v : res.leaderId;
        if (leader >= 0 && res.epoch >= this.epoch) {
          this.becomeFollower(res.epoch, leader);
          return;
        }
      } catch {
        /* that voter is down: try the next one */
      }
      await sleep(50);
    }
  }

  private async fetchLoop(gen: number, leader: number): Promise<void> {
    while (!this.stopped && gen === this.fetchGen) {
      try {
        const res = await this.transport.fetch(leader, {
          replicaId: this.o.nodeId,
          epoch: this.epoch,
          fetchOffset: this.store.logEndOffset,
          lastFetchedEpoch: this.store.lastEpoch,
          maxWaitMs: this.o.fetchMaxWaitMs,
        });
        if (this.stopped || gen !== this.fetchGen) return;
        await this.onFetchResponse(res, leader);
      } catch (e) {
        if (Date.now() - this.lastFetchErrorLog > 5000) {
          this.lastFetchErrorLog = Date.now();
          this.log(`raft: fetch from leader ${leader} failed: ${(e as Error).message}`);
        }
        // Nothing listens at the leader's port: its process is gone. Stand soon (after a short
        // random delay, so the survivors rarely tie) instead of waiting out the election timeout.
        if ((e as NodeJS.ErrnoException).code === 'ECONNREFUSED' && gen === this.fetchGen)
          this.electionDeadline = Math.min(this.electionDeadline, Date.now() + Math.random() * 150);
        await sleep(50);
      }
    }
  }

  private async onFetchResponse(res: FetchRes, leader: number): Promise<void> {
    if (res.error !== 'none') {
      if (res.epoch > this.epoch) this.becomeFollower(res.epoch, res.leaderId);
      else if (!this.isVoter && res.epoch === this.epoch && res.leaderId !== leader)
        this.becomeFollower(res.epoch, res.leaderId); // an observer follows the voter's pointer
      else await sleep(50);
      return;
    }
    this.electionDeadline = Date.now() + this.randomTimeout();
    if (res.snapshotId) {
      const snap = await this.transport.fetchSnapshot(leader, this.epoch, this.o.nodeId);
      if (!snap) return;
      this.store.installSnapshot(snap);
      this.log(`raft: installed snapshot up to ${snap.endOffset} from leader ${leader}`);
      this.sm.restore(snap.data);
      this.applied = this.hw = snap.endOffset;
      this.emit();
      return;
    }
    if (res.diverging) {
      const mine = this.store.endOffsetForEpoch(res.diverging.epoch);
      const to = Math.max(this.applied, Math.min(res.diverging.endOffset, mine.endOffset));
      this.log(`raft: truncating metadata log to ${to} (diverged at epoch ${res.diverging.epoch})`);
      this.store.truncateTo(to);
      return;
    }
    const fresh = res.entries.filter((e) => e.offset >= this.store.logEndOffset);
    if (fresh.length && fresh[0].offset === this.store.logEndOffset) this.store.append(fresh);
    if (res.hw < 0) return;
    this.advanceHw(Math.min(res.hw, this.store.logEndOffset));
    if (!this.caughtUp && this.applied >= res.hw) {
      this.caughtUp = true;
      this.emit();
    }
  }

  // ------------------------------------------------------------------ leader side

  private appendLocal(records: unknown[]): number {
    let offset = this.store.logEndOffset;
    const entries = records.map((record) => ({ offset: offset++, epoch: this.epoch, record }));
    this.store.append(entries);
    this.updateHw();
    for (const w of [...this.wakers]) w();
    return offset - 1;
  }

  /**
   * Resolves once this leader has applied its epoch's LeaderChange entry, so every entry of
   * earlier epochs too: only then is the state it applied the committed one (a new leader may
   * hold entries the old leader committed that it has not applied yet). Kafka's KafkaRaftClient
   * tells its controller of the leadership only from that point (the epoch start offset).
   * Rejects with NotLeaderError on a node that does not lead, or that stops leading meanwhile.
   */
  leaderReady(): Promise<void> {
    if (this.role !== 'leader') return Promise.reject(new NotLeaderError(this.leaderId));
    if (this.applied > this.epochStart) return Promise.resolve();
    return new Promise((resolve, reject) => this.commitWaiters.push({ offset: this.epochStart, resolve, reject }));
  }

  /** Appends records as one unit and resolves once they are committed and applied here. */
  propose(records: unknown[]): Promise<number> {
    if (this.role !== 'leader') return Promise.reject(new NotLeaderError(this.leaderId));
    const last = this.appendLocal(records);
    if (this.applied > last) return Promise.resolve(last);
    return new Promise((resolve, reject) =>
      this.commitWaiters.push({ offset: last, resolve: () => resolve(last), reject }),
    );
  }

  private updateHw(): void {
    if (this.role !== 'leader') return;
    const offsets = this.o.voters
      .map((v) => (v === this.o.nodeId ? this.store.logEndOffset : (this.followers.get(v)?.offset ?? 0)))
      .sort((a, b) => b - a);
    const candidate = offsets[this.majority - 1];
    if (candidate > this.hw && this.store.epochAt(candidate - 1) === this.epoch) this.advanceHw(candidate);
  }

  private advanceHw(hw: number): void {
    if (hw <= this.hw) return;
    this.hw = hw;
    const first = this.role === 'leader' && !this.caughtUp;
    let n = 0;
    while (this.applied < this.hw) {
      const e = this.store.get(this.applied);
      if (!e) break;
      this.sm.apply(e);
      this.applied++;
      n++;
    }
    if (this.commitWaiters.length) {
      const done = this.commitWaiters.filter((w) => w.offset < this.applied);
      this.commitWaiters = this.commitWaiters.filter((w) => w.offset >= this.applied);
      for (const w of done) w.resolve();
    }
    for (const w of [...this.wakers]) w();
    if (n) this.maybeSnapshot();
    if (first && this.applied >= this.hw) {
      this.caughtUp = true; // only now: reconcile must not drop logs of topics not yet replayed
      this.emit();
    }
  }

  private maybeSnapshot(): void {
    if (this.applied - this.store.startOffset < this.o.snapshotEvery) return;
    const endOffset = this.applied;
    this.store.saveSnapshot({ endOffset, epoch: this.store.epochAt(endOffset - 1), data: this.sm.snapshot() });
    this.log(`raft: snapshot at ${endOffset}`);
  }

  async handleFetch(req: FetchReq): Promise<FetchRes> {
    // Until it has committed in its own epoch a new leader does not know the HW: it sends -1,
    // so a restarted follower never takes an empty state for the committed one.
    const base = (error: FetchError): FetchRes => ({
      error,
      leaderId: this.leaderId,
      epoch: this.epoch,
      hw: this.caughtUp ? this.hw : -1,
      entries: [],
    });
    if (req.epoch > this.epoch) {
      this.becomeFollower(req.epoch, -1);
      return base('unknown_epoch');
    }
    if (req.epoch < this.epoch) return base('fenced');
    if (this.role !== 'leader') return base('not_leader');
    if (req.fetchOffset < this.store.startOffset && this.store.snapshot)
      return {
        ...base('none'),
        snapshotId: { endOffset: this.store.snapshot.endOffset, epoch: this.store.snapshot.epoch },
      };
    if (req.fetchOffset > 0) {
      const end = this.store.endOffsetForEpoch(req.lastFetchedEpoch);
      if (end.epoch !== req.lastFetchedEpoch || end.endOffset < req.fetchOffset)
        return { ...base('none'), diverging: end };
    }
    const now = Date.now();
    const f = this.followers.get(req.replicaId) ?? { offset: 0, lastFetch: 0, lastCaughtUp: 0, sentHw: -1 };
    f.offset = req.fetchOffset;
    f.lastFetch = now;
    if (req.fetchOffset >= this.store.logEndOffset) f.lastCaughtUp = now;
    this.followers.set(req.replicaId, f);
    this.updateHw();
    let entries = this.store.slice(req.fetchOffset, 500);
    // A follower that has not heard of the current high watermark (it may just have moved, on
    // this very fetch) gets it at once: commits reach every node without waiting a poll out.
    // (Not before the leader knows it: a new leader sends -1 until it commits.)
    if (!entries.length && req.maxWaitMs > 0 && (f.sentHw >= this.hw || !this.caughtUp)) {
      const hw = this.hw;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          this.wakers.delete(done);
          resolve();
        };
        const t = setTimeout(done, req.maxWaitMs);
        this.wakers.add(done);
      });
      if (this.role !== 'leader' || req.epoch !== this.epoch) return base('not_leader');
      entries = this.store.slice(req.fetchOffset, 500);
      if (!entries.length && hw === this.hw) return base('none');
    }
    const res = { ...base('none'), entries };
    f.sentHw = res.hw;
    return res;
  }

  handleVote(req: VoteReq): VoteRes {
    if (!this.isVoter) return { granted: false, epoch: this.epoch, leaderId: this.leaderId };
    if (req.epoch > this.epoch) this.becomeFollower(req.epoch, -1);
    const q = this.store.quorum;
    if (req.epoch < q.epoch) return { granted: false, epoch: q.epoch, leaderId: q.leaderId };
    const upToDate =
      req.lastEpoch > this.store.lastEpoch ||
      (req.lastEpoch === this.store.lastEpoch && req.lastOffset >= this.store.logEndOffset);
    const granted = q.leaderId === -1 && (q.votedFor === -1 || q.votedFor === req.candidateId) && upToDate;
    if (granted) {
      this.persist(q.epoch, req.candidateId, -1);
      this.electionDeadline = Date.now() + this.randomTimeout();
    }
    return { granted, epoch: this.epoch, leaderId: this.leaderId };
  }

  handleBeginEpoch(epoch: number, leaderId: number): { epoch: number; leaderId: number } {
    if (epoch > this.epoch || (epoch === this.epoch && this.leaderId === -1 && leaderId !== this.o.nodeId))
      this.becomeFollower(epoch, leaderId);
    return { epoch: this.epoch, leaderId: this.leaderId };
  }

  handleEndEpoch(epoch: number, leaderId: number, successors: number[]): void {
    if (epoch !== this.epoch || leaderId !== this.leaderId || this.role === 'leader') return;
    this.becomeFollower(epoch, -1);
    // The most caught-up successor stands first; the others wait a little longer.
    const rank = Math.max(0, successors.indexOf(this.o.nodeId));
    this.electionDeadline = Date.now() + (rank === 0 ? 0 : this.o.electionTimeoutMinMs + Math.random() * 200);
  }

  handleFetchSnapshot(epoch: number): Snapshot | null {
    if (this.role !== 'leader' || epoch !== this.epoch) return null;
    return this.store.snapshot;
  }

  /** Observers' progress as the leader sees it (DescribeQuorum). */
  describeObservers(): {
    replicaId: number;
    logEndOffset: number;
    lastFetchTimestamp: number;
    lastCaughtUpTimestamp: number;
  }[] {
    if (this.role !== 'leader') return [];
    return [...this.followers]
      .filter(([id]) => !this.o.voters.includes(id))
      .sort(([a], [b]) => a - b)
      .map(([replicaId, f]) => ({
        replicaId,
        logEndOffset: f.offset,
        lastFetchTimestamp: f.lastFetch,
        lastCaughtUpTimestamp: f.lastCaughtUp,
      }));
  }

  /** When replica `id` (voter or observer) last fetched from this leader (0 = never in this term). */
  lastFetchOf(id: number): number {
    return this.role === 'leader' ? (this.followers.get(id)?.lastFetch ?? 0) : 0;
  }

  /** Follower progress as the leader sees it (DescribeQuorum). */
  describeVoters(): {
    replicaId: number;
    logEndOffset: number;
    lastFetchTimestamp: number;
    lastCaughtUpTimestamp: number;
  }[] {
    const now = Date.now();
    return this.o.voters.map((v) => {
      if (v === this.o.nodeId)
        return {
          replicaId: v,
          logEndOffset: this.store.logEndOffset,
          lastFetchTimestamp: now,
          lastCaughtUpTimestamp: now,
        };
      const f = this.followers.get(v);
      return {
        replicaId: v,
        logEndOffset: f?.offset ?? -1,
        lastFetchTimestamp: f?.lastFetch ?? -1,
        lastCaughtUpTimestamp: f?.lastCaughtUp ?? -1,
      };
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
