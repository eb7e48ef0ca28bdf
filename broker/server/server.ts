// The node's Kafka listener: many connections, each with pipelined requests answered strictly
// in order. A malformed frame (negative or oversized size, garbage header, undecodable body,
// unknown API) closes only that connection and is logged; the node keeps serving everyone else.
// With metrics on, connections are counted and each request's TotalTimeMs is recorded when the
// last byte of its response has been handed to the kernel: at once when the write went through
// (the common case), else by the callback of an empty write queued behind it, so the usual path
// costs no write callback.
// With SASL on (--sasl-inter-broker-password-file) every connection gets its own SASL state
// (security/sasl-session.ts), and a handler that sets closeAfterResponse (a failed
// authentication) ends the connection once that answer has been written.

import net from 'node:net';
import type { Broker } from '../broker.ts';
import type { NodeMeters } from '../metrics/meters.ts';
import { CloseConnection, dispatch, type Dispatched } from './dispatch.ts';
import { FrameReader } from './frame-reader.ts';
import { metadataCredentials } from '../security/credentials.ts';
import { SaslSession } from '../security/sasl-session.ts';

const MAX_IN_FLIGHT = 128;
const EMPTY = Buffer.alloc(0);

export interface KafkaServer {
  server: net.Server;
  close(): Promise<void>;
}

export function startKafkaServer(broker: Broker, log: (msg: string) => void, meters?: NodeMeters): Promise<KafkaServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    if (meters) meters.connectionsCreated++;
    socket.on('close', () => {
      sockets.delete(socket);
      if (meters) meters.connectionsClosed++;
    });
    serveConnection(socket, broker, log, meters);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(broker.config.port, broker.config.host, () => {
      server.off('error', reject);
      resolve({
        server,
        close: () =>
          new Promise<void>((res) => {
            for (const s of sockets) s.destroy();
            server.close(() => res());
          }),
      });
    });
  });
}

function serveConnection(socket: net.Socket, broker: Broker, log: (msg: string) => void, meters?: NodeMeters): void {
  socket.setNoDelay(true);
  const peer = `${socket.remoteAddress}:${socket.remotePort}`;
  const frames = new FrameReader(broker.config.socketRequestMaxBytes);
  const queue: Dispatched[] = [];
  // Metered responses still in the socket's buffer, oldest first: write callbacks run in order.
  const written: Dispatched[] = [];
  const timed = (d: Dispatched | undefined) => d?.meter?.totalTimeMs.observe(performance.now() - d.started);
  const onWritten = () => timed(written.shift());
  let writing = false;
  let closed = false;
  const { sasl } = broker.config;
  const quorum = broker.quorum;
  const session = sasl && quorum ? new SaslSession(metadataCredentials(quorum.state, sasl.interBrokerPassword)) : undefined;

  const close = (why: string) => {
    if (closed) return;
    closed = true;
    log(`closing connection from ${peer}: ${why}`);
    socket.destroy();
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
      if (chunks && !closed) {
        socket.cork();
        for (const c of chunks) socket.write(c);
        socket.uncork();
        if (d.meter) {
          if (socket.writableLength === 0) timed(d);
          else {
            written.push(d);
            socket.write(EMPTY, onWritten);
          }
        }
      } else timed(d); // acks=0: no response to send
      if (d.ctx?.closeAfterResponse && !closed) {
        closed = true;
        log(`closing connection from ${peer} after its answer to API ${d.apiKey}`);
        socket.end();
        break;
      }
      if (socket.isPaused() && queue.length < MAX_IN_FLIGHT / 2) socket.resume();
    }
    writing = false;
  };

  socket.on('data', (data: Buffer) => {
    if (closed) return;
    try {
      for (const frame of frames.push(data)) {
        const d = dispatch(frame, broker, socket.remoteAddress ?? '', meters, session);
        d.response.catch(() => {}); // surfaced in drain, in order
        queue.push(d);
      }
    } catch (e) {
      close(e instanceof CloseConnection ? e.message : `${(e as Error).name}: ${(e as Error).message}`);
      return;
    }
    if (queue.length >= MAX_IN_FLIGHT) socket.pause();
    void drain();
  });
  socket.on('end', () => {
    if (frames.pending > 0) log(`connection from ${peer} ended inside a frame (${frames.pending} bytes): truncated`);
  });
  socket.on('error', () => socket.destroy());
}
