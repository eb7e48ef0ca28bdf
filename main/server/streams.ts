// WebSocket streams: server-side search with progress and live tail. Every client message is
// parsed with the contract; every job is cancelled when its socket closes.
import type { WebSocket } from 'ws';
import { ClientStreamMessageSchema, type ServerStreamMessage } from '../contract/index.ts';
import { toErrorBody } from '../kafka/errors.ts';
import { search } from '../kafka/search.ts';
import { tail } from '../kafka/tail.ts';
import type { ServerContext } from './context.ts';
import { formatZodError } from './validation.ts';

const MAX_JOBS_PER_SOCKET = 8;

export function handleStreamSocket(ws: WebSocket, { registry }: ServerContext): void {
  const jobs = new Map<string, AbortController>();
  const send = (m: ServerStreamMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
  };
  const fail = (id: string | null, err: unknown) => send({ type: 'error', id, error: toErrorBody(err).body.error });

  ws.on('message', (data) => {
    let raw: unknown;
    try {
      raw = JSON.parse(data.toString());
    } catch {
      return fail(null, { code: 'BAD_REQUEST', message: 'Message is not valid JSON' });
    }
    const parsed = ClientStreamMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const id = typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : null;
      return send({ type: 'error', id, error: { code: 'BAD_REQUEST', message: formatZodError(parsed.error) } });
    }
    const msg = parsed.data;
    if (msg.type === 'stop') {
      jobs.get(msg.id)?.abort();
      jobs.delete(msg.id);
      return;
    }
    if (jobs.has(msg.id)) return send({ type: 'error', id: msg.id, error: { code: 'BAD_REQUEST', message: `Job ${msg.id} is already running` } });
    if (jobs.size >= MAX_JOBS_PER_SOCKET) {
      return send({ type: 'error', id: msg.id, error: { code: 'TOO_MANY_STREAMS', message: `At most ${MAX_JOBS_PER_SOCKET} streams per connection` } });
    }
    const ac = new AbortController();
    jobs.set(msg.id, ac);
    const done = () => {
      if (jobs.get(msg.id) === ac) jobs.delete(msg.id);
    };
    let work: Promise<void>;
    try {
      const conn = registry.connection(msg.clusterId);
      if (msg.type === 'search.start') {
        work = search(conn, {
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
        work = tail(conn, msg.topic, msg.partition, ac.signal, (messages) => send({ type: 'tail.messages', id: msg.id, messages }));
      }
    } catch (err) {
      work = Promise.reject(err);
    }
    work.catch((err) => fail(msg.id, err)).finally(done);
  });

  ws.on('close', () => {
    for (const ac of jobs.values()) ac.abort();
    jobs.clear();
  });
}
