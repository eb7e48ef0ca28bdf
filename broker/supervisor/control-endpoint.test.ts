// The control endpoint's guard rails, against a real node process (one node: these tests are
// about the socket; node-command.test.ts drives a 3-node cluster through it): no token or a wrong
// one is refused; a socket, folder or token file whose permissions let others in is refused at
// both ends (the client will not send its token, the server will not answer); another account
// cannot connect or read the token; a second supervisor cannot claim the data dir; malformed
// requests get a clear error; events can be long-polled with a cursor.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startTestCluster, type TestCluster } from '../testing/cluster.ts';
import { run } from '../testing/run.ts';
import { ControlClient } from './control-client.ts';
import { ControlError } from './control-error.ts';
import { openControlEndpoint, type ControlEndpoint } from './control-endpoint.ts';

let tc: TestCluster;
let endpoint: ControlEndpoint;

before(async () => {
  tc = await startTestCluster({ nodes: 1 });
  endpoint = await openControlEndpoint(tc.dataDir);
  endpoint.attach(tc.cluster);
});
after(async () => {
  await endpoint?.close();
  await tc?.stop();
});

function raw(op: string, opts: { token?: string; body?: string; method?: string } = {}): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
    const r = http.request({ socketPath: endpoint.paths.socket, agent: false, method: opts.method ?? 'POST', path: `/control/${op}`, headers }, (res) => {
      let s = '';
      res.on('data', (d) => (s += d));
      res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(s) }));
    });
    r.on('error', reject);
    r.end(opts.method === 'GET' ? undefined : (opts.body ?? '{}')); // a GET body would have no framing
  });
}

const token = () => fs.readFileSync(endpoint.paths.tokenFile, 'utf8').trim();
const errorOf = (j: unknown) => (j as { error: { code: string; message: string } }).error;

test('the endpoint lives in <data-dir>/control: folder 0700, socket and token 0600', () => {
  assert.equal(endpoint.paths.dir, path.join(tc.dataDir, 'control'));
  assert.equal(fs.statSync(endpoint.paths.dir).mode & 0o777, 0o700);
  assert.equal(fs.statSync(endpoint.paths.socket).mode & 0o777, 0o600);
  assert.ok(fs.statSync(endpoint.paths.socket).isSocket());
  assert.equal(fs.statSync(endpoint.paths.tokenFile).mode & 0o777, 0o600);
});

test('requests without the token or with a wrong one are refused', async () => {
  const none = await raw('list');
  assert.equal(none.status, 401);
  assert.deepEqual(errorOf(none.json), { code: 'UNAUTHORIZED', message: 'missing or wrong control token' });
  const wrong = await raw('list', { token: token().replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) });
  assert.equal(wrong.status, 401);
  const kill = await raw('kill', { body: '{"id":1}' });
  assert.equal(kill.status, 401);
  assert.equal(tc.cluster.node(1).state, 'running', 'an unauthenticated kill does nothing');
  const right = await raw('list', { token: token() });
  assert.equal(right.status, 200);
  assert.deepEqual(
    (right.json as { nodes: { id: number; state: string }[] }).nodes.map((n) => [n.id, n.state]),
    [[1, 'running']],
  );
});

for (const [what, file, loose, tight] of [
  ['socket', () => endpoint.paths.socket, 0o666, 0o600],
  ['control folder', () => endpoint.paths.dir, 0o755, 0o700],
  ['token file', () => endpoint.paths.tokenFile, 0o644, 0o600],
] as const) {
  test(`a ${what} whose permissions let other users in is refused by the client and the server`, async () => {
    fs.chmodSync(file(), loose);
    try {
      assert.throws(
        () => ControlClient.open(tc.dataDir),
        (e: unknown) =>
          e instanceof ControlError && e.code === 'FORBIDDEN' && e.message.includes(`mode 0${loose.toString(8)}, which lets other users in`),
      );
      const r = await raw('list', { token: token() });
      assert.equal(r.status, 403);
      assert.match(errorOf(r.json).message, /^refusing: .* lets other users in/);
    } finally {
      fs.chmodSync(file(), tight);
    }
    assert.equal((await ControlClient.open(tc.dataDir).call('list', {})).nodes.length, 1);
  });
}

test('a token file replaced by someone else is refused by the server', async () => {
  const tok = token();
  const moved = endpoint.paths.tokenFile + '.orig';
  fs.renameSync(endpoint.paths.tokenFile, moved);
  fs.writeFileSync(endpoint.paths.tokenFile, tok + '\n', { mode: 0o600 });
  try {
    const r = await raw('list', { token: tok });
    assert.equal(r.status, 403);
    assert.match(errorOf(r.json).message, /token was replaced/);
  } finally {
    fs.renameSync(moved, endpoint.paths.tokenFile);
  }
  assert.equal((await raw('list', { token: tok })).status, 200);
});

