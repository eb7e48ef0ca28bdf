// Console server boundary tests that need no Kafka: Host, origin and token checks, the static
// UI, JSON-only bodies, contract validation errors, routing errors, WebSocket auth and validation.
// The raw-frame robustness of the stream socket is in stream-socket.test.ts.
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
  const json = () => ({ ...auth(), 'content-type': 'application/json' });

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

  test('requires the token header on API calls; a query token or a cookie is not enough', async () => {
    const none = await rawRequest(server.port, '/api/session');
    assert.equal(none.status, 401);
    assert.deepEqual(none.json(), { error: { code: 'UNAUTHORIZED', message: 'Missing or wrong console token' } });
    const wrong = await rawRequest(server.port, '/api/session', { headers: { 'x-samsa-token': 'nope' } });
    assert.equal(wrong.status, 401);
    const query = await rawRequest(server.port, `/api/session?token=${encodeURIComponent(server.token)}`);
    assert.equal(query.status, 401, 'a token in a URL ends up in logs and history: API calls take the header only');
    for (const name of ['samsa_token', 'token']) {
      const cookie = await rawRequest(server.port, '/api/session', { headers: { cookie: `${name}=${server.token}` } });
      assert.equal(cookie.status, 401, `cookie ${name}`);
    }
    const ok = await rawRequest(server.port, '/api/session', { headers: auth() });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json(), { version: '0.1.0', bundledClusterId: 'local', passwordStorage: 'plain-file' });
  });

  test('the UI files are served without the token and never set a cookie', async () => {
    for (const path of ['/', `/?token=${encodeURIComponent(server.token)}`, '/topics/x']) {
      const r = await rawRequest(server.port, path);
      assert.equal(r.status, 200, path);
      assert.match(r.text, /<title>ui<\/title>/, path);
      assert.equal(r.headers['set-cookie'], undefined, path);
      assert.match(String(r.headers['content-security-policy']), /default-src 'self'/);
    }
    const post = await rawRequest(server.port, '/', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    assert.equal(post.status, 405);
  });

  test('accepts only the console’s exact origin on API calls', async () => {
    const own = await rawRequest(server.port, '/api/session', { headers: { ...auth(), origin: `http://127.0.0.1:${server.port}` } });
    assert.equal(own.status, 200);
    const viaLocalhost = await rawRequest(server.port, '/api/session', {
      headers: { ...auth(), host: `localhost:${server.port}`, origin: `http://localhost:${server.port}` },
    });
    assert.equal(viaLocalhost.status, 200, 'the page opened as localhost is its own origin');
    const foreign = [
      'http://127.0.0.1:8888',
      `http://localhost:${server.port}`,
      `https://127.0.0.1:${server.port}`,
      `http://127.0.0.1:${server.port + 1}`,
      'https://evil.example.com',
      'null',
      'file://',
    ];
    for (const origin of foreign) {
      const r = await rawRequest(server.port, '/api/session', { headers: { ...auth(), origin } });
      assert.equal(r.status, 403, origin);
      assert.equal(r.json().error.code, 'FORBIDDEN_ORIGIN', origin);
    }
    for (const site of ['same-site', 'cross-site']) {
      const r = await rawRequest(server.port, '/api/session', { headers: { ...auth(), 'sec-fetch-site': site } });
      assert.equal(r.status, 403, `Sec-Fetch-Site: ${site} (no-cors GETs carry no Origin)`);
    }
    const typed = await rawRequest(server.port, '/api/session', { headers: { ...auth(), 'sec-fetch-site': 'same-origin' } });
    assert.equal(typed.status, 200);
  });

  test('request bodies must be application/json (415 otherwise); nothing is created', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined]) {
      const r = await rawRequest(server.port, '/api/clusters', {
        method: 'POST',
        headers: { ...auth(), ...(type ? { 'content-type': type } : {}) },
        body: JSON.stringify({ name: 'csrf', bootstrap: 'evil:9092' }),
      });
      assert.equal(r.status, 415, String(type));
      assert.equal(r.json().error.code, 'UNSUPPORTED_MEDIA_TYPE');
    }
    const list = await rawRequest(server.port, '/api/clusters', { headers: auth() });
    assert.ok(!list.json().clusters.some((c: { name: string }) => c.name === 'csrf'));
    const charset = await rawRequest(server.port, '/api/clusters/local/topics', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'Application/JSON; charset=utf-8' },
      body: JSON.stringify({ name: 'x', partitions: 0 }),
    });
    assert.equal(charset.status, 400, 'JSON with a charset parameter reaches validation');
  });

  test('a route with a dot (topic web.clicks) is the UI, opened or reloaded; a missing asset is a 404', async () => {
    const page = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
    for (const path of ['/topics/web.clicks', '/topics/web.clicks?tab=partitions', '/topics/a.b.c', '/groups/billing.v2']) {
      const r = await rawRequest(server.port, path, { headers: page });
      assert.equal(r.status, 200, path);
      assert.match(r.text, /<title>ui<\/title>/, path);
    }
    const dest = await rawRequest(server.port, '/topics/web.clicks', { headers: { 'sec-fetch-dest': 'document' } });
    assert.equal(dest.status, 200);
    for (const [path, accept] of [
      ['/assets/index-missing.js', page.accept],
      ['/assets/index-missing.js', '*/*'],
      ['/favicon.ico', 'image/avif,image/webp,*/*'],
      ['/topics/web.clicks', '*/*'],
    ]) {
      const r = await rawRequest(server.port, path, { headers: { accept } });
      assert.equal(r.status, 404, `${path} (${accept})`);
      assert.doesNotMatch(r.text, /<title>ui<\/title>/);
    }
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
      headers: json(),
      body: JSON.stringify({ name: 'x', partitions: 0 }),
    });
    assert.equal(r.status, 400);
    assert.equal(r.json().error.code, 'BAD_REQUEST');
    assert.match(r.json().error.message, /^partitions: /);

    const badSeek = await rawRequest(server.port, '/api/clusters/local/topics/t/browse', {
      method: 'POST',
      headers: json(),
      body: JSON.stringify({ seek: { mode: 'offset' } }),
    });
    assert.equal(badSeek.status, 400);
    assert.match(badSeek.json().error.message, /seek\.offset/);

    const reset = await rawRequest(server.port, '/api/clusters/local/groups/g/reset-offsets', {
      method: 'POST',
      headers: json(),
      body: JSON.stringify({ strategy: 'timestamp' }),
    });
    assert.equal(reset.status, 400);
    assert.match(reset.json().error.message, /timestamp is required/);
  });

  test('malformed JSON, unknown routes and wrong methods get the error shape', async () => {
    const bad = await rawRequest(server.port, '/api/clusters', { method: 'POST', headers: json(), body: '{nope' });
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
      headers: json(),
      body: JSON.stringify({ name: 'remote', bootstrap: 'kafka-a:9092, kafka-b:9092', sasl: { mechanism: 'SCRAM-SHA-256', username: 'u', password: 'secret' } }),
    });
    assert.equal(add.status, 200);
    const added = add.json();
    assert.deepEqual(added.bootstrap, ['kafka-a:9092', 'kafka-b:9092']);
    assert.equal(added.saslMechanism, 'SCRAM-SHA-256');
    assert.doesNotMatch(add.text, /secret/);
    const reloaded = new ClusterRegistry({ appDataDir: appData });
    assert.equal(reloaded.list().find((c) => c.id === added.id)?.sasl?.password, 'secret');
    const badBootstrap = await rawRequest(server.port, '/api/clusters', { method: 'POST', headers: json(), body: JSON.stringify({ name: 'x', bootstrap: 'no-port' }) });
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

