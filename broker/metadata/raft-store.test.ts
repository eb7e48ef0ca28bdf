// The metadata log on disk: a snapshot is written off the event loop, and until it is durable
// the log file keeps every entry, including those appended meanwhile; a reopen sees both.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { RaftStore, type RaftEntry } from './raft-store.ts';

const entries = (from: number, to: number): RaftEntry[] =>
  Array.from({ length: to - from }, (_, i) => ({ offset: from + i, epoch: 1, record: { n: from + i } }));

test('a snapshot lands asynchronously; entries appended meanwhile survive a reopen at any point', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-raft-store-'));
  try {
    const s = new RaftStore(dir);
    s.append(entries(0, 10));
    s.saveSnapshot({ endOffset: 8, epoch: 1, data: { upTo: 8 } });
    s.append(entries(10, 12)); // while the snapshot is being written

    // A crash now (before the snapshot is on disk): no snapshot yet, the whole log is there.
    const early = new RaftStore(dir);
    assert.equal(early.startOffset, early.snapshot ? 8 : 0);
    assert.equal(early.logEndOffset, 12);

    await s.flushed();
    const reopened = new RaftStore(dir);
    assert.deepEqual(reopened.snapshot, { endOffset: 8, epoch: 1, data: { upTo: 8 } });
    assert.deepEqual(
      reopened.entries.map((e) => e.offset),
      [8, 9, 10, 11],
    );
    assert.equal(fs.readFileSync(path.join(dir, 'raft-log.jsonl'), 'utf8').trim().split('\n').length, 4, 'log rewritten');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
