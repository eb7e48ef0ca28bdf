// Metrics over HTTP and the stream socket. A page gets a view's history for its window, by the
// REST route or as the first answer to `metrics.subscribe`, then one `metrics.sample` per tick
// for as long as the subscription runs (it ends when the page stops it or its socket closes).
import type { ClientStreamMessage, ServerStreamMessage } from '../contract/index.ts';
import { viewSample } from './metrics-collector.ts';
import type { ServerContext } from './context.ts';
import { viewFilter } from './metrics-views.ts';
import type { Router } from './router.ts';

export function metricsRoutes(r: Router, { metrics }: ServerContext): void {
  r.on('metricsHistory', async ({ params, body }) => metrics.collector(params.clusterId).snapshot(body.window, viewFilter(body)));
}

type Subscribe = Extract<ClientStreamMessage, { type: 'metrics.subscribe' }>;

export function streamMetrics(
  { metrics }: ServerContext,
  msg: Required<Pick<Subscribe, 'id' | 'clusterId' | 'view' | 'window'>> & { topic: string | null; group: string | null },
  signal: AbortSignal,
  send: (m: ServerStreamMessage) => void,
): Promise<void> {
  const collector = metrics.collector(msg.clusterId);
  const filter = viewFilter(msg);
  const history = collector.snapshot(msg.window, filter);
  const known = new Set(history.series.map((s) => s.key));
  send({ type: 'metrics.history', id: msg.id, ...history });
  return new Promise<void>((resolve) => {
    const off = collector.subscribe((tick) => {
      const sample = viewSample(tick, msg.window, filter, (k) => collector.history.catalog.get(k), known);
      if (sample) send({ type: 'metrics.sample', id: msg.id, ...sample });
    });
    signal.addEventListener(
      'abort',
      () => {
        off();
        resolve();
      },
      { once: true },
    );
  });
}
