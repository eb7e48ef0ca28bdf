// FindCoordinator (key 10), versions 0-6 (batched `coordinatorKeys` from v4).
// Behaviour: key type 0 (group) answers the leader of the group's `__consumer_offsets` partition
// (abs(javaHashCode(groupId)) % partitions), creating the topic on first use. Key type 1
// (transaction) answers the leader of the transactional id's `__transaction_state` partition
// (same formula), creating that topic on first use (coordinator/txn-log.ts); other key types
// (2 = share groups) answer INVALID_REQUEST.
// Deviation from Kafka: Kafka answers COORDINATOR_NOT_AVAILABLE while it creates an internal
// topic and lets the client retry; here creation completes before the answer.
// Authorization (--acls): DESCRIBE on the group (GROUP_AUTHORIZATION_FAILED) or the transactional
// id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED), as Kafka.

import { ErrorCode } from '../protocol/errors.ts';
import { FindCoordinator } from '../protocol/messages/find-coordinator.ts';
import { partitionForGroup } from '../coordinator/records.ts';
import { AclOperation, ResourceType } from '../security/authorizer.ts';
import { allowed } from '../security/request-authorizer.ts';
import { defineHandler, type RequestContext } from './types.ts';

interface Answer {
  key: string;
  nodeId: number;
  host: string;
  port: number;
  errorCode: number;
  errorMessage: string | null;
}

async function find(ctx: RequestContext, key: string, keyType: number): Promise<Answer> {
  const { broker } = ctx;
  const fail = (errorCode: number, errorMessage: string | null = null): Answer => ({
    key,
    nodeId: -1,
    host: '',
    port: -1,
    errorCode,
    errorMessage,
  });
  if (keyType !== 0 && keyType !== 1) return fail(ErrorCode.INVALID_REQUEST, `unsupported key type ${keyType}`);
  const resource = keyType === 1 ? ResourceType.TRANSACTIONAL_ID : ResourceType.GROUP;
  if (!allowed(ctx, AclOperation.DESCRIBE, resource, key))
    return fail(keyType === 1 ? ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED : ErrorCode.GROUP_AUTHORIZATION_FAILED);
  let node: number | null;
  if (keyType === 1) {
    const ready = await broker.transactions.ready();
    if (typeof ready === 'number') return fail(ready);
    node = broker.transactions.store.leaderNode(broker.transactions.store.partitionFor(key));
  } else {
    const ready = await broker.groups.ready();
    if (typeof ready === 'number') return fail(ready);
    node = broker.groups.store.coordinatorNode(partitionForGroup(key, broker.groups.store.numPartitions()));
  }
  const b = node === null ? undefined : broker.metadata.brokers().find((x) => x.nodeId === node);
  if (!b) return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  return { key, nodeId: b.nodeId, host: b.host, port: b.port, errorCode: ErrorCode.NONE, errorMessage: null };
}

export default defineHandler(FindCoordinator, '0-6', async (req, ctx) => {
  if (ctx.apiVersion >= 4) {
    const coordinators = await Promise.all(req.coordinatorKeys.map((k) => find(ctx, k, req.keyType)));
    return { throttleTimeMs: 0, coordinators };
  }
  const a = await find(ctx, req.key, req.keyType);
  return {
    throttleTimeMs: 0,
    errorCode: a.errorCode,
    errorMessage: a.errorMessage,
    nodeId: a.nodeId,
    host: a.host,
    port: a.port,
  };
});
