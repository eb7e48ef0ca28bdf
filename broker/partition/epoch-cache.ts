// The leader-epoch cache of one partition: (epoch, start offset) pairs, one per leader epoch that
// wrote to this log, persisted as Kafka's `leader-epoch-checkpoint` in the partition directory
// (version line 0, count line, "epoch startOffset" lines; written to .tmp and renamed).
// A leader assigns its epoch at the log end when it takes over; a follower learns epochs from
// the partitionLeaderEpoch of the batches it copies. OffsetForLeaderEpoch answers from it, and a
// follower uses it to find where its log diverged from the new leader's (KIP-101/KIP-279).

import fs from 'node:fs';
import path from 'node:path';

export interface EpochEntry {
  epoch: number;
  startOffset: number;
}

export class EpochCache {
  private entries: EpochEntry[] = [];
  private readonly file: string | null;

  /** partitionDir null: kept in memory only (tests over the in-memory log). */
  constructor(partitionDir: string | null) {
    this.file = partitionDir === null ? null : path.join(partitionDir, 'leader-epoch-checkpoint');
    if (this.file === null) return;
    try {
      const lines = fs.readFileSync(this.file, 'utf8').split('\n').filter(Boolean);
      for (const l of lines.slice(2)) {
        const [e, o] = l.trim().split(/\s+/).map(Number);
        if (Number.isInteger(e) && Number.isInteger(o)) this.entries.push({ epoch: e, startOffset: o });
      }
    } catch {
      /* no checkpoint yet */
    }
  }

  get latestEpoch(): number {
    return this.entries.length ? this.entries[this.entries.length - 1].epoch : -1;
  }

  /** Start offset of the latest epoch (-1 when empty). */
  get latestStartOffset(): number {
    return this.entries.length ? this.entries[this.entries.length - 1].startOffset : -1;
  }

  /** Records that `epoch` starts at `startOffset`, if it is newer than every known epoch. */
  assign(epoch: number, startOffset: number): void {
    if (epoch < 0) return;
    const last = this.entries[this.entries.length - 1];
    if (last && epoch <= last.epoch) return;
    // An older epoch that starts at the same offset wrote nothing: replace it.
    while (this.entries.length && this.entries[this.entries.length - 1].startOffset >= startOffset) this.entries.pop();
    this.entries.push({ epoch, startOffset });
    this.save();
  }

  /** Drops epochs starting at or after the new log end (after a truncation). */
  truncateFromEnd(logEndOffset: number): void {
    const n = this.entries.length;
    this.entries = this.entries.filter((e) => e.startOffset < logEndOffset);
    if (this.entries.length !== n) this.save();
  }

  /** Forgets every epoch (the log was truncated fully: nothing it held is left). */
  clear(): void {
    if (!this.entries.length) return;
    this.entries = [];
    this.save();
  }

  /** Learns the epochs of batches a follower appended (partitionLeaderEpoch at byte 12). */
  observeBatches(batches: Buffer): void {
    let pos = 0;
    while (pos + 61 <= batches.length) {
      const epoch = batches.readInt32BE(pos + 12);
      if (epoch > this.latestEpoch) this.assign(epoch, Number(batches.readBigInt64BE(pos)));
      pos += 12 + batches.readInt32BE(pos + 8);
    }
  }

  /**
   * Kafka's endOffsetFor: the largest epoch <= requested and the start offset of the epoch after
   * it (or the log end for the latest epoch). {-1, -1} when no such epoch is known.
   */
  endOffsetFor(epoch: number, logEndOffset: number): { epoch: number; endOffset: number } {
    if (epoch < 0 || !this.entries.length) return { epoch: -1, endOffset: -1 };
    if (epoch >= this.latestEpoch)
      return epoch === this.latestEpoch ? { epoch, endOffset: logEndOffset } : { epoch: -1, endOffset: -1 };
    let floor: EpochEntry | undefined;
    let higher: EpochEntry | undefined;
    for (const e of this.entries) {
      if (e.epoch <= epoch) floor = e;
      else if (!higher) higher = e;
    }
    if (!higher) return { epoch: -1, endOffset: -1 };
    return { epoch: floor ? floor.epoch : epoch, endOffset: higher.startOffset };
  }

  private save(): void {
    if (this.file === null) return;
    const text = `0\n${this.entries.length}\n${this.entries.map((e) => `${e.epoch} ${e.startOffset}`).join('\n')}\n`;
    try {
      const tmp = this.file + '.tmp';
      fs.writeFileSync(tmp, text);
      fs.renameSync(tmp, this.file);
    } catch {
      /* the partition directory was deleted */
    }
  }
}
