// Produce from the console: key/value in UTF-8, base64 or hex, headers, an optional fixed
// partition (which must exist), repeated N times (sent in chunks so a big repeat does not build
// one huge request).
import type { PayloadEncoding, ProduceRequestSchema, ProduceResponse } from '../contract/index.ts';
import type { z } from 'zod';
import { topicPartitions } from './browse.ts';
import type { KafkaConnection } from './connection.ts';
import { ConsoleError } from './errors.ts';

const CHUNK = 500;

function decode(text: string | null, encoding: PayloadEncoding, what: string): Buffer | undefined {
  if (text === null) return undefined;
  if (encoding === 'hex') {
    const clean = text.replace(/\s+/g, '');
    if (!/^([0-9a-fA-F]{2})*$/.test(clean)) throw new ConsoleError('BAD_REQUEST', `${what} is not valid hex`);
    return Buffer.from(clean, 'hex');
  }
  if (encoding === 'base64') {
    const clean = text.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) throw new ConsoleError('BAD_REQUEST', `${what} is not valid base64`);
    return Buffer.from(clean, 'base64');
  }
  return Buffer.from(text, 'utf8');
}

export async function produce(conn: KafkaConnection, topic: string, req: z.output<typeof ProduceRequestSchema>): Promise<ProduceResponse> {
  // The client library takes an explicit partition modulo the partition count: partition 5 of
  // a 3-partition topic would silently land in partition 2. Refuse it instead.
  if (req.partition !== null) await topicPartitions(conn, topic, req.partition);
  const key = decode(req.key, req.keyEncoding, 'Key');
  const value = decode(req.value, req.valueEncoding, 'Value');
  const headers = new Map<Buffer, Buffer>(req.headers.map((h) => [Buffer.from(h.key), Buffer.from(h.value)]));
  const first = new Map<number, number>();
  let sent = 0;
  while (sent < req.repeat) {
    const n = Math.min(CHUNK, req.repeat - sent);
    const messages = Array.from({ length: n }, () => ({
      topic,
      key,
      value,
      headers,
      ...(req.partition === null ? {} : { partition: req.partition }),
    }));
    const res = await conn.producer.send({ messages, acks: -1 });
    for (const o of res.offsets ?? []) {
      if (!first.has(o.partition)) first.set(o.partition, Number(o.offset));
    }
    sent += n;
  }
  return {
    count: sent,
    partitions: [...first].sort((a, b) => a[0] - b[0]).map(([partition, firstOffset]) => ({ partition, firstOffset })),
  };
}
