// Incremental fetch sessions (KIP-227, fetch-sessions.ts) on the 3-node cluster:
// - a consumer's session, exact requests: the full fetch that opens it gets a sessionId and every
//   partition; an incremental fetch listing nothing answers only the partition written since, and
//   nothing at all when nothing changed; forgotten partitions are no longer read; a repeated
//   epoch is INVALID_FETCH_SESSION_EPOCH and an unknown sessionId FETCH_SESSION_ID_NOT_FOUND.
// - followers use sessions: with 1 000 idle partitions (RF 3) the FetchFollower traffic of all
//   three nodes over 3 s stays under 60 KB (request and response bytes from the nodes' metrics).
//   Before sessions every follower poll listed each partition it follows and got each one back:
//   ~1 MB in 3 s.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ErrorCode } from '../protocol/errors.ts';
import { Fetch } from '../protocol/messages/fetch.ts';
import { buildBatch } from '../protocol/record-batch.ts';
import { KafkaConnection } from '../client/connection.ts';
import { createTopic, produceTo, startTestCluster, type TestCluster } from '../testing/cluster.ts';
import { prometheusPython, scrapeParsed, sumOf } from '../testing/prometheus.ts';
import { sleep, until } from '../testing/wait.ts';

let tc: TestCluster;

before(async () => {
  tc = await startTestCluster({ nodes: 3 });
});
after(async () => {
  await tc?.stop();
});

