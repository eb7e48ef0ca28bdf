// IncrementalAlterConfigs (key 44), versions 0-1.
// Behaviour: per config, SET (0) a value, DELETE (1) the dynamic value (back to the broker or
// Kafka default), APPEND (2) / SUBTRACT (3) items of a list config (cleanup.policy) starting
// from its current value. The resulting values are validated as AlterConfigs does before
// anything is applied: INVALID_CONFIG names the bad key or value, APPEND/SUBTRACT on a non-list
// config is INVALID_CONFIG ("Config value append is not allowed for config key: ..."), a
// duplicate key or unknown operation is INVALID_REQUEST, a read-only broker config is
// INVALID_REQUEST with Kafka's "Cannot update these configs dynamically" message.
// validateOnly checks without applying.
// Errors per resource: UNKNOWN_TOPIC_OR_PARTITION, INVALID_TOPIC_EXCEPTION, INVALID_REQUEST for
// an unsupported resource type or bad broker id.
// A change is answered once every live broker has applied it (REQUEST_TIMED_OUT after 30 s: the
// request has no timeout field).
// Deviation: dynamic broker configs are cluster-wide only (broker "<id>" and "" are one set).
// Kafka answers once the controller has committed a change; here every live broker has it
// (DESIGN.md: read-your-writes across nodes).
// Authorization (--acls): ALTER_CONFIGS on the topic (TOPIC_AUTHORIZATION_FAILED) or the
// cluster for a broker (CLUSTER_AUTHORIZATION_FAILED), as Kafka; refused resources are answered
// after the others.

import { alterResources, incremental } from '../metadata/config-resources.ts';
import { IncrementalAlterConfigs } from '../protocol/messages/incremental-alter-configs.ts';
import { AclOperation } from '../security/authorizer.ts';
import { configRefusal } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

export default defineHandler(IncrementalAlterConfigs, '0-1', async (req, ctx) => {
  const md = ctx.broker.metadata;
  const refusals = req.resources.map((r) => ({ r, refused: configRefusal(ctx, AclOperation.ALTER_CONFIGS, r) }));
  const mayAlter = refusals.filter((x) => !x.refused).map((x) => x.r);
  const responses = await alterResources(md, mayAlter, req.validateOnly, (res, r) => incremental(md, res, r.configs));
  const refused = refusals.flatMap(({ r, refused }) => (refused ? [{ resourceType: r.resourceType, resourceName: r.resourceName, ...refused }] : []));
  return { throttleTimeMs: 0, responses: [...responses, ...refused] };
});
