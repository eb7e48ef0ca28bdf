// A follower that fell behind its leader's log start recovers (3 nodes, real processes, kcat):
// (a) stop a follower, produce, DeleteRecords to the high watermark (answered once the ISR has
//     moved its log start), restart it: it truncates fully, starts at the leader's log start
//     and is back in the ISR within seconds, without spinning; failovers afterwards never bring
//     the deleted records back, and every replica's log start checkpoint has moved;
// (b) the same with size retention (retention.bytes) deleting the leader's old segments.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ErrorCode } from '../protocol/errors.ts';
import { buildBatch } from '../protocol/record-batch.ts';
import {
  createTopic,
  deleteRecords,
  kcatConsume,
  partitionView,
  produceTo,
  startTestCluster,
  type TestCluster,
} from '../testing/cluster.ts';
import { hasCommand } from '../testing/run.ts';
import { sleep, until } from '../testing/wait.ts';

const skip = !hasCommand('kcat') && 'kcat not installed';
const TOPIC = 'behind';

const up = (tc: TestCluster) => tc.cluster.nodes.filter((n) => n.state === 'running').map((n) => n.id);

/** The partition as the first live node sees it, once it has a leader. */
async function current(tc: TestCluster) {
  return until('a leader', async () => {
    for (const id of up(tc)) {
      const v = await partitionView(tc, id, TOPIC);
      if (v && v.leader > 0) return v;
    }
    return null;
  });
}

async function fullIsr(tc: TestCluster, timeoutMs = 20000) {
  return until('all three replicas in the ISR', async () => {
    const v = await current(tc);
    return v.isr.length === 3 && v;
  }, timeoutMs);
}

/** Produces values with acks=all, retrying through leader changes; returns the base offset. */
async function produce(tc: TestCluster, values: string[]): Promise<number> {
  return until(`producing ${values[0]}..`, async () => {
    const v = await current(tc);
    const r = await produceTo(tc, v.leader, TOPIC, 0, buildBatch(values.map((value) => ({ value }))));
    return r?.errorCode === ErrorCode.NONE && r.baseOffset + 1; // + 1: offset 0 is a valid answer
  }).then((x) => x - 1);
}

const values = (from: number, n: number) => Array.from({ length: n }, (_, i) => `m${from + i}`);

/** Offsets and values a consumer reads from the beginning. */
async function consumed(tc: TestCluster): Promise<{ first: number; values: string[] }> {
  const lines = await kcatConsume(tc, TOPIC, '%o %s\n');
  return { first: lines.length ? Number(lines[0].split(' ')[0]) : -1, values: lines.map((l) => l.split(' ')[1]) };
}

function logStartCheckpoint(tc: TestCluster, node: number): number {
  const text = fs.readFileSync(path.join(tc.dataDir, `node-${node}`, `${TOPIC}-0`, 'log-start-offset'), 'utf8');
  return Number(text.split('\n')[1]);
}

function nodeLog(tc: TestCluster, node: number): string {
  return fs.readFileSync(path.join(tc.dataDir, 'logs', `node-${node}.log`), 'utf8');
}

/** Kills each leader in turn (restarting it) and checks that a consumer never sees below `start`. */
async function failoversKeep(tc: TestCluster, start: number, expected: string[] | null, rounds = 2): Promise<number[]> {
  const leaders: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const v = await fullIsr(tc);
    leaders.push(v.leader);
    tc.cluster.kill(v.leader);
    await until('a new leader', async () => {
      const x = await current(tc);
      return x.leader !== v.leader;
    });
    const c = await consumed(tc);
    assert.ok(c.first >= start, `after killing node ${v.leader} a consumer starts at ${c.first}, below ${start}`);
    if (expected) assert.deepEqual(c.values, expected);
    await tc.cluster.startNode(v.leader);
  }
  return leaders;
}

test('DeleteRecords while a follower is down: it restarts at the leader log start and rejoins at once', { skip, timeout: 150000 }, async () => {
  const tc = await startTestCluster({ nodes: 3, dataDir: fs.mkdtempSync('/tmp/samsa-behind-a-') });
  try {
    assert.equal(await createTopic(tc, TOPIC, { configs: { 'min.insync.replicas': '2' } }), ErrorCode.NONE);
    const v = await fullIsr(tc);
    await produce(tc, values(0, 20));
    const follower = [1, 2, 3].find((id) => id !== v.leader)!;
    await tc.cluster.stopNode(follower);
    await produce(tc, values(20, 30));
    const del = await deleteRecords(tc, TOPIC, 0, -1);
    assert.deepEqual(del, { errorCode: ErrorCode.NONE, lowWatermark: 50 }, 'answered with the ISR low watermark');
    await produce(tc, values(50, 10));

    const restartedAt = Date.now();
    await tc.cluster.startNode(follower);
    await fullIsr(tc, 20000);
    const took = Date.now() - restartedAt;
    console.log(`node ${follower} back in the ISR ${took} ms after its restart`);
    assert.ok(took < 10000, `rejoined after ${took} ms`);
    const log = nodeLog(tc, follower);
    assert.match(log, /behind-0 log end \d+ is below the leader's log start 50: truncating fully/);
    const rounds = (log.match(/behind-0 (log end|truncating)/g) ?? []).length;
    assert.ok(rounds <= 3, `${rounds} truncation rounds: spinning`);

    const leaders = await failoversKeep(tc, 50, values(50, 10));
    console.log(`failovers through leaders ${leaders.join(', ')} kept the log start at 50`);
    await fullIsr(tc);
    await sleep(500);
    await tc.cluster.stop();
    for (const n of [1, 2, 3]) assert.equal(logStartCheckpoint(tc, n), 50, `node ${n} log start checkpoint`);
  } finally {
    await tc.stop();
    fs.rmSync(tc.dataDir, { recursive: true, force: true });
  }
});

test('size retention while a follower is down: it restarts at the leader log start and rejoins at once', { skip, timeout: 150000 }, async () => {
  const tc = await startTestCluster({
    nodes: 3,
    dataDir: fs.mkdtempSync('/tmp/samsa-behind-b-'),
    nodeArgs: ['--retention-check-interval-ms', '200'],
  });
  try {
    const configs = { 'min.insync.replicas': '2', 'segment.bytes': '1024', 'retention.bytes': '2048' };
    assert.equal(await createTopic(tc, TOPIC, { configs }), ErrorCode.NONE);
    const v = await fullIsr(tc);
    await produce(tc, values(0, 5));
    const follower = [1, 2, 3].find((id) => id !== v.leader)!;
    await tc.cluster.stopNode(follower);
    for (let i = 5; i < 200; i += 5) await produce(tc, values(i, 5));
    const start = await until('retention moved the log start', async () => {
      const c = await consumed(tc);
      return c.first > 5 && c.first;
    });

    const restartedAt = Date.now();
    await tc.cluster.startNode(follower);
    await fullIsr(tc, 20000);
    const took = Date.now() - restartedAt;
    console.log(`node ${follower} back in the ISR ${took} ms after its restart (leader log start ${start})`);
    assert.ok(took < 10000, `rejoined after ${took} ms`);
    assert.match(nodeLog(tc, follower), /behind-0 log end 5 is below the leader's log start \d+: truncating fully/);
    await failoversKeep(tc, start, null);
  } finally {
    await tc.stop();
    fs.rmSync(tc.dataDir, { recursive: true, force: true });
  }
});
