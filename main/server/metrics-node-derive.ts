// From consecutive readings of every node to one tick of series: rates of counters, latency
// quantiles from histogram deltas, levels, consumer lag, and markers for rebalances and for a
// node that stops or starts answering its /metrics (node down / up).
// - A rate is Δcounter / Δt between the ticks of two readings (see interval()). A node that
//   restarted (its uptime went down, or its start time moved) counts from 0 again: its rate is
//   counter / uptime, available at its first scrape after the restart. The timeline thus has a
//   gap exactly while the node did not answer.
// - A node that misses a tick keeps its last reading; the next rate covers the whole interval.
// - Latency: per node and for the cluster (bucket deltas summed over the nodes), quantiles as
//   Prometheus' histogram_quantile(); no request in the interval is a gap, not 0.
// - Lag per group partition: the leader's high watermark − the coordinator's committed offset
//   (what a consumer can still read), as the Groups screen computes it from ListOffsets.
import { bucketQuantile } from '../../broker/metrics/histogram.ts';
import type { Metric } from '../contract/metrics.ts';
import type { PartitionKey } from '../kafka/offsets.ts';
import type { HistogramReading, NodeReading } from './metrics-node-reading.ts';
import type { TickPoints } from './metrics-points.ts';

export interface NodeSample {
  node: number;
  /** null: the node did not answer this tick */
  reading: NodeReading | null;
  /** the node refused the connection (nothing listens: the process is gone), not just slow */
  refused?: boolean;
}

interface Interval {
  dt: number;
  restarted: boolean;
}

const splitKey = (k: PartitionKey) => {
  const i = k.lastIndexOf(':');
  return { topic: k.slice(0, i), partition: Number(k.slice(i + 1)) };
};
const isInternal = (topic: string) => topic.startsWith('__');

/**
 * Seconds a rate between two readings of one node is averaged over, and whether the node
 * restarted between them (its uptime went down, or its start time moved). Normally the time
 * between the ticks of the two readings, so that rate × interval is exactly what was counted
 * whatever the scrape latencies were (the chart's area is the count). After a restart the
 * counters hold what happened in the node's uptime: averaged over that, but over at least one
 * step, since the point stands for the step before it.
 */
export function interval(prev: NodeReading, cur: NodeReading, prevAt: number, curAt: number, stepMs = 1000): Interval | null {
  const moved = prev.startTime !== null && cur.startTime !== null && Math.abs(cur.startTime - prev.startTime) > 1;
  const restarted = moved || (prev.uptime !== null && cur.uptime !== null && cur.uptime < prev.uptime);
  const wall = (curAt - prevAt) / 1000;
  const dt = restarted && cur.uptime !== null ? Math.min(wall, Math.max(cur.uptime, stepMs / 1000)) : wall;
  return dt > 0 ? { dt, restarted } : null;
}

/** Increase of a counter over an interval; a counter that went down was reset. */
export function increase(prev: number | undefined, cur: number, restarted: boolean): number {
  if (restarted || prev === undefined || cur < prev) return cur;
  return cur - prev;
}

/** Bucket counts observed in the interval (cumulative, +Inf last); null if the layouts differ. */
export function histogramDelta(prev: HistogramReading | null, cur: HistogramReading, restarted: boolean): number[] | null {
  if (restarted || !prev) return cur.cumulative;
  if (prev.bounds.length !== cur.bounds.length || prev.bounds.some((b, i) => b !== cur.bounds[i])) return null;
  const d = cur.cumulative.map((c, i) => c - prev.cumulative[i]);
  return d.some((x) => x < 0) ? cur.cumulative : d;
}

const QUANTILES: [q: number, produce: Metric, fetch: Metric][] = [
  [0.5, 'produceP50', 'fetchP50'],
  [0.99, 'produceP99', 'fetchP99'],
  [0.999, 'produceP999', 'fetchP999'],
];

class HistogramSum {
  bounds: number[] | null = null;
  sum: number[] | null = null;

