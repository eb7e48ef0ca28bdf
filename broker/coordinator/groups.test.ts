// The classic group coordinator against a real node process and unmodified clients: kafkajs,
// @platformatic/kafka, confluent-kafka-python (librdkafka) and kafka-python sharing groups,
// failover of a killed or departed member, commits surviving a node restart, offset resets of
// an empty group, lag, describe/list/delete of groups.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AssignerProtocol, Kafka, PartitionAssigners, logLevel, type Consumer as KjConsumer } from 'kafkajs';
import { Admin, Consumer, stringDeserializers } from '@platformatic/kafka';
import { startTestCluster, kafkaPython, type TestCluster } from '../testing/cluster.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const PY = kafkaPython();
let tc: TestCluster;

before(async () => {
  tc = await startTestCluster({
    nodeArgs: ['--group-initial-rebalance-delay-ms', '300', '--group-min-session-timeout-ms', '1000'],
  });
});
after(async () => {
  await tc?.stop();
});

const kafkajs = () => new Kafka({ brokers: [tc.bootstrap], clientId: 'kafkajs-test', logLevel: logLevel.NOTHING });

/** kafkajs' round robin under the protocol name the other clients use ("roundrobin"). */
const roundrobin: Parameters<Kafka['consumer']>[0]['partitionAssigners'] = [
  (config) => {
    const rr = PartitionAssigners.roundRobin(config);
    return {
      name: 'roundrobin',
      version: 0,
      assign: (args) => rr.assign(args),
      protocol: ({ topics }) => ({
        name: 'roundrobin',
        metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }),
      }),
    };
  },
];

