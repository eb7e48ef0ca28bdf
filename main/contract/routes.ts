// The route table: method, path, body and response schema of every HTTP endpoint. The server
// registers handlers against it and the renderer's client derives its calls from it, so the two
// cannot drift apart.
import { z } from 'zod';
import { AddClusterRequestSchema, ClusterListSchema, ClusterSummarySchema, OverviewSchema } from './clusters.ts';
import {
  ClusterStateSchema,
  ElectLeadersRequestSchema,
  ElectLeadersResponseSchema,
  ReassignmentsQuerySchema,
  ReassignmentsSchema,
  ReassignRequestSchema,
  ReassignResponseSchema,
  ImpactQuerySchema,
  ImpactSchema,
  NodeResultSchema,
  RemovedSchema,
} from './cluster-control.ts';
import { OkSchema } from './errors.ts';
import { FailoverDemoKillResponseSchema, FailoverDemoStartSchema, FailoverDemoStatsSchema } from './failover-demo.ts';
import { EventsPageSchema, EventsQuerySchema } from './events.ts';
import {
  GroupDetailSchema,
  GroupListSchema,
  ResetOffsetsRequestSchema,
  ResetOffsetsResponseSchema,
} from './groups.ts';
import { MetricsHistorySchema, MetricsQuerySchema } from './metrics.ts';
import { BrowseRequestSchema, BrowseResponseSchema, ProduceRequestSchema, ProduceResponseSchema } from './messages.ts';
import {
  AddPartitionsRequestSchema,
  AlterConfigsRequestSchema,
  CreateTopicRequestSchema,
  TopicConfigsSchema,
  TopicDetailSchema,
  TopicGroupsSchema,
  TopicListSchema,
  TopicSummarySchema,
} from './topics.ts';
import {
  AclBindingSchema,
  AclFilterSchema,
  AclListSchema,
  CreateAclRequestSchema,
  DeleteAclsRequestSchema,
  DeletedAclsSchema,
  ScramUserListSchema,
  UpsertScramUserRequestSchema,
} from './security.ts';
import { TopicProducersSchema, TransactionListSchema } from './transactions.ts';
import { ProducerLabStartSchema, ProducerLabStatsSchema } from './producer-lab.ts';
import { WorkloadListSchema, WorkloadStartSchema, WorkloadStatsSchema } from './workloads.ts';
import { GroupMembersListSchema, GroupMembersSetSchema, GroupMembersStatsSchema } from './group-members.ts';

export const SessionSchema = z.object({
  version: z.string(),
  bundledClusterId: z.string().nullable(),
  /** How saved remote-cluster passwords are kept: sealed with an OS key, or in a user-only plain file. */
  passwordStorage: z.enum(['os-encrypted', 'plain-file']),
});
export type Session = z.infer<typeof SessionSchema>;

/** The body of a POST that needs none (bodies are JSON, always). */
export const EmptyBodySchema = z.object({}).strict();

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface RouteDef {
  method: Method;
  path: string;
  body?: z.ZodType;
  /** URL query parameters (strings in, coerced by the schema) */
  query?: z.ZodType;
  response: z.ZodType;
}

const route = <const R extends RouteDef>(r: R) => r;

