// The event history's cursor contract: every event exactly once in order, a bounded history
// that says how many events a slow reader missed, and a long poll that ends on the next event.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventLog } from './event-log.ts';

const started = (nodeId: number) => ({ type: 'started' as const, nodeId, pid: 100 + nodeId, code: null, signal: null });

test('a reader polling with the cursor sees every event once, in order', async () => {
  const log = new EventLog();
  const seen: number[] = [];
  let since = 0;
  for (let round = 0; round < 3; round++) {
    log.append(started(round * 2 + 1));
    log.append(started(round * 2 + 2));
    const r = await log.read(since);
    seen.push(...r.events.map((e) => e.nodeId));
    since = r.next;
    assert.equal(r.missed, 0);
  }
  assert.deepEqual(seen, [1, 2, 3, 4, 5, 6]);
  assert.deepEqual((await log.read(since)).events, []);
});

test('past its capacity the oldest events go, and a late reader is told how many it missed', async () => {
  const log = new EventLog(3);
  for (let i = 1; i <= 5; i++) log.append(started(i));
  const r = await log.read(0);
  assert.deepEqual(r.events.map((e) => e.seq), [3, 4, 5]);
  assert.equal(r.missed, 2);
  assert.equal(r.next, 5);
  assert.equal((await log.read(3)).missed, 0);
});

test('a long poll waits for the next event, or returns empty at its deadline', async () => {
  const log = new EventLog();
  const t0 = Date.now();
  const waiting = log.read(0, 10_000);
  setTimeout(() => log.append(started(7)), 50);
  const r = await waiting;
  assert.deepEqual(r.events.map((e) => e.nodeId), [7]);
  assert.ok(Date.now() - t0 < 5000);
  const empty = await log.read(r.next, 100);
  assert.deepEqual(empty.events, []);
  assert.equal(empty.next, r.next);
  const aborted = new AbortController();
  const cut = log.read(r.next, 60_000, aborted.signal);
  aborted.abort();
  assert.deepEqual((await cut).events, []);
});
