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
// Deviation: dynamic broker configs are cluster-wide only (broker "<id>" and "" are one set).

import { applyChanges, incremental, isError, resolveResource } from '../metadata/config-resources.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { IncrementalAlterConfigs } from '../protocol/messages/incremental-alter-configs.ts';
import { defineHandler } from './types.ts';

export default defineHandler(IncrementalAlterConfigs, '0-1', async (req, ctx) => {
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
    const changes = incremental(md, res, r.configs);
    if (isError(changes)) {
      responses.push({ ...base, ...changes });
      continue;
    }
    if (!req.validateOnly) await applyChanges(md, res, changes);
    responses.push({ ...base, errorCode: ErrorCode.NONE, errorMessage: null });
  }
  return { throttleTimeMs: 0, responses };
});
