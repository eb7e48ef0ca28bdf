// The shared send loop without a cluster: full batches go at once, a partial one waits for its
// linger, as-fast-as-possible keeps `inFlight` sends going and no more, a failed send pauses
// the loop, and stop waits for the sends in flight.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pace, type PaceOptions } from './pace.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function run(opts: Partial<PaceOptions>, ms: number, send: PaceOptions['send']) {
  let stop = false;
  const loop = pace({
    rate: () => 100,
    stopping: () => stop,
    maxBatch: Infinity,
    lingerMs: 0,
    inFlight: 1,
    retryMs: 100,
    send,
    ...opts,
  });
  await sleep(ms);
  stop = true;
  await loop;
}

test('a full batch goes before its linger is over; the rate holds', async () => {
  const sends: number[] = [];
  await run({ rate: () => 400, maxBatch: 10, lingerMs: 10_000 }, 600, async (n) => {
    sends.push(n);
    return true;
  });
  assert.ok(sends.length >= 10, `${sends.length} sends`);
  assert.ok(
    sends.every((n) => n === 10),
    sends.join(),
  );
  const total = sends.reduce((a, b) => a + b, 0);
  assert.ok(total >= 150 && total <= 260, `${total} records in 600 ms at 400/s`);
});

test('a partial batch waits for its linger, counted from its first record', async () => {
  const waited: number[] = [];
  const sizes: number[] = [];
  await run({ rate: () => 200, maxBatch: 1000, lingerMs: 50 }, 700, async (n, openedAt) => {
    waited.push(Date.now() - openedAt);
    sizes.push(n);
    return true;
  });
  assert.ok(waited.length >= 5, `${waited.length} sends`);
  assert.ok(
    waited.every((w) => w >= 50),
    waited.join(),
  );
  assert.ok(
    sizes.every((n) => n >= 8),
    sizes.join(),
  ); // 200/s × 50 ms = 10, less rounding
});

test('as fast as possible: whole batches, never more than inFlight at once; stop waits for them', async () => {
  let live = 0;
  let most = 0;
  let done = 0;
  const sizes = new Set<number>();
  await run({ rate: () => Infinity, maxBatch: 7, inFlight: 3 }, 300, async (n) => {
    live++;
    most = Math.max(most, live);
    sizes.add(n);
    await sleep(5);
    live--;
    done++;
    return true;
  });
  assert.equal(most, 3);
  assert.deepEqual([...sizes], [7]);
  assert.equal(live, 0);
  assert.ok(done > 20, `${done} sends`);
});

test('a failed send pauses the loop for retryMs', async () => {
  const at: number[] = [];
  await run({ rate: () => 1000, retryMs: 200 }, 500, async () => {
    at.push(Date.now());
    return at.length > 1;
  });
  assert.ok(at.length >= 2);
  assert.ok(at[1] - at[0] >= 190, `second send ${at[1] - at[0]} ms after the failed one`);
});
