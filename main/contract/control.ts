// The supervisor's control contract: what `samsa node ...` and the console server send to the
// local control endpoint of a running `samsa cluster` / `samsa serve` / app, and what they get
// back. Transport: HTTP over a Unix domain socket in the data dir (broker/supervisor/control-*),
// `POST /control/<op>` with a JSON body and `authorization: Bearer <token>`; errors are the
// console's `{ error: { code, message } }`. Node states and supervisor events are part of it so
// the console can show them (node table, timeline) without a second definition.
import { z } from 'zod';

/**
 * starting: spawned, not listening yet; running; paused (SIGSTOP); stopping: asked to stop,
 * not exited yet; stopped: exited after being asked to stop; dead: killed or crashed.
 */
export const NodeStateSchema = z.enum(['starting', 'running', 'paused', 'stopping', 'stopped', 'dead']);
export type NodeState = z.infer<typeof NodeStateSchema>;

export const NodeExitSchema = z.object({
  code: z.number().int().nullable(),
  signal: z.string().nullable(),
  /** ms since the epoch */
  at: z.number(),
});
export type NodeExit = z.infer<typeof NodeExitSchema>;

export const NodeStatusSchema = z.object({
  id: z.number().int().positive(),
  /** pid of the current process, or of the last one once it exited */
  pid: z.number().int(),
  state: NodeStateSchema,
  host: z.string(),
  port: z.number().int(),
  /** voter: a member of the metadata quorum; observer: a broker that only follows it */
  role: z.enum(['voter', 'observer']),
  /** whether the cluster's metadata names this node as the active controller */
  controller: z.boolean(),
  /** ms since the epoch when the current process started listening; null when not running */
  startedAt: z.number().nullable(),
  uptimeMs: z.number().nullable(),
  /** partitions this node leads / hosts a replica of, from Metadata; null if unavailable */
  leaders: z.number().int().nullable(),
  partitions: z.number().int().nullable(),
  /** how the last process of this node ended; null while the first one runs */
  lastExit: NodeExitSchema.nullable(),
  logFile: z.string(),
  /** the node's Prometheus endpoint (http://127.0.0.1:<port>/metrics), the last one once it
   *  exited; its port also serves GET /metadata/records; null with --no-metrics or before the
   *  first start */
  metricsUrl: z.string().nullable(),
});
export type NodeStatus = z.infer<typeof NodeStatusSchema>;

export const SupervisorEventTypeSchema = z.enum([
  'started', // listening (pid, port)
  'stopped', // exited after a stop request
  'killed', // exited after a kill request (SIGKILL)
  'exited', // exited on its own or from a signal the supervisor did not send: a crash
  'paused',
  'resumed',
  'added',
  'removed',
]);

export const SupervisorEventSchema = z.object({
  /** increasing from 1 within one supervisor run; the cursor of the `events` op */
  seq: z.number().int().positive(),
  at: z.number(),
  type: SupervisorEventTypeSchema,
  nodeId: z.number().int(),
  pid: z.number().int(),
  code: z.number().int().nullable(),
  signal: z.string().nullable(),
});
export type SupervisorEvent = z.infer<typeof SupervisorEventSchema>;

const NodeIdRequestSchema = z.object({ id: z.number().int().positive() }).strict();
const EmptyRequestSchema = z.object({}).strict();

export const NodeListSchema = z.object({
  clusterId: z.string(),
  /** the supervisor's process id */
  pid: z.number().int(),
  controllerId: z.number().int().nullable(),
  /** why leaders/partitions are null (no running node answered Metadata) */
  metadataError: z.string().nullable(),
  nodes: z.array(NodeStatusSchema),
});
export type NodeList = z.infer<typeof NodeListSchema>;

export const NodeResultSchema = z.object({ node: NodeStatusSchema });
export const EventsRequestSchema = z
  .object({
    /** return events with seq > since */
    since: z.number().int().nonnegative().default(0),
    /** wait up to this long for a first event when there is none yet (long poll) */
    waitMs: z.number().int().min(0).max(60_000).default(0),
  })
  .strict();