describe('unexpected server errors', () => {
  // A registry whose connection() fails the way a bug or the file system would.
  class BrokenRegistry extends ClusterRegistry {
    override connection(): never {
      throw new Error("EACCES: permission denied, open '/home/someone/.config/samsa/secret.json'");
    }
  }
  let server: ConsoleServer;
  let registry: ClusterRegistry;
  const logs: string[] = [];

  before(async () => {
    registry = new BrokenRegistry({ appDataDir: tempDir('samsa-broken-'), bundledBootstrap: ['127.0.0.1:1'] });
    server = await startConsoleServer({ registry, staticDir: null, log: (l) => logs.push(l) });
  });
  after(async () => {
    await server.close();
    await registry.close();
  });

  test('answer a generic message with an error id; the details are logged under that id', async () => {
    const r = await rawRequest(server.port, '/api/clusters/local/overview', { headers: { 'x-samsa-token': server.token } });
    assert.equal(r.status, 500);
    const { code, message } = r.json().error;
    assert.equal(code, 'INTERNAL');
    assert.doesNotMatch(r.text, /home|EACCES|secret/);
    const id = /error id ([0-9a-f]{8})/.exec(message)?.[1];
    assert.ok(id, message);
    const line = logs.find((l) => l.includes(`error ${id}`));
    assert.ok(line, logs.join('\n'));
    assert.match(line, /EACCES: permission denied, open '\/home\/someone/);
    assert.match(line, /\n\s+at /, 'the log has the stack');
  });

  test('the same on the stream socket, and the server lives on', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/stream?token=${encodeURIComponent(server.token)}`);
    await new Promise((r) => ws.once('open', r));
    const reply = new Promise<{ type: string; id: string; error: { code: string; message: string } }>((r) => ws.once('message', (d) => r(JSON.parse(d.toString()))));
    ws.send(JSON.stringify({ type: 'tail.start', id: 't', clusterId: 'local', topic: 'x' }));
    const m = await reply;
    assert.equal(m.error.code, 'INTERNAL');
    assert.match(m.error.message, /error id [0-9a-f]{8}/);
    assert.doesNotMatch(m.error.message, /home/);
    ws.close();
    const alive = await rawRequest(server.port, '/api/session', { headers: { 'x-samsa-token': server.token } });
    assert.equal(alive.status, 200);
  });
});
