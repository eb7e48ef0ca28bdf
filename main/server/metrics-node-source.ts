// The bundled cluster's sampler: once a tick, GET every node's /metrics at once (one keep-alive
// connection per node), parse, and derive the tick's series (metrics-node-derive.ts). A node
// that does not answer in time, or answers something unreadable, is missing from that tick only.
import http from 'node:http';
import type { MetricsSource } from '../contract/metrics.ts';
import { NodeMetricsDeriver, type NodeSample } from './metrics-node-derive.ts';
import { readNode } from './metrics-node-reading.ts';
import type { TickPoints } from './metrics-points.ts';
import { parsePromText } from './metrics-prom-text.ts';
import type { MetricsTargets } from './metrics-targets.ts';

export interface MetricsSampler {
  readonly source: MetricsSource;
  readonly intervalMs: number;
  sample(t: number, points: TickPoints): Promise<void>;
  close(): void;
}

/** Largest /metrics body accepted (a node with a few thousand partitions writes ~2 MB). */
const MAX_BODY = 32 << 20;

export function scrape(agent: http.Agent, url: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, timeout: timeoutMs, headers: { accept: 'text/plain' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return reject(new Error(`GET ${url}: HTTP ${res.statusCode}`));
      }
      res.setEncoding('utf8');
      let body = '';
      res.on('data', (c: string) => {
        body += c;
        if (body.length > MAX_BODY) req.destroy(new Error(`GET ${url}: more than ${MAX_BODY} bytes`));
      });
      res.on('end', () => resolve(body));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

export class NodeMetricsSampler implements MetricsSampler {
  readonly source = 'node-metrics' as const;
  readonly #agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  readonly #deriver: NodeMetricsDeriver;
  readonly #errors = new Map<number, string>();

  constructor(
    private readonly targets: MetricsTargets,
    readonly intervalMs = 1000,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.#deriver = new NodeMetricsDeriver(intervalMs);
  }

  async sample(t: number, points: TickPoints): Promise<void> {
    const samples: NodeSample[] = await Promise.all(
      this.targets.current().map(async ({ node, url }): Promise<NodeSample> => {
        try {
          const reading = readNode(parsePromText(await scrape(this.#agent, url, Math.round(this.intervalMs * 0.8))).samples);
          this.#errors.delete(node);
          return { node, reading };
        } catch (e) {
          const msg = (e as Error).message;
          // A node that is down fails every second: say it once, and again when it changes.
          if (this.#errors.get(node) !== msg) this.log(`metrics: node ${node}: ${msg}`);
          this.#errors.set(node, msg);
          return { node, reading: null, refused: (e as NodeJS.ErrnoException).code === 'ECONNREFUSED' };
        }
      }),
    );
    this.#deriver.derive(t, samples, points);
  }

  close(): void {
    this.#agent.destroy();
  }
}
