// The producer lab through the console's routes on a real supervised 3-node cluster: two
// producers side by side (acks=all uncompressed in batches of 32 records, acks=1 gzip one
// record per request) for 4 s with verify; each one's counters agree with the topic's end
// offsets, every acknowledged record is read back (lost 0), batches mean fewer requests than
// records, gzip means fewer bytes on disk than produced, and the series carries MB/s and
// latency. Bad settings are refused in words; a second start while running is a 409.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { until } from '../../../broker/testing/wait.ts';
import { createCaller } from '../../../renderer/api/caller.ts';
import type { ProducerLabStats } from '../../contract/producer-lab.ts';
import { startBundledConsole, type BundledConsole } from '../../testing/bundled-console.ts';
import { clusterApi } from '../test-helpers.ts';
import { labValue, parseLabValue, quantile } from './producer-lab.ts';

describe('producer lab', () => {
  let bc: BundledConsole;
  let api: ReturnType<typeof createCaller>;
  const clusterId = 'local';
  const post = clusterApi(() => bc.server);
  const raw = (path: string, body: unknown) => post('POST', path, body, clusterId);

  before(async () => {
    bc = await startBundledConsole({ nodes: 3 });
    api = createCaller({ baseUrl: `http://127.0.0.1:${bc.server.port}`, token: () => bc.server.token });
  });
  after(async () => {
    await bc?.stop();
  });

  test('values carry run, producer and sequence at the asked size; quantiles', () => {
    const v = labValue('0a0b0c0d', 'acks=all', 42, 512);
    assert.equal(v.length, 512);
    assert.deepEqual(parseLabValue(v), { lab: '0a0b0c0d', p: 'acks=all', seq: 42 });
    assert.equal(parseLabValue(Buffer.from('{"seq":1}')), null);
    assert.equal(parseLabValue(Buffer.from('not json')), null);
    assert.equal(quantile([], 0.5), null);
    assert.equal(quantile([1, 2, 3, 4], 0.5), 2);
    assert.equal(quantile([1, 2, 3, 4], 0.99), 4);
  });

  test('bad settings are refused in words', async () => {
    const dup = await raw('/producer-lab/start', {
      producers: [
        { label: 'a', topic: 'lab.x' },
        { label: 'a', topic: 'lab.x' },
      ],
    });
    assert.equal(dup.status, 400);
    assert.match(dup.body.error.message, /its own label/);
    const acks = await raw('/producer-lab/start', { producers: [{ label: 'a', topic: 'lab.x', acks: 2 }] });
    assert.equal(acks.status, 400);
    const small = await raw('/producer-lab/start', { producers: [{ label: 'a', topic: 'lab.x', recordBytes: 10 }] });
    assert.equal(small.status, 400);
    assert.match(small.body.error.message, /record size is at least 64/);
    assert.equal((await api('producerLab', { clusterId })).state, 'idle');
  });

  test(
    'two producers side by side: counters agree with the log, nothing acknowledged lost, batches and gzip seen',
    { timeout: 120_000 },
    async () => {
      const started = await api(
        'producerLabStart',
        { clusterId },
        {
          producers: [
            {
              label: 'all-batched',
              topic: 'lab.test.all',
              acks: -1,
              batchBytes: 32 * 512,
              lingerMs: 20,
              recordBytes: 512,
              rate: 2000,
            },
            {
              label: 'one-gzip',
              topic: 'lab.test.gzip',
              acks: 1,
              batchBytes: 1,
              lingerMs: 0,
              compression: 'gzip',
              recordBytes: 512,
              rate: 200,
            },
          ],
          durationMs: 4000,
          verify: true,
        },
      );
      assert.equal(started.state, 'running');
      const again = await raw('/producer-lab/start', { producers: [{ label: 'x', topic: 'lab.test.all' }] });
      assert.equal(again.status, 409);
      const done: ProducerLabStats = await until(
        'the timed run to stop and verify',
        async () => {
          const s = await api('producerLab', { clusterId });
          return s.state === 'stopped' ? s : null;
        },
        60_000,
      );
      assert.equal(done.lastError, null);
      const [all, gzip] = done.producers;
      for (const p of done.producers) {
        assert.ok(p.acked > 100, `${p.settings.label}: ${p.acked} acked`);
        assert.equal(p.failed, 0, JSON.stringify(p.errors));
        assert.deepEqual(p.verify, { found: p.acked, lost: 0, duplicates: 0, unacknowledgedFound: 0 });
        const detail = await api('topicDetail', { clusterId, topic: p.settings.topic });
        assert.equal(
          detail.partitions.reduce((n, x) => n + (x.endOffset ?? 0), 0),
          p.acked,
        );
        assert.ok(p.series.some((x) => x.mbPerSec > 0 && x.p50Ms !== null && x.p99Ms !== null && x.p99Ms >= x.p50Ms));
        assert.ok(p.p50Ms !== null && p.p99Ms !== null);
        assert.equal(p.ackedBytes, p.acked * 512);
      }
      // 32 records per request at most, and the loop fills them: far fewer requests than records.
      assert.ok(all.requests * 8 <= all.acked, `${all.requests} requests for ${all.acked} records`);
      assert.equal(gzip.requests, gzip.acked);
      // gzip: the leader replicas hold fewer bytes than the values produced.
      const sizes = await api('listTopics', { clusterId });
      const onDisk = sizes.topics.find((t) => t.name === 'lab.test.gzip')?.sizeBytes;
      assert.ok(
        onDisk !== null && onDisk !== undefined && onDisk < gzip.ackedBytes,
        `${onDisk} B on disk for ${gzip.ackedBytes} B produced`,
      );
      const stopped = await api('producerLabStop', { clusterId }, {});
      assert.equal(stopped.state, 'stopped');
    },
  );
});
