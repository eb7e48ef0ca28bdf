// The request budget's full collection after large releases (request-budget.ts): it waits while
// the event loop is busy (a forced stop-the-world GC there was the acks=all p99, docs/decisions/
// 0034) and runs once the node is idle. Observed through V8's gc entries with the forced flag.

import assert from 'node:assert/strict';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { test } from 'node:test';
import { RequestBudget } from './request-budget.ts';
import { sleep, until } from '../testing/wait.ts';

const MiB = 1024 * 1024;

/** Counts forced collections from now on. */
function forcedCollections(): { count: () => number; stop: () => void } {
  let n = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const flags: unknown = e.toJSON().detail?.flags; // the gc entry's detail, untyped in @types/node here
      if (typeof flags === 'number' && flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) n++;
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  return { count: () => n, stop: () => obs.disconnect() };
}

/** Keeps the event loop about 90% busy for `ms` (18 ms of work, 2 ms of rest). */
async function busyFor(ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const stop = Math.min(end, performance.now() + 18);
    while (performance.now() < stop) {
      /* work */
    }
    await sleep(2);
  }
}

test('after 32 MiB of releases the full collection waits while the node is busy and runs once it is idle', async () => {
  const forced = forcedCollections();
  const budget = new RequestBudget(1024 * MiB);
  try {
    assert.ok(budget.tryReserve(40 * MiB));
    budget.release(40 * MiB);
    await busyFor(1500);
    await sleep(0); // gc entries are delivered asynchronously
    assert.equal(forced.count(), 0, 'no forced collection while the event loop was busy');
    await until('a forced collection once idle', async () => (forced.count() > 0 ? true : null), 3000);
  } finally {
    budget.close();
    forced.stop();
  }
});

test('small releases arm no collection', async () => {
  const forced = forcedCollections();
  const budget = new RequestBudget(1024 * MiB);
  try {
    for (let i = 0; i < 100; i++) {
      assert.ok(budget.tryReserve(64 * 1024));
      budget.release(64 * 1024);
    }
    await sleep(700);
    assert.equal(forced.count(), 0);
  } finally {
    budget.close();
    forced.stop();
  }
});
