// Browse with a filter through the console's route on a real cluster (one node: filtering is
// the console's reading, not the cluster's behaviour): field and text filters keep exactly the
// matching records of every partition, from "earliest" the first `limit` of them and from
// "latest" the last; the response says how many records were read; a bad filter is a 400.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBundledConsole, type BundledConsole } from '../testing/bundled-console.ts';
import { clusterApi } from '../server/test-helpers.ts';

const TOPIC = 'filter-logs';
const SERVICES = ['auth', 'orders', 'payments'];
const LEVELS = ['INFO', 'INFO', 'WARN', 'ERROR'];

describe('browse with a filter', () => {
  let bc: BundledConsole;
  const api = clusterApi(() => bc.server);
  const lines = Array.from({ length: 120 }, (_, i) => ({ i, service: SERVICES[i % 3], level: LEVELS[Math.floor(i / 3) % 4] }));
  const browse = (filter: unknown, seek: unknown = { mode: 'earliest' }, limit = 1000) => api('POST', `/topics/${TOPIC}/browse`, { seek, limit, filter });
  const parsed = (r: { body: { messages: { value: string }[] } }) =>
    r.body.messages.map((m) => JSON.parse(Buffer.from(m.value, 'base64').toString()) as { i: number; service: string; level: string });

  before(async () => {
    bc = await startBundledConsole({ nodes: 1 });
    assert.equal((await api('POST', '/topics', { name: TOPIC, partitions: 3 })).status, 200);
    for (const l of lines) {
      const r = await api('POST', `/topics/${TOPIC}/messages`, { key: l.service, value: JSON.stringify(l), headers: [{ key: 'line', value: `line-${l.i}` }] });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
  });
  after(async () => {
    await bc?.stop();
  });

  test('fields: every ERROR line of payments, from every partition, and nothing else', async () => {
    const r = await browse({ fields: [{ path: 'service', equals: 'payments' }, { path: 'level', equals: 'error' }] });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const want = lines.filter((l) => l.service === 'payments' && l.level === 'ERROR').map((l) => l.i);
    assert.ok(want.length >= 5);
    assert.deepEqual(parsed(r).map((l) => l.i).sort((a, b) => a - b), want);
    assert.equal(r.body.scanned, 120);
    const none = await browse({ fields: [{ path: 'level', equals: 'FATAL' }] });
    assert.deepEqual(none.body.messages, []);
    // Without a filter there is no `scanned`, and every record comes back.
    const all = await api('POST', `/topics/${TOPIC}/browse`, { seek: { mode: 'earliest' }, limit: 1000 });
    assert.equal(all.body.messages.length, 120);
    assert.equal(all.body.scanned, undefined);
  });

  test('text: in a header value too; limit keeps the first matches from earliest and the last from latest', async () => {
    const one = await browse({ text: 'LINE-77' });
    assert.deepEqual(parsed(one).map((l) => l.i), [77]);
    const warn = lines.filter((l) => l.level === 'WARN');
    const first = await browse({ fields: [{ path: 'level', equals: 'WARN' }] }, { mode: 'earliest' }, 5);
    assert.equal(first.body.messages.length, 5);
    assert.ok(parsed(first).every((l) => l.level === 'WARN'));
    const last = await browse({ fields: [{ path: 'level', equals: 'WARN' }] }, { mode: 'latest' }, 3);
    assert.deepEqual(parsed(last).map((l) => l.i), warn.slice(-3).map((l) => l.i));
  });

  test('a bad filter is refused in words', async () => {
    const r = await browse({ fields: [{ path: '', equals: 'x' }] });
    assert.equal(r.status, 400);
    assert.match(r.body.error.message, /needs a field name/);
  });
});
