// The stream client against a scripted socket: subscriptions (the bundled cluster's events and
// state, live metrics) stay registered through a lost socket (told RECONNECTING), are sent again
// on the next socket, the timeline with the cursor it had reached; a search is dropped with
// DISCONNECTED.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ServerStreamMessage } from '../../main/contract/index.ts';

class FakeSocket {
  static readonly OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onmessage: ((ev: { data: string }) => void) | null = null;
  constructor(readonly url: URL) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  open() {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
  deliver(m: object) {
    this.onmessage?.({ data: JSON.stringify(m) });
  }
}

Object.defineProperty(globalThis, 'window', { value: { location: { href: 'http://127.0.0.1:9/' } }, configurable: true });
Object.defineProperty(globalThis, 'WebSocket', { value: FakeSocket, configurable: true });
const { stream } = await import('./stream.ts');

const tick = () => new Promise((r) => setImmediate(r));
async function until(cond: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('after a lost socket the timeline resumes from its cursor, the cluster state and metrics are asked again; a search ends', async () => {
  const events: ServerStreamMessage[] = [];
  const states: ServerStreamMessage[] = [];
  const searches: ServerStreamMessage[] = [];
  const metrics: ServerStreamMessage[] = [];
  const stopEvents = stream.start({ type: 'events.subscribe', clusterId: 'bundled' }, (m) => events.push(m));
  const stopState = stream.start({ type: 'cluster.subscribe', clusterId: 'bundled' }, (m) => states.push(m));
  stream.start({ type: 'search.start', clusterId: 'bundled', topic: 't', query: 'x' }, (m) => searches.push(m));
  const metricsQuery = { type: 'metrics.subscribe', clusterId: 'bundled', view: 'topic', topic: 't', group: null, window: '15m' } as const;
  const stopMetrics = stream.start(metricsQuery, (m) => metrics.push(m));
  const first = FakeSocket.all[0];
  first.open();
  await tick();
  assert.deepEqual(
    first.sent.map((m) => m.type),
    ['events.subscribe', 'cluster.subscribe', 'search.start', 'metrics.subscribe'],
  );
  const [evMsg] = first.sent;
  assert.equal(evMsg.since, undefined, 'a first subscription has no cursor yet');
  first.deliver({ type: 'events.batch', id: evMsg.id, session: 's1', events: [], next: 42, missed: 0, reset: false });

  first.drop();
  assert.deepEqual(events.at(-1), { type: 'error', id: evMsg.id, error: { code: 'RECONNECTING', message: 'The live connection to the console server was lost; reconnecting…' } });
  const lastState = states.at(-1);
  assert.ok(lastState?.type === 'error' && lastState.error.code === 'RECONNECTING');
  const lastMetrics = metrics.at(-1);
  assert.ok(lastMetrics?.type === 'error' && lastMetrics.error.code === 'RECONNECTING');
  const lastSearch = searches.at(-1);
  assert.ok(lastSearch?.type === 'error' && lastSearch.error.code === 'DISCONNECTED');

  await until(() => FakeSocket.all.length === 2);
  const second = FakeSocket.all[1];
  second.open();
  await until(() => second.sent.length === 3);
  const resumed = second.sent.find((m) => m.type === 'events.subscribe');
  assert.equal(resumed?.since, 42);
  assert.equal(resumed?.session, 's1');
  assert.ok(second.sent.some((m) => m.type === 'cluster.subscribe'));
  const { id: _metricsId, ...metricsAgain } = second.sent.find((m) => m.type === 'metrics.subscribe') ?? {};
  assert.deepEqual(metricsAgain, metricsQuery, 'metrics are asked again for the same view and window');
  assert.ok(!second.sent.some((m) => m.type === 'search.start'), 'a search is not restarted');

  stopEvents();
  stopState();
  stopMetrics();
  assert.deepEqual(
    second.sent.slice(-3).map((m) => m.type),
    ['stop', 'stop', 'stop'],
  );
});
