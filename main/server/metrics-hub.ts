// The console server's collectors, one per cluster. The bundled cluster's starts with the
// server and reads its nodes' /metrics (when the server knows where they are); a remote
// cluster's starts the first time a page asks for its metrics and runs from then on, so its
// history survives reloads too. A cluster removed from the console loses its collector.
import { ConsoleError } from '../kafka/errors.ts';
import type { ClusterRegistry } from '../kafka/cluster-registry.ts';
import { MetricsCollector, type CollectorOptions } from './metrics-collector.ts';
import type { MetricsHistory } from './metrics-history.ts';
import { KafkaApiSampler } from './metrics-kafka-source.ts';
import { NodeMetricsSampler } from './metrics-node-source.ts';
import type { MetricsTargets } from './metrics-targets.ts';

export interface MetricsHubOptions extends CollectorOptions {
  /** Where the bundled cluster's nodes serve /metrics; null: read it over Kafka like any other. */
  bundledTargets: MetricsTargets | null;
  /** Fills a new collector's history before its first tick (the UI benchmark: an hour of points
   *  without waiting an hour). */
  seed?: (clusterId: string, history: MetricsHistory) => void;
}

const PRUNE_MS = 60_000;

export class MetricsHub {
  readonly #collectors = new Map<string, MetricsCollector>();
  readonly #prune: NodeJS.Timeout;

  constructor(
    private readonly registry: ClusterRegistry,
    private readonly opts: MetricsHubOptions,
  ) {
    const bundled = registry.bundledId;
    if (bundled) this.collector(bundled);
    this.#prune = setInterval(() => this.#forgetRemoved(), PRUNE_MS).unref();
  }

  collector(clusterId: string): MetricsCollector {
    let c = this.#collectors.get(clusterId);
    if (c) return c;
    if (!this.registry.list().some((x) => x.id === clusterId)) throw new ConsoleError('NOT_FOUND', `Unknown cluster ${clusterId}`, 404);
    const { bundledTargets, seed, ...collectorOpts } = this.opts;
    const sampler =
      clusterId === this.registry.bundledId && bundledTargets
        ? new NodeMetricsSampler(bundledTargets, 1000, this.opts.log)
        : new KafkaApiSampler(() => this.registry.connection(clusterId));
    c = new MetricsCollector(sampler, collectorOpts);
    seed?.(clusterId, c.history);
    c.start();
    this.#collectors.set(clusterId, c);
    return c;
  }

  #forgetRemoved(): void {
    const ids = new Set(this.registry.list().map((c) => c.id));
    for (const [id, c] of this.#collectors) {
      if (ids.has(id)) continue;
      c.close();
      this.#collectors.delete(id);
    }
  }

  close(): void {
    clearInterval(this.#prune);
    for (const c of this.#collectors.values()) c.close();
    this.#collectors.clear();
  }
}
