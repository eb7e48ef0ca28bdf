// Offset commits are answered only once the ISR of the group's __consumer_offsets partition has
// them (acks=all), on the 3-node cluster: with that partition's followers frozen (SIGSTOP) the
// commit is not answered; once they are resumed it is, the coordinator is killed with kill -9 at
// that very moment, and a librdkafka (confluent-kafka) consumer of the group resumes from the
// commit on the new coordinator. Answered from the coordinator's log alone (acks=1, as before),
// the commit would have been acknowledged while the followers were frozen and lost with it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../protocol/errors.ts';
import { FindCoordinator } from '../protocol/messages/find-coordinator.ts';
import { OffsetCommit } from '../protocol/messages/offset-commit.ts';
import { buildBatch } from '../protocol/record-batch.ts';
import {
  createTopic,
  kafkaPython,
  leaderOf,
  metadataOf,
  produceTo,
  startTestCluster,
  withConn,
  type TestCluster,
} from '../testing/cluster.ts';
import { run } from '../testing/run.ts';
import { sleep, until } from '../testing/wait.ts';
import { OFFSETS_TOPIC, partitionForGroup } from './records.ts';

const py = kafkaPython();
const GROUP = 'durable-commits';
const TOPIC = 'work';

/** The coordinator of the group as node `via` answers FindCoordinator. */
async function coordinatorOf(tc: TestCluster, via: number): Promise<number> {
  const r = await withConn(tc, via, (c) => c.request(FindCoordinator, 1, { key: GROUP, keyType: 0 }, 3000));
  return r && r.errorCode === ErrorCode.NONE ? r.nodeId : -1;
}

/** Replicas and ISR of the group's __consumer_offsets partition. */
async function offsetsPartition(tc: TestCluster, via: number) {
  const md = await metadataOf(tc, via);
  const t = md?.topics.find((x) => x.name === OFFSETS_TOPIC);
  if (!t) return null;
  const p = t.partitions.find((x) => x.partitionIndex === partitionForGroup(GROUP, t.partitions.length));
  return p ? { leader: p.leaderId, replicas: [...p.replicaNodes], isr: [...p.isrNodes] } : null;
}

test('an offset commit is answered once the ISR has it: kill -9 of the coordinator right after loses nothing', { skip: !py && 'python3-confluent-kafka not installed', timeout: 180000 }, async () => {
  const tc = await startTestCluster({ nodes: 3 });
  try {
    assert.equal(await createTopic(tc, TOPIC), ErrorCode.NONE);
    const leader = await until('a leader', async () => {
      const l = await leaderOf(tc, TOPIC);
      return l > 0 && l;
    });
    const values = Array.from({ length: 100 }, (_, i) => ({ value: `v${i}` }));
    await until('100 records', async () => (await produceTo(tc, leader, TOPIC, 0, buildBatch(values)))?.errorCode === 0);

    const coordinator = await until('the group coordinator (creates __consumer_offsets)', async () => {
      const c = await coordinatorOf(tc, 1);
      return c > 0 && c;
    });
    const part = await until('the offsets partition with all replicas in sync', async () => {
      const p = await offsetsPartition(tc, 1);
      return p && p.leader === coordinator && p.isr.length === 3 && p;
    }, 60000); // 50 partitions x 3 replicas to create and catch up: slow on a loaded machine
    const followers = part.replicas.filter((id) => id !== coordinator);

    for (const f of followers) tc.cluster.pause(f);
    const t0 = Date.now();
    const committing = withConn(tc, coordinator, (c) =>
      c.request(
        OffsetCommit,
        8,
        {
          groupId: GROUP,
          generationIdOrMemberEpoch: -1,
          memberId: '',
          groupInstanceId: null,
          topics: [{ name: TOPIC, partitions: [{ partitionIndex: 0, committedOffset: 42, committedMetadata: '' }] }],
        },
        10000,
      ),
    );
    let answeredAt = 0;
    void committing.then(() => (answeredAt = Date.now()));
    await sleep(700); // shorter than replica.lag.time.max.ms: the frozen followers stay in the ISR
    assert.equal(answeredAt, 0, 'not answered while the followers cannot have it');
    for (const f of followers) tc.cluster.resume(f);
    const res = await committing;
    tc.cluster.kill(coordinator); // at once
    assert.equal(res?.topics[0].partitions[0].errorCode, ErrorCode.NONE);
    console.log(`commit answered ${answeredAt - t0} ms after it was sent, once the followers were resumed`);

    const via = followers[0];
    await until('a new coordinator', async () => {
      const c = await coordinatorOf(tc, via);
      return c > 0 && c !== coordinator;
    });
    const r = await run(
      py!,
      [
        '-c',
        `
import sys
from confluent_kafka import Consumer
c = Consumer({"bootstrap.servers": sys.argv[1], "group.id": "${GROUP}", "auto.offset.reset": "earliest",
              "enable.auto.commit": False})
c.subscribe(["${TOPIC}"])
for _ in range(300):
    m = c.poll(0.1)
    if m is not None and m.error() is None:
        print(m.offset(), m.value().decode())
        break
c.close()
`,
        tc.bootstrap,
      ],
      { timeoutMs: 60000 },
    );
    assert.equal(r.stdout.trim(), '42 v42', `the group resumes from the commit\n${r.stderr}`);
  } finally {
    await tc.stop();
  }
});
