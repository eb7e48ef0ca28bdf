// The Cluster screen's routes on a real supervised 3-node cluster: state joined from the
// supervisor, the metadata log and /metrics; confirmations computed from the real placement;
// node actions with the supervisor's own words on refusal; preferred-leader election through
// ElectLeaders; nothing of it for a cluster the console has no supervisor for.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { until } from '../../broker/testing/wait.ts';
import type { ClusterState } from '../contract/cluster-control.ts';
import { startBundledConsole, type BundledConsole } from '../testing/bundled-console.ts';
import { clusterApi, rawRequest } from './test-helpers.ts';

describe('cluster control routes', () => {
  let bc: BundledConsole;
  const api = clusterApi(() => bc.server);
  const state = async (): Promise<ClusterState> => (await api('GET', '/cluster-state')).body;
  const waitState = (what: string, ok: (s: ClusterState) => boolean, ms = 20000) =>
    until(what, async () => {
      const s = await state();
      return ok(s) ? s : null;
    }, ms);
  const part = (s: ClusterState, topic: string, p = 0) => s.partitions.find((x) => x.topic === topic && x.partition === p);

  before(async () => {
    bc = await startBundledConsole({ nodes: 3 });
    const admin = new Kafka({ brokers: bc.bootstrap.split(','), clientId: 'test', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: 'rf3', numPartitions: 3, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] },
        { topic: 'solo', replicaAssignment: [{ partition: 0, replicas: [2] }] },
      ],
    });
    await admin.disconnect();
  });
  after(async () => {
    await bc?.stop();
  });

  test('the state joins nodes, quorum, partitions and each node\u2019s metrics', async () => {
    const s = await waitState('3 running nodes with metrics and both topics', (x) =>
      x.nodes.length === 3 && x.nodes.every((n) => n.state === 'running' && n.fenced === false && (n.metrics?.rssBytes ?? 0) > 0 && n.metrics?.cpuPercent !== null) && !!part(x, 'solo') && !!part(x, 'rf3', 2),
    );
    assert.equal(s.available, true);
    assert.deepEqual(s.quorum, { voters: [1, 2, 3], majority: 2, liveVoters: 3 });
    assert.equal(s.nodes.filter((n) => n.controller).length, 1);
    assert.equal(s.nodes.find((n) => n.controller)!.id, s.controllerId);
    assert.equal(part(s, 'rf3')!.minInsyncReplicas, 2);
    assert.deepEqual(part(s, 'solo')!.replicas, [2]);
    const n2 = s.nodes.find((n) => n.id === 2)!;
    assert.equal(n2.partitions, s.partitions.filter((p) => p.replicas.includes(2)).length);
    assert.equal(n2.leaders, s.partitions.filter((p) => p.leader === 2).length);
    assert.match(n2.metricsUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  });

  test('the metrics collector charts every node the supervisor lists, from its /metrics', async () => {
    const h = await until('an RSS point of nodes 1, 2 and 3', async () => {
      const r = await api('POST', '/metrics/history', { view: 'nodes', window: '1m' });
      assert.equal(r.status, 200);
      const charted = new Set<number>();
      for (const s of r.body.series as { metric: string; node: number | null; v: (number | null)[] }[])
        if (s.metric === 'rss' && s.node !== null && s.v.some((v) => v !== null && v > 0)) charted.add(s.node);
      return [1, 2, 3].every((id) => charted.has(id)) ? r.body : null;
    }, 30000);
    assert.equal(h.source, 'node-metrics');
  });

  test('the confirmation of a kill says what will happen, from the placement now', async () => {
    const s = await state();
    const led = s.partitions.filter((p) => p.leader === 2 && p.topic !== 'solo');
    const { status, body } = await api('GET', '/impact?action=kill&nodeId=2');
    assert.equal(status, 200);
    assert.equal(body.severity, 'danger');
    assert.match(body.summary, /^Kill -9 node 2 \(pid \d+\)/);
    const text = body.consequences.join('\n');
    assert.match(text, /Partition solo-0 has RF 1 on node 2 and will go offline/);
    const count = led.length === 1 ? '1 partition' : `${led.length} partitions`;
    if (led.length) assert.ok(text.includes(`${count} led by node 2 will elect new leaders`), text);
    assert.match(text, /The metadata quorum keeps working with 2 of 3 voters, but cannot lose another one/);
    const add = (await api('GET', '/impact?action=add')).body;
    assert.match(add.consequences[0], /Node 4 is a broker, not a metadata voter: the quorum keeps its 3 voters \(nodes 1, 2, 3\) and still survives 1 voter failure/);
    const remove = (await api('GET', '/impact?action=remove&nodeId=1')).body;
    assert.match(remove.refusal, /node 1 is a voter of the metadata quorum/);
    assert.equal((await api('GET', '/impact?action=explode&nodeId=1')).status, 400);
  });

  test('pause twice: the supervisor\u2019s words; kill: dead and offline in the state; restart: back', async () => {
    assert.equal((await api('POST', '/nodes/2/pause', {})).status, 200);
    const again = await api('POST', '/nodes/2/pause', {});
    assert.equal(again.status, 409);
    assert.deepEqual(again.body.error, { code: 'INVALID_STATE', message: 'node 2 is already paused' });
    assert.match((await api('GET', '/impact?action=pause&nodeId=2')).body.refusal, /node 2 is already paused/);
    assert.equal((await api('POST', '/nodes/2/resume', {})).body.node.state, 'running');

    const killed = await api('POST', '/nodes/2/kill', {});
    assert.equal(killed.status, 200, JSON.stringify(killed.body));
    assert.equal(killed.body.node.state, 'dead');
    const down = await waitState('solo-0 offline, node 2 fenced', (x) => part(x, 'solo')!.leader === -1 && x.nodes.find((n) => n.id === 2)!.fenced === true);
    assert.equal(down.nodes.find((n) => n.id === 2)!.state, 'dead');
    assert.equal(down.nodes.find((n) => n.id === 2)!.metrics, null);
    assert.ok(down.partitions.filter((p) => p.topic === 'rf3').every((p) => p.leader !== 2 && !p.isr.includes(2)));
    assert.equal(down.quorum.liveVoters, 2);
    const dead = await api('POST', '/nodes/2/kill', {});
    assert.equal(dead.status, 409);
    assert.equal(dead.body.error.message, 'node 2 is already dead');

    assert.equal((await api('POST', '/nodes/2/restart', {})).body.node.state, 'running');
    await waitState('node 2 back in every ISR', (x) => part(x, 'solo')!.leader === 2 && x.partitions.filter((p) => p.topic === 'rf3').every((p) => p.isr.includes(2)), 30000);
  });

  test('preferred-leader election brings leadership back to the first replica', async () => {
    const s = await state();
    const moved = s.partitions.filter((p) => p.topic === 'rf3' && p.leader !== p.replicas[0]);
    const { status, body } = await api('POST', '/elect-leaders', { partitions: s.partitions.filter((p) => p.topic === 'rf3').map((p) => ({ topic: p.topic, partition: p.partition })) });
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.results.length, 3);
    for (const r of body.results) {
      const p = part(s, 'rf3', r.partition)!;
      assert.equal(r.code, moved.includes(p) ? 'NONE' : 'ELECTION_NOT_NEEDED');
    }
    await waitState('every rf3 partition led by its preferred replica', (x) => x.partitions.filter((p) => p.topic === 'rf3').every((p) => p.leader === p.replicas[0]));
  });

  test('bad input and refusals get clear errors', async () => {
    assert.equal((await api('POST', '/nodes/2/explode', {})).status, 400);
    assert.equal((await api('POST', '/nodes/abc/kill', {})).status, 400);
    const missing = await api('POST', '/nodes/9/kill', {});
    assert.deepEqual([missing.status, missing.body.error.message], [404, 'node 9 does not exist']);
    const voter = await api('DELETE', '/nodes/1');
    assert.equal(voter.status, 409);
    assert.match(voter.body.error.message, /voter/);
  });

  test('add a node: an observer that hosts nothing, then remove it', async () => {
    const added = await api('POST', '/nodes', {});
    assert.equal(added.status, 200, JSON.stringify(added.body));
    assert.equal(added.body.node.id, 4);
    assert.equal(added.body.node.role, 'observer');
    await waitState('node 4 registered and unfenced', (x) => x.nodes.find((n) => n.id === 4)?.fenced === false);
    assert.equal((await api('GET', '/impact?action=remove&nodeId=4')).body.refusal, null);
    assert.deepEqual((await api('DELETE', '/nodes/4')).body, { removed: 4, moved: 0 });
    await waitState('node 4 gone from the list', (x) => !x.nodes.some((n) => n.id === 4));
  });

  test('another cluster has no controls, and says why', async () => {
    const added = await rawRequest(bc.server.port, '/api/clusters', {
      method: 'POST',
      headers: { 'x-samsa-token': bc.server.token, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'remote', bootstrap: bc.bootstrap }),
    });
    const id = added.json().id;
    const get = await rawRequest(bc.server.port, `/api/clusters/${id}/cluster-state`, { headers: { 'x-samsa-token': bc.server.token } });
    assert.equal(get.json().available, false);
    assert.match(get.json().reason, /bundled cluster only/);
    const kill = await rawRequest(bc.server.port, `/api/clusters/${id}/nodes/1/kill`, {
      method: 'POST',
      headers: { 'x-samsa-token': bc.server.token, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(kill.status, 404);
    assert.equal(kill.json().error.code, 'NOT_AVAILABLE');
  });
});
