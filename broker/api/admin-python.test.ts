// Admin round trips and the errors a user meets, with the unmodified Python clients most people
// script against: confluent-kafka (librdkafka) AdminClient and kafka-python KafkaAdminClient.
// One node process; broker/testing/clients/admin.py runs the same steps with either client.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { kafkaPython, startTestCluster, type TestCluster } from '../testing/cluster.ts';
import { run } from '../testing/run.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const py = kafkaPython();
let tc: TestCluster;
before(async () => {
  if (py) tc = await startTestCluster({ nodeArgs: [] });
});
after(async () => {
  await tc?.stop();
});

type Step = 'ok' | { code: number | null; msg: string } | Record<string, { value: string | null; source: number; readOnly: boolean }> | string[];

for (const lib of ['confluent', 'kafka-python'] as const) {
  test(`${lib} admin: create/describe/alter/partitions/delete and Kafka's errors`, { skip: !py && 'Debian python3 Kafka clients not installed' }, async () => {
    const p = lib === 'confluent' ? 'cf' : 'kp';
    const r = await run(py!, [path.join(here, '../testing/clients/admin.py'), lib, tc.bootstrap, p], { timeoutMs: 120000 });
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout) as Record<string, Step>;
    const code = (k: string) => (s[k] as { code: number }).code;
    const msg = (k: string) => (s[k] as { msg: string }).msg;
    const cfg = (k: string) => s[k] as Record<string, { value: string | null; source: number; readOnly: boolean }>;

    for (const k of ['create', 'create-validate-only', 'create-assignment', 'partitions', 'alter-topic', 'alter-broker', 'alter-broker-reset', 'delete'])
      assert.equal(s[k], 'ok', `${k}: ${JSON.stringify(s[k])}`);
    assert.equal(code('create-again'), 36); // TOPIC_ALREADY_EXISTS
    assert.equal(code('create-rf-too-big'), 38); // INVALID_REPLICATION_FACTOR
    assert.equal(code('create-zero-partitions'), 37); // INVALID_PARTITIONS
    assert.equal(code('create-bad-config-value'), 40); // INVALID_CONFIG naming key and value
    assert.match(msg('create-bad-config-value'), /soon.*retention\.ms/);
    assert.equal(code('create-unknown-config'), 40);
    assert.match(msg('create-unknown-config'), /no\.such\.config/);
    assert.equal(code('create-bad-name'), 17); // INVALID_TOPIC_EXCEPTION
    assert.equal(code('partitions-decrease'), 37);
    assert.equal(code('partitions-unknown-topic'), 3); // UNKNOWN_TOPIC_OR_PARTITION
    assert.ok([`${p}-a`, `${p}-f`].every((t) => (s.topics as string[]).includes(t)), JSON.stringify(s.topics));
    assert.ok(!(s.topics as string[]).includes(`${p}-v`), 'validateOnly created nothing');

    assert.deepEqual(cfg('describe-topic')['retention.ms'], { value: '3600000', source: 1, readOnly: false });
    assert.deepEqual(cfg('describe-topic')['segment.bytes'], { value: '1073741824', source: 5, readOnly: false });
    assert.equal(code('describe-unknown-topic'), 3);
    // AlterConfigs replaces the whole dynamic set: retention.ms is back to its default.
    assert.deepEqual(cfg('describe-after-alter')['cleanup.policy'], { value: 'compact', source: 1, readOnly: false });
    assert.deepEqual(cfg('describe-after-alter')['retention.ms'], { value: '604800000', source: 5, readOnly: false });
    assert.equal(code('alter-topic-bad-value'), 40);
    assert.match(msg('alter-topic-bad-value'), /big.*segment\.bytes/);
    assert.equal(code('alter-unknown-topic'), 3);

    const broker = cfg('describe-broker');
    assert.equal(broker['num.partitions'].readOnly, true);
    assert.equal(broker['log.retention.ms'].readOnly, false);
    assert.deepEqual([broker['node.id'].value, broker['node.id'].source], ['1', 4]); // STATIC_BROKER_CONFIG
    // A dynamic cluster-wide default reaches topics without an override.
    assert.deepEqual(cfg('describe-topic-broker-default')['retention.ms'], { value: '100000000', source: 3, readOnly: false });
    assert.equal(code('alter-broker-read-only'), 42);
    assert.match(msg('alter-broker-read-only'), /Cannot update these configs dynamically: Set\(num\.partitions\)/);

    assert.equal(code('delete-again'), 3);
    assert.ok(!(s['topics-after'] as string[]).includes(`${p}-a`));
  });
}