  add(bounds: number[], delta: number[]): void {
    if (!this.sum) {
      this.bounds = bounds;
      this.sum = [...delta];
    } else if (delta.length === this.sum.length) {
      for (let i = 0; i < delta.length; i++) this.sum[i] += delta[i];
    }
  }
}

function putQuantiles(points: TickPoints, which: 0 | 1, h: HistogramSum, node: number | null): void {
  if (!h.sum || !h.bounds) return;
  for (const [q, produce, fetch] of QUANTILES) points.put(which === 0 ? produce : fetch, { node }, bucketQuantile(q, h.bounds, h.sum));
}

/**
 * Scrapes in a row a node must miss to be marked down: two refused connections (nothing listens
 * on its port), or five misses of any kind (a node too slow to answer, or hung, on a busy machine).
 */
export const DOWN_AFTER = { refused: 2, any: 5 };

export class NodeMetricsDeriver {
  constructor(private readonly stepMs = 1000) {}

  readonly #last = new Map<number, { reading: NodeReading; at: number }>();
  readonly #committed = new Map<string, { at: number; offsets: Map<PartitionKey, number> }>();
  readonly #generation = new Map<string, number>();
  /** per node that answered once: whether it is up, and since when it has not answered */
  readonly #up = new Map<number, { up: boolean; missedSince: number | null; misses: number; refusals: number }>();

  /** Puts this tick's series into `points` (t: the tick's time, ms). */
  derive(t: number, samples: NodeSample[], points: TickPoints): void {
    const produce = new HistogramSum();
    const fetch = new HistogramSum();
    const hw = new Map<PartitionKey, number>();
    const committed = new Map<string, Map<PartitionKey, number>>();
    let answered = 0;
    let underReplicated = 0;
    let offline = 0;

    for (const { node, reading: cur, refused } of samples) {
      this.#upDown(points, t, node, cur !== null, refused === true);
      if (!cur) continue;
      answered++;
      const last = this.#last.get(node);
      this.#last.set(node, { reading: cur, at: t });
      this.#levels(points, node, cur);
      underReplicated += cur.gauges.underReplicated ?? 0;
      offline = Math.max(offline, cur.gauges.offline ?? 0);
      for (const [k, v] of cur.leaderHighWatermark) hw.set(k, Math.max(v, hw.get(k) ?? 0));
      for (const [group, offsets] of cur.committed) {
        const m = committed.get(group) ?? new Map<PartitionKey, number>();
        committed.set(group, m);
        for (const [k, v] of offsets) m.set(k, Math.max(v, m.get(k) ?? 0));
      }
      this.#rebalances(points, t, cur);

      if (!last) continue;
      const iv = interval(last.reading, cur, last.at, t, this.stepMs);
      if (!iv) continue;
      this.#rates(points, node, last.reading, cur, iv);
      const nodeProduce = new HistogramSum();
      const nodeFetch = new HistogramSum();
      for (const [h, cluster, own, pick] of [
        [cur.produceTime, produce, nodeProduce, (r: NodeReading) => r.produceTime],
        [cur.fetchTime, fetch, nodeFetch, (r: NodeReading) => r.fetchTime],
      ] as const) {
        if (!h) continue;
        const d = histogramDelta(pick(last.reading), h, iv.restarted);
        if (!d) continue;
        cluster.add(h.bounds, d);
        own.add(h.bounds, d);
      }
      putQuantiles(points, 0, nodeProduce, node);
      putQuantiles(points, 1, nodeFetch, node);
    }
    if (answered === 0) return;
    putQuantiles(points, 0, produce, null);
    putQuantiles(points, 1, fetch, null);
    points.put('underReplicated', {}, underReplicated);
    points.put('offline', {}, offline);
    this.#lag(points, t, hw, committed);
  }

