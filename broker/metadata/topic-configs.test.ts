// Every topic config the broker accepts reaches the code that honours it; a Kafka config it
// does not honour is refused by name (issue 9 item 4).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BROKER_CONFIGS } from './config-resources.ts';
import { TOPIC_CONFIGS, toLogConfig, validateTopicConfig } from './topic-configs.ts';

/** A valid value other than the default, per accepted config. */
const OTHER: Record<string, string> = {
  'cleanup.policy': 'compact',
  'compression.type': 'producer', // the only value: nothing else to set
  'delete.retention.ms': '1000',
  'flush.messages': '10',
  'flush.ms': '1000',
  'index.interval.bytes': '100',
  'max.message.bytes': '1000',
  'message.timestamp.type': 'LogAppendTime',
  'max.compaction.lag.ms': '1000',
  'min.cleanable.dirty.ratio': '0.1',
  'min.compaction.lag.ms': '1000',
  'min.insync.replicas': '2',
  'retention.bytes': '1000',
  'retention.ms': '1000',
  'segment.bytes': '10000',
  'segment.ms': '1000',
  'unclean.leader.election.enable': 'true',
};
/** Honoured outside the log config, where their own tests cover them. */
const ELSEWHERE = new Set([
  'cleanup.policy', // the partition's compacted flag and the log cleaner (log/cleaner.test.ts)
  'compression.type',
  'max.message.bytes', // Produce: MESSAGE_TOO_LARGE (api/admin-js.test.ts)
  'min.insync.replicas', // replication: NOT_ENOUGH_REPLICAS (replication/replication.test.ts)
  'unclean.leader.election.enable', // the controller's elections (metadata/leadership.test.ts)
]);

test('each accepted topic config other than those honoured elsewhere changes the log config', () => {
  assert.deepEqual(Object.keys(OTHER).sort(), Object.keys(TOPIC_CONFIGS).sort(), 'a new config needs a line here');
  const base = toLogConfig({});
  for (const [key, value] of Object.entries(OTHER)) {
    assert.equal(validateTopicConfig(key, value), null, key);
    if (ELSEWHERE.has(key)) continue;
    assert.notDeepEqual(toLogConfig({ [key]: value }), base, `${key}=${value} is not honoured by the log`);
    // ... and so does its broker-level synonym, as a dynamic cluster-wide default.
    const synonym = TOPIC_CONFIGS[key].synonym!;
    assert.ok(BROKER_CONFIGS[synonym]?.dynamic, synonym);
    assert.notDeepEqual(toLogConfig({}, { [synonym]: value }), base, `${synonym}=${value}`);
  }
});

test('Kafka configs Samsa does not honour are refused by name; unknown names as Kafka does', () => {
  for (const key of ['file.delete.delay.ms', 'segment.jitter.ms', 'preallocate'])
    assert.equal(validateTopicConfig(key, '1'), `Topic config ${key} is not supported: Samsa does not honour it`);
  assert.equal(validateTopicConfig('no.such.config', '1'), 'Unknown topic config name: no.such.config');
  assert.match(validateTopicConfig('min.cleanable.dirty.ratio', '1.5') ?? '', /min.cleanable.dirty.ratio/);
  assert.match(validateTopicConfig('compression.type', 'gzip') ?? '', /Invalid value gzip for configuration compression.type: String must be one of: producer/);
  assert.equal(BROKER_CONFIGS['log.segment.delete.delay.ms'], undefined);
});
