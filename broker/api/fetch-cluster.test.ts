// Fetch on the 3-node cluster:
// - librdkafka (confluent-kafka) consumers that start out of range carry on: past the end with
//   auto.offset.reset=latest and below the log start (after DeleteRecords) with
//   auto.offset.reset=earliest. Before Fetch answered error partitions with empty records,
//   librdkafka 2.0.2 rejected the whole response ("invalid MessageSetSize -1", "Protocol parse
//   failure for Fetch v11") and never made progress.
// - min_bytes is honoured (exact requests): the answer waits until that many bytes are there,
//   reading each append as it comes, or until max_wait_ms.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ErrorCode } from '../protocol/errors.ts';
import { Fetch } from '../protocol/messages/fetch.ts';
import { buildBatch, scanValidPrefix } from '../protocol/record-batch.ts';
import { createTopic, deleteRecords, kafkaPython, leaderOf, produceTo, startTestCluster, withConn, type TestCluster } from '../testing/cluster.ts';
import { run } from '../testing/run.ts';
import { sleep, until } from '../testing/wait.ts';

const py = kafkaPython();
const script = path.join(path.dirname(fileURLToPath(import.meta.url)), '../testing/clients/offset_reset.py');
let tc: TestCluster;

before(async () => {
  tc = await startTestCluster({ nodes: 3 });
});
after(async () => {
  await tc?.stop();
});

test('librdkafka consumers reset from out-of-range offsets and consume on', { skip: !py && 'python3-confluent-kafka not installed', timeout: 120000 }, async () => {
  const setup = await run(py!, [script, tc.bootstrap, 'reset', 'setup'], { timeoutMs: 60000 });
  assert.equal(setup.code, 0, setup.stderr);
  const del = await deleteRecords(tc, 'reset', 0, 2);
  assert.deepEqual(del, { errorCode: ErrorCode.NONE, lowWatermark: 2 });
  const r = await run(py!, [script, tc.bootstrap, 'reset', 'consume'], { timeoutMs: 90000 });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.doesNotMatch(r.stderr, /PROTOERR|parse failure/);
  assert.deepEqual(out.latest, { got: ['after'], errors: [] }, r.stderr);
  assert.deepEqual(out.earliest, { got: ['v2', 'v3', 'v4'], errors: [], after_found: true }, r.stderr);
});

test('Fetch min_bytes: answered once that many bytes are there, or at max_wait_ms', { timeout: 60000 }, async () => {
  const topic = 'minbytes';
  assert.equal(await createTopic(tc, topic), ErrorCode.NONE);
  const leader = await until('a leader', async () => {
    const l = await leaderOf(tc, topic);
    return l > 0 && l;
  });
  const value = Buffer.alloc(1000, 'x');
  const fetch = (minBytes: number, maxWaitMs: number) =>
    withConn(tc, leader, (c) =>
      c.request(
        Fetch,
        12,
        {
          maxWaitMs,
          minBytes,
          maxBytes: 1 << 20,
          topics: [{ topic, partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }],
        },
        maxWaitMs + 5000,
      ),
    );
  await until('the leader takes writes', async () => (await produceTo(tc, leader, topic, 0, buildBatch([{ value }])))?.errorCode === 0);
  const t0 = Date.now();
  const waiting = fetch(3500, 10000);
  // Three more batches of ~1 KB, 300 ms apart: the answer comes with the fourth kilobyte.
  for (let i = 0; i < 3; i++) {
    await sleep(300);
    assert.equal((await produceTo(tc, leader, topic, 0, buildBatch([{ value }])))?.errorCode, ErrorCode.NONE);
  }
  const r = await waiting;
  const took = Date.now() - t0;
  const p = r!.responses[0].partitions[0];
  const bytes = p.records?.length ?? 0;
  let batches = 0;
  assert.equal(scanValidPrefix(p.records!, () => batches++), bytes, 'whole batches, read on without gaps');
  console.log(`min_bytes 3500: ${bytes} bytes in ${batches} batches after ${took} ms`);
  assert.ok(bytes >= 3500, `answered with ${bytes} bytes`);
  assert.equal(batches, 4);
  assert.ok(took >= 800 && took < 9000, `answered after ${took} ms`);

  const t1 = Date.now();
  const r2 = await fetch(1 << 20, 1500);
  const waited = Date.now() - t1;
  assert.ok(waited >= 1400, `min_bytes beyond what there is: waits max_wait_ms, answered after ${waited} ms`);
  assert.equal(r2!.responses[0].partitions[0].records?.length, bytes, 'and then answers with what there is');
});
