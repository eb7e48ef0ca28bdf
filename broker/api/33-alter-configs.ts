// AlterConfigs (key 33), versions 0-2.
// Behaviour (Kafka semantics): the configs given become the resource's whole set of dynamic
// configs; any dynamic config not named is removed. Every key and value is checked before any
// change: INVALID_CONFIG names the bad key or value (unknown topic config, wrong type, below the
// minimum, not one of the allowed values); a read-only broker config gets INVALID_REQUEST with
// Kafka's "Cannot update these configs dynamically" message. validateOnly checks without
// applying. Topic changes reach the partition logs at once (retention, segment size, ...).
// Errors per resource: UNKNOWN_TOPIC_OR_PARTITION, INVALID_TOPIC_EXCEPTION, INVALID_REQUEST for
// an unsupported resource type or bad broker id.
// Deviation: dynamic broker configs are cluster-wide only, so altering broker "<id>" or ""
// replaces the same cluster-wide set.

import { applyChanges, isError, replaceAll, resolveResource } from '../metadata/config-resources.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { AlterConfigs } from '../protocol/messages/alter-configs.ts';
import { defineHandler } from './types.ts';

export default defineHandler(AlterConfigs, '0-2', async (req, ctx) => {
  const md = ctx.broker.metadata;
  const seen = new Set<string>();
  const responses = [];
  for (const r of req.resources) {
    const base = { resourceType: r.resourceType, resourceName: r.resourceName };
    const id = `${r.resourceType}:${r.resourceName}`;
    if (seen.has(id)) {
      responses.push({ ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Duplicate resource in request' });
      continue;
    }
    seen.add(id);
    const res = resolveResource(md, r.resourceType, r.resourceName);
    if (isError(res)) {
      responses.push({ ...base, ...res });
      continue;
    }
    const changes = replaceAll(md, res, r.configs);
    if (isError(changes)) {
      responses.push({ ...base, ...changes });
      continue;
    }
    if (!req.validateOnly) await applyChanges(md, res, changes);
    responses.push({ ...base, errorCode: ErrorCode.NONE, errorMessage: null });
  }
  return { throttleTimeMs: 0, responses };
});
