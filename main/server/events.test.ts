// The cluster event source end to end: a supervised 3-node cluster, the console server wired to
// its control endpoint, and what a user does to the nodes. The timeline must say what the
// supervisor and the metadata log say, with their times, readable by cursor over HTTP and pushed
// over the stream socket.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { createTopic, leaderOf } from '../../broker/testing/cluster.ts';
import { until } from '../../broker/testing/wait.ts';
import type { ClusterEvent, EventsPage } from '../contract/events.ts';
import { startBundledConsole, type BundledConsole } from '../testing/bundled-console.ts';
import { EventStore } from './events.ts';
import { rawRequest } from './test-helpers.ts';

test('the store pages by cursor and counts what a slow reader missed', () => {
  const s = new EventStore(3);
  const input = (text: string) => ({ at: 1, source: 'supervisor' as const, kind: 'node-started' as const, nodeId: 1, topic: null, partition: null, leader: null, isr: null, replicas: null, offset: null, text });
  s.add(['a', 'b'].map(input));
  assert.deepEqual(s.read(0).events.map((e) => [e.seq, e.text]), [[1, 'a'], [2, 'b']]);
  assert.equal(s.read(2).next, 2);
  assert.deepEqual(s.read(0, 1).events.map((e) => e.seq), [1]);
  assert.equal(s.read(0, 1).next, 1);
  s.add(['c', 'd'].map(input));
  const late = s.read(0);
  assert.deepEqual(late.events.map((e) => e.text), ['b', 'c', 'd']);
  assert.equal(late.missed, 1);
  assert.equal(s.read(99).next, 4, 'a cursor from the future comes back to the present');
});

