// The log cleaner's view of transactions while it walks a log (Kafka's
// CleanedTransactionMetadata). It is fed the aborted transactions of the range it walks (from
// the `.txnindex`, so only decided transactions: the cleaner never passes the last stable
// offset) and sees every batch in offset order:
// - a transactional data batch of an aborted transaction is discardable, whatever its keys;
// - an abort marker is discardable once no batch of its transaction was seen in this walk (all
//   its data is gone); while some was, the marker stays and its entry goes into the cleaned
//   segment's `.txnindex` (the consumer still needs it for the data it may have read before);
// - a commit marker is discardable once no batch of its transaction was seen in this walk.
// A discardable marker is still kept until its delete horizon passes (the cleaner decides
// that), so a consumer in the middle of the transaction sees its end.

import type { AbortedTxn, TxnIndex } from './txn-index.ts';

export class CleanedTxns {
  /** Aborted transactions not reached yet, by first offset. */
  private pending: AbortedTxn[] = [];
  private next = 0;
  private readonly seen = new Set<string>();
  private readonly ongoingAborted = new Map<number, { txn: AbortedTxn; observed: boolean }>();
  private readonly ongoingCommitted = new Set<number>();
  /** Where retained aborted transactions are recorded (the cleaned segment's index). */
  cleanedIndex: TxnIndex | null = null;

  /** Aborted transactions of the next stretch of the walk (duplicates are ignored). */
  add(txns: readonly AbortedTxn[]): void {
    const fresh = txns.filter((t) => !this.seen.has(`${t.producerId}/${t.firstOffset}`));
    if (fresh.length === 0) return;
    for (const t of fresh) this.seen.add(`${t.producerId}/${t.firstOffset}`);
    this.pending = [...this.pending.slice(this.next), ...fresh].sort((a, b) => a.firstOffset - b.firstOffset);
    this.next = 0;
  }

  private reach(offset: number): void {
    while (this.next < this.pending.length && this.pending[this.next].firstOffset <= offset) {
      const t = this.pending[this.next++];
      if (!this.ongoingAborted.has(t.producerId)) this.ongoingAborted.set(t.producerId, { txn: t, observed: false });
    }
  }

  /** A data batch; true when it belongs to an aborted transaction (its records can all go). */
  onBatch(lastOffset: number, producerId: number, transactional: boolean): boolean {
    this.reach(lastOffset);
    if (!transactional) return false;
    const aborted = this.ongoingAborted.get(producerId);
    if (aborted) {
      aborted.observed = true;
      return true;
    }
    this.ongoingCommitted.add(producerId);
    return false;
  }

  /** A control batch (marker null: an empty one left by an earlier clean); true when it may go. */
  onControlBatch(lastOffset: number, producerId: number, marker: { commit: boolean } | null): boolean {
    this.reach(lastOffset);
    if (!marker) return true;
    if (marker.commit) return !this.ongoingCommitted.delete(producerId);
    const aborted = this.ongoingAborted.get(producerId);
    this.ongoingAborted.delete(producerId);
    if (aborted?.observed) {
      this.cleanedIndex?.append(aborted.txn);
      return false;
    }
    return true;
  }
}