export const EventsResponseSchema = z.object({
  /** identifies the supervisor run: seq restarts at 1 in a new run, so reset the cursor */
  run: z.string(),
  events: z.array(SupervisorEventSchema),
  /** pass as `since` next time */
  next: z.number().int().nonnegative(),
  /** events older than the kept history that the caller missed */
  missed: z.number().int().nonnegative(),
});
export type EventsResponse = z.infer<typeof EventsResponseSchema>;

/** One partition moving off a node being removed: its replicas now and after (first = preferred leader). */
export const MoveSchema = z.object({
  topic: z.string(),
  partition: z.number().int(),
  from: z.array(z.number().int()),
  to: z.array(z.number().int()),
});
export const RemovalPlanSchema = z.object({ nodeId: z.number().int(), moves: z.array(MoveSchema) });
export type RemovalPlan = z.infer<typeof RemovalPlanSchema>;
/** moved: partitions reassigned off the node before it was stopped */
export const RemovedResultSchema = z.object({ removed: z.number().int(), moved: z.number().int() });

const op = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) => ({ request, response });

export const controlOps = {
  list: op(EmptyRequestSchema, NodeListSchema),
  kill: op(NodeIdRequestSchema, NodeResultSchema),
  pause: op(NodeIdRequestSchema, NodeResultSchema),
  resume: op(NodeIdRequestSchema, NodeResultSchema),
  stop: op(NodeIdRequestSchema, NodeResultSchema),
  restart: op(NodeIdRequestSchema, NodeResultSchema),
  add: op(EmptyRequestSchema, NodeResultSchema),
  /** where the replicas of a node would go if it were removed now (REFUSED when it cannot be) */
  removal: op(NodeIdRequestSchema, RemovalPlanSchema),
  /** reassigns the node's replicas away, waits until none is left, then stops and forgets it */
  remove: op(NodeIdRequestSchema, RemovedResultSchema),
  events: op(EventsRequestSchema, EventsResponseSchema),
};
export type ControlOp = keyof typeof controlOps;
export type ControlRequest<O extends ControlOp> = z.input<(typeof controlOps)[O]['request']>;
export type ControlResponse<O extends ControlOp> = z.infer<(typeof controlOps)[O]['response']>;
/** controlOps typed per op, so `responseSchema[op]` parses to ControlResponse<O> for a generic O. */
export const responseSchema: { [O in ControlOp]: z.ZodType<ControlResponse<O>> } = {
  list: controlOps.list.response,
  kill: controlOps.kill.response,
  pause: controlOps.pause.response,
  resume: controlOps.resume.response,
  stop: controlOps.stop.response,
  restart: controlOps.restart.response,
  add: controlOps.add.response,
  removal: controlOps.removal.response,
  remove: controlOps.remove.response,
  events: controlOps.events.response,
};
export const isControlOp = (s: string): s is ControlOp => Object.hasOwn(controlOps, s);

/**
 * Error codes: UNAUTHORIZED (no or wrong token), FORBIDDEN (the endpoint's files are not private
 * to its user), BAD_REQUEST, NOT_FOUND (no such op or node), INVALID_STATE (e.g. already paused),
 * REFUSED (a remove that would leave a partition short of replicas, or of a voter), UNAVAILABLE (cluster still starting), INTERNAL.
 */
export const ControlErrorCodeSchema = z.enum([
  'UNAUTHORIZED',
  'FORBIDDEN',
  'BAD_REQUEST',
  'NOT_FOUND',
  'INVALID_STATE',
  'REFUSED',
  'UNAVAILABLE',
  'INTERNAL',
]);
export type ControlErrorCode = z.infer<typeof ControlErrorCodeSchema>;
export const ControlErrorBodySchema = z.object({ error: z.object({ code: ControlErrorCodeSchema, message: z.string() }) });
