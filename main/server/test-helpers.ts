// Helpers for console server tests: raw HTTP requests with full control over Host and token
// headers (fetch() would not let a test forge Host), raw WebSocket handshakes and frames (to
// send what no well-behaved client library would), and a temp data dir.
import { request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert on the parsed fields
  json: () => any;
}

export function rawRequest(
  port: number,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

export interface RawSocket {
  socket: Socket;
  /** Status of the handshake answer (101 when upgraded). */
  status: number;
  /** Bytes received after the handshake, growing as they arrive. */
  received(): Buffer;
  closed: Promise<void>;
}

/** A WebSocket handshake by hand, so a test can then write any bytes it likes. */
export function rawUpgrade(port: number, path: string, headers: Record<string, string> = {}): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    let status = 0;
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.on('error', () => {});
    socket.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (status !== 0) return;
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      status = Number(/^HTTP\/1\.1 (\d{3})/.exec(buf.subarray(0, end).toString())?.[1] ?? -1);
      buf = buf.subarray(end + 4);
      resolve({ socket, status, received: () => buf, closed });
    });
    socket.once('close', () => {
      if (status === 0) reject(new Error('closed before a handshake answer'));
    });
    const lines = [
      `GET ${path} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      'Sec-WebSocket-Version: 13',
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    socket.write(lines.join('\r\n') + '\r\n\r\n');
  });
}

/** One WebSocket frame; `length` lies about the payload size when given. */
export function wsFrame(opts: { opcode: number; payload?: Buffer; fin?: boolean; rsv?: number; masked?: boolean; length?: number }): Buffer {
  const payload = opts.payload ?? Buffer.alloc(0);
  const length = opts.length ?? payload.length;
  const head = [((opts.fin ?? true) ? 0x80 : 0) | ((opts.rsv ?? 0) << 4) | opts.opcode];
  const mask = opts.masked ?? true ? 0x80 : 0;
  let ext = Buffer.alloc(0);
  if (length < 126) head.push(mask | length);
  else if (length < 65536) {
    head.push(mask | 126);
    ext = Buffer.alloc(2);
    ext.writeUInt16BE(length);
  } else {
    head.push(mask | 127);
    ext = Buffer.alloc(8);
    ext.writeBigUInt64BE(BigInt(length));
  }
  if (!(opts.masked ?? true)) return Buffer.concat([Buffer.from(head), ext, payload]);
  const key = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const masked = Buffer.from(payload.map((b, i) => b ^ key[i % 4]));
  return Buffer.concat([Buffer.from(head), ext, key, masked]);
}

/** The status code of the first close frame (opcode 8) the server sent, or null. */
export function closeCode(bytes: Buffer): number | null {
  let i = 0;
  while (i + 2 <= bytes.length) {
    const opcode = bytes[i] & 0x0f;
    let len = bytes[i + 1] & 0x7f;
    let at = i + 2;
    if (len === 126) {
      len = bytes.readUInt16BE(at);
      at += 2;
    } else if (len === 127) {
      len = Number(bytes.readBigUInt64BE(at));
      at += 8;
    }
    if (opcode === 8) return len >= 2 ? bytes.readUInt16BE(at) : 1005;
    i = at + len;
  }
  return null;
}

/** What the console server's token-bearing JSON API answered. */
export interface ApiReply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert on the parsed fields
  body: any;
}

/**
 * A raw JSON caller for `/api/clusters/<clusterId><path>` of a console server, with its token;
 * `server` is read at call time (a suite's console starts in `before`).
 */
export function clusterApi(server: () => { port: number; token: string }) {
  return async (method: string, path: string, body?: unknown, clusterId = 'local'): Promise<ApiReply> => {
    const { port, token } = server();
    const r = await rawRequest(port, `/api/clusters/${clusterId}${path}`, {
      method,
      headers: { 'x-samsa-token': token, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, body: r.json() };
  };
}