test(
  'another account can neither connect to the socket nor read the token',
  { skip: process.getuid?.() !== 0 && 'needs root to run a probe as another user' },
  async () => {
    // Even with the data dir itself open to everyone (as ./data often is), the control folder keeps others out.
    fs.chmodSync(tc.dataDir, 0o755);
    const probe = `
import socket, sys
for what, f in (("connect", lambda: socket.socket(socket.AF_UNIX).connect(sys.argv[1])), ("read", lambda: open(sys.argv[2]).read())):
    try:
        f(); print(what, "ok")
    except OSError as e:
        print(what, type(e).__name__)
`;
    const r = await run('/usr/bin/python3', ['-c', probe, endpoint.paths.socket, endpoint.paths.tokenFile], {
      uid: 65534,
      gid: 65534,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['connect PermissionError', 'read PermissionError']);
    // The same probe as the owner connects and reads: the refusal above is the permissions' doing.
    const own = await run('/usr/bin/python3', ['-c', probe, endpoint.paths.socket, endpoint.paths.tokenFile]);
    assert.deepEqual(own.stdout.trim().split('\n'), ['connect ok', 'read ok']);
  },
);

test('a second supervisor cannot claim a data dir whose supervisor is running', async () => {
  await assert.rejects(openControlEndpoint(tc.dataDir), /a cluster is already running on .*control socket .* answers/);
  assert.equal((await raw('list', { token: token() })).status, 200, 'the first endpoint still answers');
});

test('malformed requests get a clear error and change nothing', async () => {
  const t = token();
  const cases: [string, { body?: string; method?: string }, number, string, RegExp][] = [
    ['nope', {}, 404, 'NOT_FOUND', /no such control operation: POST \/control\/nope/],
    ['list', { method: 'GET' }, 404, 'NOT_FOUND', /no such control operation: GET/],
    ['kill', { body: '{"id":' }, 400, 'BAD_REQUEST', /not JSON/],
    ['kill', { body: '{"id":"1"}' }, 400, 'BAD_REQUEST', /^kill: id: /],
    ['kill', { body: '{}' }, 400, 'BAD_REQUEST', /^kill: id: /],
    ['kill', { body: '{"id":1,"signal":"SIGTERM"}' }, 400, 'BAD_REQUEST', /^kill: /],
    ['kill', { body: '{"id":9}' }, 404, 'NOT_FOUND', /^node 9 does not exist$/],
    ['resume', { body: '{"id":1}' }, 409, 'INVALID_STATE', /^node 1 is not paused \(it is running\)$/],
    ['remove', { body: '{"id":1}' }, 409, 'REFUSED', /node 1 is a voter of the metadata quorum/],
    ['list', { body: 'x'.repeat(70_000) }, 400, 'BAD_REQUEST', /over 65536 bytes/],
  ];
  for (const [op, opts, status, code, message] of cases) {
    const r = await raw(op, { ...opts, token: t }).catch((e: Error) => ({ status: -1, json: { error: { code: 'SOCKET', message: e.message } } }));
    assert.equal(r.status, status, `${op} ${opts.body?.slice(0, 20)}: ${JSON.stringify(r.json)}`);
    assert.equal(errorOf(r.json).code, code);
    assert.match(errorOf(r.json).message, message);
  }
  assert.equal(tc.cluster.node(1).state, 'running');
});

test('events: a long poll with a cursor returns as soon as something happens', async () => {
  const client = ControlClient.open(tc.dataDir);
  const { next } = await client.call('events', { since: 0 });
  assert.ok(next >= 1, 'the start of node 1 is an event');
  const t0 = Date.now();
  const waiting = client.call('events', { since: next, waitMs: 20_000 });
  setTimeout(() => tc.cluster.pause(1), 300);
  const r = await waiting;
  try {
    assert.ok(Date.now() - t0 < 10_000, `answered after ${Date.now() - t0} ms`);
    assert.deepEqual(
      r.events.map((e) => [e.type, e.nodeId]),
      [['paused', 1]],
    );
    assert.equal(r.next, next + 1);
    assert.equal(r.missed, 0);
  } finally {
    tc.cluster.resume(1);
  }
  const again = await client.call('events', { since: r.next });
  assert.deepEqual(
    again.events.map((e) => e.type),
    ['resumed'],
  );
  assert.equal(again.run, r.run);
});

test('an endpoint whose cluster is still starting answers UNAVAILABLE; a data dir without one says no cluster runs', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-control-'));
  assert.throws(() => ControlClient.open(dir), new ControlError('UNAVAILABLE', `no cluster is running on ${dir}`));
  const early = await openControlEndpoint(dir);
  try {
    await assert.rejects(ControlClient.open(dir).call('list', {}), new ControlError('UNAVAILABLE', 'the cluster is still starting'));
  } finally {
    await early.close();
  }
  assert.equal(fs.existsSync(early.paths.socket), false, 'closing removes the socket');
  assert.equal(fs.existsSync(early.paths.tokenFile), false, 'and the token');
  assert.throws(() => ControlClient.open(dir), /no cluster is running/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a data dir too long for a socket address gets its socket in a private per-user folder under tmp', async () => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-control-')), 'a-rather-long-folder-name'.repeat(4));
  const e = await openControlEndpoint(dir);
  try {
    assert.equal(e.paths.socketDir, path.join(os.tmpdir(), `samsa-${process.getuid!()}`));
    assert.equal(path.dirname(e.paths.socket), e.paths.socketDir);
    assert.equal(fs.statSync(e.paths.socketDir).mode & 0o777, 0o700);
    assert.equal(e.paths.tokenFile, path.join(dir, 'control', 'token'));
    await assert.rejects(ControlClient.open(dir).call('list', {}), /the cluster is still starting/);
  } finally {
    await e.close();
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});
