// Log compaction on the 3-node cluster with real clients: kcat produces and reads compacted
// topics, confluent-kafka commits and fetches group offsets; every replica's segment files are
// read from disk to show each node cleans its own copy. The cleaner is made slow (a small
// per-turn budget) so a kill -9 can land in the middle of a clean.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { partitionForGroup } from '../coordinator/records.ts';
import { CreateTopics } from '../protocol/messages/create-topics.ts';
import { IncrementalAlterConfigs } from '../protocol/messages/incremental-alter-configs.ts';
import { ATTR, batchInfo, decodeRecords, HEADER_SIZE, type Record as LogRecord } from '../protocol/record-batch.ts';
import { kafkaPython, metadataOf, startTestCluster, withConn, type TestCluster } from '../testing/cluster.ts';
import { hasCommand, run } from '../testing/run.ts';
import { sleep, until } from '../testing/wait.ts';
import { FileLog } from './file-log.ts';
import { DEFAULT_LOG_CONFIG } from './types.ts';

const py = kafkaPython();
const skip = (!hasCommand('kcat') && 'kcat not installed') || (!py && 'Debian python3-confluent-kafka not installed');
let tc: TestCluster;

before(async () => {
  if (skip) return;
  tc = await startTestCluster({
    nodes: 3,
    nodeArgs: [
      '--log-cleaner-backoff-ms',
      '200',
      '--log-cleaner-tick-bytes',
      '4096',
      '--log-cleaner-tick-interval-ms',
      '10',
      '--retention-check-interval-ms',
      '300',
    ],
  });
});
after(async () => {
  await tc?.stop();
});

const COMPACT = {
  'cleanup.policy': 'compact',
  'segment.bytes': '2048',
  'segment.ms': '1000',
  'min.cleanable.dirty.ratio': '0.01',
};

async function createTopic(name: string, configs: Record<string, string>): Promise<void> {
  await until(`topic ${name} created`, () =>
    withConn(tc, 1, async (c) => {
      const r = await c.request(
        CreateTopics,
        7,
        {
          topics: [
            {
              name,
              numPartitions: -1,
              replicationFactor: -1,
              assignments: [{ partitionIndex: 0, brokerIds: [1, 2, 3] }],
              configs: Object.entries(configs).map(([k, v]) => ({ name: k, value: v })),
            },
          ],
          timeoutMs: 10000,
          validateOnly: false,
        },
        15000,
      );
      return [0, 36].includes(r.topics[0].errorCode);
    }),
  );
  // Every node must know the topic before kcat asks any of them (issue 9 item 1 is fixed elsewhere).
  for (const node of [1, 2, 3])
    await until(`ISR of ${name} on node ${node}`, async () => {
      const m = await metadataOf(tc, node);
      const p = m?.topics.find((t) => t.name === name)?.partitions[0];
      return p && p.leaderId === 1 && p.isrNodes.length === 3;
    });
}

/** IncrementalAlterConfigs SET on a topic; retried while a node has not applied the topic yet (issue 9 item 1). */
async function alterTopic(name: string, configs: Record<string, string>): Promise<void> {
  await until(`configs of ${name} altered`, async () => {
    const r = await withConn(tc, 1, (c) =>
      c.request(
        IncrementalAlterConfigs,
        1,
        {
          resources: [
            {
              resourceType: 2,
              resourceName: name,
              configs: Object.entries(configs).map(([k, v]) => ({ name: k, configOperation: 0, value: v })),
            },
          ],
          validateOnly: false,
        },
        10000,
      ),
    );
    return r?.responses[0].errorCode === 0;
  });
}

async function produce(topic: string, lines: string[], extra: string[] = []): Promise<void> {
  // One request in flight: a retry never lands an older value after a newer one.
  const args = [
    '-b',
    tc.bootstrap,
    '-P',
    '-t',
    topic,
    '-p',
    '0',
    '-K:',
    '-X',
    'acks=all',
    '-X',
    'max.in.flight.requests.per.connection=1',
  ];
  const p = await run('kcat', [...args, ...extra], {
    input: lines.join('\n') + '\n',
    timeoutMs: 60000,
  });
  assert.equal(p.code, 0, p.stderr);
}

