// The node's Kafka listener: many connections, each with pipelined requests answered strictly
// in order. A malformed frame (negative or oversized size, garbage header, undecodable body,
// unknown API) closes only that connection and is logged; the node keeps serving everyone else.

import net from 'node:net';
import type { Broker } from '../broker.ts';
import { CloseConnection, dispatch } from './dispatch.ts';
import { FrameReader } from './frame-reader.ts';

const MAX_IN_FLIGHT = 128;

export interface KafkaServer {
  server: net.Server;
  close(): Promise<void>;
}

export function startKafkaServer(broker: Broker, log: (msg: string) => void): Promise<KafkaServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(socket, broker, log);
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

function serveConnection(socket: net.Socket, broker: Broker, log: (msg: string) => void): void {
  socket.setNoDelay(true);
  const peer = `${socket.remoteAddress}:${socket.remotePort}`;
  const frames = new FrameReader(broker.config.socketRequestMaxBytes);
  const queue: Promise<Buffer[] | null>[] = [];
  let writing = false;
  let closed = false;

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
        chunks = await queue[0];
      } catch (e) {
        close(`handler failed: ${(e as Error).stack ?? e}`);
        break;
      }
      queue.shift();
      if (chunks && !closed) {
        socket.cork();
        for (const c of chunks) socket.write(c);
        socket.uncork();
      }
      if (socket.isPaused() && queue.length < MAX_IN_FLIGHT / 2) socket.resume();
    }
    writing = false;
  };

  socket.on('data', (data: Buffer) => {
    if (closed) return;
    try {
      for (const frame of frames.push(data)) {
        const d = dispatch(frame, broker, socket.remoteAddress ?? '');
        d.response.catch(() => {}); // surfaced in drain, in order
        queue.push(d.response);
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