export const routes = {
  session: route({ method: 'GET', path: '/api/session', response: SessionSchema }),
  listClusters: route({ method: 'GET', path: '/api/clusters', response: ClusterListSchema }),
  addCluster: route({ method: 'POST', path: '/api/clusters', body: AddClusterRequestSchema, response: ClusterSummarySchema }),
  removeCluster: route({ method: 'DELETE', path: '/api/clusters/:clusterId', response: OkSchema }),
  overview: route({ method: 'GET', path: '/api/clusters/:clusterId/overview', response: OverviewSchema }),
  listTopics: route({ method: 'GET', path: '/api/clusters/:clusterId/topics', response: TopicListSchema }),
  createTopic: route({
    method: 'POST',
    path: '/api/clusters/:clusterId/topics',
    body: CreateTopicRequestSchema,
    response: TopicSummarySchema,
  }),
  topicDetail: route({ method: 'GET', path: '/api/clusters/:clusterId/topics/:topic', response: TopicDetailSchema }),
  deleteTopic: route({ method: 'DELETE', path: '/api/clusters/:clusterId/topics/:topic', response: OkSchema }),
  addPartitions: route({
    method: 'POST',
    path: '/api/clusters/:clusterId/topics/:topic/partitions',
    body: AddPartitionsRequestSchema,
    response: OkSchema,
  }),
  topicConfigs: route({ method: 'GET', path: '/api/clusters/:clusterId/topics/:topic/configs', response: TopicConfigsSchema }),
  alterTopicConfigs: route({
    method: 'PATCH',
    path: '/api/clusters/:clusterId/topics/:topic/configs',
    body: AlterConfigsRequestSchema,
    response: TopicConfigsSchema,
  }),
  topicGroups: route({ method: 'GET', path: '/api/clusters/:clusterId/topics/:topic/groups', response: TopicGroupsSchema }),
  browse: route({
    method: 'POST',
    path: '/api/clusters/:clusterId/topics/:topic/browse',
    body: BrowseRequestSchema,
    response: BrowseResponseSchema,
  }),
  produce: route({
    method: 'POST',
    path: '/api/clusters/:clusterId/topics/:topic/messages',
    body: ProduceRequestSchema,
    response: ProduceResponseSchema,
  }),
  listGroups: route({ method: 'GET', path: '/api/clusters/:clusterId/groups', response: GroupListSchema }),
  groupDetail: route({ method: 'GET', path: '/api/clusters/:clusterId/groups/:groupId', response: GroupDetailSchema }),
  resetOffsets: route({
    method: 'POST',
    path: '/api/clusters/:clusterId/groups/:groupId/reset-offsets',
    body: ResetOffsetsRequestSchema,
    response: ResetOffsetsResponseSchema,
  }),
  deleteGroup: route({ method: 'DELETE', path: '/api/clusters/:clusterId/groups/:groupId', response: OkSchema }),
  clusterEvents: route({ method: 'GET', path: '/api/clusters/:clusterId/events', query: EventsQuerySchema, response: EventsPageSchema }),
  clusterState: route({ method: 'GET', path: '/api/clusters/:clusterId/cluster-state', response: ClusterStateSchema }),
  nodeAction: route({
    method: 'POST',
    path: '/api/clusters/:clusterId/nodes/:nodeId/:action',
    body: EmptyBodySchema,
    response: NodeResultSchema,
  }),
  addNode: route({ method: 'POST', path: '/api/clusters/:clusterId/nodes', body: EmptyBodySchema, response: NodeResultSchema }),
  removeNode: route({ method: 'DELETE', path: '/api/clusters/:clusterId/nodes/:nodeId', response: RemovedSchema }),
  actionImpact: route({ method: 'GET', path: '/api/clusters/:clusterId/impact', query: ImpactQuerySchema, response: ImpactSchema }),
  electLeaders: route({
    method: 'POST',
    path: '/api/clusters/:clusterId/elect-leaders',
    body: ElectLeadersRequestSchema,
    response: ElectLeadersResponseSchema,
  }),
  reassign: route({
    method: 'POST',
    path: '/api/clusters/:clusterId/reassignments',
    body: ReassignRequestSchema,
    response: ReassignResponseSchema,
  }),
  reassignments: route({ method: 'GET', path: '/api/clusters/:clusterId/reassignments', query: ReassignmentsQuerySchema, response: ReassignmentsSchema }),
  failoverDemoStart: route({
    method: 'POST',
    path: '/api/clusters/:clusterId/failover-demo/start',
    body: FailoverDemoStartSchema,
    response: FailoverDemoStatsSchema,
  }),
  /** The demo's counters now (the stream socket pushes the same; a headless caller polls this). */
  failoverDemoStats: route({ method: 'GET', path: '/api/clusters/:clusterId/failover-demo', response: FailoverDemoStatsSchema }),
  failoverDemoStop: route({ method: 'POST', path: '/api/clusters/:clusterId/failover-demo/stop', body: EmptyBodySchema, response: FailoverDemoStatsSchema }),
  failoverDemoKillLeader: route({
    method: 'POST',
    path: '/api/clusters/:clusterId/failover-demo/kill-leader',
    body: EmptyBodySchema,
    response: FailoverDemoKillResponseSchema,
  }),
  /** Every demo workload of this cluster with its state and live rates. */
  listWorkloads: route({ method: 'GET', path: '/api/clusters/:clusterId/workloads', response: WorkloadListSchema }),
  workloadStart: route({ method: 'POST', path: '/api/clusters/:clusterId/workloads/start', body: WorkloadStartSchema, response: WorkloadStatsSchema }),
  workloadStop: route({ method: 'POST', path: '/api/clusters/:clusterId/workloads/:name/stop', body: EmptyBodySchema, response: WorkloadStatsSchema }),
  /** The consumer groups in which the console runs members, each member with its partitions and records read. */
  listGroupMembers: route({ method: 'GET', path: '/api/clusters/:clusterId/group-members', response: GroupMembersListSchema }),
  /** Runs `count` console members in a group on a topic (0: they all leave); answers once they joined or left. */
  setGroupMembers: route({ method: 'POST', path: '/api/clusters/:clusterId/group-members', body: GroupMembersSetSchema, response: GroupMembersStatsSchema }),
  /** The producer lab of this cluster: its producers' counters and per-second series. */
  producerLab: route({ method: 'GET', path: '/api/clusters/:clusterId/producer-lab', response: ProducerLabStatsSchema }),
  producerLabStart: route({ method: 'POST', path: '/api/clusters/:clusterId/producer-lab/start', body: ProducerLabStartSchema, response: ProducerLabStatsSchema }),
  /** Stops the producers; with verify, answers once the topics were read back. */
  producerLabStop: route({ method: 'POST', path: '/api/clusters/:clusterId/producer-lab/stop', body: EmptyBodySchema, response: ProducerLabStatsSchema }),
  listTransactions: route({ method: 'GET', path: '/api/clusters/:clusterId/transactions', response: TransactionListSchema }),
  topicProducers: route({ method: 'GET', path: '/api/clusters/:clusterId/topics/:topic/producers', response: TopicProducersSchema }),
  /** ACL bindings matching a filter (DescribeAcls); every field of the filter is optional. */
  listAcls: route({ method: 'GET', path: '/api/clusters/:clusterId/acls', query: AclFilterSchema, response: AclListSchema }),
  createAcl: route({ method: 'POST', path: '/api/clusters/:clusterId/acls', body: CreateAclRequestSchema, response: AclBindingSchema }),
  /** Deletes every binding the filter matches (DeleteAcls) and answers with them. */
  deleteAcls: route({ method: 'POST', path: '/api/clusters/:clusterId/acls/delete', body: DeleteAclsRequestSchema, response: DeletedAclsSchema }),
  listScramUsers: route({ method: 'GET', path: '/api/clusters/:clusterId/scram-users', response: ScramUserListSchema }),
  /** Creates the user's credential for a mechanism, or changes its password. */
  upsertScramUser: route({ method: 'POST', path: '/api/clusters/:clusterId/scram-users', body: UpsertScramUserRequestSchema, response: OkSchema }),
  deleteScramCredential: route({ method: 'DELETE', path: '/api/clusters/:clusterId/scram-users/:user/:mechanism', response: OkSchema }),
  /** A view's metrics history for a window (the same answer a `metrics.subscribe` starts with). */
  metricsHistory: route({
    method: 'POST',
    path: '/api/clusters/:clusterId/metrics/history',
    body: MetricsQuerySchema,
    response: MetricsHistorySchema,
  }),
} as const;

export type Routes = typeof routes;
export type RouteName = keyof Routes;

type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

export type RouteParams<N extends RouteName> = { [K in ParamNames<Routes[N]['path']>]: string };
export type RouteQuery<N extends RouteName> = Routes[N] extends { query: z.ZodType } ? z.input<Routes[N]['query']> : unknown;
export type RouteBody<N extends RouteName> = Routes[N] extends { body: z.ZodType } ? z.input<Routes[N]['body']> : undefined;
export type RouteResponse<N extends RouteName> = z.infer<Routes[N]['response']>;

/** Fills `:name` segments, URL-encoding each value (topic names may contain dots). */
export function buildPath(pattern: string, params: Record<string, string>): string {
  return pattern.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(v);
  });
}
