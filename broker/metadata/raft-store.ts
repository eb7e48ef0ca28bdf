// Persistent state of one Raft voter of the metadata quorum, in `<data dir>/__cluster_metadata/`:
//   quorum-state     {"epoch","votedFor","leaderId"} (Kafka's file of the same name; tmp + fsync + rename)
//   raft-log.jsonl   one JSON entry per line: {"o":offset,"e":epoch,"r":record}
//   snapshot.json    {"endOffset","epoch","data"}: the materialized state below endOffset
// The whole (small) log is held in memory as well. Appends go to the page cache (a kill -9 loses
// nothing); a torn last line is dropped on open. Truncation and snapshotting rewrite the file.
// A snapshot taken locally (megabytes with thousands of partitions, on every node at once) is
// written and fsynced off the event loop, so a node keeps answering its quorum meanwhile; the
// log file keeps the entries it covers until it is durable.
// Deviations from Kafka: the metadata log is a JSON-lines file, not a `__cluster_metadata-0`
// segment log of record batches (on the wire, entries do travel as v2 record batches with JSON
// values), and there is one snapshot file instead of `<offset>-<epoch>.checkpoint` files.
// The directory has no `-<partition>` suffix so LogManager never mistakes it for a data partition.

import fs from 'node:fs';
import path from 'node:path';

export interface RaftEntry {
  offset: number;
  epoch: number;
  record: unknown;
}

export interface QuorumState {
  epoch: number;
  votedFor: number; // -1 = none
  leaderId: number; // -1 = unknown
}

export interface Snapshot {
  endOffset: number;
  epoch: number;
  data: unknown;
}

export class RaftStore {
  quorum: QuorumState = { epoch: 0, votedFor: -1, leaderId: -1 };
  entries: RaftEntry[] = [];
  snapshot: Snapshot | null = null;
  private readonly dir: string | null;
  /** The snapshot file being written (the next waits for it, so files land in order). */
  private writing: Promise<void> = Promise.resolve();

  /** dir null = in memory only (unit tests). */
  constructor(dir: string | null) {
    this.dir = dir;
    if (!dir) return;
    fs.mkdirSync(dir, { recursive: true });
    const q = path.join(dir, 'quorum-state');
    if (fs.existsSync(q)) this.quorum = JSON.parse(fs.readFileSync(q, 'utf8')) as QuorumState;
    const s = path.join(dir, 'snapshot.json');
    if (fs.existsSync(s)) this.snapshot = JSON.parse(fs.readFileSync(s, 'utf8')) as Snapshot;
    const l = path.join(dir, 'raft-log.jsonl');
    if (fs.existsSync(l)) {
      const lines = fs.readFileSync(l, 'utf8').split('\n');
      let torn = false;
      for (const line of lines) {
        if (!line) continue;
        try {
          const j = JSON.parse(line) as { o: number; e: number; r: unknown };
          if (j.o !== this.logEndOffset) throw new Error('gap');
          this.entries.push({ offset: j.o, epoch: j.e, record: j.r });
        } catch {
          torn = true; // a torn tail after a crash: drop it and everything after
          break;
        }
      }
      // Entries below the snapshot are redundant (a crash between snapshot and rewrite).
      if (this.snapshot) this.entries = this.entries.filter((e) => e.offset >= this.snapshot!.endOffset);
      if (torn || (this.entries.length && this.entries[0].offset !== this.startOffset)) this.rewrite();
    }
  }

  get startOffset(): number {
    return this.snapshot?.endOffset ?? 0;
  }
  get logEndOffset(): number {
    return this.entries.length ? this.entries[this.entries.length - 1].offset + 1 : this.startOffset;
  }
  get lastEpoch(): number {
    return this.entries.length ? this.entries[this.entries.length - 1].epoch : (this.snapshot?.epoch ?? 0);
  }
  get(offset: number): RaftEntry | undefined {
    return this.entries[offset - this.startOffset];
  }
  epochAt(offset: number): number {
    if (this.snapshot && offset === this.snapshot.endOffset - 1) return this.snapshot.epoch;
    return this.get(offset)?.epoch ?? -1;
  }
  slice(from: number, max: number): RaftEntry[] {
    const i = from - this.startOffset;
    return i < 0 ? [] : this.entries.slice(i, i + max);
  }

