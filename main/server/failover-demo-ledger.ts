// The failover demo's bookkeeping, kept apart from the clients so its rules are plain to test:
// which sequence numbers were acknowledged and which were read back (one bit each, so an hour
// of the demo costs a few hundred kilobytes), and per partition the acknowledged values the
// consumer has not passed yet (the offset each was acknowledged at). A value is lost when the
// consumer's position in its partition moves past that offset and the value was never read:
// the record there was cut from the log (or replaced by another one after an unclean election).

/** A growable set of small non-negative integers, one bit each. */
export class SeqBits {
  #words = new Uint32Array(1024);

  /** Sets bit `i`; true when it was already set. */
  add(i: number): boolean {
    const w = i >>> 5;
    if (w >= this.#words.length) {
      const grown = new Uint32Array(Math.max(this.#words.length * 2, w + 1));
      grown.set(this.#words);
      this.#words = grown;
    }
    const bit = 1 << (i & 31);
    const had = (this.#words[w] & bit) !== 0;
    this.#words[w] |= bit;
    return had;
  }

  has(i: number): boolean {
    const w = i >>> 5;
    return w < this.#words.length && (this.#words[w] & (1 << (i & 31))) !== 0;
  }

  get bytes(): number {
    return this.#words.byteLength;
  }
}

/** Acknowledged values one partition's consumer has not passed yet, in offset order. */
class Pending {
  seqs: number[] = [];
  offsets: number[] = [];
  head = 0;

  push(seq: number, offset: number): void {
    this.seqs.push(seq);
    this.offsets.push(offset);
  }

  /** Drops the entries below `position`, calling `passed` for each. */
  drain(position: number, passed: (seq: number) => void): void {
    while (this.head < this.seqs.length && this.offsets[this.head] < position) passed(this.seqs[this.head++]);
    if (this.head > 4096 && this.head * 2 > this.seqs.length) {
      this.seqs = this.seqs.slice(this.head);
      this.offsets = this.offsets.slice(this.head);
      this.head = 0;
    }
  }

  get size(): number {
    return this.seqs.length - this.head;
  }
}

export class Ledger {
  readonly acked = new SeqBits();
  readonly consumed = new SeqBits();
  acknowledged = 0;
  consumedCount = 0;
  duplicates = 0;
  lost = 0;
  readonly #pending = new Map<number, Pending>();

  ack(seq: number, partition: number, offset: number): void {
    if (this.acked.add(seq)) return;
    this.acknowledged++;
    let p = this.#pending.get(partition);
    if (!p) this.#pending.set(partition, (p = new Pending()));
    p.push(seq, offset);
  }

  /** A value read back; a second read of the same value (at another offset) is a duplicate. */
  read(seq: number): void {
    if (this.consumed.add(seq)) this.duplicates++;
    else this.consumedCount++;
  }

  /** The consumer of `partition` will next read `position`: every acknowledged value below it was read, or is lost. */
  passed(partition: number, position: number): void {
    this.#pending.get(partition)?.drain(position, (seq) => {
      if (!this.consumed.has(seq)) this.lost++;
    });
  }

  /** Acknowledged values the consumer has not reached yet. */
  get unread(): number {
    let n = 0;
    for (const p of this.#pending.values()) n += p.size;
    return n;
  }
}
