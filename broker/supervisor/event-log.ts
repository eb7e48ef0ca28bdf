// The supervisor's event history (node started / stopped / killed / exited / paused / resumed /
// added / removed), numbered from 1 so a reader can poll with a cursor and never miss or repeat
// one. Bounded: the oldest events are dropped past `capacity`, and a reader that fell that far
// behind is told how many it missed.

import { randomUUID } from 'node:crypto';
import type { EventsResponse, SupervisorEvent } from '../../main/contract/control.ts';

export class EventLog {
  private events: SupervisorEvent[] = [];
  private seq = 0;
  private waiters = new Set<() => void>();
  readonly run = randomUUID();

  constructor(private readonly capacity = 1000) {}

  get lastSeq(): number {
    return this.seq;
  }

  append(e: Omit<SupervisorEvent, 'seq' | 'at'> & { at?: number }): SupervisorEvent {
    const event: SupervisorEvent = { ...e, seq: ++this.seq, at: e.at ?? Date.now() };
    this.events.push(event);
    if (this.events.length > this.capacity) this.events.splice(0, this.events.length - this.capacity);
    for (const w of this.waiters) w();
    return event;
  }

  /** Events with seq > since; with waitMs, waits that long for the first one. */
  async read(since: number, waitMs = 0, signal?: AbortSignal): Promise<EventsResponse> {
    if (this.seq <= since && waitMs > 0 && !signal?.aborted) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiters.delete(done);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, waitMs);
        this.waiters.add(done);
        signal?.addEventListener('abort', done);
      });
    }
    const oldest = this.events[0]?.seq ?? this.seq + 1;
    const events = this.events.filter((e) => e.seq > since);
    return { run: this.run, events, next: Math.max(since, this.seq), missed: Math.max(0, oldest - since - 1) };
  }
}
