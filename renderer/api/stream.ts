// One WebSocket to the console server for search and tail jobs. Messages are validated with
// the contract; each job gets its own id and listener.
import {
  ServerStreamMessageSchema,
  type ClientStreamMessage,
  type ServerStreamMessage,
} from '../../main/contract/index.ts';
import { getToken } from './token.ts';

type Listener = (m: ServerStreamMessage) => void;
type StartMessage<T = ClientStreamMessage> = T extends { type: 'search.start' | 'tail.start' } ? Omit<T, 'id'> : never;

class StreamClient {
  #ws: WebSocket | null = null;
  #ready: Promise<WebSocket> | null = null;
  #listeners = new Map<string, Listener>();
  #seq = 0;

  #connect(): Promise<WebSocket> {
    if (this.#ready && this.#ws && this.#ws.readyState <= WebSocket.OPEN) return this.#ready;
    const url = new URL('/api/stream', window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', getToken() ?? '');
    const ws = new WebSocket(url);
    this.#ws = ws;
    this.#ready = new Promise((resolve, reject) => {
      ws.onopen = () => resolve(ws);
      ws.onerror = () => reject(new Error('Cannot open the live connection to the console server'));
    });
    ws.onmessage = (ev) => {
      const parsed = ServerStreamMessageSchema.safeParse(JSON.parse(String(ev.data)));
      if (!parsed.success) return;
      const m = parsed.data;
      if (m.id) this.#listeners.get(m.id)?.(m);
      else for (const l of this.#listeners.values()) l(m);
    };
    ws.onclose = () => {
      for (const [id, l] of this.#listeners) l({ type: 'error', id, error: { code: 'DISCONNECTED', message: 'Live connection closed' } });
      this.#listeners.clear();
      this.#ws = null;
      this.#ready = null;
    };
    return this.#ready;
  }

  /** Starts a job and returns its stop function. */
  start(msg: StartMessage, listener: Listener): () => void {
    const id = `job-${++this.#seq}`;
    this.#listeners.set(id, listener);
    let stopped = false;
    this.#connect()
      .then((ws) => {
        if (!stopped) ws.send(JSON.stringify({ ...msg, id }));
      })
      .catch((err: Error) => listener({ type: 'error', id, error: { code: 'DISCONNECTED', message: err.message } }));
    return () => {
      stopped = true;
      this.#listeners.delete(id);
      if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify({ type: 'stop', id }));
    };
  }
}

export const stream = new StreamClient();
