// The clusters file: private modes, written before memory changes, passwords sealed with the
// desktop app's key when there is one (and kept sealed, not lost, where there is none).
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { tempDir } from '../server/test-helpers.ts';
import { toSummary } from './cluster-config.ts';
import { ClusterRegistry } from './cluster-registry.ts';
import { safeStorageSecrets, type SafeStorageLike } from './secret-store.ts';

/** A stand-in for Electron's safeStorage: real AES-GCM under a key only this process has. */
function fakeSafeStorage(backend = 'gnome_libsecret'): SafeStorageLike {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => backend,
    encryptString: (plain) => {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decryptString: (sealed) => {
      const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      d.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([d.update(sealed.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

const remote = { name: 'prod', bootstrap: ['kafka.example.com:9092'], sasl: { mechanism: 'SCRAM-SHA-512' as const, username: 'u', password: 'hunter2-secret' } };
const mode = (p: string) => statSync(p).mode & 0o777;

describe('cluster registry', () => {
  test('the folder is 0700 (tightened when it already existed) and the file 0600', () => {
    const dir = join(tempDir('samsa-reg-'), 'console');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const reg = new ClusterRegistry({ appDataDir: dir });
    reg.add(remote);
    assert.equal(mode(dir), 0o700);
    assert.equal(mode(join(dir, 'clusters.json')), 0o600);
  });

  test('a failed write changes nothing in memory', async () => {
    const dir = tempDir('samsa-reg-');
    const reg = new ClusterRegistry({ appDataDir: dir, bundledBootstrap: ['127.0.0.1:9092'] });
    const kept = reg.add(remote);
    // clusters.json replaced by a non-empty folder: the rename onto it fails, even for root.
    const file = join(dir, 'clusters.json');
    rmSync(file);
    mkdirSync(join(file, 'blocker'), { recursive: true });
    assert.throws(() => reg.add({ ...remote, name: 'second' }));
    assert.deepEqual(
      reg.list().map((c) => c.name),
      ['Local cluster', 'prod'],
    );
    await assert.rejects(reg.remove(kept.id));
    assert.ok(reg.list().some((c) => c.id === kept.id), 'a failed remove keeps the cluster');
  });

  test('without a key the password is stored as is (file 0600) and the session says so', () => {
    const dir = tempDir('samsa-reg-');
    const reg = new ClusterRegistry({ appDataDir: dir });
    assert.equal(reg.passwordsEncrypted, false);
    reg.add(remote);
    assert.match(readFileSync(join(dir, 'clusters.json'), 'utf8'), /hunter2-secret/);
  });

  test('with safeStorage the file never holds the password; a reload opens it', () => {
    const dir = tempDir('samsa-reg-');
    const safe = fakeSafeStorage();
    const reg = new ClusterRegistry({ appDataDir: dir, secrets: safeStorageSecrets(safe) });
    assert.equal(reg.passwordsEncrypted, true);
    const added = reg.add(remote);
    const text = readFileSync(join(dir, 'clusters.json'), 'utf8');
    assert.doesNotMatch(text, /hunter2/);
    assert.match(text, /"sealedPassword"/);
    const again = new ClusterRegistry({ appDataDir: dir, secrets: safeStorageSecrets(safe) });
    assert.equal(again.list().find((c) => c.id === added.id)?.sasl?.password, 'hunter2-secret');
  });

  test('a sealed password where it cannot be opened: kept sealed, the cluster says why, connecting is refused', async () => {
    const dir = tempDir('samsa-reg-');
    const sealedBy = new ClusterRegistry({ appDataDir: dir, secrets: safeStorageSecrets(fakeSafeStorage()) });
    const added = sealedBy.add(remote);
    const before = JSON.parse(readFileSync(join(dir, 'clusters.json'), 'utf8')).clusters[0];

    const serve = new ClusterRegistry({ appDataDir: dir });
    const locked = serve.list().find((c) => c.id === added.id)!;
    assert.match(toSummary(locked).warnings.join(' '), /encrypted by the desktop app/);
    assert.throws(() => serve.connection(added.id), (e: Error & { code?: string }) => e.code === 'PASSWORD_UNAVAILABLE');
    serve.add({ name: 'other', bootstrap: ['localhost:9092'] });
    const after = JSON.parse(readFileSync(join(dir, 'clusters.json'), 'utf8')).clusters.find((c: { id: string }) => c.id === added.id);
    assert.deepEqual(after, before, 'saving other clusters keeps the sealed record byte for byte');
    await serve.remove(added.id);
  });

  test("Linux's basic_text backend (a hard-coded key) counts as no encryption", () => {
    assert.equal(safeStorageSecrets(fakeSafeStorage('basic_text')), null);
    assert.equal(safeStorageSecrets({ ...fakeSafeStorage(), isEncryptionAvailable: () => false }), null);
  });

  test('an unreadable clusters file is moved aside, not overwritten', () => {
    const dir = tempDir('samsa-reg-');
    writeFileSync(join(dir, 'clusters.json'), '{ not json');
    const reg = new ClusterRegistry({ appDataDir: dir });
    reg.add(remote);
    assert.equal(readdirSync(dir).filter((f) => f.startsWith('clusters.json.unreadable-')).length, 1);
    assert.equal(readFileSync(join(dir, readdirSync(dir).find((f) => f.includes('unreadable'))!), 'utf8'), '{ not json');
  });

  test('SASL PLAIN without TLS to another machine is flagged; loopback, TLS or SCRAM are not', () => {
    const warn = (c: Parameters<typeof toSummary>[0]) => toSummary(c).warnings;
    const base = { id: 'x', name: 'x', bundled: false, bootstrap: ['broker.example.com:9092', '127.0.0.1:9093'] };
    const plain = { mechanism: 'PLAIN' as const, username: 'u', password: 'p' };
    assert.match(warn({ ...base, sasl: plain }).join(), /clear text .* broker\.example\.com\. Turn on TLS/);
    assert.doesNotMatch(warn({ ...base, sasl: plain }).join(), /127\.0\.0\.1/);
    assert.deepEqual(warn({ ...base, sasl: plain, tls: true }), []);
    assert.deepEqual(warn({ ...base, sasl: { ...plain, mechanism: 'SCRAM-SHA-256' } }), []);
    assert.deepEqual(warn({ ...base, bootstrap: ['localhost:9092', '[::1]:9092', '127.0.0.2:1'], sasl: plain }), []);
  });
});
