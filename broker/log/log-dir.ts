// The health of the node's log directory (Kafka's LogDirFailureChannel and offline log dirs).
// The first storage error of any partition log (ENOSPC, EIO, EROFS, EACCES ...) takes the whole
// directory offline: no partition of this node writes to it any more (produce answers
// KAFKA_STORAGE_ERROR, followers stop fetching), what is on disk stays readable, and the node
// reports the directory in its BrokerHeartbeat (offlineLogDirs) so that the controller moves
// leadership to an in-sync replica elsewhere and drops this node from the ISRs.
//
// Choice, as Kafka: an offline directory stays offline until the node restarts, even when space
// frees up. A failed write may have left its files in a state only recovery vouches for, and a
// replica that comes back by itself would rejoin ISRs with a log nobody re-checked; a restart
// runs recovery (the logs are closed without their clean-shutdown marker) and re-registers.
// Deviation: Kafka halts a broker whose only log dir fails; this node keeps running, read-only,
// and keeps answering Metadata, Fetch and ListOffsets from what it has.

import { createHash } from 'node:crypto';

/** errno codes that mean the file system refused a write, not a bug in the caller. */
const STORAGE_ERRNOS = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EROFS', 'EACCES', 'EPERM', 'EFBIG', 'ENOENT', 'EBADF']);

export function isStorageError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && STORAGE_ERRNOS.has(code);
}

export interface LogDirFailure {
  /** What failed first, e.g. "append to orders-0: ENOSPC: no space left on device, write". */
  message: string;
  at: number;
}

export class LogDir {
  private _failure: LogDirFailure | null = null;
  private listeners: (() => void)[] = [];
  /** Kafka's directory id: here derived from the path (there is one directory per node). */
  readonly id: string;

  constructor(readonly path: string) {
    this.id = createHash('sha256').update(path).digest('hex').slice(0, 32);
  }

  get offline(): boolean {
    return this._failure !== null;
  }
  get failure(): LogDirFailure | null {
    return this._failure;
  }

  /** A storage operation failed: the first failure takes the directory offline. */
  fail(what: string, e: unknown): void {
    if (this._failure) return;
    this._failure = { message: `${what}: ${(e as Error).message}`, at: Date.now() };
    for (const fn of this.listeners) fn();
  }

  onOffline(fn: () => void): void {
    this.listeners.push(fn);
  }
}
