// AlterConfigs (key 33), versions 0-2.
// Behaviour (Kafka semantics): the configs given become the resource's whole set of dynamic
// configs; any dynamic config not named is removed. Every key and value is checked before any
// change: INVALID_CONFIG names the bad key or value (unknown topic config, wrong type, below the
// minimum, not one of the allowed values); a read-only broker config gets INVALID_REQUEST with
// Kafka's "Cannot update these configs dynamically" message. validateOnly checks without
// applying. Topic changes reach the partition logs at once (retention, segment size, ...).
// Errors per resource: UNKNOWN_TOPIC_OR_PARTITION, INVALID_TOPIC_EXCEPTION, INVALID_REQUEST for
// an unsupported resource type or bad broker id.
// A change is answered once every live broker has applied it (REQUEST_TIMED_OUT after 30 s: the
// request has no timeout field).
// Deviation: dynamic broker configs are cluster-wide only, so altering broker "<id>" or ""
// replaces the same cluster-wide set.
// Kafka answers once the controller has committed a change; here every live broker has it
// (DESIGN.md: read-your-writes across nodes).
// Authorization (--acls): ALTER_CONFIGS on the topic (TOPIC_AUTHORIZATION_FAILED) or the
// cluster for a broker (CLUSTER_AUTHORIZATION_FAILED), as Kafka; refused resources are answered
// after the others.

import { alterResources, replaceAll } from '../metadata/config-resources.ts';
import { AlterConfigs } from '../protocol/messages/alter-configs.ts';
import { AclOperation } from '../security/authorizer.ts';
import { configRefusal } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

export default defineHandler(AlterConfigs, '0-2', async (req, ctx) => {
  const md = ctx.broker.metadata;
  const refusals = req.resources.map((r) => ({ r, refused: configRefusal(ctx, AclOperation.ALTER_CONFIGS, r) }));
  const mayAlter = refusals.filter((x) => !x.refused).map((x) => x.r);
  const responses = await alterResources(md, mayAlter, req.validateOnly, (res, r) => replaceAll(md, res, r.configs));
  const refused = refusals.flatMap(({ r, refused }) => (refused ? [{ resourceType: r.resourceType, resourceName: r.resourceName, ...refused }] : []));
  return { throttleTimeMs: 0, responses: [...responses, ...refused] };
});
