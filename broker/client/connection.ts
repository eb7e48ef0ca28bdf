// A minimal Kafka protocol client over our own codec: one TCP connection, pipelined requests
// matched by correlation id. Used where the broker itself speaks Kafka as a client (readiness
// checks, follower fetches, the quorum) and by tests that need exact bytes on the wire.
// A connection that logged in itself (`auth`) re-authenticates when the broker gave its session a
// lifetime (KIP-368, connections.max.reauth.ms): the first request after 85% of it (at least a
// second, the broker's minimum between re-authentications, for lifetimes that allow it) waits for a
// new SaslHandshake + SaslAuthenticate on the same connection (as Kafka's clients, which pick a
// point between 85% and 95%). Requests already in flight are answered first (the broker answers
// in order). A connection authenticated by hand (tests sending the SASL requests themselves)
// never does.

import net from 'node:net';
import { nodeTls } from '../lazy-builtins.ts';
import { skipHeaderTags } from '../protocol/header.ts';
import { Reader } from '../protocol/reader.ts';
import { decode, type ApiSchema, type DecodedResponseOf, type RequestOutOf } from '../protocol/schema.ts';
import { SaslAuthenticate } from '../protocol/messages/sasl-authenticate.ts';
import { SaslHandshake } from '../protocol/messages/sasl-handshake.ts';
import { FrameReader } from '../server/frame-reader.ts';
import { requestFrameChunks } from './request-frame.ts';

/** SASL/PLAIN credentials for a SASL_PLAINTEXT listener. */
export interface PlainAuth {
  user: string;
  password: string;
}

/** TLS to an SSL / SASL_SSL listener: the CA to trust (PEM), and a client certificate for
 *  listeners that require one (ssl.client.auth=required). The server's name is verified. */
export interface ClientTls {
  ca: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
}

interface Pending {
  resolve: (frame: Buffer) => void;
  reject: (e: Error) => void;
}

export class KafkaConnection {
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private frames = new FrameReader(1 << 30, undefined, 'whole');
  private closedError: Error | null = null;
  /** Set once this connection logged in itself: its credentials and when to renew the session. */
  private login: { auth: PlainAuth; timeoutMs: number; renewAt: number } | null = null;
  private renewing: Promise<void> | null = null;

  private constructor(
    private readonly socket: net.Socket,
    private readonly clientId: string,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => {
      for (const f of this.frames.push(d)) {
        const id = f.readInt32BE(0);
        const p = this.pending.get(id);
        if (p) {
          this.pending.delete(id);
          p.resolve(f);
        }
      }
    });
    const fail = (e: Error) => {
      this.closedError = e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
  }

  /** With `auth`, the connection is authenticated (SASL/PLAIN) before it is handed out; with
   *  `tls`, it is TLS first (the handshake within timeoutMs). */
  static async connect(
    host: string,
    port: number,
    clientId = 'samsa',
    timeoutMs = 5000,
    auth?: PlainAuth,
    tlsOpts?: ClientTls,
  ): Promise<KafkaConnection> {
    const c = await KafkaConnection.open(host, port, clientId, timeoutMs, tlsOpts);
    if (!auth) return c;
    try {
      await c.authenticatePlain(auth, timeoutMs);
      return c;
    } catch (e) {
      c.close();
      throw e;
    }
  }

  private async authenticatePlain(auth: PlainAuth, timeoutMs: number): Promise<void> {
    const hs = await this.exchange(SaslHandshake, 1, { mechanism: 'PLAIN' }, timeoutMs);
    if (hs.errorCode !== 0) throw new Error(`SaslHandshake PLAIN refused (error ${hs.errorCode})`);
    const token = Buffer.from(`\0${auth.user}\0${auth.password}`, 'utf8');
    const res = await this.exchange(SaslAuthenticate, 1, { authBytes: token }, timeoutMs);
    if (res.errorCode !== 0) throw new Error(`SASL/PLAIN authentication as ${auth.user} failed: ${res.errorMessage ?? res.errorCode}`);
    const lifetime = Number(res.sessionLifetimeMs);
    // Not before a second has passed: the broker refuses a second re-authentication within one.
    this.login = { auth, timeoutMs, renewAt: lifetime > 0 ? Date.now() + Math.max(lifetime * 0.85, Math.min(lifetime, 1000)) : Infinity };
  }

  /** Waits for a re-authentication when the session is due for one (see the header). */
  private async renewed(): Promise<void> {
    if (!this.renewing && this.login && Date.now() >= this.login.renewAt) {
      const { auth, timeoutMs } = this.login;
      this.renewing = this.authenticatePlain(auth, timeoutMs).finally(() => (this.renewing = null));
    }
    // A failed re-authentication fails the requests that waited; the broker closes the connection.
    if (this.renewing) await this.renewing;
  }

  private static open(host: string, port: number, clientId: string, timeoutMs: number, t?: ClientTls): Promise<KafkaConnection> {
    return new Promise((resolve, reject) => {
      const bare = host.replace(/^\[|\]$/g, '');
      // SNI takes host names only; an address is still checked against the certificate's IP SANs.
      const socket = t
        ? nodeTls().connect({ host: bare, port, ca: t.ca, cert: t.cert, key: t.key, servername: net.isIP(bare) ? undefined : bare })
        : net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${host}:${port} timed out`));
      }, timeoutMs);
      socket.once(t ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        resolve(new KafkaConnection(socket, clientId));
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  get closed(): boolean {
    return this.closedError !== null;
  }

  /** Sends one request and resolves with the decoded response. */
  async request<A extends ApiSchema>(
    schema: A,
    version: number,
    body: RequestOutOf<A>,
    timeoutMs = 30000,
  ): Promise<DecodedResponseOf<A>> {
    await this.renewed();
    return this.exchange(schema, version, body, timeoutMs);
  }

  private async exchange<A extends ApiSchema>(schema: A, version: number, body: RequestOutOf<A>, timeoutMs: number): Promise<DecodedResponseOf<A>> {
    const frame = await this.write(this.encodeRequest(schema, version, body), timeoutMs);
    const r = new Reader(frame, 4);
    const flexibleHeader = version >= schema.flexibleFrom && schema.key !== 18;
    if (flexibleHeader) skipHeaderTags(r);
    return decode(schema.response, version, r) as DecodedResponseOf<A>;
  }

  encodeRequest<A extends ApiSchema>(schema: A, version: number, body: RequestOutOf<A>): { id: number; chunks: Buffer[] } {
    const id = this.nextId++;
    return { id, chunks: requestFrameChunks(schema, version, body, id, this.clientId) };
  }

  /** Sends raw request chunks and resolves with the raw response frame (without its size). */
  async send(req: { id: number; chunks: Buffer[] }, timeoutMs = 30000): Promise<Buffer> {
    await this.renewed();
    return this.write(req, timeoutMs);
  }

  private write(req: { id: number; chunks: Buffer[] }, timeoutMs: number): Promise<Buffer> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(req.id);
        reject(new Error(`request ${req.id} timed out`));
      }, timeoutMs);
      this.pending.set(req.id, {
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.socket.cork();
      for (const c of req.chunks) this.socket.write(c);
      this.socket.uncork();
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