  /**
   * A marker when a node stops or starts answering (see DOWN_AFTER: one slow answer on a busy
   * machine is not an outage); the down marker is put at its first miss. A node that never
   * answered has no marker: it was never seen up.
   */
  #upDown(points: TickPoints, t: number, node: number, answered: boolean, refused: boolean): void {
    const s = this.#up.get(node);
    if (!s) {
      if (answered) this.#up.set(node, { up: true, missedSince: null, misses: 0, refusals: 0 });
      return;
    }
    if (answered) {
      if (!s.up) points.markers.push({ at: t, kind: 'node-up', label: `Node ${node} up`, node, group: null });
      Object.assign(s, { up: true, missedSince: null, misses: 0, refusals: 0 });
      return;
    }
    s.missedSince ??= t;
    s.misses++;
    s.refusals = refused ? s.refusals + 1 : 0;
    if (s.up && (s.refusals >= DOWN_AFTER.refused || s.misses >= DOWN_AFTER.any)) {
      s.up = false;
      points.markers.push({ at: s.missedSince, kind: 'node-down', label: `Node ${node} down`, node, group: null });
    }
  }

  #levels(points: TickPoints, node: number, r: NodeReading): void {
    const g = r.gauges;
    for (const m of ['rss', 'heapUsed', 'eventLoopP99', 'connections', 'leaders', 'partitions', 'underReplicated'] as const) {
      points.put(m, { node }, g[m]);
    }
    points.put('diskBytes', { node }, r.diskBytes);
  }

  #rates(points: TickPoints, node: number, prev: NodeReading, cur: NodeReading, { dt, restarted }: Interval): void {
    for (const [metric, pick] of [
      ['bytesIn', (r: NodeReading) => r.bytesIn],
      ['bytesOut', (r: NodeReading) => r.bytesOut],
      ['messagesIn', (r: NodeReading) => r.messagesIn],
    ] as const) {
      const before = pick(prev);
      let total = 0;
      for (const [k, v] of pick(cur)) {
        const rate = increase(before.get(k), v, restarted) / dt;
        total += rate;
        const { topic, partition } = splitKey(k);
        points.add(metric, { topic }, rate);
        if (!isInternal(topic)) points.add(metric, { topic, partition }, rate);
      }
      points.put(metric, { node }, total);
      points.add(metric, {}, total);
    }
    const requests = increase(prev.requests, cur.requests, restarted) / dt;
    points.put('requests', { node }, requests);
    points.add('requests', {}, requests);
    if (cur.cpuSeconds !== null) {
      points.put('cpu', { node }, (100 * increase(prev.cpuSeconds ?? undefined, cur.cpuSeconds, restarted)) / dt);
    }
  }

  #rebalances(points: TickPoints, t: number, r: NodeReading): void {
    for (const [group, gen] of r.generation) {
      const before = this.#generation.get(group);
      this.#generation.set(group, gen);
      if (before !== undefined && gen !== before) {
        points.markers.push({ at: t, kind: 'rebalance', label: `Rebalance of ${group} (generation ${gen})`, node: null, group });
      }
    }
  }

  #lag(points: TickPoints, t: number, hw: Map<PartitionKey, number>, committed: Map<string, Map<PartitionKey, number>>): void {
    for (const [group, offsets] of committed) {
      // A total over some partitions only would dip when a leader does not answer: a gap instead.
      let total: number | null = 0;
      for (const [k, c] of offsets) {
        const end = hw.get(k);
        if (end === undefined) {
          total = null;
          continue;
        }
        const lag = Math.max(0, end - c);
        if (total !== null) total += lag;
        points.put('lag', { group, ...splitKey(k) }, lag);
      }
      points.put('lag', { group }, total);
      const before = this.#committed.get(group);
      if (before) {
        let moved = 0;
        for (const [k, c] of offsets) {
          const b = before.offsets.get(k);
          if (b !== undefined) moved += Math.max(0, c - b);
        }
        points.put('consumeRate', { group }, moved / ((t - before.at) / 1000));
      }
      this.#committed.set(group, { at: t, offsets });
    }
  }
}