test('a consumer fetch session answers only what changed', { timeout: 60000 }, async () => {
  const topic = 'sessions';
  const parts = 6;
  // Node 1 leads every partition: one session covers them all. Writes are acks=all, so each
  // high watermark has moved before the fetch that follows (a moved one would be answered).
  assert.equal(await createTopic(tc, topic, { assignment: Array.from({ length: parts }, () => [1, 2, 3]) }), ErrorCode.NONE);
  for (let p = 0; p < parts; p++)
    await until(`partition ${p} takes writes`, async () => (await produceTo(tc, 1, topic, p, buildBatch([{ value: `v${p}` }])))?.errorCode === 0);
  const partition = (p: number, fetchOffset: number) => ({ partition: p, fetchOffset, partitionMaxBytes: 1 << 20 });
  const body = (sessionId: number, sessionEpoch: number, partitions: ReturnType<typeof partition>[], forgotten: number[] = []) => ({
    clusterId: null,
    replicaId: -1,
    replicaState: { replicaId: -1, replicaEpoch: -1 },
    maxWaitMs: 300,
    minBytes: 1,
    maxBytes: 1 << 20,
    isolationLevel: 0,
    sessionId,
    sessionEpoch,
    topics: partitions.length ? [{ topic, topicId: '0'.repeat(32), partitions: partitions.map((p) => ({ ...p, currentLeaderEpoch: -1, lastFetchedEpoch: -1, logStartOffset: -1 })) }] : [],
    forgottenTopicsData: forgotten.length ? [{ topic, topicId: '0'.repeat(32), partitions: forgotten }] : [],
    rackId: '',
  });
  const answered = (r: { responses: { partitions: { partitionIndex: number; records?: Buffer | Buffer[] | null }[] }[] }) =>
    r.responses.flatMap((t) => t.partitions.map((p) => p.partitionIndex)).sort((a, b) => a - b);

  const n1 = tc.cluster.nodes[0];
  const c = await KafkaConnection.connect(n1.host, n1.port, 'test', 1000, tc.cluster.auth, tc.cluster.trust);
  try {
    const fetch = (b: ReturnType<typeof body>) => c.request(Fetch, 12, b, 5000);
    const opened = await fetch(body(0, 0, Array.from({ length: parts }, (_, p) => partition(p, 0))));
    assert.equal(opened.errorCode, ErrorCode.NONE);
    assert.notEqual(opened.sessionId, 0, 'a session is opened');
    assert.deepEqual(answered(opened), [0, 1, 2, 3, 4, 5], 'the opening fetch answers every partition');
    const id = opened.sessionId;

    // Every partition moves on to offset 1: nothing new, nothing to answer.
    const idle = await fetch(body(id, 1, Array.from({ length: parts }, (_, p) => partition(p, 1))));
    assert.equal(idle.errorCode, ErrorCode.NONE);
    assert.equal(idle.sessionId, id);
    assert.deepEqual(answered(idle), [], 'nothing changed: no partition in the answer');

    // A write to partition 3: the next fetch lists no partition and gets partition 3 alone.
    assert.equal((await produceTo(tc, 1, topic, 3, buildBatch([{ value: 'new' }])))?.errorCode, ErrorCode.NONE);
    const one = await fetch(body(id, 2, []));
    assert.deepEqual(answered(one), [3], 'only the partition written to');
    const p3 = one.responses[0].partitions[0];
    assert.ok((p3.records?.length ?? 0) > 0, 'with its record, read from the offset the session keeps');
    assert.equal(p3.highWatermark, 2);

    // The same epoch again, and an unknown session.
    assert.equal((await fetch(body(id, 2, []))).errorCode, ErrorCode.INVALID_FETCH_SESSION_EPOCH);
    assert.equal((await fetch(body(id === 1 ? 2 : 1, 1, []))).errorCode, ErrorCode.FETCH_SESSION_ID_NOT_FOUND);

    // Partition 3 forgotten (its offset moved to 2 first), then both 3 and 4 written: only 4 answers.
    assert.deepEqual(answered(await fetch(body(id, 3, [partition(3, 2)]))), []);
    await fetch(body(id, 4, [], [3]));
    for (const p of [3, 4]) assert.equal((await produceTo(tc, 1, topic, p, buildBatch([{ value: 'later' }])))?.errorCode, ErrorCode.NONE);
    assert.deepEqual(answered(await fetch(body(id, 5, []))), [4], 'a forgotten partition is not read');

    // sessionEpoch -1 closes the session: a full fetch without one.
    const closed = await fetch(body(id, -1, [partition(0, 0)]));
    assert.equal(closed.sessionId, 0);
    assert.deepEqual(answered(closed), [0]);
    assert.equal((await fetch(body(id, 6, []))).errorCode, ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
  } finally {
    c.close();
  }
});

test('idle followers of 1 000 partitions send and get next to nothing', { skip: !prometheusPython() && 'python3-prometheus-client not installed', timeout: 180000 }, async () => {
  const topic = 'idle-followers';
  // Retried: 1 000 partitions may take longer than one CreateTopics timeout on a loaded machine.
  await until(
    'the topic',
    async () => {
      const code = await createTopic(tc, topic, { partitions: 1000 });
      return code === ErrorCode.NONE || code === ErrorCode.TOPIC_ALREADY_EXISTS;
    },
    120000,
  );
  const fetchFollowerBytes = async () => {
    let total = 0;
    for (const n of tc.cluster.nodes) {
      const s = await scrapeParsed(n.metricsUrl!);
      total += sumOf(s, 'kafka_network_requestmetrics_requestbytes_total', { request: 'FetchFollower' });
      total += sumOf(s, 'samsa_network_responsebytes_total', { request: 'FetchFollower' });
    }
    return total;
  };
  // Followers start fetching as partitions get leaders; once they have, a 3 s window stays small.
  const windows: number[] = [];
  await until(
    'a 3 s window of FetchFollower traffic under 60 KB',
    async () => {
      const before = await fetchFollowerBytes();
      await sleep(3000);
      windows.push((await fetchFollowerBytes()) - before);
      return windows[windows.length - 1] < 60_000;
    },
    90000,
  ).catch(() => undefined);
  console.log(`FetchFollower bytes per 3 s idle window, all nodes: ${windows.join(', ')}`);
  assert.ok(windows[windows.length - 1] < 60_000, `idle FetchFollower traffic ${windows.join(', ')} bytes per 3 s`);
  assert.ok(windows[windows.length - 1] > 0, 'followers do poll');
});
