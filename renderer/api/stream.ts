// One WebSocket to the console server for search, tail and subscription jobs. Messages are
// validated with the contract; each job gets its own id and listener. When the socket drops (the
// console server restarted, the machine slept), tails survive: they are told they are
// reconnecting, the socket is reopened with a growing delay, and each tail restarts from the
// offsets it had reached, so no record in between is missed. Subscriptions (the bundled
// cluster's events and state, live metrics) survive too: they get a RECONNECTING error (and stay
// registered), and are started again, the timeline from its last cursor, metrics with the history
// of their window (which fills the outage's gap). A search is a one-off and just reports the loss.
import {
  ServerStreamMessageSchema,
  type ClientStreamMessage,
  type ServerStreamMessage,
  type TailPosition,
} from '../../main/contract/index.ts';
import { getToken } from './token.ts';

type Listener = (m: ServerStreamMessage) => void;
type StartMessage<T = ClientStreamMessage> = T extends {
  type: 'search.start' | 'tail.start' | 'events.subscribe' | 'cluster.subscribe' | 'metrics.subscribe' | 'demo.subscribe';
}
  ? Omit<T, 'id' | 'from'>
  : never;

interface Job {
  msg: StartMessage;
  listener: Listener;
  /** Next offset per partition, for a tail: where a restarted job resumes. */
  positions: Map<number, number>;
  /** The timeline's cursor, for events.subscribe. */
  cursor: { since: number; session: string } | null;
}

/** Jobs that outlive a lost socket and are started again on the next one. */
const resumable = (job: Job) => job.msg.type !== 'search.start';

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 5000;
const LOST = 'The live connection to the console server was lost';

class StreamClient {
  #open: Promise<WebSocket> | null = null;
  #ws: WebSocket | null = null;
  #jobs = new Map<string, Job>();
  #seq = 0;
  #retry: ReturnType<typeof setTimeout> | null = null;
  #delay = FIRST_RETRY_MS;

  /** Starts a job and returns its stop function. */
  start(msg: StartMessage, listener: Listener): () => void {
    const id = `job-${++this.#seq}`;
    this.#jobs.set(id, { msg, listener, positions: new Map(), cursor: null });
    this.#send(id);
    return () => {
      this.#jobs.delete(id);
      if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify({ type: 'stop', id }));
    };
  }

  #send(id: string): void {
    this.#connect()
      .then((ws) => {
        const job = this.#jobs.get(id);
        if (!job) return;
        const from: TailPosition[] = [...job.positions].map(([partition, offset]) => ({ partition, offset }));
        if (job.msg.type === 'tail.start') ws.send(JSON.stringify({ ...job.msg, id, from }));
        else if (job.msg.type === 'events.subscribe' && job.cursor) ws.send(JSON.stringify({ ...job.msg, id, ...job.cursor }));
        else ws.send(JSON.stringify({ ...job.msg, id }));
      })
      .catch(() => {
        /* onclose reports it and schedules the next attempt */
      });
  }

  #connect(): Promise<WebSocket> {
    if (this.#open) return this.#open;
    const url = new URL('/api/stream', window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', getToken() ?? '');
    const ws = new WebSocket(url);
    this.#ws = ws;
    this.#open = new Promise((resolve, reject) => {
      ws.onopen = () => {
        this.#delay = FIRST_RETRY_MS;
        resolve(ws);
      };
      ws.onerror = () => reject(new Error(LOST));
    });
    ws.onmessage = (ev) => this.#receive(String(ev.data));
    ws.onclose = () => this.#lost(ws);
    return this.#open;
  }

  #receive(data: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(data);
    } catch {
      return;
    }
    const parsed = ServerStreamMessageSchema.safeParse(raw);
    if (!parsed.success) return;
    const m = parsed.data;
    if (m.id === null) {
      for (const j of this.#jobs.values()) j.listener(m);
      return;
    }
    const job = this.#jobs.get(m.id);
    if (!job) return;
    if (m.type === 'tail.status') for (const p of m.positions) job.positions.set(p.partition, Math.max(p.offset, job.positions.get(p.partition) ?? 0));
    if (m.type === 'events.batch') job.cursor = { since: m.next, session: m.session };
    if (m.type === 'tail.messages') {
      for (const r of m.messages) job.positions.set(r.partition, Math.max(r.offset + 1, job.positions.get(r.partition) ?? 0));
    }
    // The server ended this job (done, or an error it will not retry).
    if (m.type === 'error' || m.type === 'search.done') this.#jobs.delete(m.id);
    job.listener(m);
  }

  #lost(ws: WebSocket): void {
    if (this.#ws !== ws) return;
    this.#ws = null;
    this.#open = null;
    let kept = 0;
    for (const [id, job] of this.#jobs) {
      if (job.msg.type === 'tail.start') {
        kept++;
        const positions = [...job.positions].map(([partition, offset]) => ({ partition, offset }));
        job.listener({ type: 'tail.status', id, state: 'reconnecting', message: `${LOST}; reconnecting…`, positions });
      } else if (resumable(job)) {
        kept++;
        job.listener({ type: 'error', id, error: { code: 'RECONNECTING', message: `${LOST}; reconnecting…` } });
      } else {
        this.#jobs.delete(id);
        job.listener({ type: 'error', id, error: { code: 'DISCONNECTED', message: LOST } });
      }
    }
    if (kept > 0 && !this.#retry) {
      this.#retry = setTimeout(() => {
        this.#retry = null;
        this.#delay = Math.min(this.#delay * 2, MAX_RETRY_MS);
        for (const id of this.#jobs.keys()) this.#send(id);
      }, this.#delay);
    }
  }
}

export const stream = new StreamClient();
