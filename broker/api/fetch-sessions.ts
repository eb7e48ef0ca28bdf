// Incremental fetch sessions of the Fetch handler (KIP-227), for followers and consumers alike.
// A fetch with sessionEpoch 0 (INITIAL) is a full fetch that opens a session: the node keeps the
// partitions it listed with their fetch offsets and answers a new sessionId. Later fetches
// (sessionId, sessionEpoch 1, 2, ...) list only partitions that are new or whose fetch offset,
// leader epoch or log start offset changed, and name the ones to drop in forgottenTopicsData;
// the node reads every partition of the session from the offsets it keeps and answers only the
// partitions with records, an error, or a high watermark, last stable offset or log start offset
// other than the one it last answered. So an idle consumer or follower costs a few bytes per
// poll, not every partition it reads. sessionEpoch -1 (FINAL) closes the session named and is a
// sessionless full fetch (sessionId 0 with -1 is the plain full fetch of old clients).
// Errors, as Kafka: an unknown sessionId FETCH_SESSION_ID_NOT_FOUND, a sessionEpoch other than the
// next one INVALID_FETCH_SESSION_EPOCH, a switch between topic names (v12-) and topic ids (v13+)
// within a session FETCH_SESSION_TOPIC_ID_ERROR; the client then starts over with a full fetch.
// Cache: at most 1 000 sessions per node (Kafka's max.incremental.fetch.session.cache.slots);
// when full, a new session takes the slot of the least recently used one if that was idle for
// 2 minutes, or, for a follower, of the least recently used consumer session; otherwise the
// fetch is answered without a session (sessionId 0), which the protocol allows.
// Deviations from Kafka: the partitions of an incremental answer are not rotated for fairness
// (they keep the session's order); sessions are not tied to their connection.

import { ErrorCode } from '../protocol/errors.ts';
import { recordBytes } from '../protocol/record-batch.ts';
import type { Fetch } from '../protocol/messages/fetch.ts';
import type { RequestOf, ResponseOf } from '../protocol/schema.ts';

type Req = RequestOf<typeof Fetch>;
type ReqTopic = Req['topics'][number];
type ReqPartition = ReqTopic['partitions'][number];
type ResTopic = ResponseOf<typeof Fetch>['responses'][number];

export const INITIAL_EPOCH = 0;
export const FINAL_EPOCH = -1;
const MAX_SESSIONS = 1000;
const EVICTABLE_AFTER_MS = 120_000;

/** A partition of a session: what the client last asked for and what it was last answered. */
interface Cached {
  req: ReqPartition;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
}

interface SessionTopic {
  entry: ReqTopic;
  parts: Map<number, Cached>;
}

/** The session epoch after `e`: 1, 2, ... wrapping past int32 to 1, as Kafka's nextEpoch. */
export function nextEpoch(e: number): number {
  return e < 0 ? FINAL_EPOCH : e >= 0x7fffffff ? 1 : e + 1;
}

export class FetchSession {
  /** The epoch the next incremental fetch has to carry. */
  epoch = 1;
  lastUsed: number;
  private topics = new Map<string, SessionTopic>();
  private built: ReqTopic[] | null = null;

  constructor(
    readonly id: number,
    /** Topics named by id (Fetch v13+) or by name. */
    readonly byId: boolean,
    readonly follower: boolean,
    now: number,
  ) {
    this.lastUsed = now;
  }

  private key(t: { topic?: string; topicId?: string }): string {
    return (this.byId ? t.topicId : t.topic) ?? '';
  }

  /** Adds or updates the partitions a fetch lists and drops its forgotten ones. */
  update(req: Req): void {
    for (const rt of req.topics) {
      const k = this.key(rt);
      let st = this.topics.get(k);
      if (!st) {
        st = { entry: { topic: rt.topic, topicId: rt.topicId, partitions: [] }, parts: new Map() };
        this.topics.set(k, st);
        this.built = null;
      }
      for (const rp of rt.partitions) {
        const c = st.parts.get(rp.partition);
        if (c) Object.assign(c.req, rp);
        else {
          st.parts.set(rp.partition, { req: { ...rp }, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1 });
          this.built = null;
        }
      }
    }
    for (const ft of req.forgottenTopicsData ?? []) {
      const k = this.key(ft);
      const st = this.topics.get(k);
      if (!st) continue;
      for (const p of ft.partitions) if (st.parts.delete(p)) this.built = null;
      if (st.parts.size === 0) this.topics.delete(k);
    }
  }