describe('cluster events on a real supervised cluster', () => {
  let bc: BundledConsole;
  const events = async (since = 0): Promise<EventsPage> => {
    const r = await rawRequest(bc.server.port, `/api/clusters/local/events?since=${since}`, { headers: { 'x-samsa-token': bc.server.token } });
    assert.equal(r.status, 200, r.text);
    return r.json();
  };
  const waitFor = (what: string, since: number, match: (e: ClusterEvent[]) => boolean, ms = 15000) =>
    until(what, async () => {
      const p = await events(since);
      return match(p.events) ? p : null;
    }, ms);
  const has = (es: ClusterEvent[], kind: string, f: Partial<ClusterEvent> = {}) =>
    es.some((e) => e.kind === kind && Object.entries(f).every(([k, v]) => JSON.stringify(e[k as keyof ClusterEvent]) === JSON.stringify(v)));

  before(async () => {
    bc = await startBundledConsole({ nodes: 3 });
  });
  after(async () => {
    await bc?.stop();
  });

  test('the start of the cluster: nodes started, a controller elected, brokers registered and unfenced', async () => {
    const p = await waitFor('the start history', 0, (es) => [1, 2, 3].every((id) => has(es, 'node-started', { nodeId: id }) && has(es, 'broker-unfenced', { nodeId: id })));
    assert.equal(p.available, true);
    assert.ok(has(p.events, 'controller-elected'));
    assert.ok(p.events.every((e, i) => e.seq === i + 1), 'numbered from 1 without gaps');
    const started = p.events.find((e) => e.kind === 'node-started')!;
    assert.equal(started.source, 'supervisor');
    assert.match(started.text, /^node \d started \(pid \d+\)$/);
    assert.match(p.sources.metadata, /^live, reading the metadata log from node \d$/);
    assert.equal(p.sources.supervisor, 'live');
  });

  test('kill -9 of a partition leader: killed, fenced, a new leader and a smaller ISR, in that order of time', async () => {
    assert.equal(await createTopic(bc, 'events-t', { partitions: 1, replicationFactor: 3 }), 0);
    const created = await waitFor('topic-created', 0, (es) => has(es, 'topic-created', { topic: 'events-t' }));
    const since = created.next;
    const victim = await until('a leader', async () => {
      const l = await leaderOf(bc, 'events-t');
      return l > 0 ? l : null;
    });
    const killedAt = Date.now();
    await bc.control.call('kill', { id: victim });
    const p = await waitFor('the failover events', since, (es) => has(es, 'node-killed', { nodeId: victim }) && has(es, 'leader-changed', { topic: 'events-t', partition: 0 }) && has(es, 'isr-shrunk', { topic: 'events-t' }));
    assert.ok(p.events.every((e) => e.seq > since), 'only events after the cursor');
    const kill = p.events.find((e) => e.kind === 'node-killed')!;
    assert.equal(kill.text, `node ${victim} killed (SIGKILL)`);
    const fenced = p.events.find((e) => e.kind === 'broker-fenced' && e.nodeId === victim)!;
    const moved = p.events.find((e) => e.kind === 'leader-changed' && e.topic === 'events-t')!;
    assert.equal(moved.leader!.from, victim);
    assert.notEqual(moved.leader!.to, victim);
    assert.ok(moved.leader!.to > 0);
    const shrunk = p.events.find((e) => e.kind === 'isr-shrunk' && e.topic === 'events-t')!;
    assert.ok(!shrunk.isr!.to.includes(victim));
    for (const e of [kill, fenced, moved]) assert.ok(e.at >= killedAt - 50 && e.at < Date.now(), `${e.kind} at ${e.at - killedAt} ms`);
    assert.ok(fenced.at <= moved.at);

    // Back: started, registered, unfenced, and the ISR grows again.
    await bc.control.call('restart', { id: victim });
    await waitFor('ISR expanded', p.next, (es) => has(es, 'node-started', { nodeId: victim }) && has(es, 'broker-unfenced', { nodeId: victim }) && has(es, 'isr-expanded', { topic: 'events-t', nodeId: victim }), 30000);
  });

  test('the stream socket sends the history since a cursor, then each event as it happens', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${bc.server.port}/api/stream?token=${bc.server.token}`, { origin: bc.server.url });
    const got: { events: ClusterEvent[]; session: string; next: number }[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(String(d));
      if (m.type === 'events.batch') got.push(m);
    });
    await new Promise((r) => ws.once('open', r));
    const { next, session } = await events(0);
    ws.send(JSON.stringify({ type: 'events.subscribe', id: 'ev', clusterId: 'local', since: next - 2, session }));
    await until('the history batch', async () => got.length >= 1);
    assert.deepEqual(got[0].events.map((e) => e.seq), [next - 1, next]);
    assert.equal(got[0].session, session);
    await bc.control.call('pause', { id: 3 });
    const paused = await until('node-paused pushed', async () => got.flatMap((b) => b.events).find((e) => e.kind === 'node-paused'));
    assert.equal(paused.nodeId, 3);
    await bc.control.call('resume', { id: 3 });
    await until('node-resumed pushed', async () => got.flatMap((b) => b.events).some((e) => e.kind === 'node-resumed'));
    const seqs = got.flatMap((b) => b.events).map((e) => e.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'in order');
    assert.equal(new Set(seqs).size, seqs.length, 'never twice');
    ws.close();
  });

  test('a cluster without a supervisor has no timeline, and says why', async () => {
    const added = await rawRequest(bc.server.port, '/api/clusters', {
      method: 'POST',
      headers: { 'x-samsa-token': bc.server.token, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'remote', bootstrap: bc.bootstrap }),
    });
    const id = added.json().id;
    const r = await rawRequest(bc.server.port, `/api/clusters/${id}/events`, { headers: { 'x-samsa-token': bc.server.token } });
    assert.equal(r.json().available, false);
    assert.match(r.json().reason, /bundled cluster only/);
    const bad = await rawRequest(bc.server.port, '/api/clusters/local/events?since=-1', { headers: { 'x-samsa-token': bc.server.token } });
    assert.equal(bad.status, 400);
    assert.match(bad.json().error.message, /since/);
  });
});
