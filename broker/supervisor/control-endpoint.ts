// The supervisor's local control endpoint, behind `samsa node ...` and the console's chaos
// controls: HTTP (node:http) over a Unix domain socket in the data dir (see control-files.ts),
// `POST /control/<op>` with a JSON body per main/contract/control.ts and
// `authorization: Bearer <token>`, the token being in a 0600 file next to the socket.
// Access control, in order: the socket's folder is 0700 and the socket 0600, so another account
// cannot connect at all; every request re-checks that the endpoint's files are still private and
// are still the ones it created (a loosened or swapped file gets 403 FORBIDDEN, never an answer);
// then the token (401 UNAUTHORIZED without it). Peer credentials (SO_PEERCRED) are not checked:
// Node exposes no API for them, and the permissions already restrict who can connect.
// The endpoint also locks the data dir: opening it where another supervisor answers fails, so two
// clusters never run on one data dir. It is opened before the nodes start (requests answer 503
// UNAVAILABLE until attach()) and removes its socket and token when closed.
// The control contract (zod) and the operations behind it load with the first request, so a
// supervisor that is never controlled does not carry them (decision 0033).

import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { ControlErrorCode } from '../../main/contract/control.ts';
import { ControlError } from './control-error.ts';
import { controlPaths, endpointNotPrivate, ensurePrivateDir, type ControlPaths } from './control-files.ts';
import type { NodeControl } from './node-control.ts';
import type { Cluster } from './supervisor.ts';

/**
 * The control contract's schemas (zod) and the operations behind them, loaded with the first
 * request: a supervisor nobody controls does not carry zod (~10 MB of RSS, decision 0033).
 */
const loadContract = () => Promise.all([import('../../main/contract/control.ts'), import('./node-control.ts')]);
let contractLoaded: ReturnType<typeof loadContract> | undefined;
const contract = () => (contractLoaded ??= loadContract());

const MAX_BODY = 64 * 1024;

const STATUS: Record<ControlErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INVALID_STATE: 409,
  REFUSED: 409,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

export interface ControlEndpoint {
  paths: ControlPaths;
  /** Starts answering requests for `cluster`. */
  attach(cluster: Cluster): void;
  close(): Promise<void>;
}

/** Whether something accepts connections on `socket`. */
export function answers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(socket);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function sendError(res: http.ServerResponse, code: ControlErrorCode, message: string): Promise<void> {
  const [{ ControlErrorBodySchema }] = await contract();
  const body = ControlErrorBodySchema.parse({ error: { code, message } });
  res.writeHead(STATUS[code], { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** The request body; one over MAX_BODY is drained (up to 16x, then the connection is cut) and refused. */
function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
      else if (size > 16 * MAX_BODY) req.destroy();
    });
    req.on('end', () => {
      if (size > MAX_BODY) reject(new ControlError('BAD_REQUEST', `request body over ${MAX_BODY} bytes`));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

function tokenMatches(header: string | undefined, token: Buffer): boolean {
  const m = /^Bearer (\S+)$/.exec(header ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1]);
  return given.length === token.length && timingSafeEqual(given, token);
}

export async function openControlEndpoint(dataDir: string, log: (line: string) => void = () => {}): Promise<ControlEndpoint> {
  const paths = controlPaths(dataDir);
  ensurePrivateDir(paths.dir);
  if (paths.socketDir !== paths.dir) ensurePrivateDir(paths.socketDir);
  if (await answers(paths.socket)) throw new Error(`a cluster is already running on ${paths.dataDir} (its control socket ${paths.socket} answers)`);
  if (process.platform !== 'win32') fs.rmSync(paths.socket, { force: true });

  const token = randomBytes(32).toString('base64url');
  fs.rmSync(paths.tokenFile, { force: true });
  fs.writeFileSync(paths.tokenFile, token + '\n', { mode: 0o600, flag: 'wx' });
  const tokenBytes = Buffer.from(token);

  let cluster: Cluster | null = null;
  let control: NodeControl | null = null;
  let socketIno = -1;
  let tokenIno = -1;
  let warned = false;

  /** Null when the endpoint's files are private and still the ones this endpoint made. */
  const tampered = (): string | null => {
    const why = endpointNotPrivate(paths, true);
    if (why || process.platform === 'win32') return why;
    if (fs.lstatSync(paths.socket).ino !== socketIno) return `${paths.socket} was replaced`;
    if (fs.lstatSync(paths.tokenFile).ino !== tokenIno) return `${paths.tokenFile} was replaced`;
    return null;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    // The body is read (bounded) before any answer, so no answer leaves a half-read request behind.
    const raw = await readBody(req);
    const why = tampered();
    if (why) {
      if (!warned) log(`control endpoint: refusing requests: ${why}`);
      warned = true;
      return sendError(res, 'FORBIDDEN', `refusing: ${why}`);
    }
    if (!tokenMatches(req.headers.authorization, tokenBytes)) return sendError(res, 'UNAUTHORIZED', 'missing or wrong control token');
    const [{ controlOps, isControlOp }, { NodeControl }] = await contract();
    const op = /^\/control\/([a-z]+)$/.exec(req.url ?? '')?.[1];
    if (req.method !== 'POST' || !op || !isControlOp(op)) return sendError(res, 'NOT_FOUND', `no such control operation: ${req.method} ${req.url}`);
    let json: unknown;
    try {
      json = raw.trim() === '' ? {} : JSON.parse(raw);
    } catch {
      return sendError(res, 'BAD_REQUEST', 'the request body is not JSON');
    }
    const parsed = controlOps[op].request.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return sendError(res, 'BAD_REQUEST', `${op}: ${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    if (!cluster) return sendError(res, 'UNAVAILABLE', 'the cluster is still starting');
    control ??= new NodeControl(cluster);
    const aborted = new AbortController();
    res.on('close', () => aborted.abort());
    const result = await control.run(op, parsed.data, aborted.signal);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
  };

  const server = http.createServer((req, res) => {
    handle(req, res)
      .catch((e: Error) => {
        if (res.headersSent) return void res.end();
        return sendError(res, e instanceof ControlError ? e.code : 'INTERNAL', e.message);
      })
      .catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(paths.socket, () => resolve());
  });
  if (process.platform !== 'win32') {
    fs.chmodSync(paths.socket, 0o600);
    socketIno = fs.lstatSync(paths.socket).ino;
    tokenIno = fs.lstatSync(paths.tokenFile).ino;
  }

  return {
    paths,
    attach(c) {
      cluster = c;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      // server.close() unlinks the socket; the token goes too, unless another endpoint wrote its own.
      if (fs.existsSync(paths.tokenFile) && fs.readFileSync(paths.tokenFile, 'utf8').trim() === token) fs.rmSync(paths.tokenFile);
    },
  };
}
