// Console routes against a real single-node Samsa cluster: what a user does in the UI, through
// the HTTP and WebSocket contract, with kafkajs as an independent real client.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import WebSocket from 'ws';
import { freePortBlock } from '../../broker/testing/ports.ts';
import { startCluster } from '../../broker/supervisor/supervisor.ts';
import { ClusterRegistry } from '../kafka/cluster-registry.ts';
import { startConsoleServer, type ConsoleServer } from './console-server.ts';
import { rawRequest, tempDir } from './test-helpers.ts';

type Cluster = Awaited<ReturnType<typeof startCluster>>;

describe('console routes on a real cluster', () => {
  let cluster: Cluster;
  let server: ConsoleServer;
  let registry: ClusterRegistry;
  let bootstrap: string;

  const api = async (method: string, path: string, body?: unknown) => {
    const r = await rawRequest(server.port, `/api/clusters/local${path}`, {
      method,
      headers: { 'x-samsa-token': server.token, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, body: r.json() };
  };

  before(async () => {
    const dir = tempDir('samsa-routes-');
    const port = await freePortBlock(1);
    cluster = await startCluster({ nodes: 1, basePort: port, dataDir: dir });
    bootstrap = cluster.bootstrap;
    registry = new ClusterRegistry({ appDataDir: dir, bundledBootstrap: bootstrap.split(',') });
    server = await startConsoleServer({ registry, staticDir: null });
  });
  after(async () => {
    await server?.close();
    await registry?.close();
    await cluster?.stop();
  });

  test('create topic, with Kafka’s error for an invalid name', async () => {
    const bad = await api('POST', '/topics', { name: 'no spaces please' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'INVALID_TOPIC_EXCEPTION');
    assert.match(bad.body.error.message, /illegal/);
    const ok = await api('POST', '/topics', { name: 'orders', partitions: 2, configs: { 'retention.ms': '3600000' } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.partitions, 2);
    const dup = await api('POST', '/topics', { name: 'orders' });
    assert.equal(dup.body.error.code, 'TOPIC_ALREADY_EXISTS');
    const list = await api('GET', '/topics');
    assert.ok(list.body.topics.some((t: { name: string }) => t.name === 'orders'));
    const configs = await api('GET', '/topics/orders/configs');
    const retention = configs.body.configs.find((c: { name: string }) => c.name === 'retention.ms');
    assert.equal(retention.value, '3600000');
    assert.equal(retention.source, 'DYNAMIC_TOPIC_CONFIG');
  });

  test('produce with headers, then browse by offset and by timestamp', async () => {
    const before = Date.now();
    const p = await api('POST', '/topics/orders/messages', { key: 'k1', value: '{"n":1}', headers: [{ key: 'trace', value: 't-1' }], partition: 0, repeat: 3 });
    assert.equal(p.status, 200, JSON.stringify(p.body));
    assert.deepEqual(p.body, { count: 3, partitions: [{ partition: 0, firstOffset: 0 }] });
    const byOffset = await api('POST', '/topics/orders/browse', { partition: 0, seek: { mode: 'offset', offset: 1 }, limit: 10 });
    assert.deepEqual(byOffset.body.messages.map((m: { offset: number }) => m.offset), [1, 2]);
    const m = byOffset.body.messages[0];
    assert.equal(Buffer.from(m.key, 'base64').toString(), 'k1');
    assert.equal(Buffer.from(m.value, 'base64').toString(), '{"n":1}');
    assert.deepEqual(m.headers, [{ key: 'trace', value: Buffer.from('t-1').toString('base64') }]);
    const future = await api('POST', '/topics/orders/browse', { seek: { mode: 'timestamp', timestamp: Date.now() + 3600_000 } });
    assert.equal(future.body.messages.length, 0);
    const past = await api('POST', '/topics/orders/browse', { seek: { mode: 'timestamp', timestamp: before - 1000 } });
    assert.equal(past.body.messages.length, 3);
    const latest = await api('POST', '/topics/orders/browse', { seek: { mode: 'latest' }, limit: 1 });
    assert.deepEqual(latest.body.messages.map((x: { offset: number }) => x.offset), [2]);
  });

  test('produce to a partition that does not exist is refused; nothing is written anywhere', async () => {
    const before = await api('POST', '/topics/orders/browse', { seek: { mode: 'earliest' }, limit: 100 });
    const r = await api('POST', '/topics/orders/messages', { value: 'misrouted?', partition: 5 });
    assert.equal(r.status, 404, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'UNKNOWN_TOPIC_OR_PARTITION');
    assert.equal(r.body.error.message, 'Topic orders has 2 partitions, 0–1: partition 5 does not exist.');
    const after = await api('POST', '/topics/orders/browse', { seek: { mode: 'earliest' }, limit: 100 });
    assert.deepEqual(after.body.partitions, before.body.partitions);
  });

  test('search streams progress and matches over the WebSocket; tail sees new records', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/stream?token=${encodeURIComponent(server.token)}`);
    await new Promise((r) => ws.on('open', r));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- stream messages are checked field by field below
    const messages: any[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
    ws.send(JSON.stringify({ type: 'search.start', id: 's', clusterId: 'local', topic: 'orders', query: 'T-1' }));
    const until = async (pred: () => boolean) => {
      for (let i = 0; i < 100 && !pred(); i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(pred());
    };
    await until(() => messages.some((m) => m.type === 'search.done'));
    const done = messages.find((m) => m.type === 'search.done');
    assert.equal(done.matches, 3, 'case-insensitive match on a header value');
    assert.equal(messages.filter((m) => m.type === 'search.match').flatMap((m) => m.messages).length, 3);

    ws.send(JSON.stringify({ type: 'tail.start', id: 't', clusterId: 'local', topic: 'orders' }));
    await new Promise((r) => setTimeout(r, 500));
    await api('POST', '/topics/orders/messages', { value: 'live!', partition: 1 });
    await until(() => messages.some((m) => m.type === 'tail.messages'));
    const tail = messages.find((m) => m.type === 'tail.messages');
    assert.equal(Buffer.from(tail.messages[0].value, 'base64').toString(), 'live!');
    ws.send(JSON.stringify({ type: 'stop', id: 't' }));
    ws.close();
  });

  test('a real consumer group shows lag; offsets reset with preview; group and topic delete', async () => {
    const kafka = new Kafka({ brokers: bootstrap.split(','), clientId: 'routes-test', logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: 'billing' });
    await consumer.connect();
    await consumer.subscribe({ topics: ['orders'], fromBeginning: true });
    let seen = 0;
    await consumer.run({ eachMessage: async () => void seen++ });
    for (let i = 0; i < 100 && seen < 4; i++) await new Promise((r) => setTimeout(r, 100));
    await consumer.commitOffsets([{ topic: 'orders', partition: 0, offset: '1' }]);
    const busy = await api('POST', '/groups/billing/reset-offsets', { topic: 'orders', strategy: 'earliest', dryRun: false });
    assert.equal(busy.status, 409);
    assert.match(busy.body.error.message, /inactive/);
    await consumer.disconnect();

    const list = await api('GET', '/groups');
    const g = list.body.groups.find((x: { groupId: string }) => x.groupId === 'billing');
    assert.ok(g, JSON.stringify(list.body));
    assert.equal(g.lag, 2);
    const detail = await api('GET', '/groups/billing');
    const p0 = detail.body.offsets.find((o: { partition: number }) => o.partition === 0);
    assert.deepEqual([p0.committed, p0.endOffset, p0.lag], [1, 3, 2]);

    const preview = await api('POST', '/groups/billing/reset-offsets', { topic: 'orders', strategy: 'latest' });
    assert.equal(preview.body.applied, false);
    assert.deepEqual(preview.body.changes.find((c: { partition: number }) => c.partition === 0), { topic: 'orders', partition: 0, current: 1, target: 3 });
    const unchanged = await api('GET', '/groups/billing');
    assert.equal(unchanged.body.offsets.find((o: { partition: number }) => o.partition === 0).committed, 1, 'preview changes nothing');
    const applied = await api('POST', '/groups/billing/reset-offsets', { topic: 'orders', strategy: 'offset', offset: 2, dryRun: false });
    assert.equal(applied.body.applied, true);
    const after = await api('GET', '/groups/billing');
    assert.equal(after.body.offsets.find((o: { partition: number }) => o.partition === 0).committed, 2);

    assert.equal((await api('DELETE', '/groups/billing')).status, 200);
    assert.equal((await api('DELETE', '/topics/orders')).status, 200);
    const gone = await api('GET', '/topics/orders');
    assert.equal(gone.status, 404, JSON.stringify(gone.body));
  });
});