async function until(
  what: string,
  fn: () => boolean | Promise<boolean>,
  timeoutMs = 30000,
  state?: () => unknown,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}${state ? `: ${JSON.stringify(state())}` : ''}`);
}

async function createTopic(topic: string, partitions: number): Promise<void> {
  const admin = kafkajs().admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }] });
  } finally {
    await admin.disconnect();
  }
}

async function produce(topic: string, partitions: number, n: number, from = 0): Promise<void> {
  const p = kafkajs().producer();
  await p.connect();
  try {
    await p.send({
      topic,
      acks: -1,
      messages: Array.from({ length: n }, (_, i) => ({
        key: `k${from + i}`,
        value: `v${from + i}`,
        partition: (from + i) % partitions,
      })),
    });
  } finally {
    await p.disconnect();
  }
}

interface PyMember {
  proc: ChildProcess;
  assigned: number[] | null;
  consumed: number;
  closed: Promise<void>;
}

function pyMember(
  lib: 'confluent' | 'kafka-python',
  group: string,
  topic: string,
  seconds: number,
  commit = false,
): PyMember {
  const proc = spawn(
    PY!,
    [
      path.join(here, '../testing/clients/group_member.py'),
      lib,
      tc.bootstrap,
      group,
      topic,
      String(seconds),
      ...(commit ? ['commit'] : []),
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const m: PyMember = { proc, assigned: null, consumed: 0, closed: new Promise((r) => proc.on('close', () => r())) };
  readline.createInterface({ input: proc.stdout! }).on('line', (line) => {
    const o = JSON.parse(line) as { assigned?: number[]; consumed?: number };
    if (o.assigned) m.assigned = o.assigned;
    if (o.consumed !== undefined) m.consumed = o.consumed;
  });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  proc.on('close', (code, sig) => {
    if (code && !sig) console.error(`python member exited ${code}: ${err}`);
  });
  return m;
}

function kjMember(
  group: string,
  topic: string,
): { consumer: KjConsumer; assigned: () => number[] | null; seen: Set<string>; start: () => Promise<void> } {
  const consumer = kafkajs().consumer({
    groupId: group,
    sessionTimeout: 3000,
    heartbeatInterval: 500,
    rebalanceTimeout: 10000,
    maxWaitTimeInMs: 300,
    partitionAssigners: roundrobin,
  });
  let assigned: number[] | null = null;
  const seen = new Set<string>();
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    assigned = [...(e.payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b);
  });
  return {
    consumer,
    assigned: () => assigned,
    seen,
    start: async () => {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void seen.add(message.key!.toString()) });
    },
  };
}

function pltConsumer(group: string, clientId = 'platformatic-test') {
  return new Consumer({
    // Its default subscription says version 1 but leaves out v1's owned partitions; librdkafka as
    // group leader then cannot parse it and assigns it nothing (as it would on Kafka). Version 0
    // is what it actually writes.
    protocols: [{ name: 'roundrobin', version: 0 }],
    clientId,
    bootstrapBrokers: [tc.bootstrap],
    groupId: group,
    sessionTimeout: 3000,
    heartbeatInterval: 500,
    rebalanceTimeout: 10000,
    deserializers: stringDeserializers,
    maxWaitTime: 300,
  });
}

const pltAssigned = (c: Consumer<string, string, string, string>) =>
  c.assignments === null ? null : c.assignments.flatMap((a) => a.partitions).sort((a, b) => a - b);

/** Latest assignments cover all partitions, each exactly once, and each member has some. */
function splitsCleanly(parts: (number[] | null)[], total: number): boolean {
  if (parts.some((p) => p === null || p.length === 0)) return false;
  const all = parts.flatMap((p) => p!);
  return all.length === total && new Set(all).size === total;
}

test(
  'kafkajs, @platformatic/kafka and librdkafka share a group; a killed and a departed member are replaced',
  { skip: !PY && 'no python kafka clients' },
  async () => {
    const topic = 'mix';
    await createTopic(topic, 6);
    const kj = kjMember('mixed', topic);
    const plt = pltConsumer('mixed');
    const py = pyMember('confluent', 'mixed', topic, 120);
    try {
      await kj.start();
      const stream = await plt.consume({ topics: [topic], mode: 'earliest', autocommit: false });
      stream.on('data', () => {});
      stream.on('error', () => {});
      const parts = () => [kj.assigned(), pltAssigned(plt), py.assigned];
      await until('three members to split 6 partitions', () => splitsCleanly(parts(), 6), 40000, parts);

      // kill -9 of the Python member: the others take over its partitions after its 3 s session.
      const killedAt = Date.now();
      py.proc.kill('SIGKILL');
      await until('two members to cover 6 partitions', () => splitsCleanly(parts().slice(0, 2), 6), 20000, parts);
      assert.ok(Date.now() - killedAt < 15000, `took ${Date.now() - killedAt} ms`);

      // A clean leave (LeaveGroup): the last member gets everything at once.
      await stream.close();
      await plt.close(true);
      await until('kafkajs to own all 6 partitions', () => kj.assigned()?.length === 6, 20000);
    } finally {
      py.proc.kill('SIGKILL');
      await py.closed;
      await new Promise<void>((r) => plt.close(true, () => r()));
      await kj.consumer.disconnect();
    }
  },
);

test('describe and list groups: state, members, client ids, hosts, assignments; lag', async () => {
  const topic = 'desc';
  await createTopic(topic, 4);
  await produce(topic, 4, 40);
  const kj = kjMember('described', topic);
  const admin = kafkajs().admin();
  const plt = new Admin({ clientId: 'platformatic-admin', bootstrapBrokers: [tc.bootstrap] });
  try {
    await kj.start();
    await until('kafkajs to consume 40', () => kj.seen.size === 40);
    await admin.connect();
    const { groups } = await admin.describeGroups(['described']);
    const g = groups[0];
    assert.equal(g.state, 'Stable');
    assert.equal(g.protocolType, 'consumer');
    assert.equal(g.protocol, 'roundrobin');
    assert.equal(g.members.length, 1);
    assert.equal(g.members[0].clientId, 'kafkajs-test');
    assert.match(g.members[0].clientHost, /^\/127\.0\.0\.1$/);
    const assignment = AssignerProtocol.MemberAssignment.decode(g.members[0].memberAssignment)!;
    assert.deepEqual([...assignment.assignment[topic]].sort(), [0, 1, 2, 3]);

    const listed = await admin.listGroups();
    assert.ok(listed.groups.some((x) => x.groupId === 'described' && x.protocolType === 'consumer'));
    const stable = await plt.listGroups({ states: ['STABLE'] });
    assert.equal(stable.get('described')?.state, 'STABLE');
    const empty = await plt.listGroups({ states: ['EMPTY'] });
    assert.equal(empty.has('described'), false);
    const described = await plt.describeGroups({ groups: ['described'] });
    const pg = described.get('described')!;
    assert.equal(pg.protocol, 'roundrobin');
    assert.equal([...pg.members.values()][0].clientId, 'kafkajs-test');

    // kafkajs commits as it goes; lag = high watermark - committed = 0, then 10 after more records arrive
    // while the consumer is stopped.
    await until('commits to reach 40', async () => {
      const offs = await admin.fetchOffsets({ groupId: 'described', topics: [topic] });
      return offs[0].partitions.reduce((s, p) => s + Number(p.offset), 0) === 40;
    });
    await kj.consumer.disconnect();
    await produce(topic, 4, 10, 40);
    const committed = await admin.fetchOffsets({ groupId: 'described', topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    const lag = ends.reduce(
      (s, e) => s + Number(e.high) - Number(committed[0].partitions.find((p) => p.partition === e.partition)!.offset),
      0,
    );
    assert.equal(lag, 10);
    const after = await admin.describeGroups(['described']);
    assert.equal(after.groups[0].state, 'Empty');
    assert.equal(after.groups[0].members.length, 0);
  } finally {
    await kj.consumer.disconnect();
    await admin.disconnect();
    await plt.close();
  }
});

test('DeleteGroups with kafkajs and @platformatic/kafka: GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP, deleted', async () => {
  const topic = 'del';
  await createTopic(topic, 2);
  const admin = kafkajs().admin();
  const plt = new Admin({ clientId: 'platformatic-admin', bootstrapBrokers: [tc.bootstrap] });
  const kj = kjMember('busy', topic);
  try {
    await admin.connect();
    await assert.rejects(admin.deleteGroups(['never-was']), (e: { groups?: { error?: { type?: string } }[] }) => {
      assert.equal(e.groups?.[0]?.error?.type, 'GROUP_ID_NOT_FOUND');
      return true;
    });
    await assert.rejects(plt.deleteGroups({ groups: ['never-was'] }), (e: Error) =>
      /GROUP_ID_NOT_FOUND|group id does not exist/i.test(JSON.stringify(e, Object.getOwnPropertyNames(e)) + e.message),
    );

    await kj.start();
    await until('member to join', () => kj.assigned() !== null);
    await assert.rejects(admin.deleteGroups(['busy']), (e: { groups?: { error?: { type?: string } }[] }) => {
      assert.equal(e.groups?.[0]?.error?.type, 'NON_EMPTY_GROUP');
      return true;
    });
    await assert.rejects(plt.deleteGroups({ groups: ['busy'] }), (e: Error) =>
      /NON_EMPTY_GROUP|not empty/i.test(JSON.stringify(e, Object.getOwnPropertyNames(e)) + e.message),
    );
    await kj.consumer.disconnect();
    await plt.deleteGroups({ groups: ['busy'] });
    const listed = await admin.listGroups();
    assert.equal(
      listed.groups.some((g) => g.groupId === 'busy'),
      false,
    );
    const d = await admin.describeGroups(['busy']);
    assert.equal(d.groups[0].state, 'Dead');
  } finally {
    await kj.consumer.disconnect();
    await admin.disconnect();
    await plt.close();
  }
});

test(
  'commits survive a node restart; offsets of an empty group are reset to earliest and to a timestamp',
  { skip: !PY && 'no python kafka clients' },
  async () => {
    const topic = 'resume';
    await createTopic(topic, 3);
    await produce(topic, 3, 60);
    // kafka-python consumes everything and commits, then leaves.
    const first = pyMember('kafka-python', 'resumers', topic, 6, true);
    await first.closed;
    assert.equal(first.consumed, 60);

    await tc.cluster.restartNode(1);
    await tc.cluster.waitReady();

    const admin = kafkajs().admin();
    await admin.connect();
    try {
      const offs = await admin.fetchOffsets({ groupId: 'resumers', topics: [topic] });
      assert.deepEqual(offs[0].partitions.map((p) => Number(p.offset)).sort(), [20, 20, 20]);
      // After the restart a confluent consumer in that group resumes: only the 15 new records.
      await new Promise((r) => setTimeout(r, 50));
      const mid = Date.now(); // between the first 60 records and the next 15
      await new Promise((r) => setTimeout(r, 50));
      await produce(topic, 3, 15, 60);
      const second = pyMember('confluent', 'resumers', topic, 6, true);
      await second.closed;
      assert.equal(second.consumed, 15);
      assert.equal((await admin.describeGroups(['resumers'])).groups[0].state, 'Empty');

      // Reset to earliest the way kafkajs does it (its admin joins, seeks and commits -2).
      await admin.resetOffsets({ groupId: 'resumers', topic, earliest: true });
      const third = kjMember('resumers', topic);
      await third.start();
      await until('kafkajs to re-read all 75 from the beginning', () => third.seen.size === 75);
      await third.consumer.disconnect();

      // Reset to a timestamp as `kafka-consumer-groups --reset-offsets --to-datetime`: offsets by
      // time (ListOffsets), then a standalone OffsetCommit (generation -1) from @platformatic/kafka.
      const plt = new Admin({ clientId: 'platformatic-admin', bootstrapBrokers: [tc.bootstrap] });
      try {
        const byTime = await admin.fetchTopicOffsetsByTimestamp(topic, mid);
        await plt.alterConsumerGroupOffsets({
          groupId: 'resumers',
          topics: [
            {
              name: topic,
              partitionOffsets: byTime.map((o) => ({ partition: o.partition, offset: BigInt(o.offset) })),
            },
          ],
        });
        const listed = await plt.listConsumerGroupOffsets({ groups: ['resumers'] });
        assert.deepEqual(listed[0].topics[0].partitions.map((p) => Number(p.committedOffset)).sort(), [20, 20, 20]);
      } finally {
        await plt.close();
      }
      await produce(topic, 3, 3, 75);
      const fourth = pltConsumer('resumers');
      try {
        const seen: string[] = [];
        const stream = await fourth.consume({
          topics: [topic],
          mode: 'committed',
          fallbackMode: 'earliest',
          autocommit: false,
        });
        stream.on('data', (m: { key: string }) => void seen.push(m.key));
        const expected = Array.from({ length: 18 }, (_, i) => `k${60 + i}`).sort();
        await until('platformatic to read the 18 records after the reset point', () => seen.length >= 18);
        await new Promise((r) => setTimeout(r, 500));
        assert.deepEqual(seen.sort(), expected);
        await stream.close();
      } finally {
        await fourth.close(true);
      }
    } finally {
      await admin.disconnect();
    }
  },
);
