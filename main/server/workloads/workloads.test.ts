// The demo workloads through the console's routes on a real supervised 3-node cluster, checked
// with a separate client (kafkajs): clickstream at 50 msg/s really lands in demo.clickstream
// (RF 3, keyed by user), its "active users" group is Stable with a member and keeps its lag
// near 0; after stop the end offsets stop moving, every message sent was read and committed
// (lag 0) and the group is Empty. The other workloads produce and compute their summaries;
// bad requests get readable errors; a remote cluster needs confirmRemote, and removing it stops
// its workloads.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { sleep, until } from '../../../broker/testing/wait.ts';
import type { WorkloadStats } from '../../contract/workloads.ts';
import { startBundledConsole, type BundledConsole } from '../../testing/bundled-console.ts';
import { clusterApi, rawRequest } from '../test-helpers.ts';

const TOPIC = 'demo.clickstream';
const GROUP = 'demo.clickstream.active-users';

describe('demo workloads', () => {
  let bc: BundledConsole;
  let admin: Admin;
  let kafka: Kafka;
  const api = clusterApi(() => bc.server);
  const workload = async (name: string): Promise<WorkloadStats> =>
    (await api('GET', '/workloads')).body.workloads.find((w: WorkloadStats) => w.name === name);
  const endOffsets = async (topic = TOPIC) =>
    (await admin.fetchTopicOffsets(topic)).reduce((s, p) => s + Number(p.high), 0);
  const lag = async () => {
    const ends = await admin.fetchTopicOffsets(TOPIC);
    const [committed] = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
    return ends.reduce((s, e) => {
      const c = Number(committed.partitions.find((p) => p.partition === e.partition)?.offset ?? -1);
      return s + Number(e.high) - Math.max(0, c);
    }, 0);
  };
  const group = async () => (await admin.describeGroups([GROUP])).groups[0];

  before(async () => {
    bc = await startBundledConsole({ nodes: 3 });
    kafka = new Kafka({ brokers: bc.bootstrap.split(','), clientId: 'workloads-test', logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
  });
  after(async () => {
    await admin?.disconnect();
    await bc?.stop();
  });

  test('the list names every workload, idle; bad requests are refused in words', async () => {
    const list = await api('GET', '/workloads');
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.workloads.map((w: WorkloadStats) => [w.name, w.state, w.topic]),
      [
        ['clickstream', 'idle', 'demo.clickstream'],
        ['service-logs', 'idle', 'demo.service-logs'],
        ['bank-accounts', 'idle', 'demo.bank-accounts'],
        ['orders', 'idle', 'demo.orders'],
        ['metrics', 'idle', 'demo.metrics'],
        ['stream-processor', 'idle', 'demo.clickstream'],
        ['pipeline', 'idle', 'demo.pipeline.raw'],
        ['exactly-once', 'idle', 'demo.eos-input'],
      ],
    );
    const tooFast = await api('POST', '/workloads/start', { name: 'clickstream', rate: 5000 });
    assert.equal(tooFast.status, 400);
    assert.match(tooFast.body.error.message, /at most 1000 messages per second/);
    const unknown = await api('POST', '/workloads/start', { name: 'nope' });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.message, /clickstream/);
    const stopUnknown = await api('POST', '/workloads/nope/stop', {});
    assert.equal(stopUnknown.status, 404);
    assert.match(stopUnknown.body.error.message, /no workload named "nope"/);
    assert.equal((await api('GET', '/workloads', undefined, 'missing')).status, 404);
  });

  test(
    'clickstream at 50 msg/s: messages land, the group reads them with lag near 0; stop ends both',
    { timeout: 120_000 },
    async () => {
      const started = await api('POST', '/workloads/start', { name: 'clickstream', rate: 50 });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      assert.equal(started.body.state, 'running');

      // Really in the topic, as a separate client sees it: RF 3, keyed by user.
      const meta = await admin.fetchTopicMetadata({ topics: [TOPIC] });
      assert.equal(meta.topics[0].partitions.length, 3);
      assert.ok(meta.topics[0].partitions.every((p) => p.replicas.length === 3));
      await until('150 messages in demo.clickstream', async () => (await endOffsets()) >= 150, 30_000);
      const reader = kafka.consumer({ groupId: 'workloads-test-reader' });
      const seen: { key: string; user: string }[] = [];
      try {
        await reader.connect();
        await reader.subscribe({ topic: TOPIC, fromBeginning: true });
        await reader.run({
          eachMessage: async ({ message }) =>
            void seen.push({ key: message.key!.toString(), user: JSON.parse(message.value!.toString()).user }),
        });
        await until('20 messages read back', async () => seen.length >= 20, 30_000);
      } finally {
        await reader.disconnect();
      }
      assert.ok(
        seen.every((m) => /^user-\d{3}$/.test(m.key) && m.key === m.user),
        JSON.stringify(seen.slice(0, 3)),
      );

      // The group: one member, Stable, lag small while the producer goes on.
      const g = await until('the active-users group to be Stable with a member', async () => {
        const x = await group();
        return x.state === 'Stable' && x.members.length === 1 ? x : null;
      });
      assert.equal(g.protocolType, 'consumer');
      await until('group lag <= 50 while producing', async () => (await lag()) <= 50, 30_000);

      // Live rates, measured by the console.
      const live = await until('rates over a full window', async () => {
        const w = await workload('clickstream');
        return Date.now() - w.startedAt! > 4000 ? w : null;
      });
      console.log(
        `workloads (test): clickstream at 50 msg/s -> ${JSON.stringify({ sentPerSec: live.sentPerSec, consumedPerSec: live.consumedPerSec, errors: live.errors, summary: live.summary })}`,
      );
      assert.ok(live.sentPerSec >= 35 && live.sentPerSec <= 65, `sent/s ${live.sentPerSec}`);
      assert.ok(live.consumedPerSec > 20, `consumed/s ${live.consumedPerSec}`);
      assert.equal(live.errors, 0);
      assert.match(live.summary ?? '', /^\d+ active users in the last 30 s/);
      assert.ok(Number(/^(\d+)/.exec(live.summary!)![1]) > 0);

      const stopped = await api('POST', '/workloads/clickstream/stop', {});
      assert.equal(stopped.status, 200);
      assert.equal(stopped.body.state, 'stopped');
      const end = await endOffsets();
      await sleep(1500);
      assert.equal(await endOffsets(), end, 'end offsets moved after stop');
      // Every message the workload sent is in the topic, and the group read all of them.
      assert.equal(stopped.body.sent, end);
      assert.equal(stopped.body.consumed, end);
      assert.equal(await lag(), 0);
      const after = await group();
      assert.equal(after.state, 'Empty');
      assert.equal(after.members.length, 0);
      const w = await workload('clickstream');
      assert.equal(w.sentPerSec, 0);
    },
  );

  test(
    'service logs and bank-account events produce, and their groups compute their summaries',
    { timeout: 90_000 },
    async () => {
      for (const name of ['service-logs', 'bank-accounts'])
        assert.equal((await api('POST', '/workloads/start', { name, rate: 40 })).status, 200);
      await until(
        'both groups to have read 60 messages',
        async () => {
          const ws = await Promise.all(['service-logs', 'bank-accounts'].map(workload));
          return ws.every((w) => w.consumed >= 60);
        },
        30_000,
      );
      const logs = (await api('POST', '/workloads/service-logs/stop', {})).body;
      const bank = (await api('POST', '/workloads/bank-accounts/stop', {})).body;
      assert.match(logs.summary, /^ERROR \d+ · WARN \d+ · INFO \d+ · DEBUG \d+/);
      assert.match(bank.summary, /^\d+ accounts · total balance -?\d+\.\d\d EUR/);
      assert.equal(await endOffsets('demo.service-logs'), logs.sent);
      assert.equal(await endOffsets('demo.bank-accounts'), bank.sent);
      assert.equal(logs.consumed, logs.sent);
    },
  );

  test(
    'orders and payments: the fraud-rule group writes an alert for each payment its rule flags',
    { timeout: 90_000 },
    async () => {
      assert.equal((await api('POST', '/workloads/start', { name: 'orders', rate: 200 })).status, 200);
      await until('5 alerts in demo.fraud-alerts', async () => (await endOffsets('demo.fraud-alerts')) >= 5, 40_000);
      const s = (await api('POST', '/workloads/orders/stop', {})).body;
      assert.equal(s.outputTopic, 'demo.fraud-alerts');
      assert.equal(s.errors, 0, s.lastError);
      const alerts = await endOffsets('demo.fraud-alerts');
      assert.match(
        s.summary,
        new RegExp(`^\\d+ payments checked · ${alerts} fraud alerts written to demo.fraud-alerts$`),
      );
      // Read them back with another client: each names a payment its rule really flags.
      const reader = kafka.consumer({ groupId: 'workloads-test-alerts' });
      const seen: {
        key: string;
        v: { orderId: string; rule: string; amountCents: number; country: string; cardCountry: string };
      }[] = [];
      try {
        await reader.connect();
        await reader.subscribe({ topic: 'demo.fraud-alerts', fromBeginning: true });
        await reader.run({
          eachMessage: async ({ message }) =>
            void seen.push({ key: message.key!.toString(), v: JSON.parse(message.value!.toString()) }),
        });
        await until(`${alerts} alerts read back`, async () => seen.length >= alerts, 30_000);
      } finally {
        await reader.disconnect();
      }
      for (const { key, v } of seen) {
        assert.equal(key, v.orderId);
        if (v.rule === 'amount over 1000 EUR') assert.ok(v.amountCents > 100_000, JSON.stringify(v));
        else
          assert.ok(
            v.rule === 'paid from another country than the card' && v.country !== v.cardCountry,
            JSON.stringify(v),
          );
      }
    },
  );

  test('a cluster that is not the bundled one needs confirmRemote before anything is written', async () => {
    const added = await rawRequest(bc.server.port, '/api/clusters', {
      method: 'POST',
      headers: { 'x-samsa-token': bc.server.token, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'elsewhere', bootstrap: bc.bootstrap }),
    });
    assert.equal(added.status, 200, added.text);
    const id = added.json().id;
    assert.notEqual(id, 'local');
    const refused = await api('POST', '/workloads/start', { name: 'clickstream', rate: 10 }, id);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'CONFIRM_REMOTE');
    assert.match(refused.body.error.message, /"elsewhere" is not the bundled cluster: .* demo\.clickstream/);
    const before = await endOffsets();
    await sleep(500);
    assert.equal(await endOffsets(), before);
    const ok = await api('POST', '/workloads/start', { name: 'clickstream', rate: 10, confirmRemote: true }, id);
    assert.equal(ok.status, 200);
    await until('messages from the confirmed run', async () => (await endOffsets()) > before, 20_000);
    assert.equal((await group()).state, 'Stable');
    // Removing the cluster from the console stops its workloads: the producer, and the group's member.
    const removed = await rawRequest(bc.server.port, `/api/clusters/${id}`, {
      method: 'DELETE',
      headers: { 'x-samsa-token': bc.server.token },
    });
    assert.equal(removed.status, 200, removed.text);
    const end = await endOffsets();
    await sleep(1500);
    assert.equal(await endOffsets(), end, 'end offsets moved after the cluster was removed');
    assert.equal((await group()).state, 'Empty');
  });
});
