// The cluster event timeline of the bundled cluster: what happened to nodes (from the
// supervisor's event log: started, stopped, killed, exited, paused, resumed, added, removed) and
// to the cluster's metadata (from the committed metadata log each node serves: controller
// elections, broker registration and fencing, leader changes, ISR shrinks and expands,
// reassignments, topics). The console server keeps them in memory for its session, numbered by
// `seq`, readable with a cursor (GET .../events?since=N) and pushed live over the stream socket
// (`events.subscribe`). Remote clusters have no timeline: their supervisor and metadata log are
// not reachable through the Kafka protocol.
import { z } from 'zod';

export const SUPERVISOR_EVENT_KINDS = [
  'node-started',
  'node-stopped',
  'node-killed',
  /** the process ended on its own or from a signal the supervisor did not send: a crash */
  'node-exited',
  'node-paused',
  'node-resumed',
  'node-added',
  'node-removed',
] as const;

export const METADATA_EVENT_KINDS = [
  /** a new active controller (metadata quorum leader) */
  'controller-elected',
  'broker-registered',
  /** the controller stopped counting the broker as live (missed heartbeats, killed, shut down) */
  'broker-fenced',
  'broker-unfenced',
  'topic-created',
  'topic-deleted',
  'partitions-added',
  /** a partition got another leader (leader.from may be -1: it was offline) */
  'leader-changed',
  /** a partition lost its leader and has none: no in-sync replica is live */
  'partition-offline',
  'isr-shrunk',
  'isr-expanded',
  'reassignment-started',
  'reassignment-completed',
] as const;

export const ClusterEventKindSchema = z.enum([...SUPERVISOR_EVENT_KINDS, ...METADATA_EVENT_KINDS]);
export type ClusterEventKind = z.infer<typeof ClusterEventKindSchema>;

const NodeIds = z.array(z.number().int());
const Change = <T extends z.ZodType>(t: T) => z.object({ from: t, to: t });

export const ClusterEventSchema = z.object({
  /** increasing from 1 in one console server session: the cursor */
  seq: z.number().int().positive(),
  /** ms since the epoch: the supervisor's clock for node events, the controller's for metadata */
  at: z.number(),
  source: z.enum(['supervisor', 'metadata']),
  kind: ClusterEventKindSchema,
  /** the node it is about (the killed node, the fenced broker, the new leader or controller) */
  nodeId: z.number().int().nullable(),
  topic: z.string().nullable(),
  partition: z.number().int().nullable(),
  /** leader before and after (-1 = none), for leader-changed and partition-offline */
  leader: Change(z.number().int()).nullable(),
  /** ISR before and after, for isr-shrunk / isr-expanded (and a leader change that also moved it) */
  isr: Change(NodeIds).nullable(),
  /** replica set before and after, for reassignments */
  replicas: Change(NodeIds).nullable(),
  /** offset of the metadata record it comes from; null for supervisor events */
  offset: z.number().int().nullable(),
  /** one line for people: "node 2 killed (SIGKILL)", "orders-0: leader 2 → 3" */
  text: z.string(),
});
export type ClusterEvent = z.infer<typeof ClusterEventSchema>;
export type ClusterEventInput = Omit<ClusterEvent, 'seq'>;

export const EventsQuerySchema = z.object({
  /** events with seq > since */
  since: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(10_000).default(10_000),
});
export type EventsQuery = z.input<typeof EventsQuerySchema>;

export const EventsPageSchema = z.object({
  /** false for a cluster without a timeline (not the bundled one): `reason` says why */
  available: z.boolean(),
  reason: z.string().nullable(),
  /** the console server session: `seq` restarts at 1 in a new one, so a reader resets its cursor */
  session: z.string(),
  events: z.array(ClusterEventSchema),
  /** pass as `since` next time */
  next: z.number().int().nonnegative(),
  /** events older than the kept history that this reader missed */
  missed: z.number().int().nonnegative(),
  /** what the sources are doing now: e.g. "reading the metadata log from node 2" */
  sources: z.object({ supervisor: z.string(), metadata: z.string() }),
});
export type EventsPage = z.infer<typeof EventsPageSchema>;

/** Stream socket: start (or resume, with the last `next` and `session`) a live timeline. */
export const EventsSubscribeSchema = z.object({
  type: z.literal('events.subscribe'),
  id: z.string().min(1).max(64),
  clusterId: z.string().min(1),
  since: z.number().int().nonnegative().default(0),
  /** the session the cursor belongs to; another session's cursor restarts at 0 */
  session: z.string().max(64).nullable().default(null),
});

/** Stream socket: the history since the cursor first, then every new batch as it happens. */
export const EventsBatchSchema = z.object({
  type: z.literal('events.batch'),
  id: z.string(),
  session: z.string(),
  events: z.array(ClusterEventSchema),
  next: z.number().int().nonnegative(),
  missed: z.number().int().nonnegative(),
  /** true when the cursor was from another console session: drop what you had */
  reset: z.boolean(),
});
export type EventsBatch = z.infer<typeof EventsBatchSchema>;
