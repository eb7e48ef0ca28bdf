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
// the budget asks for one (a second after the last such release, at most five after the first)
// — what lets the resident memory return to its baseline once a flood of big frames is over.

import { nodeV8, nodeVm } from '../lazy-builtins.ts';

const GC_AFTER_BYTES = 32 * 1024 * 1024;
const GC_QUIET_MS = 1000;
const GC_MAX_DELAY_MS = 5000;

export class RequestBudget {
  private used = 0;
  private waiters: (() => void)[] = [];
  private releasedSinceGc = 0;
  private gcTimer: NodeJS.Timeout | undefined;
  private gcDue = 0;
  private lastRelease = 0;

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

  /**
   * Called on every release past GC_AFTER_BYTES, so under load on every request: it only notes
   * the time, and the one timer, when it fires early, re-arms itself for what is left of the
   * quiet second (no clearTimeout and new Timeout per request).
   */
  private scheduleGc(): void {
    const now = Date.now();
    this.lastRelease = now;
    if (this.gcTimer) return;
    this.gcDue = now + GC_MAX_DELAY_MS;
    this.armGc(GC_QUIET_MS);
  }

  private armGc(ms: number): void {
    this.gcTimer = setTimeout(() => {
      const now = Date.now();
      const quietAt = this.lastRelease + GC_QUIET_MS;
      if (now < quietAt && now < this.gcDue) return this.armGc(Math.min(quietAt, this.gcDue) - now);
      this.gcTimer = undefined;
      this.releasedSinceGc = 0;
      fullGc();
    }, Math.max(0, ms));
    this.gcTimer.unref();
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
