// The client guard on the real @platformatic/kafka ConnectionPool: a broker the metadata no
// longer lists (undefined) is a retriable NetworkError marked hasStaleMetadata, through both the
// callback and the promise forms, instead of a TypeError thrown from inside the pool.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConnectionPool, NetworkError, type Broker } from '@platformatic/kafka';
import { installClientGuard } from './client-guard.ts';

const gone: Broker | undefined = new Map<number, Broker>().get(3);

test('unguarded, the pool throws on a node missing from the metadata (what crashed the console)', { skip: ConnectionPool.prototype.get.name === 'guardedGet' }, () => {
  const pool = new ConnectionPool('guard-test');
  assert.throws(() => Reflect.apply(ConnectionPool.prototype.get, pool, [gone, () => {}]), TypeError);
});

test('guarded, the operation gets a retriable NetworkError with stale metadata', async () => {
  installClientGuard();
  const pool = new ConnectionPool('guard-test');
  const viaCallback = await new Promise<unknown>((resolve) => Reflect.apply(pool.get, pool, [gone, (e: unknown) => resolve(e)]));
  assert.ok(viaCallback instanceof NetworkError);
  assert.equal(viaCallback.canRetry, true);
  assert.equal(viaCallback.hasStaleMetadata, true);
  await assert.rejects(Reflect.apply(pool.get, pool, [gone]), NetworkError);
  assert.equal(Reflect.apply(pool.has, pool, [gone]), false);
  assert.equal(Reflect.apply(pool.getEstablishedConnection, pool, [gone]), undefined);
  await pool.close();
});
