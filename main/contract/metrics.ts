// Live metrics: the time series the console server keeps per cluster (main/server/metrics-*)
// and pushes to the charts. A series is one metric at one scope (the cluster, a node, a topic,
// a partition, a consumer group, a group's partition); its key is derived from those fields, so
// server and renderer name a series the same way. Values are per second for rates, ms for
// latencies, bytes for sizes; null is a gap (nothing was measured then: a node was down, the
// metric had no requests to time).
// Two sources: `node-metrics` reads every bundled node's Prometheus endpoint once a second;
// `kafka-api` (a remote cluster) derives what Kafka's own protocol can tell every 5 s.
import { z } from 'zod';

export const MetricSchema = z.enum([
  'bytesIn',
  'bytesOut',
  'messagesIn',
  'requests',
  'produceP50',
  'produceP99',
  'produceP999',
  'fetchP50',
  'fetchP99',
  'fetchP999',
  'underReplicated',
  'offline',
  'leaders',
  'partitions',
  'diskBytes',
  'cpu',
  'rss',
  'heapUsed',
  'eventLoopP99',
  'connections',
  'lag',
  'consumeRate',
]);
export type Metric = z.infer<typeof MetricSchema>;

export type Unit = 'B/s' | 'msg/s' | 'req/s' | 'ms' | 'count' | 'B' | '%';

export const METRIC_UNIT: Record<Metric, Unit> = {
  bytesIn: 'B/s',
  bytesOut: 'B/s',
  messagesIn: 'msg/s',
  requests: 'req/s',
  produceP50: 'ms',
  produceP99: 'ms',
  produceP999: 'ms',
  fetchP50: 'ms',
  fetchP99: 'ms',
  fetchP999: 'ms',
  underReplicated: 'count',
  offline: 'count',
  leaders: 'count',
  partitions: 'count',
  diskBytes: 'B',
  cpu: '%',
  rss: 'B',
  heapUsed: 'B',
  eventLoopP99: 'ms',
  connections: 'count',
  lag: 'count',
  consumeRate: 'msg/s',
};

/** How a minute of 1 s points becomes one 1 min point: alarms and tails keep their peak. */
export const METRIC_ROLLUP: Partial<Record<Metric, 'max'>> = {
  produceP99: 'max',
  produceP999: 'max',
  fetchP99: 'max',
  fetchP999: 'max',
  underReplicated: 'max',
  offline: 'max',
  eventLoopP99: 'max',
};

export const SeriesLabelsSchema = z.object({
  node: z.number().int().nullable(),
  topic: z.string().nullable(),
  partition: z.number().int().nullable(),
  group: z.string().nullable(),
});
export type SeriesLabels = z.infer<typeof SeriesLabelsSchema>;

export const SeriesMetaSchema = SeriesLabelsSchema.extend({ key: z.string(), metric: MetricSchema });
export type SeriesMeta = z.infer<typeof SeriesMetaSchema>;

export const NO_LABELS: SeriesLabels = { node: null, topic: null, partition: null, group: null };

export const seriesKey = (metric: Metric, l: SeriesLabels): string => JSON.stringify([metric, l.node, l.topic, l.partition, l.group]);

export type SeriesScope = 'cluster' | 'node' | 'topic' | 'partition' | 'group' | 'groupPartition';

export function scopeOf(l: SeriesLabels): SeriesScope {
  if (l.group !== null) return l.partition !== null ? 'groupPartition' : 'group';
  if (l.topic !== null) return l.partition !== null ? 'partition' : 'topic';
  return l.node !== null ? 'node' : 'cluster';
}

export const MetricsSourceSchema = z.enum(['node-metrics', 'kafka-api']);
export type MetricsSource = z.infer<typeof MetricsSourceSchema>;

/**
 * What a remote cluster (source `kafka-api`) cannot show, and why: the UI says so in place of
 * the chart. Everything else is derived from Kafka requests (see metrics-kafka-source.ts).
 */
