// Request and response headers. Request header v1 (classic) or v2 (flexible: adds tagged
// fields); the client id stays a classic nullable string in both. Response header v0, or v1 with
// tagged fields for flexible versions — except ApiVersions, whose response header is always v0
// so that a client can read it before it knows the broker's versions (KIP-511).

import { Reader, ProtocolError } from './reader.ts';
import { readTagged } from './schema.ts';
import { Writer } from './writer.ts';

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

/** Reads the fixed part (key, version, correlation id, client id). */
export function readRequestHeader(r: Reader): RequestHeader {
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  const n = r.int16();
  if (n < -1) throw new ProtocolError('bad client id length');
  const clientId = n < 0 ? null : r.utf8(n);
  return { apiKey, apiVersion, correlationId, clientId };
}

/** Skips the request header's tagged fields (header v2). */
export function skipHeaderTags(r: Reader): void {
  readTagged(r, (_tag, end) => {
    r.pos = end;
  });
}

export function writeResponseHeader(w: Writer, correlationId: number, flexible: boolean): void {
  w.int32(correlationId);
  if (flexible) w.uvarint(0);
}

export function writeRequestHeader(w: Writer, h: RequestHeader, flexible: boolean): void {
  w.int16(h.apiKey).int16(h.apiVersion).int32(h.correlationId);
  if (h.clientId === null) w.int16(-1);
  else {
    const n = Buffer.byteLength(h.clientId);
    w.int16(n).utf8(h.clientId, n);
  }
  if (flexible) w.uvarint(0);
}
