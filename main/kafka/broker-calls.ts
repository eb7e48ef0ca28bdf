// One Kafka request to one broker (or to any bootstrap broker) through the client library's own
// connections and version negotiation, for the reads a dashboard must keep doing during an
// outage. The library's high-level calls (metadata, listTopics, listOffsets) throw, after
// retrying, when any partition in the answer carries an error code; per-partition errors are
// what an outage looks like, so here the parsed answer is kept even then (the library's
// ResponseError carries it) and the caller reads each partition's error code itself.
import { kGetApi, kGetBootstrapConnection, kGetConnection, ResponseError, type Admin, type Connection } from '@platformatic/kafka';
import type { z } from 'zod';

export interface BrokerAddress {
  host: string;
  port: number;
}

function connectionTo(admin: Admin, target: BrokerAddress | null): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null | undefined, c: Connection | undefined) => (c && !err ? resolve(c) : reject(err ?? new Error('no connection')));
    if (target) admin[kGetConnection](target, done);
    else admin[kGetBootstrapConnection](done);
  });
}

/** Sends `apiName` with `args`; resolves with the answer parsed by `schema`, error codes and all. */
export async function request<S extends z.ZodType>(
  admin: Admin,
  target: BrokerAddress | null,
  apiName: string,
  args: unknown[],
  schema: S,
): Promise<z.output<S>> {
  const connection = await connectionTo(admin, target);
  return new Promise((resolve, reject) => {
    admin[kGetApi]<unknown[], unknown>(apiName, (apiErr, api) => {
      if (apiErr || !api) return reject(apiErr ?? new Error(`No ${apiName} API`));
      api(connection, ...args, (err: Error | null, response: unknown) => {
        const parsed = schema.safeParse(err instanceof ResponseError ? err.response : response);
        if (parsed.success && (!err || err instanceof ResponseError)) resolve(parsed.data);
        else reject(err ?? new Error(`Unexpected ${apiName} response`));
      });
    });
  });
}
