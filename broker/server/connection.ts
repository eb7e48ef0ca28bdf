// One client connection: frames in, pipelined requests answered strictly in order. A malformed
// frame (negative or oversized size, garbage header, undecodable body, an API this listener does
// not serve) closes only this connection and is logged; the node keeps serving everyone else.
// Limits, as Kafka's SocketServer: every frame's size is reserved from the node's request budget
// before its payload is read (queued.max.request.bytes; the socket is not read while it does not
// fit) and given back once its response is ready; at most MAX_IN_FLIGHT requests wait per
// connection, and a client that does not read its responses stops being read (the socket's write
// buffer over its high-water mark); a connection with nothing in flight and no traffic for
// connections.max.idle.ms is closed.
// Deviation from Kafka: a frame must arrive within request.read.timeout.ms of its first byte
// (Samsa's own limit; time spent waiting for the budget does not count), else the connection
// closes: a client that trickles a frame cannot hold its reservation for long. Kafka bounds this
// only by connections.max.idle.ms, which any trickle defeats.
// With metrics on, each request's TotalTimeMs is recorded when the last byte of its response has
// been handed to the kernel: at once when the write went through (the common case), else by the
// callback of an empty write queued behind it, so the usual path costs no write callback. A
// handler's afterWrite (a Fetch lending pooled read memory) is called at the same point, and
// only when the write succeeded.
// With SASL on, every connection has its own SASL state (security/sasl-session.ts), and a
// handler that sets closeAfterResponse (a failed authentication) ends the connection once that
// answer has been written. On the broker listener: PLAIN and SCRAM, users from the metadata log
// plus the inter-broker user; on the controller listener: PLAIN as the inter-broker user only
// (docs/decisions/0017). On both, sessions last connections.max.reauth.ms (KIP-368
// re-authentication), as Kafka applies it to every SASL listener.
// Deviation from Kafka: Kafka's controller listener lets any authenticated principal in and
// checks CLUSTER_ACTION on each quorum request (Vote, BeginQuorumEpoch, EndQuorumEpoch,
// FetchSnapshot, AlterPartition, BrokerRegistration, BrokerHeartbeat); here no other principal
// can log in there, so those handlers have no authorizer check of their own: a principal that
// Kafka would answer CLUSTER_AUTHORIZATION_FAILED gets SASL_AUTHENTICATION_FAILED at login.

import type net from 'node:net';
import type { Broker } from '../broker.ts';
import type { NodeMeters } from '../metrics/meters.ts';
import { CloseConnection, dispatch, type Dispatched, type Listener } from './dispatch.ts';
import { FrameReader } from './frame-reader.ts';
import type { RequestBudget } from './request-budget.ts';
import { metadataCredentials } from '../security/credentials.ts';
import { interBrokerOnly, SASL_MECHANISMS, SaslSession } from '../security/sasl-session.ts';

const MAX_IN_FLIGHT = 128;
const FETCH = 1;
const EMPTY = Buffer.alloc(0);
/** How long a SCRAM user's login waits for a restarted node to replay the metadata log. */
const CATCH_UP_MS = 3000;

export interface ConnectionLimits {
  budget: RequestBudget;
  socketRequestMaxBytes: number;
  connectionsMaxIdleMs: number;
  requestReadTimeoutMs: number;
}

interface InFlight extends Dispatched {
  /** Budget bytes this request holds until its response is ready. */
  reserved: number;
}

