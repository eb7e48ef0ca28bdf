// kill -9 of a node during acks=all produce: after a restart every acknowledged message is there
// and every segment on disk is a valid chain of CRC-checked batches.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { scanValidPrefix } from './protocol/record-batch.ts';
import { kafkaPython, startTestCluster } from './testing/cluster.ts';
import { run } from './testing/run.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const py = kafkaPython();

test('kill -9 during acks=all produce loses nothing acknowledged and leaves a valid log', { skip: !py && 'Debian python3-confluent-kafka not installed' }, async () => {
  const tc = await startTestCluster();
  try {
    const topic = 'durable';
    const producer = spawn(py!, [path.join(here, 'testing/clients/acked_producer.py'), tc.bootstrap, topic, '6', '3000']);
    let out = '';
    producer.stdout.on('data', (d) => (out += d));
    const done = new Promise<void>((r) => producer.on('close', () => r()));
    await new Promise((r) => setTimeout(r, 2000));
    tc.cluster.kill(1);
    await new Promise((r) => setTimeout(r, 500));
    await tc.cluster.startNode(1);
    await done;
    const acked = new Set(out.split('\n').filter(Boolean));
    assert.ok(acked.size > 1000, `only ${acked.size} acknowledged`);

    const r = await run('kcat', ['-b', tc.bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%s\n'], { timeoutMs: 60000 });
    assert.equal(r.code, 0, r.stderr);
    const stored = new Set(r.stdout.split('\n').filter(Boolean));
    const lost = [...acked].filter((v) => !stored.has(v));
    assert.deepEqual(lost, [], `${lost.length} acknowledged messages lost`);

    await tc.cluster.stopNode(1);
    const dir = path.join(tc.dataDir, 'node-1', `${topic}-0`);
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.log'))) {
      const bytes = fs.readFileSync(path.join(dir, f));
      assert.equal(scanValidPrefix(bytes), bytes.length, `${f} is a whole chain of valid batches`);
    }
  } finally {
    await tc.stop();
  }
});
