// The contract every API handler implements. One file per Kafka API (NN-name.ts) exports a
// handler built with `defineHandler`; api/index.ts lists them and ApiVersions is derived from it.

import type { ApiListener, ApiSchema, Range, RequestOf, ResponseOf } from '../protocol/schema.ts';
import type { Broker } from '../broker.ts';
import type { NodeMeters } from '../metrics/meters.ts';
import type { SaslSession } from '../security/sasl-session.ts';

export interface RequestContext {
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
  /** Remote address of the client, for group member hosts. */
  clientHost: string;
  /** The listener the request came in on: broker, or controller (metadata quorum, registrations). */
  listener: ApiListener;
  broker: Broker;
  /** The node's hot-path counters; absent when metrics are off (--no-metrics). */
  meters?: NodeMeters;
  /** Set by a handler to close the connection after this response (e.g. a fatal auth failure). */
  closeAfterResponse?: boolean;
  /**
   * Set by a handler: called once the whole response has been handed to the kernel, so the
   * memory it points into may be reused (Fetch: log/read-buffers.ts). Not called when the
   * connection closes first.
   */
  afterWrite?: () => void;
  /** The connection's SASL state on a SASL listener; absent on a PLAINTEXT one. */
  sasl?: SaslSession;
}

export interface ApiHandler<A extends ApiSchema = ApiSchema> {
  schema: A;
  /** Versions advertised in ApiVersions; requests outside them close the connection, as Kafka does. */
  versions: Range;
  /** Returning null sends no response (Produce with acks=0). */
  handle(request: RequestOf<A>, ctx: RequestContext): ResponseOf<A> | null | Promise<ResponseOf<A> | null>;
}

export function defineHandler<A extends ApiSchema>(
  schema: A,
  versions: string,
  handle: ApiHandler<A>['handle'],
): ApiHandler<A> {
  const [min, max] = versions.split('-').map(Number);
  if (!(min <= max) || max > schema.specVersions.max) throw new Error(`${schema.name}: bad versions ${versions}`);
  return { schema, versions: { min, max }, handle };
}

/** Kafka's controller creates at most this many partitions in one request (MAX_PARTITIONS_PER_BATCH). */
export const MAX_PARTITIONS_PER_REQUEST = 10_000;