/** key=value (or key=NULL) of every record, read from the beginning with kcat. */
async function consume(topic: string, bootstrap = tc.bootstrap): Promise<string[]> {
  const r = await run(
    'kcat',
    ['-b', bootstrap, '-C', '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%k=%S:%s\n'],
    {
      timeoutMs: 30000,
    },
  );
  assert.equal(r.code, 0, r.stderr);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [k, rest] = [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)];
      return rest.startsWith('-1:') ? `${k}=NULL` : `${k}=${rest.slice(rest.indexOf(':') + 1)}`;
    });
}

const partitionDir = (node: number, topic: string) => path.join(tc.dataDir, `node-${node}`, `${topic}-0`);

/** Records in a replica's segment files as they are on disk; null while a file is being swapped. */
function diskRecords(
  node: number,
  topic: string,
): { sealed: LogRecord[]; active: LogRecord[]; files: string[] } | null {
  try {
    const dir = partitionDir(node, topic);
    const files = fs.readdirSync(dir).sort();
    const logs = files.filter((n) => /^\d{20}\.log$/.test(n));
    const parse = (n: string) => {
      const buf = fs.readFileSync(path.join(dir, n));
      const out: LogRecord[] = [];
      for (let p = 0; p + HEADER_SIZE <= buf.length;) {
        const info = batchInfo(buf, p);
        if (p + info.size > buf.length) break;
        if (!(info.attributes & ATTR.control)) out.push(...decodeRecords(buf, info));
        p += info.size;
      }
      return out;
    };
    return { sealed: logs.slice(0, -1).flatMap(parse), active: parse(logs[logs.length - 1]), files };
  } catch {
    return null;
  }
}

const kv = (rs: LogRecord[]) => rs.map((r) => `${r.key?.toString()}=${r.value === null ? 'NULL' : r.value.toString()}`);

function updates(n: number, keys: number, from = 0, size = 0): { lines: string[]; latest: Map<string, string> } {
  const latest = new Map<string, string>();
  const lines: string[] = [];
  for (let i = from; i < from + n; i++) {
    const k = `k${i % keys}`;
    const v = `v${i}${'.'.repeat(size)}`;
    lines.push(`${k}:${v}`);
    latest.set(k, v);
  }
  return { lines, latest };
}

/** Waits until `node` has cleaned its sealed segments down to exactly `want` (key=value, any order). */
function cleanedOn(node: number, topic: string, want: string[], timeoutMs = 60000) {
  return until(
    `node ${node} cleaned ${topic}`,
    async () => {
      const d = diskRecords(node, topic);
      return d && JSON.stringify(kv(d.sealed).sort()) === JSON.stringify([...want].sort()) && d;
    },
    timeoutMs,
  );
}

test(
  '1 000 updates to 10 keys read back with kcat as one record per key, cleaned on every replica',
  { skip, timeout: 180000 },
  async () => {
    await createTopic('kv', COMPACT);
    const { lines, latest } = updates(1000, 10);
    await produce('kv', lines);
    await sleep(1100); // segment.ms: the next record starts a new active segment
    await produce('kv', ['roll:x']);
    const want = [...latest].map(([k, v]) => `${k}=${v}`);
    for (const node of [1, 2, 3]) {
      const d = await cleanedOn(node, 'kv', want);
      assert.deepEqual(kv(d.active), ['roll=x'], `node ${node}: the active segment is untouched`);
    }
    const read = await consume('kv');
    assert.deepEqual(read.slice(0, -1).sort(), want.sort(), '10 records, the latest value of each key');
    // A record without a key has no place in a compacted topic: INVALID_RECORD (error 87).
    const keyless = await run(
      'kcat',
      ['-b', tc.bootstrap, '-P', '-t', 'kv', '-p', '0', '-X', 'acks=all', '-X', 'message.send.max.retries=0'],
      {
        input: 'no key\n',
        timeoutMs: 30000,
      },
    );
    assert.match(keyless.stderr, /Broker failed to validate record/, keyless.stderr); // librdkafka's text for 87
    assert.deepEqual(read.slice(-1), ['roll=x']);
  },
);

