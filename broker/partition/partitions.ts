// The partitions this node replicates, keyed by TopicPartition: the one registry that Produce,
// Fetch, the admin handlers, replication and the coordinators look partitions up in.

import type { Partition } from './partition.ts';
import type { TopicPartition } from './topic-partition.ts';

export class Partitions {
  private byTopic = new Map<string, Map<number, Partition>>();
  private count = 0;

  get(tp: TopicPartition): Partition | undefined {
    return this.byTopic.get(tp.topic)?.get(tp.partition);
  }

  add(p: Partition): void {
    let m = this.byTopic.get(p.tp.topic);
    if (!m) this.byTopic.set(p.tp.topic, (m = new Map()));
    if (!m.has(p.tp.partition)) this.count++;
    m.set(p.tp.partition, p);
  }

  /** Removes and returns the partition; the caller closes it and its log. */
  remove(tp: TopicPartition): Partition | undefined {
    const m = this.byTopic.get(tp.topic);
    const p = m?.get(tp.partition);
    if (!m || !p) return undefined;
    m.delete(tp.partition);
    if (m.size === 0) this.byTopic.delete(tp.topic);
    this.count--;
    return p;
  }

  /** The topics this node has partitions of. */
  topics(): string[] {
    return [...this.byTopic.keys()];
  }

  /** This node's partitions of the topic (a copy: the caller may remove them). */
  ofTopic(topic: string): Partition[] {
    return [...(this.byTopic.get(topic)?.values() ?? [])];
  }

  get size(): number {
    return this.count;
  }

  *[Symbol.iterator](): IterableIterator<Partition> {
    for (const m of this.byTopic.values()) yield* m.values();
  }
}

/** Resolves true on the next change (append, high watermark, role) of any of the partitions, or false after timeoutMs. */
export function waitForChange(parts: readonly Partition[], timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const cancels: (() => void)[] = [];
    const done = (changed: boolean) => {
      clearTimeout(timer);
      for (const c of cancels) c();
      resolve(changed);
    };
    const timer = setTimeout(() => done(false), Math.max(0, timeoutMs));
    const changed = () => done(true);
    for (const p of parts) cancels.push(p.onNextChange(changed));
  });
}
