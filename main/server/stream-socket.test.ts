// The stream socket against hostile bytes: the raw frames the console-security acceptance check
// sends (an unmasked client frame), and more (over-size message, reserved opcode, RSV bits,
// invalid UTF-8, fragmented control frame, resets mid-frame and mid-handshake). Each is dropped
// with the right close code, and afterwards the server still answers HTTP and a fresh
// WebSocket. Connection and job caps hold. An unhandled 'error' would end this test process.
import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { ClusterRegistry } from '../kafka/cluster-registry.ts';
import { startConsoleServer, type ConsoleServer } from './console-server.ts';
import { STREAM_LIMITS } from './streams.ts';
import { closeCode, rawRequest, rawUpgrade, tempDir, wsFrame } from './test-helpers.ts';

const until = async (what: string, pred: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('stream socket robustness', () => {
  let server: ConsoleServer;
  let registry: ClusterRegistry;
  // A "Kafka" that accepts connections and never answers: stream jobs stay running.
  let blackhole: Server;
  const held: Socket[] = [];
  const logs: string[] = [];
  const path = () => `/api/stream?token=${encodeURIComponent(server.token)}`;

  before(async () => {
    blackhole = createServer((s) => {
      held.push(s);
      s.on('error', () => {});
    });
    await new Promise<void>((r) => blackhole.listen(0, '127.0.0.1', () => r()));
    const port = (blackhole.address() as { port: number }).port;
    registry = new ClusterRegistry({ appDataDir: tempDir('samsa-stream-'), bundledBootstrap: [`127.0.0.1:${port}`] });
    server = await startConsoleServer({ registry, staticDir: null, log: (l) => logs.push(l) });
  });
  after(async () => {
    await server.close();
    await registry.close();
    for (const s of held) s.destroy();
    await new Promise<void>((r) => blackhole.close(() => r()));
  });

  /** The console still serves HTTP and a well-behaved WebSocket after whatever came before. */
  const assertAlive = async () => {
    const r = await rawRequest(server.port, '/api/session', { headers: { 'x-samsa-token': server.token } });
    assert.equal(r.status, 200);
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path()}`);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const reply = new Promise<{ type: string; error: { code: string } }>((r) => ws.once('message', (d) => r(JSON.parse(d.toString()))));
    ws.send('not json');
    assert.equal((await reply).error.code, 'BAD_REQUEST');
    ws.close();
  };

  const hostile: { name: string; bytes: Buffer; code: number }[] = [
    // Exactly what /work/shared/acceptance/console-security writes: FIN+text, length 2, no mask.
    { name: 'unmasked client frame (acceptance check)', bytes: Buffer.from([0x81, 0x02, 0x68, 0x69]), code: 1002 },
    { name: 'unmasked binary frame', bytes: wsFrame({ opcode: 2, payload: Buffer.from('abc'), masked: false }), code: 1002 },
    { name: 'message over the size limit', bytes: wsFrame({ opcode: 1, length: STREAM_LIMITS.maxPayload + 1 }), code: 1009 },
    { name: 'huge 64-bit length', bytes: wsFrame({ opcode: 1, length: 2 ** 40 }), code: 1009 },
    { name: 'reserved opcode 3', bytes: wsFrame({ opcode: 3, payload: Buffer.from('x') }), code: 1002 },
    { name: 'reserved control opcode 0xb', bytes: wsFrame({ opcode: 0xb }), code: 1002 },
    { name: 'RSV1 without a negotiated extension', bytes: wsFrame({ opcode: 1, rsv: 4, payload: Buffer.from('{}') }), code: 1002 },
    { name: 'invalid UTF-8 in a text frame', bytes: wsFrame({ opcode: 1, payload: Buffer.from([0xc3, 0x28]) }), code: 1007 },
    { name: 'fragmented ping', bytes: wsFrame({ opcode: 9, fin: false }), code: 1002 },
    { name: 'continuation without a first fragment', bytes: wsFrame({ opcode: 0, payload: Buffer.from('x') }), code: 1002 },
    { name: 'close frame with an invalid code', bytes: wsFrame({ opcode: 8, payload: Buffer.from([0x03, 0xe7]) }), code: 1002 },
  ];

  for (const h of hostile) {
    test(`${h.name}: dropped with close code ${h.code}, nothing else touched`, async () => {
      const logged = logs.length;
      const raw = await rawUpgrade(server.port, path());
      assert.equal(raw.status, 101);
      raw.socket.write(h.bytes);
      await raw.closed;
      assert.equal(closeCode(raw.received()), h.code);
      await until('the drop to be handled and logged', () => logs.slice(logged).some((l) => l.startsWith('stream socket dropped:')));
      await assertAlive();
    });
  }

  test('abrupt ends: mid-handshake, mid-frame, and with a job running', async () => {
    const half = await rawUpgrade(server.port, path());
    half.socket.write(wsFrame({ opcode: 1, payload: Buffer.from('{"type":"tail.start"') }).subarray(0, 9));
    half.socket.resetAndDestroy();

    const early = connect(server.port, '127.0.0.1');
    early.on('error', () => {});
    await new Promise((r) => early.once('connect', r));
    early.write(`GET ${path()} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUpgrade: websocket\r\nConn`);
    early.resetAndDestroy();

    const busy = await rawUpgrade(server.port, path());
    const start = { type: 'tail.start', id: 't1', clusterId: 'local', topic: 'x' };
    busy.socket.write(wsFrame({ opcode: 1, payload: Buffer.from(JSON.stringify(start)) }));
    await new Promise((r) => setTimeout(r, 100));
    busy.socket.resetAndDestroy();
    await busy.closed;
    await assertAlive();
  });

  test('binary and non-JSON messages get an error reply and the socket stays open', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path()}`);
    await new Promise((r) => ws.once('open', r));
    const replies: { type: string; id: string | null; error: { code: string } }[] = [];
    ws.on('message', (d) => replies.push(JSON.parse(d.toString())));
    ws.send(Buffer.from([1, 2, 3]));
    ws.send('{"type":"nope"}');
    ws.send('null');
    await until('three replies', () => replies.length === 3);
    assert.deepEqual(
      replies.map((r) => [r.type, r.error.code]),
      [
        ['error', 'BAD_REQUEST'],
        ['error', 'BAD_REQUEST'],
        ['error', 'BAD_REQUEST'],
      ],
    );
    assert.equal(ws.readyState, WebSocket.OPEN);
    ws.close();
  });

  test('metrics.subscribe: a view without its topic is refused by the contract; a valid one starts with its history', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path()}`);
    await new Promise((r) => ws.once('open', r));
    const replies: { type: string; id: string | null; source?: string; t?: number[]; error?: { code: string; message: string } }[] = [];
    ws.on('message', (d) => replies.push(JSON.parse(d.toString())));
    ws.send(JSON.stringify({ type: 'metrics.subscribe', id: 'm1', clusterId: 'local', view: 'topic' }));
    ws.send(JSON.stringify({ type: 'metrics.subscribe', id: 'm2', clusterId: 'local', view: 'overview', window: '2h' }));
    ws.send(JSON.stringify({ type: 'metrics.subscribe', id: 'm3', clusterId: 'nope', view: 'overview' }));
    ws.send(JSON.stringify({ type: 'metrics.subscribe', id: 'm4', clusterId: 'local', view: 'overview', window: '1m' }));
    await until('four replies', () => replies.length >= 4);
    const byId = (id: string) => replies.find((r) => r.id === id);
    assert.equal(byId('m1')?.error?.code, 'BAD_REQUEST');
    assert.match(byId('m1')!.error!.message, /topic view needs a topic/);
    assert.equal(byId('m2')?.error?.code, 'BAD_REQUEST');
    assert.equal(byId('m3')?.error?.code, 'NOT_FOUND');
    // The bundled "cluster" here has no metrics endpoints: it is read over Kafka requests.
    assert.equal(byId('m4')?.type, 'metrics.history');
    assert.equal(byId('m4')?.source, 'kafka-api');
    assert.ok(Array.isArray(byId('m4')?.t));
    ws.close();
  });

  test(`at most ${STREAM_LIMITS.jobsPerSocket} running jobs per socket`, async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path()}`);
    await new Promise((r) => ws.once('open', r));
    const replies: { type: string; id: string; error: { code: string } }[] = [];
    ws.on('message', (d) => replies.push(JSON.parse(d.toString())));
    for (let i = 0; i <= STREAM_LIMITS.jobsPerSocket; i++) {
      ws.send(JSON.stringify({ type: 'tail.start', id: `j${i}`, clusterId: 'local', topic: 'x' }));
    }
    await until('the refusal', () => replies.some((r) => r.error?.code === 'TOO_MANY_STREAMS'));
    assert.deepEqual(
      replies.filter((r) => r.error?.code === 'TOO_MANY_STREAMS').map((r) => r.id),
      [`j${STREAM_LIMITS.jobsPerSocket}`],
    );
    ws.send(JSON.stringify({ type: 'stop', id: 'j0' }));
    ws.send(JSON.stringify({ type: 'tail.start', id: 'again', clusterId: 'local', topic: 'x' }));
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(!replies.some((r) => r.id === 'again'), 'a stopped job frees its slot');
    ws.close();
  });

  test(`at most ${STREAM_LIMITS.sockets} stream sockets; a closed one frees its place`, async () => {
    const open: WebSocket[] = [];
    try {
      // Sockets of earlier tests may still be closing: retry a refused one for a while.
      for (let i = 0, tries = 0; i < STREAM_LIMITS.sockets; ) {
        const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path()}`);
        const ok = await new Promise<boolean>((resolve) => {
          ws.once('open', () => resolve(true));
          ws.once('error', () => resolve(false));
        });
        if (ok) {
          open.push(ws);
          i++;
        } else if (++tries > 100) throw new Error('stream sockets refused below the cap');
        else await new Promise((r) => setTimeout(r, 20));
      }
      const extra = await rawUpgrade(server.port, path());
      assert.equal(extra.status, 503);
      const closing = open.pop()!;
      const gone = new Promise((r) => closing.once('close', r));
      closing.close();
      await gone;
      let status = 0;
      for (let i = 0; i < 50 && status !== 101; i++) {
        const again = await rawUpgrade(server.port, path());
        status = again.status;
        again.socket.destroy();
        if (status !== 101) await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(status, 101);
    } finally {
      for (const ws of open) ws.terminate();
    }
  });

  test('the upgrade needs the token, the own origin and the stream path', async () => {
    const cases: [string, Record<string, string>, number][] = [
      ['/api/stream', {}, 401],
      [path(), { Origin: 'http://127.0.0.1:8888' }, 403],
      [path(), { Origin: `http://localhost:${server.port}` }, 403],
      [path(), { 'Sec-Fetch-Site': 'same-site' }, 403],
      [`/api/other?token=${encodeURIComponent(server.token)}`, {}, 404],
      [path(), { Origin: `http://127.0.0.1:${server.port}` }, 101],
    ];
    for (const [p, headers, status] of cases) {
      const r = await rawUpgrade(server.port, p, headers);
      assert.equal(r.status, status, `${p} ${JSON.stringify(headers)}`);
      r.socket.destroy();
    }
    const cookieOnly = await rawUpgrade(server.port, '/api/stream', { Cookie: `samsa_token=${server.token}` });
    assert.equal(cookieOnly.status, 401);
    cookieOnly.socket.destroy();
  });

  test('each dropped socket was logged, with no stack', () => {
    const dropped = logs.filter((l) => l.startsWith('stream socket dropped:'));
    assert.ok(dropped.length >= hostile.length, logs.join('\n'));
    assert.ok(dropped.every((l) => !/\n\s+at /.test(l)));
  });
});
