// What one metadata update changed, as MetadataStore.onChange hands it to its listeners (the
// broker's partitions, the coordinators, metrics): the partitions of each topic that a record
// touched, so a listener acts on those only and a change to one partition of a topic of 5 000
// costs one partition, not 5 000 (issue 15). A topic created, deleted or given new configs
// counts whole; broker-wide changes (brokers registered or fenced, broker configs, a snapshot
// restored) are `all`.

export class MetadataChange {
  /** Anything may have changed: a listener takes a full pass. */
  all = false;
  /** Changed topics: the partitions changed, or null for the whole topic. */
  readonly topics = new Map<string, Set<number> | null>();

  /** A change of everything. */
  static everything(): MetadataChange {
    const c = new MetadataChange();
    c.all = true;
    return c;
  }

  get empty(): boolean {
    return !this.all && this.topics.size === 0;
  }

  everything(): void {
    this.all = true;
  }

  /** The whole topic changed (created, deleted, its configs). */
  topic(name: string): void {
    this.topics.set(name, null);
  }

  partition(topic: string, partition: number): void {
    const s = this.topics.get(topic);
    if (s === null) return;
    if (s) s.add(partition);
    else this.topics.set(topic, new Set([partition]));
  }

  /** Whether the partition is part of the change. */
  has(topic: string, partition: number): boolean {
    if (this.all) return true;
    const s = this.topics.get(topic);
    return s === null || (s !== undefined && s.has(partition));
  }

  /** The topic names touched (every topic of `all` is the caller's to list). */
  names(): string[] {
    return [...this.topics.keys()];
  }
}
