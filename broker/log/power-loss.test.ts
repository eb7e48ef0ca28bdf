// Simulated power loss: everything a file held beyond its last fsync is cut off, then the log
// reopens. Under the strict policy (flush.messages=1, what --fsync sets per append) every
// acknowledged append survives; under Kafka's default (page cache only) the unsynced tail is
// gone, which is why that default relies on kill -9 not being a power cut.
// fsync is observed, not assumed: fs.fsyncSync is wrapped to record each file's synced size.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { buildBatch } from '../protocol/record-batch.ts';
import { FileLog } from './file-log.ts';
import { DEFAULT_LOG_CONFIG, type LogConfig } from './types.ts';

const synced = new Map<number, number>(); // inode -> bytes durable
const realFsync = fs.fsyncSync;
let root: string;

beforeEach(() => {
  synced.clear();
  fs.fsyncSync = (fd: number) => {
    realFsync(fd);
    const st = fs.fstatSync(fd);
    if (st.isFile()) synced.set(st.ino, st.size);
  };
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-power-'));
});
afterEach(() => {
  fs.fsyncSync = realFsync;
  fs.rmSync(root, { recursive: true, force: true });
});

/** Power cut: each file keeps only what was fsynced (nothing if never). The process is gone. */
function powerLoss(dir: string): void {
  for (const f of fs.readdirSync(dir)) {
    const p = path.join(dir, f);
    const st = fs.statSync(p);
    if (st.isFile()) fs.truncateSync(p, Math.min(st.size, synced.get(st.ino) ?? 0));
  }
}

function appendAll(config: LogConfig, dir: string, batches: number): number {
  const log = FileLog.open(dir, 't', 0, config);
  let acked = 0;
  for (let i = 0; i < batches; i++) {
    const r = log.append(buildBatch([{ key: `k${i}`, value: `v${i}` }, { value: `w${i}` }]), 0);
    acked = r.lastOffset + 1; // the append returned: acknowledged
  }
  return acked; // no close(): the machine loses power with the log open
}

test('strict policy (fsync per append): a power loss keeps every acknowledged record', () => {
  const dir = path.join(root, 't-0');
  const acked = appendAll({ ...DEFAULT_LOG_CONFIG, flushMessages: 1, segmentBytes: 2048 }, dir, 60);
  powerLoss(dir);
  const log = FileLog.open(dir, 't', 0, DEFAULT_LOG_CONFIG);
  assert.equal(log.logEndOffset, acked);
  let offset = 0;
  let records = 0;
  while (offset < log.logEndOffset) {
    const { chunks } = log.read(offset, 1 << 20);
    for (const c of chunks) {
      for (let pos = 0; pos < c.length; pos += 12 + c.readInt32BE(pos + 8)) {
        records += c.readInt32BE(pos + 57);
        offset = Number(c.readBigInt64BE(pos)) + c.readInt32BE(pos + 23) + 1;
      }
    }
  }
  assert.equal(records, acked);
  log.close();
});

test("Kafka's default policy (page cache only): a power loss cuts the unsynced tail, the log still opens", () => {
  const dir = path.join(root, 't-0');
  const acked = appendAll({ ...DEFAULT_LOG_CONFIG, segmentBytes: 2048 }, dir, 60);
  assert.equal(acked, 120);
  powerLoss(dir);
  const log = FileLog.open(dir, 't', 0, DEFAULT_LOG_CONFIG);
  assert.ok(log.logEndOffset < acked, 'unsynced records are gone after a power cut');
  const next = log.append(buildBatch([{ value: 'after' }]), 0);
  assert.equal(next.baseOffset, log.logEndOffset - 1, 'appends continue after the surviving prefix');
  log.close();
});
