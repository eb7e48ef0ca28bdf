// librdkafka (confluent-kafka) consumers that start out of range on the 3-node cluster carry on:
// past the end with auto.offset.reset=latest and below the log start (after DeleteRecords)
// with auto.offset.reset=earliest. Before Fetch answered error partitions with empty records,
// librdkafka 2.0.2 rejected the whole response ("invalid MessageSetSize -1", "Protocol parse
// failure for Fetch v11") and never made progress.

import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ErrorCode } from '../protocol/errors.ts';
import { deleteRecords, kafkaPython, startTestCluster } from '../testing/cluster.ts';
import { run } from '../testing/run.ts';

const py = kafkaPython();
const script = path.join(path.dirname(fileURLToPath(import.meta.url)), '../testing/clients/offset_reset.py');

test('librdkafka consumers reset from out-of-range offsets and consume on', { skip: !py && 'python3-confluent-kafka not installed', timeout: 120000 }, async () => {
  const tc = await startTestCluster({ nodes: 3 });
  try {
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
  } finally {
    await tc.stop();
  }
});
