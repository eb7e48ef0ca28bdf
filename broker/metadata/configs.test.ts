// Configs on the 3-node cluster with unmodified clients (issue 9 item 4): a Kafka config Samsa
// does not honour is refused with INVALID_CONFIG naming it (confluent-kafka shows the message),
// DescribeConfigs lists only what is honoured, with the values in force, and a cluster-wide
// broker default set at run time (log.retention.bytes) is honoured by every topic's log.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { TOPIC_CONFIGS } from './topic-configs.ts';
import { kafkaPython, startTestCluster, type TestCluster } from '../testing/cluster.ts';
import { run } from '../testing/run.ts';
import { until } from '../testing/wait.ts';

const py = kafkaPython();
let tc: TestCluster;
before(async () => {
  tc = await startTestCluster({
    nodes: 3,
    nodeArgs: ['--retention-check-interval-ms', '200', '--replica-lag-time-max-ms', '2500', '--group-min-session-timeout-ms', '5000'],
  });
});
after(async () => {
  await tc?.stop();
});

const kafka = () => new Kafka({ brokers: tc.bootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries: 2 } });

test('confluent-kafka: unhonoured configs are refused with INVALID_CONFIG naming them', { skip: !py && 'Debian python3 Kafka clients not installed' }, async () => {
  const script = `
import sys, json
from confluent_kafka.admin import AdminClient, NewTopic, ConfigResource
a = AdminClient({"bootstrap.servers": sys.argv[1]})
out = {}
def err(f):
    try:
        f.result(20); return "ok"
    except Exception as e:
        k = e.args[0]; return [k.code(), k.str()]
for key, value in [("preallocate", "true"), ("file.delete.delay.ms", "0"), ("compression.type", "gzip"), ("no.such.config", "1")]:
    out["create " + key] = err(a.create_topics([NewTopic("cfg-" + key.replace(".", "-"), 1, 1, config={key: value})])["cfg-" + key.replace(".", "-")])
a.create_topics([NewTopic("cfg-ok", 1, 1, config={"compression.type": "producer"})])["cfg-ok"].result(20)
out["alter topic"] = err(a.alter_configs([ConfigResource("topic", "cfg-ok", set_config={"segment.jitter.ms": "1000"})])[ConfigResource("topic", "cfg-ok")])
out["alter broker"] = err(a.alter_configs([ConfigResource("broker", "1", set_config={"log.roll.jitter.ms": "1000"})])[ConfigResource("broker", "1")])
out["alter cleaner"] = err(a.alter_configs([ConfigResource("topic", "cfg-ok", set_config={"delete.retention.ms": "1000", "min.cleanable.dirty.ratio": "0.2"})])[ConfigResource("topic", "cfg-ok")])
out["alter ratio"] = err(a.alter_configs([ConfigResource("topic", "cfg-ok", set_config={"min.cleanable.dirty.ratio": "1.5"})])[ConfigResource("topic", "cfg-ok")])
print(json.dumps(out))
`;
  const r = await run(py!, ['-c', script, tc.bootstrap], { timeoutMs: 60000 });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Record<string, [number, string] | 'ok'>;
  const INVALID_CONFIG = 40;
  const unsupported = (key: string, level = 'Topic') => [INVALID_CONFIG, `${level} config ${key} is not supported: Samsa does not honour it`];
  assert.deepEqual(out['create preallocate'], unsupported('preallocate'));
  assert.deepEqual(out['create file.delete.delay.ms'], unsupported('file.delete.delay.ms'));
  assert.deepEqual(out['create compression.type'], [
    INVALID_CONFIG,
    'Invalid value gzip for configuration compression.type: String must be one of: producer',
  ]);
  assert.deepEqual(out['create no.such.config'], [INVALID_CONFIG, 'Unknown topic config name: no.such.config']);
  assert.deepEqual(out['alter topic'], unsupported('segment.jitter.ms'));
  assert.deepEqual(out['alter broker'], unsupported('log.roll.jitter.ms', 'Broker'));
  // The log cleaner honours its own configs (log/cleaner.ts); a ratio outside 0..1 is refused as Kafka does.
  assert.equal(out['alter cleaner'], 'ok');
  assert.deepEqual(out['alter ratio'], [INVALID_CONFIG, 'Invalid value 1.5 for configuration min.cleanable.dirty.ratio: Value must be no more than 1']);
});

test('kafkajs: DescribeConfigs lists only honoured topic configs and the broker values in force', async () => {
  const admin = kafka().admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic: 'described', numPartitions: 1, replicationFactor: 3 }] });
    const d = await admin.describeConfigs({ resources: [{ type: 2, name: 'described' }], includeSynonyms: false });
    assert.deepEqual(d.resources[0].configEntries.map((c) => c.configName).sort(), Object.keys(TOPIC_CONFIGS).sort());
    const b = await admin.describeConfigs({
      resources: [{ type: 4, name: '2', configNames: ['replica.lag.time.max.ms', 'group.min.session.timeout.ms', 'default.replication.factor'] }],
      includeSynonyms: false,
    });
    const values = Object.fromEntries(b.resources[0].configEntries.map((c) => [c.configName, c.configValue]));
    assert.deepEqual(values, { 'replica.lag.time.max.ms': '2500', 'group.min.session.timeout.ms': '5000', 'default.replication.factor': '3' });
  } finally {
    await admin.disconnect();
  }
});

test('kafkajs: a cluster-wide log.retention.bytes set at run time deletes old segments of every topic', { timeout: 60000 }, async () => {
  const client = kafka();
  const admin = client.admin();
  const producer = client.producer();
  await admin.connect();
  await producer.connect();
  try {
    const topic = 'retained';
    await admin.createTopics({
      topics: [{ topic, numPartitions: 1, replicationFactor: 3, configEntries: [{ name: 'segment.bytes', value: '2000' }] }],
    });
    for (let i = 0; i < 20; i++) await producer.send({ topic, acks: -1, messages: [{ value: 'x'.repeat(500) }] });
    const low = async () => Number((await admin.fetchTopicOffsets(topic))[0].low);
    assert.equal(await low(), 0);
    // Broker "1": dynamic broker configs are cluster-wide here (kafkajs refuses the "" resource).
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: 4, name: '1', configEntries: [{ name: 'log.retention.bytes', value: '3000' }] }] });
    const start = await until('old segments deleted', async () => (await low()) > 0 && low());
    assert.ok(start > 0);
  } finally {
    await producer.disconnect();
    await admin.disconnect();
  }
});
