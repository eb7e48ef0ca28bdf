// Turns one request frame into one response (a list of chunks) or no response. Follows Kafka's
// answers to bad requests: an unknown API key, an API the listener does not serve (the
// controller-only APIs on the broker listener and the client APIs on the controller listener:
// each schema's `listeners`, from the specs) or a version outside the advertised range closes
// the connection (Kafka cannot parse it), except ApiVersions, which answers a v0 body with
// UNSUPPORTED_VERSION and its key list so the client can retry with a version it supports.
// With metrics on, every request is counted here (Kafka's RequestMetrics: requests, bytes,
// errors; the server records TotalTimeMs once the response is written) and Produce/Fetch are
// read for the per-partition meters (metrics/request-taps.ts).
// On a SASL listener a request the connection's SASL state does not allow yet (anything but
// ApiVersions and SaslHandshake before the handshake, anything but SaslAuthenticate after it,
// until authenticated) closes the connection, as Kafka's SaslServerAuthenticator does.

import { handlers, apiVersionsBody } from '../api/index.ts';
import type { RequestContext } from '../api/types.ts';
import type { Broker } from '../broker.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { readRequestHeader, skipHeaderTags, writeResponseHeader } from '../protocol/header.ts';
import { ProtocolError, Reader } from '../protocol/reader.ts';
import { decode, encode } from '../protocol/schema.ts';
import { Writer } from '../protocol/writer.ts';
import type { NodeMeters, RequestMeters } from '../metrics/meters.ts';
import type { SaslSession } from '../security/sasl-session.ts';
import type { ApiListener } from '../protocol/schema.ts';
import { observeResponse, tapOf } from '../metrics/request-taps.ts';

const API_VERSIONS = 18;

export type Listener = ApiListener;

export class CloseConnection extends Error {
  override name = 'CloseConnection';
}

export interface Dispatched {
  apiKey: number;
  response: Promise<Buffer[] | null>;
  /** performance.now() when the frame was complete; with `meter`, for TotalTimeMs. */
  started: number;
  meter?: RequestMeters;
  /** The handler's context: `closeAfterResponse` closes the connection once the answer is out. */
  ctx?: RequestContext;
}

export function dispatch(
  frame: Buffer,
  broker: Broker,
  clientHost: string,
  listener: Listener,
  meters?: NodeMeters,
  sasl?: SaslSession,
): Dispatched {
  const started = meters ? performance.now() : 0;
  const r = new Reader(frame);
  const header = readRequestHeader(r);
  const handler = handlers.get(header.apiKey);
  if (!handler) throw new CloseConnection(`unknown API key ${header.apiKey}`);
  if (!handler.schema.listeners.includes(listener))
    throw new CloseConnection(`${handler.schema.name} is not served on the ${listener} listener`);
  const refusal = sasl?.refusal(header.apiKey);
  if (refusal) throw new CloseConnection(refusal);
  const { apiVersion, correlationId } = header;
  const inRange = apiVersion >= handler.versions.min && apiVersion <= handler.versions.max;
  if (!inRange) {
    if (header.apiKey !== API_VERSIONS)
      throw new CloseConnection(`unsupported version ${apiVersion} of ${handler.schema.name}`);
    const w = new Writer(512);
    writeResponseHeader(w, correlationId, false);
    encode(handler.schema.response, 0, apiVersionsBody(ErrorCode.UNSUPPORTED_VERSION, listener), w);
    const meter = meters?.request(handler.schema.name, handler.schema.name, handler.schema.specVersions.max);
    if (meter) {
      meter.requestBytes += frame.length + 4;
      meter.responseBytes += w.length + 4;
      meter.errors.add(ErrorCode.UNSUPPORTED_VERSION);
    }
    return { apiKey: header.apiKey, response: Promise.resolve(frameOf(w)), started, meter };
  }
  const flexible = apiVersion >= handler.schema.flexibleFrom;
  if (flexible) skipHeaderTags(r);
  const request = decode(handler.schema.request, apiVersion, r);
  const ctx: RequestContext = { apiVersion, correlationId, clientId: header.clientId, clientHost, listener, broker, meters, sasl };
  const tap = meters && tapOf(header.apiKey);
  const name = handler.schema.name;
  const meter = meters?.request(tap ? tap.name(request) : name, name, handler.schema.specVersions.max);
  if (meter) {
    meter.requests[apiVersion]++;
    meter.requestBytes += frame.length + 4;
  }
  const response = Promise.resolve(handler.handle(request, ctx)).then((body) => {
    if (meters && meter) observeResponse(meters, meter, tap, request, body, broker.metadata);
    if (body === null) return null;
    const w = new Writer(256);
    writeResponseHeader(w, correlationId, flexible && header.apiKey !== API_VERSIONS);
    encode(handler.schema.response, apiVersion, body, w);
    if (meter) meter.responseBytes += w.length + 4;
    return frameOf(w);
  });
  return { apiKey: header.apiKey, response, started, meter, ctx };
}

/** Prefixes the size; the result goes to the socket as is. */
function frameOf(w: Writer): Buffer[] {
  const chunks = w.toChunks();
  const size = Buffer.allocUnsafe(4);
  size.writeInt32BE(w.length);
  return [size, ...chunks];
}

export { ProtocolError };