test(
  "a follower that was down fetches across its leader's cleaned range and ends with every latest value",
  { skip, timeout: 180000 },
  async () => {
    await createTopic('kvf', COMPACT);
    const first = updates(500, 10);
    await produce('kvf', first.lines);
    await until('node 3 caught up', async () => {
      const d = diskRecords(3, 'kvf');
      return d && d.sealed.length + d.active.length === 500;
    });
    await tc.cluster.stopNode(3);
    const second = updates(500, 10, 500);
    await produce('kvf', second.lines);
    await sleep(1100);
    await produce('kvf', ['roll:x']);
    const want = [...second.latest].map(([k, v]) => `${k}=${v}`);
    await cleanedOn(1, 'kvf', want);
    await tc.cluster.startNode(3);
    // Node 3 resumes at its own log end offset (500), inside offsets the leader cleaned away.
    await until(
      'node 3 back in the ISR',
      async () => {
        const p = (await metadataOf(tc, 1))?.topics.find((t) => t.name === 'kvf')?.partitions[0];
        return p?.isrNodes.includes(3);
      },
      60000,
    );
    const d3 = await until('node 3 has the roll record', async () => {
      const d = diskRecords(3, 'kvf');
      return d && kv([...d.sealed, ...d.active]).includes('roll=x') && d;
    });
    const on3 = new Map(kv([...d3.sealed, ...d3.active]).map((e) => [e.split('=')[0], e]));
    for (const w of want) assert.equal(on3.get(w.split('=')[0]), w);
    // And as the leader: node 1 goes away, node 2 or 3 serves the compacted log.
    await tc.cluster.stopNode(1);
    try {
      const served = await until('a new leader serves kvf', async () => {
        const m = await metadataOf(tc, 3);
        const p = m?.topics.find((t) => t.name === 'kvf')?.partitions[0];
        if (!p || p.leaderId < 2) return null;
        const n = tc.cluster.nodes.find((x) => x.id === p.leaderId)!;
        const r = await consume('kvf', `${n.host}:${n.port}`);
        return r.length > 0 && r;
      });
      const latestRead = new Map(served.map((e) => [e.split('=')[0], e]));
      for (const w of want) assert.equal(latestRead.get(w.split('=')[0]), w);
    } finally {
      await tc.cluster.startNode(1);
    }
  },
);

test(
  'tombstones remove the values before them and vanish after delete.retention.ms',
  { skip, timeout: 180000 },
  async () => {
    await createTopic('tomb', { ...COMPACT, 'segment.ms': '500', 'delete.retention.ms': '3000' });
    await produce('tomb', updates(100, 10).lines);
    await produce('tomb', ['k0:', 'k1:', 'k2:', 'k3:', 'k4:'], ['-Z']); // -Z: empty value = NULL
    const tombstonedAt = Date.now();
    await sleep(600);
    await produce('tomb', ['roll:x']);
    const survivors = ['k5=v95', 'k6=v96', 'k7=v97', 'k8=v98', 'k9=v99'];
    const withTombstones = await until(
      'values of k0..k4 removed, their tombstones kept',
      async () => {
        const r = await consume('tomb');
        return r.length === 11 && r;
      },
      60000,
    );
    assert.deepEqual(
      withTombstones.slice(0, -1).sort(),
      ['k0=NULL', 'k1=NULL', 'k2=NULL', 'k3=NULL', 'k4=NULL', ...survivors].sort(),
    );
    const gone = await until(
      'tombstones gone',
      async () => {
        const r = await consume('tomb');
        return r.length === 6 && r;
      },
      60000,
    );
    assert.ok(Date.now() - tombstonedAt >= 3000, 'not before delete.retention.ms');
    assert.deepEqual(gone.slice(0, -1).sort(), survivors);
    for (const node of [1, 2, 3]) await cleanedOn(node, 'tomb', survivors);
  },
);

