// One request as it goes on the wire: size, header (v1, or v2 with tagged fields for flexible
// versions) and body, encoded with the API's own schema. Shared by the client and by tests that
// write raw frames (pipelines nobody reads, fuzzing).

import { writeRequestHeader } from '../protocol/header.ts';
import { encode, type ApiSchema, type RequestOutOf } from '../protocol/schema.ts';
import { Writer } from '../protocol/writer.ts';

export function requestFrameChunks<A extends ApiSchema>(
  schema: A,
  version: number,
  body: RequestOutOf<A>,
  correlationId: number,
  clientId: string | null,
): Buffer[] {
  const w = new Writer(256);
  const setSize = w.reserveInt32();
  writeRequestHeader(w, { apiKey: schema.key, apiVersion: version, correlationId, clientId }, version >= schema.flexibleFrom);
  encode(schema.request, version, body, w);
  setSize(w.length - 4);
  return w.toChunks();
}

export function requestFrame<A extends ApiSchema>(
  schema: A,
  version: number,
  body: RequestOutOf<A>,
  correlationId: number,
  clientId: string | null = 'samsa',
): Buffer {
  return Buffer.concat(requestFrameChunks(schema, version, body, correlationId, clientId));
}
