// GET /metadata/records on a real 3-node cluster: every node serves the same committed log with
// the controller's timestamps; a long poll answers as soon as a change commits; after a kill -9
// the survivors serve the fencing and the new leaders; bad parameters get a 400 with the reason.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTopic, startTestCluster, type TestCluster } from '../testing/cluster.ts';
import { until } from '../testing/wait.ts';

interface Page {
  logStartOffset: number;
  appliedOffset: number;
  snapshot: unknown;
  records: { offset: number; epoch: number; at: number | null; record: { type: string; [k: string]: unknown } }[];
}

let tc: TestCluster;
before(async () => {
  tc = await startTestCluster({ nodes: 3 });
});
after(async () => {
  await tc?.stop();
});

const recordsUrl = (id: number, query = '') => new URL(`/metadata/records${query}`, tc.cluster.node(id).metricsUrl!).href;

async function page(id: number, query = ''): Promise<Page> {
  const res = await fetch(recordsUrl(id, query));
  assert.equal(res.status, 200, await res.clone().text());
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  return (await res.json()) as Page;
}

test('every node serves the same committed records, each with the time the controller proposed it', { timeout: 60000 }, async () => {
  const started = Date.now() - 120_000;
  const pages = await until('every node has applied the same offset', async () => {
    const ps = await Promise.all([1, 2, 3].map((id) => page(id)));
    return ps.every((p) => p.appliedOffset === ps[0].appliedOffset) ? ps : null;
  });
  const [first] = pages;
  for (const p of pages) assert.deepEqual(p.records, first.records);
  assert.deepEqual(first.records.map((r) => r.offset), Array.from({ length: first.records.length }, (_, i) => i));
  const types = first.records.map((r) => r.record.type);
  assert.ok(types.includes('LeaderChange'));
  assert.equal(new Set(first.records.filter((r) => r.record.type === 'RegisterBroker').map((r) => (r.record.broker as { nodeId: number }).nodeId)).size, 3);
  for (const r of first.records) assert.ok(r.at !== null && r.at > started && r.at <= Date.now(), `record ${r.offset} has a time: ${r.at}`);
});

test('a long poll answers once a change commits, not at the end of its wait', { timeout: 60000 }, async () => {
  const { appliedOffset } = await page(2);
  const t0 = Date.now();
  const waiting = page(2, `?after=${appliedOffset - 1}&waitMs=20000`);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(await createTopic(tc, 'feed-topic', { partitions: 2, replicationFactor: 3 }), 0);
  const p = await waiting;
  const elapsed = Date.now() - t0;
  assert.ok(elapsed < 15000, `answered after ${elapsed} ms`);
  assert.ok(p.records.length > 0 && p.records[0].offset === appliedOffset);
  const all = await until('the Topic record', async () => {
    const q = await page(2, `?after=${appliedOffset - 1}`);
    return q.records.some((r) => r.record.type === 'Topic') ? q : null;
  });
  const topic = all.records.find((r) => r.record.type === 'Topic')!.record.topic as { name: string; partitions: unknown[] };
  assert.equal(topic.name, 'feed-topic');
  assert.equal(topic.partitions.length, 2);
});

test('after kill -9 of a node the others serve its fencing and the partitions it led moving away', { timeout: 60000 }, async () => {
  const before = (await page(1)).appliedOffset;
  await tc.cluster.kill(3);
  const changes = await until(
    'FenceBroker 3',
    async () => {
      const p = await page(1, `?after=${before - 1}`);
      return p.records.some((r) => r.record.type === 'FenceBroker' && r.record.nodeId === 3) ? p : null;
    },
    20000,
  );
  const partitions = changes.records.filter((r) => r.record.type === 'Partition').map((r) => r.record.partition as { leader: number; isr: number[] });
  assert.ok(partitions.length > 0, 'partition changes follow the fencing');
  for (const p of partitions) {
    assert.notEqual(p.leader, 3);
    assert.ok(!p.isr.includes(3) || p.isr.length === 1);
  }
  await tc.cluster.startNode(3);
});

test('bad parameters and methods get a clear error', { timeout: 30000 }, async () => {
  for (const q of ['?after=x', '?after=-2', '?max=0', '?max=5000', '?waitMs=60001', '?waitMs=1.5']) {
    const res = await fetch(recordsUrl(1, q));
    assert.equal(res.status, 400, q);
    assert.match(await res.text(), /must be an integer/);
  }
  const post = await fetch(recordsUrl(1), { method: 'POST' });
  assert.equal(post.status, 405);
  const capped = await page(1, '?max=2');
  assert.equal(capped.records.length, 2);
});