export function serveConnection(
  socket: net.Socket,
  broker: Broker,
  listener: Listener,
  limits: ConnectionLimits,
  log: (msg: string) => void,
  meters?: NodeMeters,
): void {
  socket.setNoDelay(true);
  const peer = `${socket.remoteAddress}:${socket.remotePort}`;
  const { budget } = limits;
  const frames = new FrameReader(limits.socketRequestMaxBytes, (n) => budget.tryReserve(n));
  const queue: InFlight[] = [];
  // Metered responses still in the socket's buffer, oldest first: write callbacks run in order.
  const written: Dispatched[] = [];
  const timed = (d: Dispatched | undefined) => d?.meter?.totalTimeMs.observe(performance.now() - d.started);
  const onWritten = (err?: Error | null) => {
    const d = written.shift();
    timed(d);
    if (!err) d?.ctx?.afterWrite?.();
  };
  let writing = false;
  let closed = false;
  let cancelWait: (() => void) | undefined;
  let readTimer: NodeJS.Timeout | undefined;
  let awaitingDrain = false;
  // Frames read but not yet dispatched (each holds its reservation), and Fetches dispatched
  // whose responses are not yet written.
  const waiting: Buffer[] = [];
  let fetches = 0;
  const { sasl } = broker.config;
  const quorum = broker.quorum;
  let session: SaslSession | undefined;
  if (sasl && quorum) {
    const reauthMs = broker.config.connectionsMaxReauthMs;
    session =
      listener === 'broker'
        ? new SaslSession(metadataCredentials(quorum.state, sasl.interBrokerPassword, () => quorum.waitCaughtUp(CATCH_UP_MS)), SASL_MECHANISMS, reauthMs, meters)
        : new SaslSession(interBrokerOnly(sasl.interBrokerPassword), ['PLAIN'], reauthMs, meters);
  }

  const close = (why: string) => {
    if (closed) return;
    closed = true;
    log(`closing connection from ${peer}: ${why}`);
    socket.destroy();
  };

  const releaseOf = (d: InFlight) => {
    budget.release(d.reserved);
    d.reserved = 0;
  };

  // Reading stops while the budget refuses the next frame, read frames wait to be dispatched,
  // or the client does not read its responses; it resumes when none of these holds.
  const updateReading = () => {
    if (closed) return;
    const hold = frames.blocked || waiting.length > 0 || awaitingDrain;
    if (hold && !socket.isPaused()) socket.pause();
    else if (!hold && socket.isPaused()) socket.resume();
  };

  // The clock of the frame being read runs only while this connection may read it. A frame
  // done with the next one under way (pipelining: the usual case) restarts the same timer.
  const updateReadTimer = (frameDone: boolean) => {
    if (frames.blocked || !frames.midFrame) {
      clearTimeout(readTimer);
      readTimer = undefined;
    } else if (frameDone && readTimer) readTimer.refresh();
    if (!readTimer && frames.midFrame && !frames.blocked) {
      readTimer = setTimeout(
        () => close(`a frame took over request.read.timeout.ms (${limits.requestReadTimeoutMs} ms) to arrive (${frames.pending} bytes so far)`),
        limits.requestReadTimeoutMs,
      );
      readTimer.unref();
    }
  };

  // Dispatches waiting frames in order while fewer than MAX_IN_FLIGHT wait for their answers,
  // the socket is not backed up and no Fetch is in flight: a Fetch's answer can be megabytes,
  // so a connection holds one at a time (Kafka handles one request per connection at a time).
  const pump = () => {
    while (waiting.length && !closed && queue.length < MAX_IN_FLIGHT && !awaitingDrain && fetches === 0) {
      const frame = waiting.shift()!;
      let d: InFlight;
      try {
        d = { ...dispatch(frame, broker, socket.remoteAddress ?? '', listener, meters, session), reserved: frame.length };
      } catch (e) {
        budget.release(frame.length);
        close(e instanceof CloseConnection ? e.message : `${(e as Error).name}: ${(e as Error).message}`);
        return;
      }
      if (d.apiKey === FETCH) fetches++;
      // The request's memory goes back as soon as its answer is ready, not once it is sent; a
      // failure is surfaced in drain, in order.
      const release = () => releaseOf(d);
      d.response.then(release, release);
      queue.push(d);
    }
    updateReading();
  };

  // Responses leave in request order, whatever order handlers finish in.
  const drain = async () => {
    if (writing) return;
    writing = true;
    while (queue.length && !closed) {
      let chunks: Buffer[] | null;
      try {
        chunks = await queue[0].response;
      } catch (e) {
        close(`handler failed: ${(e as Error).stack ?? e}`);
        break;
      }
      const d = queue.shift()!;
      releaseOf(d);
      if (d.apiKey === FETCH) fetches--;
      if (chunks && !closed) {
        socket.cork();
        for (const c of chunks) socket.write(c);
        socket.uncork();
        if (d.meter || d.ctx?.afterWrite) {
          if (socket.writableLength === 0) {
            timed(d);
            d.ctx?.afterWrite?.();
          } else {
            written.push(d);
            socket.write(EMPTY, onWritten);
          }
        }
        if (socket.writableNeedDrain && !awaitingDrain) {
          awaitingDrain = true;
          socket.once('drain', () => {
            awaitingDrain = false;
            pump();
            void drain();
          });
        }
      } else timed(d); // acks=0: no response to send
      if (d.ctx?.closeAfterResponse && !closed) {
        closed = true;
        log(`closing connection from ${peer} after its answer to API ${d.apiKey}`);
        socket.end();
        break;
      }
      pump();
    }
    writing = false;
  };

  const read = (next: () => Buffer[]) => {
    if (closed) return;
    let ready: Buffer[];
    try {
      ready = next();
    } catch (e) {
      close(`${(e as Error).name}: ${(e as Error).message}`);
      return;
    }
    for (const f of ready) waiting.push(f);
    updateReadTimer(ready.length > 0);
    if (frames.blocked && !cancelWait) {
      cancelWait = budget.wait(() => {
        cancelWait = undefined;
        read(() => frames.resume());
      });
    }
    pump();
    void drain();
  };

  socket.on('data', (data: Buffer) => read(() => frames.push(data)));
  socket.setTimeout(limits.connectionsMaxIdleMs);
  socket.on('timeout', () => {
    // Idle is only idle with nothing in flight and no frame under way (the read timer owns those).
    if (queue.length === 0 && waiting.length === 0 && !frames.midFrame)
      close(`idle for connections.max.idle.ms (${limits.connectionsMaxIdleMs} ms)`);
    else socket.setTimeout(limits.connectionsMaxIdleMs);
  });
  socket.on('end', () => {
    if (frames.pending > 0) log(`connection from ${peer} ended inside a frame (${frames.pending} bytes): truncated`);
  });
  socket.on('error', () => socket.destroy());
  socket.on('close', () => {
    closed = true;
    clearTimeout(readTimer);
    cancelWait?.();
    budget.release(frames.dispose());
    for (const f of waiting.splice(0)) budget.release(f.length);
    // Requests still being handled give their bytes back when their handlers finish (above).
  });
}
