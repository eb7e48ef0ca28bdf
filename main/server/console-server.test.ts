// Console server boundary tests that need no Kafka: Host and token checks, static page and
// cookie hand-off, contract validation errors, routing errors, WebSocket auth and validation.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { ClusterRegistry } from '../kafka/cluster-registry.ts';
import { startConsoleServer, type ConsoleServer } from './console-server.ts';
import { rawRequest, tempDir } from './test-helpers.ts';

describe('console server boundaries', () => {
  let server: ConsoleServer;
  let registry: ClusterRegistry;
  let appData: string;
  const auth = () => ({ 'x-samsa-token': server.token });

  before(async () => {
    appData = tempDir('samsa-console-');
    const staticDir = join(appData, 'ui');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>ui</title>');
    // Port 1 refuses connections: routes that reach Kafka fail fast with a clear error.
    registry = new ClusterRegistry({ appDataDir: appData, bundledBootstrap: ['127.0.0.1:1'] });
    server = await startConsoleServer({ registry, staticDir });
  });
  after(async () => {
    await server.close();
    await registry.close();
  });

  test('binds to loopback and prints a page URL with the token', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(server.pageUrl, `${server.url}/?token=${encodeURIComponent(server.token)}`);
  });

  test('refuses a non-loopback Host with 403, even with the right token', async () => {
    for (const host of ['evil.example.com', 'evil.example.com:80', '192.168.1.5:1234', '127.0.0.1.nip.io']) {
      const r = await rawRequest(server.port, '/api/session', { headers: { host, ...auth() } });
      assert.equal(r.status, 403, host);
      assert.equal(r.json().error.code, 'FORBIDDEN_HOST');
    }
  });

  test('accepts loopback Host names', async () => {
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `[::1]:${server.port}`, 'localhost']) {
      const r = await rawRequest(server.port, '/api/session', { headers: { host, ...auth() } });
      assert.equal(r.status, 200, host);
    }
  });

  test('requires the token on API calls', async () => {
    const none = await rawRequest(server.port, '/api/session');
    assert.equal(none.status, 401);
    assert.deepEqual(none.json(), { error: { code: 'UNAUTHORIZED', message: 'Missing or wrong console token' } });
    const wrong = await rawRequest(server.port, '/api/session', { headers: { 'x-samsa-token': 'nope' } });
    assert.equal(wrong.status, 401);
    const ok = await rawRequest(server.port, '/api/session', { headers: auth() });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json(), { version: '0.1.0', bundledClusterId: 'local' });
  });

  test('the page needs the token; ?token= sets an HttpOnly SameSite cookie that then works', async () => {
    const bare = await rawRequest(server.port, '/');
    assert.equal(bare.status, 401);
    assert.doesNotMatch(bare.text, /<title>ui<\/title>/);
    const first = await rawRequest(server.port, `/?token=${encodeURIComponent(server.token)}`);
    assert.equal(first.status, 200);
    assert.match(first.text, /<title>ui<\/title>/);
    assert.match(String(first.headers['content-security-policy']), /default-src 'self'/);
    const cookie = String(first.headers['set-cookie']);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const again = await rawRequest(server.port, '/topics/x', { headers: { cookie: cookie.split(';')[0] } });
    assert.equal(again.status, 200, 'client routes fall back to index.html');
    const api = await rawRequest(server.port, '/api/session', { headers: { cookie: cookie.split(';')[0] } });
    assert.equal(api.status, 200);
  });

  test('refuses a foreign Origin', async () => {
    const r = await rawRequest(server.port, '/api/session', { headers: { ...auth(), origin: 'https://evil.example.com' } });
    assert.equal(r.status, 401);
  });

  test('static files cannot escape the UI folder', async () => {
    for (const path of ['/..%2f..%2f..%2f..%2fetc%2fpasswd', '/../../../../etc/passwd', '/%2e%2e/%2e%2e/etc/hosts.txt']) {
      const r = await rawRequest(server.port, path, { headers: auth() });
      assert.doesNotMatch(r.text, /root:|localhost/, path);
    }
  });

  test('contract validation errors name the field', async () => {
    const r = await rawRequest(server.port, '/api/clusters/local/topics', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', partitions: 0 }),
    });
    assert.equal(r.status, 400);
    assert.equal(r.json().error.code, 'BAD_REQUEST');
    assert.match(r.json().error.message, /^partitions: /);

    const badSeek = await rawRequest(server.port, '/api/clusters/local/topics/t/browse', {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ seek: { mode: 'offset' } }),
    });
    assert.equal(badSeek.status, 400);
    assert.match(badSeek.json().error.message, /seek\.offset/);

    const reset = await rawRequest(server.port, '/api/clusters/local/groups/g/reset-offsets', {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ strategy: 'timestamp' }),
    });
    assert.equal(reset.status, 400);
    assert.match(reset.json().error.message, /timestamp is required/);
  });

  test('malformed JSON, unknown routes and wrong methods get the error shape', async () => {
    const bad = await rawRequest(server.port, '/api/clusters', { method: 'POST', headers: auth(), body: '{nope' });
    assert.equal(bad.status, 400);
    assert.equal(bad.json().error.message, 'Request body is not valid JSON');
    const missing = await rawRequest(server.port, '/api/nothing', { headers: auth() });
    assert.equal(missing.status, 404);
    const method = await rawRequest(server.port, '/api/clusters/local/overview', { method: 'DELETE', headers: auth() });
    assert.equal(method.status, 405);
    const cluster = await rawRequest(server.port, '/api/clusters/nope/topics', { headers: auth() });
    assert.equal(cluster.status, 404);
    assert.equal(cluster.json().error.message, 'Unknown cluster nope');
  });

  test('an unreachable cluster is a 502 with a readable message', async () => {
    const r = await rawRequest(server.port, '/api/clusters/local/overview', { headers: auth() });
    assert.equal(r.status, 502);
    assert.equal(r.json().error.code, 'CLUSTER_UNREACHABLE');
    assert.doesNotMatch(r.json().error.message, /\n\s+at /, 'no stack traces');
  });

  test('clusters are added, persisted, listed without secrets and removed; the bundled one stays', async () => {
    const add = await rawRequest(server.port, '/api/clusters', {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ name: 'remote', bootstrap: 'kafka-a:9092, kafka-b:9092', sasl: { mechanism: 'SCRAM-SHA-256', username: 'u', password: 'secret' } }),
    });
    assert.equal(add.status, 200);
    const added = add.json();
    assert.deepEqual(added.bootstrap, ['kafka-a:9092', 'kafka-b:9092']);
    assert.equal(added.saslMechanism, 'SCRAM-SHA-256');
    assert.doesNotMatch(add.text, /secret/);
    const reloaded = new ClusterRegistry({ appDataDir: appData });
    assert.equal(reloaded.list().find((c) => c.id === added.id)?.sasl?.password, 'secret');
    const badBootstrap = await rawRequest(server.port, '/api/clusters', { method: 'POST', headers: auth(), body: JSON.stringify({ name: 'x', bootstrap: 'no-port' }) });
    assert.equal(badBootstrap.status, 400);
    assert.match(badBootstrap.json().error.message, /host:port/);
    const del = await rawRequest(server.port, `/api/clusters/${added.id}`, { method: 'DELETE', headers: auth() });
    assert.equal(del.status, 200);
    const bundled = await rawRequest(server.port, '/api/clusters/local', { method: 'DELETE', headers: auth() });
    assert.equal(bundled.status, 400);
  });

  test('WebSocket needs the token and validates messages', async () => {
    const url = `ws://127.0.0.1:${server.port}/api/stream`;
    await assert.rejects(
      new Promise((resolve, reject) => {
        const ws = new WebSocket(url);
        ws.on('open', resolve);
        ws.on('error', reject);
      }),
      /401/,
    );
    const ws = new WebSocket(`${url}?token=${encodeURIComponent(server.token)}`);
    await new Promise((r) => ws.on('open', r));
    const reply = new Promise<{ type: string; id: string; error: { message: string } }>((r) => ws.once('message', (d) => r(JSON.parse(d.toString()))));
    ws.send(JSON.stringify({ type: 'search.start', id: 's1', clusterId: 'local', topic: 't', query: '' }));
    const m = await reply;
    assert.equal(m.type, 'error');
    assert.equal(m.id, 's1');
    assert.match(m.error.message, /Search text is required/);
    ws.close();
  });
});
