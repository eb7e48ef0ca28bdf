// The bundled cluster's control, as the Cluster screen sees it: one state (nodes joined from the
// supervisor, the metadata log and each node's /metrics; partitions with their replicas and ISR
// for the replica map) fetched once and then pushed over the stream socket (`cluster.subscribe`)
// on every change; node actions (kill -9, pause, resume, stop, restart, add, remove) forwarded to
// the supervisor; the consequences of an action computed from the metadata before the user
// confirms it; leader elections through the Kafka API.
import { z } from 'zod';
import { NodeResultSchema, NodeStatusSchema, RemovedResultSchema } from './control.ts';

export const NodeMetricsSchema = z.object({
  /** produced bytes appended as leader per second (BytesInPerSec), replication excluded */
  bytesInPerSec: z.number().nullable(),
  /** bytes sent to consumers per second (BytesOutPerSec), replication excluded */
  bytesOutPerSec: z.number().nullable(),
  /** CPU time per second of wall time, in percent of one core */
  cpuPercent: z.number().nullable(),
  rssBytes: z.number().nullable(),
  /** ms since the epoch of the scrape */
  at: z.number(),
});
export type NodeMetrics = z.infer<typeof NodeMetricsSchema>;

export const ClusterNodeSchema = NodeStatusSchema.extend({
  /** the controller's view: false = live broker, true = fenced, null = never registered */
  fenced: z.boolean().nullable(),
  /** the latest sample of its /metrics; null when it is not running or has no endpoint */
  metrics: NodeMetricsSchema.nullable(),
});
export type ClusterNode = z.infer<typeof ClusterNodeSchema>;

export const PartitionRowSchema = z.object({
  topic: z.string(),
  partition: z.number().int(),
  internal: z.boolean(),
  /** -1: offline (no leader) */
  leader: z.number().int(),
  leaderEpoch: z.number().int(),
  replicas: z.array(z.number().int()),
  isr: z.array(z.number().int()),
  /** a reassignment in progress */
  adding: z.array(z.number().int()),
  removing: z.array(z.number().int()),
  minInsyncReplicas: z.number().int(),
});
export type PartitionRow = z.infer<typeof PartitionRowSchema>;

export const QuorumSchema = z.object({
  voters: z.array(z.number().int()),
  /** voters that must be live for the metadata quorum to work */
  majority: z.number().int(),
  liveVoters: z.number().int(),
});

export const ClusterStateSchema = z.object({
  available: z.boolean(),
  reason: z.string().nullable(),
  clusterId: z.string().nullable(),
  controllerId: z.number().int(),
  nodes: z.array(ClusterNodeSchema),
  quorum: QuorumSchema,
  partitions: z.array(PartitionRowSchema),
  /** offset of the last metadata record applied (-1: none read yet) */
  metadataOffset: z.number().int(),
  sources: z.object({ supervisor: z.string(), metadata: z.string(), nodes: z.string() }),
});
export type ClusterState = z.infer<typeof ClusterStateSchema>;

export const NodeActionSchema = z.enum(['kill', 'pause', 'resume', 'stop', 'restart']);
export type NodeAction = z.infer<typeof NodeActionSchema>;
export const ImpactActionSchema = z.enum([...NodeActionSchema.options, 'add', 'remove']);
export type ImpactAction = z.infer<typeof ImpactActionSchema>;

export { NodeResultSchema };
export const RemovedSchema = RemovedResultSchema;

export const ImpactQuerySchema = z.object({
  action: ImpactActionSchema,
  /** absent for add */
  nodeId: z.coerce.number().int().positive().optional(),
});

export const ImpactSchema = z.object({
  action: ImpactActionSchema,
  nodeId: z.number().int().nullable(),
  /** what the button does, in one sentence */
  summary: z.string(),
  /** what will follow, computed from the metadata now */
  consequences: z.array(z.string()),
  /** danger: data becomes unavailable or the quorum stops; warning: leaders move, ISRs shrink */
  severity: z.enum(['info', 'warning', 'danger']),
  /** the supervisor will refuse it, and why (e.g. a voter cannot be removed) */
  refusal: z.string().nullable(),
});
export type Impact = z.infer<typeof ImpactSchema>;

export const TopicPartitionSchema = z.object({ topic: z.string().min(1), partition: z.number().int().min(0) });

export const ElectLeadersRequestSchema = z.object({
  /** preferred: the first replica leads again if it is in sync */
  type: z.literal('preferred').default('preferred'),
  /** null: every partition */
  partitions: z.array(TopicPartitionSchema).max(10_000).nullable().default(null),
});
export type ElectLeadersRequest = z.input<typeof ElectLeadersRequestSchema>;

export const ElectLeadersResponseSchema = z.object({
  results: z.array(
    TopicPartitionSchema.extend({
      /** NONE, ELECTION_NOT_NEEDED, PREFERRED_LEADER_NOT_AVAILABLE ... */
      code: z.string(),
      message: z.string().nullable(),
    }),
  ),
});
export type ElectLeadersResponse = z.infer<typeof ElectLeadersResponseSchema>;

export const ReassignRequestSchema = z.object({
  partitions: z
    .array(
      TopicPartitionSchema.extend({
        /** the new replica set in order (the first is the preferred leader); null cancels the one in progress */
        replicas: z.array(z.number().int().positive()).min(1).max(64).nullable(),
      }),
    )
    .min(1)
    .max(10_000),
});
export type ReassignRequest = z.infer<typeof ReassignRequestSchema>;
export const ReassignResponseSchema = ElectLeadersResponseSchema;
export type ReassignResponse = ElectLeadersResponse;

export const ReassignmentsQuerySchema = z.object({ topic: z.string().min(1), partition: z.coerce.number().int().min(0) });
export const ReassignmentsSchema = z.object({
  /** in progress (ListPartitionReassignments): all replicas now, those joining and those leaving */
  reassignments: z.array(
    TopicPartitionSchema.extend({ replicas: z.array(z.number().int()), adding: z.array(z.number().int()), removing: z.array(z.number().int()) }),
  ),
});
export type Reassignments = z.infer<typeof ReassignmentsSchema>;

/** Stream socket: the cluster state now, then again on every change. */
export const ClusterSubscribeSchema = z.object({
  type: z.literal('cluster.subscribe'),
  id: z.string().min(1).max(64),
  clusterId: z.string().min(1),
});
export const ClusterStateMessageSchema = z.object({ type: z.literal('cluster.state'), id: z.string(), state: ClusterStateSchema });
