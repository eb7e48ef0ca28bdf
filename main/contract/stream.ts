// WebSocket messages for long-running work: server-side search (with progress), live tail and
// live subscriptions: the bundled cluster's state and events (cluster-control.ts, events.ts) and
// metrics (metrics.ts).
// One socket per page; each job has a client-chosen id so several can run at once. A tail lives
// through outages: it reports `tail.status` (reconnecting / live) instead of ending, and a tail
// restarted after a lost socket resumes from the positions it had reached (`from`).
import { z } from 'zod';
import { ClusterStateMessageSchema, ClusterSubscribeSchema } from './cluster-control.ts';
import { EventsBatchSchema, EventsSubscribeSchema } from './events.ts';
import { DemoStatsMessageSchema, DemoSubscribeSchema } from './failover-demo.ts';
import { KafkaMessageSchema } from './messages.ts';
import { MetricsHistoryMessageSchema, MetricsSampleMessageSchema, MetricsSubscribeSchema } from './metrics.ts';

export const TailPositionSchema = z.object({ partition: z.number().int().min(0), offset: z.number().int().min(0) });
export type TailPosition = z.infer<typeof TailPositionSchema>;

export const ClientStreamMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('search.start'),
    id: z.string().min(1).max(64),
    clusterId: z.string().min(1),
    topic: z.string().min(1),
    partition: z.number().int().min(0).nullable().default(null),
    query: z.string().min(1, 'Search text is required'),
    caseSensitive: z.boolean().default(false),
    /** Stop after this many matches. */
    limit: z.number().int().min(1).max(10000).default(500),
  }),
  z.object({
    type: z.literal('tail.start'),
    id: z.string().min(1).max(64),
    clusterId: z.string().min(1),
    topic: z.string().min(1),
    partition: z.number().int().min(0).nullable().default(null),
    /** Next offset per partition, to resume; partitions not listed start at their end. */
    from: z.array(TailPositionSchema).max(10000).default([]),
  }),
  EventsSubscribeSchema,
  ClusterSubscribeSchema,
  MetricsSubscribeSchema,
  DemoSubscribeSchema,
  z.object({ type: z.literal('stop'), id: z.string().min(1).max(64) }),
]);
export type ClientStreamMessage = z.input<typeof ClientStreamMessageSchema>;

export const ServerStreamMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('search.progress'), id: z.string(), scanned: z.number(), total: z.number(), matches: z.number() }),
  z.object({ type: z.literal('search.match'), id: z.string(), messages: z.array(KafkaMessageSchema) }),
  z.object({
    type: z.literal('search.done'),
    id: z.string(),
    scanned: z.number(),
    total: z.number(),
    matches: z.number(),
    stopped: z.boolean(),
  }),
  z.object({ type: z.literal('tail.messages'), id: z.string(), messages: z.array(KafkaMessageSchema) }),
  z.object({
    type: z.literal('tail.status'),
    id: z.string(),
    /** reconnecting: some partitions cannot be read now (no leader, node down); retried until they can. */
    state: z.enum(['live', 'reconnecting']),
    /** What is wrong, in Kafka's words, per partition; null when live. */
    message: z.string().nullable(),
    /** Next offset of every partition whose position is known. */
    positions: z.array(TailPositionSchema),
  }),
  EventsBatchSchema,
  ClusterStateMessageSchema,
  MetricsHistoryMessageSchema,
  MetricsSampleMessageSchema,
  DemoStatsMessageSchema,
  z.object({ type: z.literal('error'), id: z.string().nullable(), error: z.object({ code: z.string(), message: z.string() }) }),
]);
export type ServerStreamMessage = z.infer<typeof ServerStreamMessageSchema>;