  /** Largest epoch <= `epoch` in the log, and the offset where the next epoch starts (or the end). */
  endOffsetForEpoch(epoch: number): { epoch: number; endOffset: number } {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (this.entries[i].epoch <= epoch)
        return { epoch: this.entries[i].epoch, endOffset: this.entries[i].offset + 1 };
    }
    if (this.snapshot && this.snapshot.epoch <= epoch)
      return { epoch: this.snapshot.epoch, endOffset: this.snapshot.endOffset };
    return { epoch: -1, endOffset: this.startOffset };
  }

  saveQuorum(q: QuorumState): void {
    // On disk first: a vote or epoch that could not be persisted is not taken (ENOSPC, EACCES).
    if (this.dir) atomicWrite(path.join(this.dir, 'quorum-state'), JSON.stringify(q));
    this.quorum = { ...q };
  }

  /**
   * Appends to the file, then to memory: entries that could not be written (a full disk, an
   * unwritable directory) are never held, so they are never acknowledged nor replicated from
   * here. A partly written line is cut off again, or the next append would follow a torn line
   * that the next open drops together with everything after it.
   */
  append(entries: RaftEntry[]): void {
    if (!entries.length) return;
    if (entries[0].offset !== this.logEndOffset)
      throw new Error(`raft append at ${entries[0].offset}, end is ${this.logEndOffset}`);
    if (this.dir) {
      const file = path.join(this.dir, 'raft-log.jsonl');
      const fd = fs.openSync(file, 'a');
      const size = fs.fstatSync(fd).size;
      try {
        writeAll(fd, entries.map((e) => JSON.stringify({ o: e.offset, e: e.epoch, r: e.record }) + '\n').join(''));
      } catch (e) {
        try {
          fs.ftruncateSync(fd, size);
        } catch {
          /* the original error says why; the next open drops the torn tail */
        }
        throw e;
      } finally {
        fs.closeSync(fd);
      }
    }
    this.entries.push(...entries);
  }

  truncateTo(offset: number): void {
    if (offset >= this.logEndOffset) return;
    this.entries = this.entries.filter((e) => e.offset < offset);
    this.rewrite();
  }

  /** Records a snapshot of the state below endOffset and drops those entries from the log. */
  saveSnapshot(snap: Snapshot): void {
    this.snapshot = snap;
    this.entries = this.entries.filter((e) => e.offset >= snap.endOffset);
    this.persistSnapshot(snap);
  }

  /**
   * A follower installs the leader's snapshot: its own log is dropped entirely, at once (the log
   * file would not continue where the snapshot ends).
   */
  installSnapshot(snap: Snapshot): void {
    this.snapshot = snap;
    this.entries = [];
    if (!this.dir) return;
    atomicWrite(path.join(this.dir, 'snapshot.json'), JSON.stringify(snap));
    this.rewrite();
  }

  /** Resolves once the snapshot files written so far are on disk. */
  flushed(): Promise<void> {
    return this.writing;
  }

  private persistSnapshot(snap: Snapshot): void {
    if (!this.dir) return;
    const file = path.join(this.dir, 'snapshot.json');
    const text = JSON.stringify(snap);
    this.writing = this.writing
      .then(() => atomicWriteAsync(file, text))
      // Only now may the log forget the entries the snapshot covers: rewritten from what it holds
      // then, in one synchronous step, so no append lands in the file being replaced.
      .then(() => {
        if (this.snapshot === snap) this.rewrite();
      })
      .catch(() => {}); // the old snapshot and the full log stay valid on disk
  }

  private rewrite(): void {
    if (!this.dir) return;
    atomicWrite(
      path.join(this.dir, 'raft-log.jsonl'),
      this.entries.map((e) => JSON.stringify({ o: e.offset, e: e.epoch, r: e.record }) + '\n').join(''),
    );
  }
}

/** A write can be short (a disk filling up): loops until all is written or it throws. */
function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text);
  for (let done = 0; done < buf.length;) done += fs.writeSync(fd, buf, done, buf.length - done);
}

function atomicWrite(file: string, text: string): void {
  const tmp = file + '.tmp';
  const fd = fs.openSync(tmp, 'w');
  try {
    writeAll(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

async function atomicWriteAsync(file: string, text: string): Promise<void> {
  const tmp = file + '.tmp';
  const fh = await fs.promises.open(tmp, 'w');
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.promises.rename(tmp, file);
}