test(
  'committed offsets of an idle group survive retention.ms on __consumer_offsets and a restart of every node',
  { skip, timeout: 240000 },
  async () => {
    await createTopic('src', {});
    const offsets = (group: string, commit: number | null) =>
      run(
        py!,
        [
          '-c',
          `
import sys
from confluent_kafka import Consumer, TopicPartition
c = Consumer({'bootstrap.servers': sys.argv[1], 'group.id': sys.argv[2], 'enable.auto.commit': False})
if sys.argv[3] != 'fetch':
    c.commit(offsets=[TopicPartition('src', 0, int(sys.argv[3]))], asynchronous=False)
print(c.committed([TopicPartition('src', 0)], timeout=20)[0].offset)
c.close()`,
          tc.bootstrap,
          group,
          commit === null ? 'fetch' : String(commit),
        ],
        { timeoutMs: 60000 },
      );
    const idle = await offsets('idle', 5);
    assert.equal(idle.stdout.trim(), '5', idle.stderr);
    // A second group on the same __consumer_offsets partition keeps writing and rolling segments.
    const part = partitionForGroup('idle', 50);
    let busy = 0;
    while (partitionForGroup(`busy-${busy}`, 50) !== part) busy++;
    await alterTopic('__consumer_offsets', { 'retention.ms': '1000', 'segment.ms': '200' });
    for (let i = 0; i < 6; i++) {
      const b = await offsets(`busy-${busy}`, i);
      assert.equal(b.code, 0, b.stderr);
      await sleep(300);
    }
    await sleep(1500); // several retention passes past retention.ms
    // Under delete retention the segment holding the idle commit would be gone by now: it is sealed
    // and older than retention.ms on every replica.
    for (const node of [1, 2, 3]) {
      const dir = path.join(tc.dataDir, `node-${node}`, `__consumer_offsets-${part}`);
      const logs = fs
        .readdirSync(dir)
        .filter((n) => n.endsWith('.log'))
        .sort();
      assert.ok(logs.length > 1 && logs[0] === `${'0'.repeat(20)}.log`, `node ${node}: segments ${logs.join(', ')}`);
      assert.ok(
        Date.now() - fs.statSync(path.join(dir, logs[0])).mtimeMs > 1000,
        'the first one, sealed, is past retention.ms',
      );
    }
    for (const id of [1, 2, 3]) await tc.cluster.restartNode(id);
    const after = await until(
      'idle offsets after restart',
      async () => {
        const r = await offsets('idle', null);
        return r.code === 0 && r.stdout.trim() !== '' && r;
      },
      60000,
    );
    assert.equal(after.stdout.trim(), '5', after.stderr);
  },
);

test(
  "kill -9 in the middle of a clean loses nothing: recovery on restart, every key's latest value",
  { skip, timeout: 240000 },
  async () => {
    // Written with compaction off, one record per batch, then compacted all at once: with the
    // small per-turn budget each node takes seconds, so the kill lands mid-clean.
    await createTopic('big', {
      ...COMPACT,
      'cleanup.policy': 'delete',
      'retention.ms': '-1',
      'segment.bytes': '65536',
    });
    const { lines } = updates(3000, 100, 0, 400);
    // Many requests in flight for speed; so the latest value of each key is taken from the log.
    await produce('big', lines, [
      '-X',
      'linger.ms=0',
      '-X',
      'batch.num.messages=1',
      '-X',
      'max.in.flight.requests.per.connection=100',
    ]);
    await sleep(1100);
    await produce('big', ['roll:x']);
    const stored = await consume('big');
    assert.equal(stored.length, 3001);
    const latest = new Map(stored.slice(0, -1).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
    await alterTopic('big', { 'cleanup.policy': 'compact' });
    const dir = partitionDir(1, 'big');
    await until('node 1 mid-clean', async () => fs.readdirSync(dir).some((n) => n.endsWith('.cleaned')), 60000);
    tc.cluster.kill(1);
    await until('node 1 down', async () => tc.cluster.nodes.find((n) => n.id === 1)?.state === 'dead');
    const leftover = fs.readdirSync(dir).filter((n) => /\.(cleaned|swap)$/.test(n));
    assert.ok(leftover.length > 0, 'killed with a clean in flight');
    // What node 1 would recover, opened from a copy of its files.
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-killed-'));
    try {
      fs.cpSync(dir, path.join(copy, 'big-0'), { recursive: true });
      const log = FileLog.open(path.join(copy, 'big-0'), 'big', 0, {
        ...DEFAULT_LOG_CONFIG,
        compact: true,
        delete: false,
      });
      const seen = new Map<string, string>();
      for (let o = log.logStartOffset; o < log.logEndOffset;) {
        const { chunks } = log.read(o, 1 << 20);
        for (const c of chunks) {
          for (const r of decodeRecords(c)) seen.set(r.key!.toString(), r.value!.toString());
          o = batchInfo(c, 0).baseOffset + batchInfo(c, 0).lastOffsetDelta + 1;
        }
      }
      log.close();
      for (const [k, v] of latest) assert.equal(seen.get(k), v, `${k} after recovery`);
      assert.deepEqual(
        fs.readdirSync(path.join(copy, 'big-0')).filter((n) => /\.(cleaned|swap)$/.test(n)),
        [],
      );
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
    await tc.cluster.startNode(1);
    const want = [...latest].map(([k, v]) => `${k}=${v}`);
    await cleanedOn(1, 'big', want, 120000);
    const read = await consume('big');
    assert.deepEqual(read.slice(0, -1).sort(), want.sort());
  },
);
