// WebSocket streams: server-side search with progress, live tail, the bundled cluster's live
// views (events.subscribe, cluster.subscribe, demo.subscribe) and live metrics. Every client message is
// parsed with the contract; every job is cancelled when its socket closes.
// Robustness: a peer can send anything (an unmasked frame, a reserved opcode, a message over
// the size limit, half a frame and a reset). `ws` reports those as an 'error' event on the
// socket, which would end the process if nobody listened: every socket gets a listener, the
// connection is dropped, and nothing else is touched. Sockets and jobs per socket are capped.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ClientStreamMessageSchema, type ServerStreamMessage } from '../contract/index.ts';
import { ConsoleError } from '../kafka/errors.ts';
import { search } from '../kafka/search.ts';
import { tail } from '../kafka/tail.ts';
import { streamClusterState } from './cluster-control.ts';
import { bundledOf, unavailableReason } from './cluster-control-routes.ts';
import type { ServerContext } from './context.ts';
import { streamEvents } from './events.ts';
import { streamDemoStats } from './failover-demo.ts';
import { errorReply, type Log } from './error-reply.ts';
import { streamMetrics } from './metrics.ts';
import { formatZodError } from './validation.ts';

export const STREAM_LIMITS = {
  /** Open stream sockets at once (a console tab uses one). */
  sockets: 32,
  /** Running jobs (searches, tails) per socket. */
  jobsPerSocket: 8,
  /** Largest client message; client messages are small JSON commands. */
  maxPayload: 64 * 1024,
};

export class StreamServer {
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: STREAM_LIMITS.maxPayload });

  constructor(
    private readonly ctx: ServerContext,
    private readonly log: Log,
  ) {}

  get openSockets(): number {
    return this.#wss.clients.size;
  }

  /** Completes an upgrade the caller has already authorised; refuses it when full. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.#wss.clients.size >= STREAM_LIMITS.sockets) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#serve(ws));
  }

  close(): void {
    for (const c of this.#wss.clients) c.terminate();
    this.#wss.close();
  }

  #serve(ws: WebSocket): void {
    const jobs = new Map<string, AbortController>();
    const send = (m: ServerStreamMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
    };
    const fail = (id: string | null, err: unknown) => send({ type: 'error', id, error: errorReply(err, this.log).body.error });

    ws.on('error', (err) => {
      // ws has already answered with a close frame (1002, 1009 ...) where it still could.
      this.log(`stream socket dropped: ${err.message}`);
      ws.terminate();
    });
    ws.on('message', (data, isBinary) => {
      try {
        this.#onMessage(data.toString(), isBinary, jobs, send, fail);
      } catch (err) {
        fail(null, err);
      }
    });
    ws.on('close', () => {
      for (const ac of jobs.values()) ac.abort();
      jobs.clear();
    });
  }

  #onMessage(
    text: string,
    isBinary: boolean,
    jobs: Map<string, AbortController>,
    send: (m: ServerStreamMessage) => void,
    fail: (id: string | null, err: unknown) => void,
  ): void {
    let raw: unknown;
    try {
      if (isBinary) throw new Error('binary');
      raw = JSON.parse(text);
    } catch {
      return send({ type: 'error', id: null, error: { code: 'BAD_REQUEST', message: 'Message is not valid JSON text' } });
    }
    const parsed = ClientStreamMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const id = typeof (raw as { id?: unknown } | null)?.id === 'string' ? (raw as { id: string }).id.slice(0, 64) : null;
      return send({ type: 'error', id, error: { code: 'BAD_REQUEST', message: formatZodError(parsed.error) } });
    }
    const msg = parsed.data;
    if (msg.type === 'stop') {
      jobs.get(msg.id)?.abort();
      jobs.delete(msg.id);
      return;
    }
    if (jobs.has(msg.id)) return send({ type: 'error', id: msg.id, error: { code: 'BAD_REQUEST', message: `Job ${msg.id} is already running` } });
    if (jobs.size >= STREAM_LIMITS.jobsPerSocket) {
      const message = `At most ${STREAM_LIMITS.jobsPerSocket} streams per connection`;
      return send({ type: 'error', id: msg.id, error: { code: 'TOO_MANY_STREAMS', message } });
    }
    const ac = new AbortController();
    jobs.set(msg.id, ac);
    const done = () => {
      if (jobs.get(msg.id) === ac) jobs.delete(msg.id);
    };
    let work: Promise<void>;
    try {
      if (msg.type === 'metrics.subscribe') {
        work = streamMetrics(this.ctx, msg, ac.signal, send);
      } else if (msg.type === 'events.subscribe') {
        const bundled = bundledOf(this.ctx, msg.clusterId);
        if (!bundled) throw new ConsoleError('NOT_AVAILABLE', unavailableReason(this.ctx, msg.clusterId), 404);
        work = streamEvents(bundled.events, msg, ac.signal, (b) => send({ type: 'events.batch', id: msg.id, ...b }));
      } else if (msg.type === 'cluster.subscribe') {
        const bundled = bundledOf(this.ctx, msg.clusterId);
        if (!bundled) throw new ConsoleError('NOT_AVAILABLE', unavailableReason(this.ctx, msg.clusterId), 404);
        work = streamClusterState(bundled, ac.signal, (state) => send({ type: 'cluster.state', id: msg.id, state }));
      } else if (msg.type === 'demo.subscribe') {
        const bundled = bundledOf(this.ctx, msg.clusterId);
        if (!bundled || !this.ctx.failoverDemo) throw new ConsoleError('NOT_AVAILABLE', unavailableReason(this.ctx, msg.clusterId), 404);
        work = streamDemoStats(this.ctx.failoverDemo, ac.signal, (stats) => send({ type: 'demo.stats', id: msg.id, stats }));
      } else if (msg.type === 'search.start') {
        work = search(this.ctx.registry.connection(msg.clusterId), {
          topic: msg.topic,
          partition: msg.partition,
          query: msg.query,
          caseSensitive: msg.caseSensitive,
          limit: msg.limit,
          signal: ac.signal,
          onProgress: (p) => send({ type: 'search.progress', id: msg.id, ...p }),
          onMatches: (messages) => send({ type: 'search.match', id: msg.id, messages }),
        }).then((r) => send({ type: 'search.done', id: msg.id, ...r }));
      } else {
        work = tail(this.ctx.registry.connection(msg.clusterId), {
          topic: msg.topic,
          partition: msg.partition,
          from: msg.from,
          signal: ac.signal,
          onMessages: (messages) => send({ type: 'tail.messages', id: msg.id, messages }),
          onStatus: (s) => send({ type: 'tail.status', id: msg.id, ...s }),
        });
      }
    } catch (err) {
      work = Promise.reject(err);
    }
    work
      .catch((err) => fail(msg.id, err))
      .finally(done)
      .catch((err) => this.log(`stream job ${msg.id}: ${(err as Error).message}`));
  }
}
