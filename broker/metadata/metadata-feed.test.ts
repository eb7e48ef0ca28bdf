// The feed over an in-memory Raft store: only applied entries, in order, from any cursor; a
// reader behind the log start gets the snapshot first, then what follows it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFeed } from './metadata-feed.ts';
import { RaftStore } from './raft-store.ts';

function logOf(n: number, applied: number) {
  const store = new RaftStore(null);
  store.append(Array.from({ length: n }, (_, i) => ({ offset: i, epoch: 1, record: { type: 'X', i, at: 1000 + i } })));
  return { store, applied };
}

test('only applied entries are returned, after the cursor, capped by max', () => {
  const log = logOf(10, 7);
  const all = readFeed(log, -1);
  assert.deepEqual(all.records.map((r) => r.offset), [0, 1, 2, 3, 4, 5, 6]);
  assert.equal(all.appliedOffset, 7);
  assert.equal(all.records[3].at, 1003);
  assert.deepEqual(readFeed(log, 4).records.map((r) => r.offset), [5, 6]);
  assert.deepEqual(readFeed(log, 6).records, []);
  assert.deepEqual(readFeed(log, 1, 2).records.map((r) => r.offset), [2, 3]);
});

test('a record without a numeric at gets null', () => {
  const store = new RaftStore(null);
  store.append([{ offset: 0, epoch: 1, record: { type: 'Topic' } }, { offset: 1, epoch: 1, record: { type: 'X', at: 'soon' } }]);
  assert.deepEqual(readFeed({ store, applied: 2 }, -1).records.map((r) => r.at), [null, null]);
});

test('a reader behind the snapshot gets the snapshot, then the entries after it', () => {
  const log = logOf(10, 10);
  log.store.saveSnapshot({ endOffset: 6, epoch: 1, data: { state: 'below 6' } });
  const page = readFeed(log, 2);
  assert.deepEqual(page.snapshot, { endOffset: 6, data: { state: 'below 6' } });
  assert.equal(page.logStartOffset, 6);
  assert.deepEqual(page.records.map((r) => r.offset), [6, 7, 8, 9]);
  const caughtUp = readFeed(log, 7);
  assert.equal(caughtUp.snapshot, null);
  assert.deepEqual(caughtUp.records.map((r) => r.offset), [8, 9]);
});
