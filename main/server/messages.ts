// Message routes: browse (seek + limit) and produce. Search and live tail are WebSocket
// streams, see streams.ts.
import { browse } from '../kafka/browse.ts';
import { produce } from '../kafka/produce.ts';
import type { ServerContext } from './context.ts';
import type { Router } from './router.ts';

export function messageRoutes(r: Router, { registry }: ServerContext): void {
  r.on('browse', async ({ params, body }) => browse(registry.connection(params.clusterId), params.topic, body));
  r.on('produce', async ({ params, body }) => produce(registry.connection(params.clusterId), params.topic, body));
}
