// Memory for log reads. A read that keeps its bytes (recovery, the coordinators' loads, tests)
// gets fresh memory (`freshMemory`). A Fetch response's reads go into a ReadArena: pooled slabs,
// carved one read after another, that go back to the pool once the response has been handed to
// the socket (server/connection.ts calls the handler's afterWrite). A slab holds at least the
// read that opens it, rounded up to a power of two (64 KiB at least), and at least twice the
// arena's previous slab, so a fetch of many small partitions takes few slabs and a fetch of
// one small read holds little; reads under 4 KiB that do not fit come from Node's own small
// buffer pool, as fresh memory does. Reusing
// memory saves what fresh 4 MiB buffers cost on every Fetch: the kernel zeroing and faulting in
// new pages during the read, and the garbage collections that external allocations trigger
// (docs/decisions/0031). An arena that is never released (the connection closed before its
// answer was written) is left to the garbage collector, so a slab is reused only when nothing
// can still point into it.
// The pool keeps at most POOL_MAX_BYTES of free slabs and empties itself after IDLE_MS without a
// Fetch, so an idle node does not hold read memory.

/** Where a read puts its bytes. */
export interface ReadAlloc {
  /** A buffer of n bytes to read into. */
  take(n: number): Buffer;
  /** The last buffer taken is only needed up to its first n bytes: the rest may be lent again. */
  trim(buf: Buffer, n: number): void;
}

/** Fresh memory, owned by the caller. */
export const freshMemory: ReadAlloc = {
  take: (n) => Buffer.allocUnsafe(n),
  trim: () => {},
};

const MIN_SLAB = 64 << 10;
/** An arena's slabs double up to this size (a 4 MiB Fetch response fits one). */
const MAX_GROWN_SLAB = 4 << 20;
/** Slabs up to this size are pooled; a larger read (a huge first batch) gets its own memory. */
const MAX_POOLED_SLAB = 16 << 20;
/** Node's Buffer.allocUnsafe takes reads below this from its shared pool. */
const SMALL_READ = 4 << 10;
const POOL_MAX_BYTES = 32 << 20;
const IDLE_MS = 10_000;

const free = new Map<number, Buffer[]>();
let freeBytes = 0;
let lastUse = 0;
let idleTimer: NodeJS.Timeout | null = null;

function slabSize(n: number, atLeast: number): number {
  let s = Math.max(MIN_SLAB, atLeast);
  while (s < n) s *= 2;
  return s;
}

function takeSlab(size: number): Buffer {
  lastUse = Date.now();
  const list = free.get(size);
  const slab = list?.pop();
  if (slab) {
    freeBytes -= size;
    return slab;
  }
  return Buffer.allocUnsafe(size);
}

function giveSlab(slab: Buffer): void {
  if (slab.length > MAX_POOLED_SLAB || freeBytes + slab.length > POOL_MAX_BYTES) return;
  let list = free.get(slab.length);
  if (!list) free.set(slab.length, (list = []));
  list.push(slab);
  freeBytes += slab.length;
  lastUse = Date.now();
  if (!idleTimer) {
    idleTimer = setTimeout(dropIfIdle, IDLE_MS);
    idleTimer.unref();
  }
}

function dropIfIdle(): void {
  idleTimer = null;
  const idle = Date.now() - lastUse;
  if (idle >= IDLE_MS) {
    free.clear();
    freeBytes = 0;
  } else {
    idleTimer = setTimeout(dropIfIdle, IDLE_MS - idle);
    idleTimer.unref();
  }
}

/** Bytes of free slabs the pool holds (for tests). */
export function pooledBytes(): number {
  return freeBytes;
}

/** The reads of one response: lends pooled memory until release(). */
export class ReadArena implements ReadAlloc {
  private slabs: Buffer[] = [];
  private current: Buffer | null = null;
  private used = 0;
  private lastAt = -1;
  private nextSlab = MIN_SLAB;

  take(n: number): Buffer {
    if (!this.current || this.current.length - this.used < n) {
      if (n > MAX_POOLED_SLAB || n < SMALL_READ) return Buffer.allocUnsafe(n);
      this.current = takeSlab(slabSize(n, this.nextSlab));
      this.nextSlab = Math.min(MAX_GROWN_SLAB, this.current.length * 2);
      this.slabs.push(this.current);
      this.used = 0;
    }
    this.lastAt = this.used;
    this.used += n;
    return this.current.subarray(this.lastAt, this.used);
  }

  trim(buf: Buffer, n: number): void {
    if (this.current && this.lastAt >= 0 && buf.buffer === this.current.buffer && buf.byteOffset === this.current.byteOffset + this.lastAt)
      this.used = this.lastAt + Math.min(n, buf.length);
  }

  /** Gives the memory back: only once nothing reads the buffers taken any more. */
  release(): void {
    for (const s of this.slabs) giveSlab(s);
    this.slabs = [];
    this.current = null;
    this.used = 0;
    this.lastAt = -1;
    this.nextSlab = MIN_SLAB;
  }
}
