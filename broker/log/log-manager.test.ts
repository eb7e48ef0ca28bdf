import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildBatch } from '../protocol/record-batch.ts';
import { CLEAN_SHUTDOWN_FILE } from './file-log.ts';
import { LogManager } from './log-manager.ts';
import { DEFAULT_LOG_CONFIG } from './types.ts';

const batch = (ts = Date.now()) => buildBatch([{ value: 'v', timestamp: ts }]);

function withDir(fn: (dir: string) => void) {
  return () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-logs-'));
    try {
      fn(dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}

test(
  'creates <topic>-<partition> dirs and reloads them, topic names with dashes included',
  withDir((dir) => {
    fs.mkdirSync(path.join(dir, '__cluster_metadata')); // not a partition: left alone
    const logs = new LogManager(dir);
    logs.getOrCreate('my-topic-1', 0).append(batch(), 0);
    logs.getOrCreate('my-topic', 10).append(Buffer.concat([batch(), batch()]), 0);
    assert.ok(fs.existsSync(path.join(dir, 'my-topic-1-0', '00000000000000000000.log')));
    assert.ok(fs.existsSync(path.join(dir, 'my-topic-10', '00000000000000000000.log')));
    logs.closeAll();
    assert.ok(fs.existsSync(path.join(dir, 'my-topic-1-0', CLEAN_SHUTDOWN_FILE)));
    assert.deepEqual(logs.all(), []);

    const again = new LogManager(dir);
    const found = again.all().map((l) => [l.topic, l.partition, l.logEndOffset]);
    assert.deepEqual(found.sort(), [
      ['my-topic', 10, 2],
      ['my-topic-1', 0, 1],
    ]);
    assert.equal(again.get('my-topic', 10)!.logEndOffset, 2);
    assert.equal(again.get('my-topic', 1), undefined);
    assert.throws(() => again.getOrCreate('../evil', 0), /invalid log name/);
    again.remove('my-topic', 10);
    assert.ok(!fs.existsSync(path.join(dir, 'my-topic-10')));
    assert.equal(again.get('my-topic', 10), undefined);
    again.closeAll();
  }),
);

test(
  'getOrCreate with a config updates an existing log; retention runs over all logs',
  withDir((dir) => {
    const logs = new LogManager(dir, { ...DEFAULT_LOG_CONFIG, segmentBytes: 100 });
    const old = Date.now() - 3_600_000;
    for (const p of [0, 1]) {
      const log = logs.getOrCreate('t', p);
      for (let i = 0; i < 5; i++) log.append(batch(old), 0); // 100-byte segments: one batch each
    }
    assert.equal(logs.applyRetention(Date.now()), 0, '7-day default retention keeps everything');
    logs.getOrCreate('t', 0, { ...DEFAULT_LOG_CONFIG, segmentBytes: 100, retentionMs: 60_000 });
    assert.equal(logs.applyRetention(Date.now()), 4, 'all but the active segment of t-0');
    assert.equal(logs.get('t', 0)!.logStartOffset, 4);
    assert.equal(logs.get('t', 1)!.logStartOffset, 0);
    logs.startRetention(10);
    logs.closeAll();
  }),
);
