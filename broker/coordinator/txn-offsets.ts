// Transactional offset commits of the group coordinator (Kafka's GroupMetadata
// pendingTransactionalOffsetCommits and CommitRecordMetadataAndOffset). TxnOffsetCommit writes
// the offsets to `__consumer_offsets` in a transactional batch of the producer; they stay
// pending, invisible to OffsetFetch (which answers UNSTABLE_OFFSET_COMMIT for them when asked
// for stable offsets), until the transaction's marker reaches that partition: COMMIT makes them
// the group's committed offsets, ABORT drops them. Whichever of a transactional and a plain
// commit of the same partition was appended later wins, as Kafka compares the offsets of their
// batches in the log: every write gets a position in its partition's log order (the record's
// offset when loading, a counter continuing from the log end once loaded).

import type { OffsetEntry } from './group.ts';

interface Pending {
  entry: OffsetEntry;
  position: number;
}

export class TxnOffsets {
  /** producer id -> group -> offset key -> pending commit */
  private pending = new Map<number, Map<string, Map<string, Pending>>>();
  /** group -> offset key -> position of the committed entry's write */
  private committedAt = new Map<string, Map<string, number>>();
  /** __consumer_offsets partition -> next position */
  private positions = new Map<number, number>();

  /** The position of the next write to a partition. */
  nextPosition(partition: number): number {
    const p = this.positions.get(partition) ?? 0;
    this.positions.set(partition, p + 1);
    return p;
  }

  /** Loading a partition: positions continue after its log end. */
  startPositionsAt(partition: number, position: number): void {
    this.positions.set(partition, Math.max(position, this.positions.get(partition) ?? 0));
  }

  /** A plain commit written at `position` may replace the committed entry: whether it is the later write. */
  claim(groupId: string, key: string, position: number): boolean {
    let g = this.committedAt.get(groupId);
    const at = g?.get(key);
    if (at !== undefined && at > position) return false;
    if (!g) this.committedAt.set(groupId, (g = new Map()));
    g.set(key, position);
    return true;
  }

  /** A TxnOffsetCommit written at `position`. */
  prepare(producerId: number, groupId: string, key: string, entry: OffsetEntry, position: number): void {
    let byGroup = this.pending.get(producerId);
    if (!byGroup) this.pending.set(producerId, (byGroup = new Map()));
    let keys = byGroup.get(groupId);
    if (!keys) byGroup.set(groupId, (keys = new Map()));
    keys.set(key, { entry, position });
  }

  hasPending(groupId: string, key: string): boolean {
    for (const byGroup of this.pending.values()) if (byGroup.get(groupId)?.has(key)) return true;
    return false;
  }

  /**
   * The producer's transaction ended on the partition holding the groups `onPartition` accepts:
   * forgets their pending commits and, on commit, returns those that become committed.
   */
  complete(producerId: number, commit: boolean, onPartition: (groupId: string) => boolean): { groupId: string; key: string; entry: OffsetEntry }[] {
    const byGroup = this.pending.get(producerId);
    if (!byGroup) return [];
    const out: { groupId: string; key: string; entry: OffsetEntry }[] = [];
    for (const [groupId, keys] of byGroup) {
      if (!onPartition(groupId)) continue;
      byGroup.delete(groupId);
      if (!commit) continue;
      for (const [key, p] of keys) if (this.claim(groupId, key, p.position)) out.push({ groupId, key, entry: p.entry });
    }
    if (byGroup.size === 0) this.pending.delete(producerId);
    return out;
  }

  /** Forgets groups (their partition was unloaded, or they were deleted). */
  forget(groupIds: Iterable<string>): void {
    for (const id of groupIds) {
      this.committedAt.delete(id);
      for (const [pid, byGroup] of this.pending) {
        byGroup.delete(id);
        if (byGroup.size === 0) this.pending.delete(pid);
      }
    }
  }

  /** Drops the positions of an unloaded partition. */
  unloadPartition(partition: number): void {
    this.positions.delete(partition);
  }

  /** Producer ids with pending commits in a group (tests, DescribeGroups-style views). */
  producersOf(groupId: string): number[] {
    return [...this.pending].filter(([, byGroup]) => byGroup.has(groupId)).map(([pid]) => pid);
  }
}
