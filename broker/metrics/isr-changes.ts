// Counts ISR shrinks and expands of the partitions a node leads from the committed metadata: one
// shrink when a change drops ISR members, one expand when it adds some (both for a swap).
// Deviation from Kafka: Kafka's leader counts IsrShrinksPerSec/IsrExpandsPerSec when its own
// AlterPartition commits; here every committed ISR change of a partition led here after the
// change counts, including the controller's removal of a fenced broker, because that is how the
// ISR shrinks when a node dies in a Samsa cluster (fencing is faster than replica.lag.time.max.ms).

export interface IsrView {
  topic: string;
  partition: number;
  leader: number;
  isr: readonly number[];
}

export class IsrChanges {
  shrinks = 0;
  expands = 0;
  private readonly last = new Map<string, readonly number[]>();

  constructor(private readonly self: number) {}

  /** Records the current ISR of `partitions` (those a metadata change touched). */
  observe(partitions: Iterable<IsrView>): void {
    for (const p of partitions) {
      const key = `${p.topic}\u0000${p.partition}`;
      const before = this.last.get(key);
      this.last.set(key, p.isr);
      if (!before || p.leader !== this.self) continue;
      if (before.some((r) => !p.isr.includes(r))) this.shrinks++;
      if (p.isr.some((r) => !before.includes(r))) this.expands++;
    }
  }

  /** Forgets a deleted topic, so a topic created again under its name starts afresh. */
  forget(topic: string): void {
    for (const key of this.last.keys()) if (key.slice(0, key.lastIndexOf('\u0000')) === topic) this.last.delete(key);
  }
}
