// The node-wide budget for bytes of requests being read or handled (Kafka's
// queued.max.request.bytes and its MemoryPool): a frame reserves its declared size before its
// payload is read and gives it back once its response is ready (or its connection closes). A
// connection whose frame does not fit stops reading its socket (Kafka mutes the channel) and
// is woken, oldest first, when bytes come back. A frame larger than the whole budget is let
// through when nothing else holds any, so a budget below socket.request.max.bytes cannot wedge.
// Deviation from Kafka: the budget is always on (Kafka's default is -1, unbounded); Samsa's
// default is 100 MiB, the size of one largest request.
// Giving memory back: a released frame's buffer is garbage until V8's next full collection,
// which an idle node may not run for a long time, so after large releases (32 MiB or more)
// the budget asks for one once the node is idle: at the first quarter second after them in
// which its event loop was busy less than 5% of the time — what lets the resident memory return
// to its baseline once a flood of big frames is over. A busier node (serving or replicating,
// a follower of a partition taking 500 acks=all writes a second is at 10-15%) allocates, so V8
// collects on its own; a forced collection there is a stop-the-world pause of 40-100 ms, which
// was the acks=all p99 (docs/decisions/0034).

import type { EventLoopUtilization } from 'node:perf_hooks';
import { nodePerfHooks, nodeV8, nodeVm } from '../lazy-builtins.ts';

const GC_AFTER_BYTES = 32 * 1024 * 1024;
/** How often an armed collection looks whether the node is idle. */
const GC_CHECK_MS = 250;
/** Idle: the event loop was busy less than this fraction of the last GC_CHECK_MS. */
const GC_IDLE_UTILIZATION = 0.05;

export class RequestBudget {
  private used = 0;
  private waiters: (() => void)[] = [];
  private releasedSinceGc = 0;
  private gcTimer: NodeJS.Timeout | undefined;
  /** The event loop's counters when the armed collection last looked. */
  private gcElu: EventLoopUtilization | undefined;

  constructor(readonly capacity: number) {}

  get bytesUsed(): number {
    return this.used;
  }

  get available(): number {
    return Math.max(0, this.capacity - this.used);
  }

  tryReserve(bytes: number): boolean {
    if (this.used > 0 && this.used + bytes > this.capacity) return false;
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    if (bytes <= 0) return;
    this.used = Math.max(0, this.used - bytes);
    this.releasedSinceGc += bytes;
    if (this.releasedSinceGc >= GC_AFTER_BYTES) this.scheduleGc();
    if (this.waiters.length === 0) return;
    // Each woken connection tries again; one that still does not fit waits again.
    const woken = this.waiters;
    this.waiters = [];
    for (const w of woken) w();
  }

  /** Calls `wake` once after the next release; returns a function that cancels the wait. */
  wait(wake: () => void): () => void {
    this.waiters.push(wake);
    return () => {
      const i = this.waiters.indexOf(wake);
      if (i >= 0) this.waiters.splice(i, 1);
    };
  }

  close(): void {
    clearTimeout(this.gcTimer);
    this.gcTimer = undefined;
  }

  /** Arms the collection (once): it runs at the first check that finds the node idle. */
  private scheduleGc(): void {
    if (!this.gcTimer) this.armGcCheck();
  }

  /** The next look, GC_CHECK_MS from now, at how busy the event loop is from now on. */
  private armGcCheck(): void {
    this.gcElu = nodePerfHooks().performance.eventLoopUtilization();
    this.gcTimer = setTimeout(() => this.checkGc(), GC_CHECK_MS);
    this.gcTimer.unref();
  }

  private checkGc(): void {
    const busy = nodePerfHooks().performance.eventLoopUtilization(this.gcElu).utilization;
    if (busy >= GC_IDLE_UTILIZATION) return this.armGcCheck();
    this.gcTimer = undefined;
    this.releasedSinceGc = 0;
    fullGc();
  }
}

let gcFn: (() => void) | null | undefined;

/** A full collection, through the `gc` function V8 gives a new context once --expose-gc is on. */
function fullGc(): void {
  if (gcFn === undefined) {
    try {
      nodeV8().setFlagsFromString('--expose-gc');
      const fn: unknown = nodeVm().runInNewContext('gc');
      gcFn = typeof fn === 'function' ? () => void fn() : null;
    } catch {
      gcFn = null;
    }
  }
  gcFn?.();
}
