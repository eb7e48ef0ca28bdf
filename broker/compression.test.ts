// Compressed batches pass through the broker untouched: librdkafka (kcat) produces with each
// codec, and kcat and kafka-python (with Debian's python3-snappy/lz4/zstandard) read them back. librdkafka only compresses when the
// broker advertises Produce v0 and, for zstd, Produce 7 / Fetch 10 (CLIENT-COMPAT.md).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { batchInfo, ATTR } from './protocol/record-batch.ts';
import { KafkaConnection } from './client/connection.ts';
import { Fetch } from './protocol/messages/fetch.ts';
import { kafkaPython, startTestCluster, type TestCluster } from './testing/cluster.ts';
import { hasCommand, run } from './testing/run.ts';

const CODECS = { gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;
let tc: TestCluster;

before(async () => {
  tc = await startTestCluster();
});
after(async () => {
  await tc?.stop();
});

for (const [codec, id] of Object.entries(CODECS)) {
  test(`kcat produces ${codec}: the batch is stored compressed and reads back`, { skip: !hasCommand('kcat') && 'kcat not installed' }, async () => {
    const topic = `z-${codec}`;
    const lines = Array.from({ length: 500 }, (_, i) => `k${i}:${'payload-'.repeat(20)}${i}`).join('\n') + '\n';
    const p = await run('kcat', ['-b', tc.bootstrap, '-P', '-t', topic, '-K:', '-z', codec, '-X', 'linger.ms=50'], { input: lines });
    assert.equal(p.code, 0, p.stderr);

    const { host, port } = tc.cluster.nodes[0];
    const c = await KafkaConnection.connect(host, port);
    try {
      const r = await c.request(Fetch, 12, {
        maxWaitMs: 0,
        minBytes: 1,
        topics: [{ topic, partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }],
      });
      const first = batchInfo(r.responses[0].partitions[0].records!, 0);
      assert.equal(first.attributes & ATTR.compressionMask, id, `stored with codec ${codec}`);
    } finally {
      c.close();
    }

    const got = await run('kcat', ['-b', tc.bootstrap, '-C', '-t', topic, '-e', '-q', '-f', '%k\n'], { timeoutMs: 30000 });
    assert.equal(got.stdout.split('\n').filter(Boolean).length, 500);
    const py = kafkaPython();
    if (py) {
      const script = `
import sys
from kafka import KafkaConsumer, TopicPartition
c = KafkaConsumer(bootstrap_servers=sys.argv[1], enable_auto_commit=False, consumer_timeout_ms=3000)
tp = TopicPartition(sys.argv[2], 0); c.assign([tp]); c.seek_to_beginning()
print(sum(1 for _ in c))`;
      const k = await run(py, ['-c', script, tc.bootstrap, topic], { timeoutMs: 30000 });
      assert.equal(k.stdout.trim(), '500', k.stderr);
    }
  });
}
