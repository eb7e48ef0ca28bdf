// ApiVersions (key 18), versions 0-4.
// The advertised list is derived from the handler registry (api/index.ts), so it never claims
// an API that has no handler, and from the listener asked: the broker listener does not list the
// controller-only APIs (Vote, BrokerRegistration ...), the controller listener lists only what
// Kafka serves there (the schemas' `listeners`). Ranges are Kafka-4-like (CLIENT-COMPAT.md): e.g. Produce from 0
// (librdkafka enables compression only then) while Produce 0-2 are refused per partition.
// An unsupported ApiVersions version is answered by the dispatcher with a v0 body, error 35 and
// the full key list (KIP-511). The response header is always v0.

import { ApiVersions } from '../protocol/messages/api-versions.ts';
import { ErrorCode } from '../protocol/errors.ts';
import type { ApiListener } from '../protocol/schema.ts';
import { defineHandler } from './types.ts';
import { handlers } from './index.ts';

export function apiVersionsBody(errorCode: number, listener: ApiListener) {
  return {
    errorCode,
    apiKeys: [...handlers.values()]
      .filter((h) => h.schema.listeners.includes(listener))
      .map((h) => ({ apiKey: h.schema.key, minVersion: h.versions.min, maxVersion: h.versions.max }))
      .sort((a, b) => a.apiKey - b.apiKey),
    throttleTimeMs: 0,
  };
}

export default defineHandler(ApiVersions, '0-4', (_req, ctx) => apiVersionsBody(ErrorCode.NONE, ctx.listener));