  /** Every partition of the session, as the topics of a full fetch (kept until the session changes). */
  requestTopics(): ReqTopic[] {
    if (!this.built) {
      this.built = [...this.topics.values()].map((st) => {
        st.entry.partitions = [...st.parts.values()].map((c) => c.req);
        return st.entry;
      });
    }
    return this.built;
  }

  /**
   * The answer to send: all partitions for the fetch that opened the session, else only those
   * with records, an error or new offsets. Remembers what each partition was answered.
   */
  answer(responses: ResTopic[], full: boolean): ResTopic[] {
    const out: ResTopic[] = [];
    for (const rt of responses) {
      const st = this.topics.get(this.key(rt));
      const parts = rt.partitions.filter((p) => {
        const c = st?.parts.get(p.partitionIndex);
        const lastStableOffset = p.lastStableOffset ?? -1;
        const logStartOffset = p.logStartOffset ?? -1;
        const changed =
          !c ||
          c.highWatermark !== p.highWatermark ||
          c.lastStableOffset !== lastStableOffset ||
          c.logStartOffset !== logStartOffset;
        if (c && changed) {
          c.highWatermark = p.highWatermark;
          c.lastStableOffset = lastStableOffset;
          c.logStartOffset = logStartOffset;
        }
        return full || changed || p.errorCode !== ErrorCode.NONE || recordBytes(p.records) > 0;
      });
      if (parts.length) out.push(parts.length === rt.partitions.length ? rt : { ...rt, partitions: parts });
    }
    return out;
  }
}

/** How a fetch stands towards sessions. */
export type SessionUse =
  | { kind: 'none' } // sessionless full fetch
  | { kind: 'error'; errorCode: number }
  | { kind: 'session'; session: FetchSession; full: boolean };

export class FetchSessions {
  private sessions = new Map<number, FetchSession>();

  constructor(private readonly maxSessions = MAX_SESSIONS) {}

  get size(): number {
    return this.sessions.size;
  }

  /** Resolves the session of a fetch (opening, advancing or closing one) and applies its partitions. */
  use(req: Req, byId: boolean, follower: boolean, now = Date.now()): SessionUse {
    const { sessionId, sessionEpoch } = req;
    if (sessionEpoch === FINAL_EPOCH) {
      if (sessionId !== 0) this.sessions.delete(sessionId);
      return { kind: 'none' };
    }
    if (sessionEpoch === INITIAL_EPOCH) {
      if (sessionId !== 0) this.sessions.delete(sessionId);
      const session = this.open(byId, follower, now);
      if (!session) return { kind: 'none' };
      session.update(req);
      return { kind: 'session', session, full: true };
    }
    if (sessionId === 0) return { kind: 'error', errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH };
    const session = this.sessions.get(sessionId);
    if (!session) return { kind: 'error', errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND };
    if (session.epoch !== sessionEpoch) return { kind: 'error', errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH };
    if (session.byId !== byId) {
      this.sessions.delete(sessionId);
      return { kind: 'error', errorCode: ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR };
    }
    session.epoch = nextEpoch(session.epoch);
    session.lastUsed = now;
    // Most recently used last: the map's order is the eviction order.
    this.sessions.delete(sessionId);
    this.sessions.set(sessionId, session);
    session.update(req);
    return { kind: 'session', session, full: false };
  }

  private open(byId: boolean, follower: boolean, now: number): FetchSession | null {
    if (this.sessions.size >= this.maxSessions && !this.evictFor(follower, now)) return null;
    let id: number;
    do id = 1 + Math.floor(Math.random() * 0x7ffffffe);
    while (this.sessions.has(id));
    const s = new FetchSession(id, byId, follower, now);
    this.sessions.set(id, s);
    return s;
  }

  /** Frees a slot: the least recently used session if idle long enough, or for a follower the least recently used consumer's. */
  private evictFor(follower: boolean, now: number): boolean {
    for (const s of this.sessions.values()) {
      if (now - s.lastUsed >= EVICTABLE_AFTER_MS || (follower && !s.follower)) {
        this.sessions.delete(s.id);
        return true;
      }
    }
    return false;
  }
}