export const KAFKA_API_UNAVAILABLE: Partial<Record<Metric, string>> = Object.fromEntries(
  (
    [
      [['bytesIn', 'bytesOut'], "Kafka's protocol reports offsets, not bytes moved: byte rates live in each broker's JMX metrics, which the console reads only from its bundled nodes."],
      [
        ['produceP50', 'produceP99', 'produceP999', 'fetchP50', 'fetchP99', 'fetchP999', 'requests'],
        "Request counts and times are broker-side JMX metrics; no Kafka request returns them.",
      ],
      [['cpu', 'rss', 'heapUsed', 'eventLoopP99', 'connections'], 'Process figures of a broker are only visible on its own machine (JMX), not over the Kafka protocol.'],
    ] as const
  ).flatMap(([metrics, why]) => metrics.map((m) => [m, why])),
);

/** Group rebalances are markers in the group's charts; only node metrics see a generation move. */
export const REBALANCE_MARKERS_UNAVAILABLE = 'Rebalances are only marked for the bundled cluster: Kafka requests do not report a group\'s generation.';

export const MetricsViewSchema = z.enum(['overview', 'nodes', 'topics', 'topic', 'group']);
export type MetricsView = z.infer<typeof MetricsViewSchema>;

export const MetricsWindowSchema = z.enum(['1m', '5m', '15m', '1h', '24h']);
export type MetricsWindow = z.infer<typeof MetricsWindowSchema>;
export const WINDOW_MS: Record<MetricsWindow, number> = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000, '24h': 86_400_000 };
/** The 24 h window is served from the 1 min history, the others from the fine one. */
export const windowResolution = (w: MetricsWindow): 'fine' | 'minute' => (w === '24h' ? 'minute' : 'fine');

const queryFields = {
  view: MetricsViewSchema,
  /** required by the `topic` view */
  topic: z.string().min(1).max(249).nullable().default(null),
  /** required by the `group` view */
  group: z.string().min(1).max(1000).nullable().default(null),
  window: MetricsWindowSchema.default('5m'),
};

/** The topic and group views name their topic or group. */
export const withViewChecks = <S extends z.ZodType<{ view: MetricsView; topic: string | null; group: string | null }>>(s: S) =>
  s
    .refine((q) => q.view !== 'topic' || q.topic !== null, { message: 'The topic view needs a topic', path: ['topic'] })
    .refine((q) => q.view !== 'group' || q.group !== null, { message: 'The group view needs a group', path: ['group'] });

export const MetricsQuerySchema = withViewChecks(z.object(queryFields));
export type MetricsQuery = z.input<typeof MetricsQuerySchema>;

export const MarkerSchema = z.object({
  at: z.number(),
  kind: z.string(),
  label: z.string(),
  node: z.number().int().nullable(),
  group: z.string().nullable(),
});
export type Marker = z.infer<typeof MarkerSchema>;

const value = z.number().nullable();

export const MetricsHistorySchema = z.object({
  source: MetricsSourceSchema,
  /** ms between points: the sampling interval, or 60 000 for the 24 h window */
  stepMs: z.number().int().positive(),
  /** point times, ms since the epoch, oldest first; one value per time in every series */
  t: z.array(z.number()),
  series: z.array(SeriesMetaSchema.extend({ v: z.array(value) })),
  markers: z.array(MarkerSchema),
});
export type MetricsHistory = z.infer<typeof MetricsHistorySchema>;

/** One new point of every series in the view (absent keys have no value then). */
export const MetricsSampleSchema = z.object({
  /** null: no new point, only markers (the 24 h window gets a point a minute) */
  t: z.number().nullable(),
  values: z.array(z.tuple([z.string(), value])),
  /** series seen for the first time in this sample */
  added: z.array(SeriesMetaSchema),
  markers: z.array(MarkerSchema),
});
export type MetricsSample = z.infer<typeof MetricsSampleSchema>;

/** Live metrics of a view over the stream socket: answered with `metrics.history` (the window so
 *  far), then a `metrics.sample` per tick. */
export const MetricsSubscribeSchema = withViewChecks(
  z.object({ type: z.literal('metrics.subscribe'), id: z.string().min(1).max(64), clusterId: z.string().min(1), ...queryFields }),
);
export const MetricsHistoryMessageSchema = MetricsHistorySchema.extend({ type: z.literal('metrics.history'), id: z.string() });
export const MetricsSampleMessageSchema = MetricsSampleSchema.extend({ type: z.literal('metrics.sample'), id: z.string() });
