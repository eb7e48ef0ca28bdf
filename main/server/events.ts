// The bundled cluster's event timeline, one source of truth on the server: supervisor events
// (events-supervisor.ts) and metadata events (events-feed.ts over events-metadata.ts) land in
// one EventStore, numbered in arrival order for this console session, kept in memory (the
// newest `capacity`), readable with a cursor and pushed to subscribers (the stream socket's
// `events.subscribe`, the replica map, the metrics' chart markers). Timestamps are the sources'
// own (the supervisor's clock, the controller's), so events from the two may arrive slightly out
// of time order: readers sort by `at` for display, and page by `seq`.
import { randomUUID } from 'node:crypto';
import type { ClusterEvent, ClusterEventInput } from '../contract/events.ts';

export interface EventsRead {
  session: string;
  events: ClusterEvent[];
  next: number;
  missed: number;
}

export class EventStore {
  #events: ClusterEvent[] = [];
  #seq = 0;
  #listeners = new Set<(events: ClusterEvent[]) => void>();
  /** Identifies this store: seq restarts at 1 in another console session, so reset the cursor. */
  readonly session = randomUUID();

  constructor(readonly capacity = 20_000) {}

  get lastSeq(): number {
    return this.#seq;
  }

  add(inputs: ClusterEventInput[]): ClusterEvent[] {
    if (inputs.length === 0) return [];
    const added = inputs.map((e) => ({ ...e, seq: ++this.#seq }));
    this.#events.push(...added);
    if (this.#events.length > this.capacity) this.#events.splice(0, this.#events.length - this.capacity);
    for (const fn of this.#listeners) fn(added);
    return added;
  }

  /** Events with seq > since, oldest first, at most `limit` (the oldest of them). */
  read(since: number, limit = Infinity): EventsRead {
    const oldest = this.#events[0]?.seq ?? this.#seq + 1;
    const start = this.#events.findIndex((e) => e.seq > since);
    const events = start < 0 ? [] : this.#events.slice(start, start + limit);
    const next = events.length ? events[events.length - 1].seq : Math.min(since, this.#seq);
    return { session: this.session, events, next, missed: Math.max(0, oldest - since - 1) };
  }

  /** Calls fn with every batch added from now on; returns the unsubscribe function. */
  subscribe(fn: (events: ClusterEvent[]) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }
}

/**
 * A live reader of `store` for a stream socket: the events after `since` first (everything when
 * the cursor is from another session), then each new batch, until `signal` aborts.
 */
export function streamEvents(
  store: EventStore,
  cursor: { since: number; session: string | null },
  signal: AbortSignal,
  send: (batch: EventsRead & { reset: boolean }) => void,
): Promise<void> {
  const reset = cursor.session !== null && cursor.session !== store.session;
  let next = reset ? 0 : cursor.since;
  const first = store.read(next);
  next = first.next;
  send({ ...first, reset });
  return new Promise((resolve) => {
    const off = store.subscribe((events) => {
      const fresh = events.filter((e) => e.seq > next);
      if (!fresh.length) return;
      next = fresh[fresh.length - 1].seq;
      send({ session: store.session, events: fresh, next, missed: 0, reset: false });
    });
    const done = () => {
      off();
      resolve();
    };
    if (signal.aborted) done();
    else signal.addEventListener('abort', done, { once: true });
  });
}
