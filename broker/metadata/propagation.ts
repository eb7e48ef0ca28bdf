// What every live broker has applied, as the active controller knows it: each broker reports the
// metadata offset it has applied (BrokerHeartbeat currentMetadataOffset, sent at once after each
// apply; this node's own is exact). Admin changes wait here until every unfenced broker has
// applied them; new partitions additionally wait for a Propagated record (visibility.ts), which
// this writes as soon as every unfenced broker has applied their creation, and which must be
// applied everywhere too, so that they appear on every node together and their leaders already
// lead. Waits are bounded by a deadline (REQUEST_TIMED_OUT naming the brokers it waited for).
// Deviation from Kafka: Kafka answers admin changes once committed and lets brokers catch up
// eventually; this waits for every live broker (DESIGN.md: read-your-writes across nodes).

import { ErrorCode } from '../protocol/errors.ts';
import { ControllerError } from './controller-error.ts';
import type { MetadataRecord, MetadataState } from './metadata-state.ts';
import type { RaftNode } from './raft.ts';

type Write = (fn: () => { records: MetadataRecord[]; result: undefined }) => Promise<undefined>;

export class Propagation {
  /** Metadata applied by each broker, as a count of records (its offset + 1). */
  private applied = new Map<number, number>();
  private wakers = new Set<() => void>();
  private publishing = false;

  constructor(
    private readonly raft: RaftNode,
    private readonly state: MetadataState,
    private readonly write: Write,
    private readonly log: (msg: string) => void,
    /** This node's own count of records applied and acted on (exact, no report needed). */
    private readonly ownApplied: () => number = () => raft.applied,
  ) {}

  /** A new term: offsets known from an earlier one are stale. */
  reset(): void {
    this.applied.clear();
  }

  /** A (re-)registered broker starts over. */
  forget(nodeId: number): void {
    this.applied.delete(nodeId);
  }

  /** A broker's report; returns the count of records it has applied. */
  report(nodeId: number, metadataOffset: number): number {
    const applied = nodeId === this.raft.nodeId ? this.ownApplied() : metadataOffset + 1;
    if (applied > (this.applied.get(nodeId) ?? 0)) {
      this.applied.set(nodeId, applied);
      this.changed();
    }
    return applied;
  }

  /** Something a waiter may wait for changed: an applied offset, fencing, leadership. */
  changed(): void {
    for (const w of [...this.wakers]) w();
    this.maybePublish();
  }

  /** Lowest count of records applied over the unfenced brokers. */
  private minApplied(): number {
    let min = this.ownApplied();
    for (const b of this.state.unfenced())
      if (b.nodeId !== this.raft.nodeId) min = Math.min(min, this.applied.get(b.nodeId) ?? 0);
    return min;
  }

  /**
   * Resolves true once cond holds, false at the deadline. cond is told whether this node still
   * leads: if it has stopped, the applied offsets known here are stale and cond has to judge
   * from this node's own copy of the metadata.
   */
  private async waitFor(cond: (leading: boolean) => boolean, deadline: number): Promise<boolean> {
    while (!cond(this.raft.isLeader)) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          this.wakers.delete(done);
          resolve();
        };
        const t = setTimeout(done, Math.min(left, 100));
        this.wakers.add(done);
      });
    }
    return true;
  }

  /** Every unfenced broker has applied the record at `offset` (nothing to wait for when < 0). */
  async awaitApplied(offset: number, deadline: number, what: string): Promise<void> {
    if (offset < 0) return;
    // Not leading any more: the change is committed, and the next controller has the offsets.
    if (!(await this.waitFor((leading) => !leading || this.minApplied() > offset, deadline)))
      throw this.timedOut(what, offset);
  }

  /** Every partition of the topic is visible and every unfenced broker has applied that. */
  async awaitVisible(name: string, deadline: number, what: string): Promise<void> {
    let needed = -1; // the record every broker still has to apply
    const done = (leading: boolean) => {
      const t = this.state.topics.get(name);
      if (!t) return true; // deleted meanwhile: nothing left to wait for
      needed = -1;
      for (const p of t.partitions) {
        if (p.createdAt === undefined) continue;
        // Hidden: its creation first, then the Propagated record.
        if (p.visibleAt === undefined) {
          needed = p.createdAt;
          return false;
        }
        needed = Math.max(needed, p.visibleAt);
      }
      // Not leading any more: the next controller publishes the partitions once every broker
      // has applied them, and this node sees that in its own copy of the metadata.
      return !leading || this.minApplied() > needed;
    };
    if (!(await this.waitFor(done, deadline))) throw this.timedOut(what, needed);
  }

  private timedOut(what: string, offset: number): ControllerError {
    const waiting = this.state
      .unfenced()
      .filter((b) => b.nodeId !== this.raft.nodeId && (this.applied.get(b.nodeId) ?? 0) <= offset)
      .map((b) => b.nodeId);
    const message = `${what}, but not every live broker had applied it in time (waiting for ${waiting.length ? `broker ${waiting.join(', ')}` : 'the controller'})`;
    this.log(`controller: ${message}; applied ${JSON.stringify(Object.fromEntries(this.applied))}, needed > ${offset}`);
    return new ControllerError(ErrorCode.REQUEST_TIMED_OUT, message);
  }

  /** Makes hidden partitions visible once every unfenced broker has applied their creation. */
  private maybePublish(): void {
    if (this.publishing || !this.raft.isLeader) return;
    const upTo = this.minApplied();
    if (this.state.firstHidden() >= upTo) return;
    this.publishing = true;
    this.write(() => ({ records: [{ type: 'Propagated', upTo }], result: undefined }))
      .catch((e) => this.log(`controller: publishing propagation failed: ${(e as Error).message}`))
      .finally(() => {
        this.publishing = false;
        this.changed();
      });
  }
}
