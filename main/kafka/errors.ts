// Turns whatever the Kafka client throws into the console's `{ error: { code, message } }`,
// preferring the broker's own error message (e.g. INVALID_TOPIC_EXCEPTION with its detail text)
// over the client library's generic wrapper ("Received response with error while executing...").

export class ConsoleError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface ErrorBody {
  status: number;
  body: { error: { code: string; message: string } };
  /** Not a Kafka or console error but a bug or an environment failure: the message may hold
   * internals (file paths, library text) and must not reach a client as is. */
  unexpected?: true;
}

interface ProtocolLike {
  apiId?: string;
  serverErrorMessage?: string | null;
  message: string;
  errors?: unknown[];
  code?: string;
  cause?: unknown;
}

/** Depth-first search for the first error carrying a Kafka error id (ProtocolError). */
function findProtocolError(err: unknown, depth = 0): ProtocolLike | null {
  if (!err || typeof err !== 'object' || depth > 6) return null;
  const e = err as ProtocolLike;
  if (typeof e.apiId === 'string') return e;
  for (const inner of e.errors ?? []) {
    const found = findProtocolError(inner, depth + 1);
    if (found) return found;
  }
  return findProtocolError(e.cause, depth + 1);
}

function firstLeafMessage(err: unknown, depth = 0): string | null {
  if (!err || typeof err !== 'object' || depth > 6) return null;
  const e = err as ProtocolLike;
  for (const inner of e.errors ?? []) {
    const m = firstLeafMessage(inner, depth + 1);
    if (m) return m;
  }
  if (typeof e.message !== 'string' || !e.message) return null;
  // The library's "Connection to host:port failed." says nothing of why; its cause does (a TLS
  // certificate the console does not trust, a refused connection).
  const cause = e.cause as ProtocolLike | undefined;
  const why = cause && typeof cause === 'object' && typeof cause.message === 'string' && cause.message ? firstLeafMessage(cause, depth + 1) : null;
  return why && !e.message.includes(why) ? `${e.message.replace(/\.$/, '')}: ${why}` : e.message;
}

const STATUS_BY_KAFKA_CODE: Record<string, number> = {
  UNKNOWN_TOPIC_OR_PARTITION: 404,
  UNKNOWN_TOPIC_ID: 404,
  GROUP_ID_NOT_FOUND: 404,
  TOPIC_ALREADY_EXISTS: 409,
  NON_EMPTY_GROUP: 409,
  UNKNOWN_MEMBER_ID: 409,
  TOPIC_AUTHORIZATION_FAILED: 403,
  GROUP_AUTHORIZATION_FAILED: 403,
  CLUSTER_AUTHORIZATION_FAILED: 403,
  SASL_AUTHENTICATION_FAILED: 401,
  RESOURCE_NOT_FOUND: 404,
  UNSUPPORTED_VERSION: 501,
  REQUEST_TIMED_OUT: 504,
};

/** A Kafka error code read from an answer's data (not thrown by the library), with its HTTP status. */
export function kafkaError(code: string, message: string | null | undefined): ConsoleError {
  return new ConsoleError(code, message?.trim() || code, STATUS_BY_KAFKA_CODE[code] ?? 400);
}

export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof ConsoleError) {
    const reply: ErrorBody = { status: err.status, body: { error: { code: err.code, message: err.message } } };
    return err.code === 'CONTRACT_VIOLATION' ? { ...reply, unexpected: true } : reply;
  }
  const proto = findProtocolError(err);
  if (proto) {
    const code = proto.apiId!;
    const message = proto.serverErrorMessage?.trim() || proto.message;
    return { status: STATUS_BY_KAFKA_CODE[code] ?? 400, body: { error: { code, message } } };
  }
  const e = err as ProtocolLike | undefined;
  const code = typeof e?.code === 'string' ? e.code : 'INTERNAL';
  if (code === 'PLT_KFK_NETWORK' || code === 'PLT_KFK_TIMEOUT' || code === 'PLT_KFK_MULTIPLE') {
    const leaf = firstLeafMessage(err) ?? 'Cannot reach the cluster';
    return { status: 502, body: { error: { code: 'CLUSTER_UNREACHABLE', message: leaf } } };
  }
  if (code === 'PLT_KFK_USER') {
    const message = e?.message ?? 'Invalid request';
    // The client library checks topic existence itself before asking the broker.
    if (/^Unknown topic/.test(message)) return { status: 404, body: { error: { code: 'UNKNOWN_TOPIC_OR_PARTITION', message } } };
    return { status: 400, body: { error: { code: 'BAD_REQUEST', message } } };
  }
  if (code === 'PLT_KFK_UNSUPPORTED_API') {
    return { status: 501, body: { error: { code: 'UNSUPPORTED_VERSION', message: e?.message ?? 'Unsupported API' } } };
  }
  if (code === 'PLT_KFK_AUTHENTICATION') {
    return { status: 401, body: { error: { code: 'SASL_AUTHENTICATION_FAILED', message: e?.message ?? 'Authentication failed' } } };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: firstLeafMessage(err) ?? 'Internal error' } }, unexpected: true };
}
