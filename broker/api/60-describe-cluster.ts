// DescribeCluster (key 60), versions 0-1.
// Behaviour: the live brokers with their listeners, the cluster id and the controller id (the
// node the metadata store names, as in Metadata). Cluster authorized operations, when asked
// for, are the principal's on the cluster (every cluster operation without an authorizer);
// DescribeCluster itself needs no ACL, as Kafka. v1 endpointType BROKER (1) only: asking a broker
// for controller endpoints (2) is MISMATCHED_ENDPOINT_TYPE, as Kafka answers on a broker
// listener; any other value is UNSUPPORTED_ENDPOINT_TYPE.

import { ErrorCode } from '../protocol/errors.ts';
import { DescribeCluster } from '../protocol/messages/describe-cluster.ts';
import { CLUSTER_NAME, ResourceType } from '../security/authorizer.ts';
import { operationsOf } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

export default defineHandler(DescribeCluster, '0-1', (req, ctx) => {
  const md = ctx.broker.metadata;
  const base = { throttleTimeMs: 0, endpointType: req.endpointType, clusterId: md.clusterId };
  if (req.endpointType !== 1) {
    const mismatched = req.endpointType === 2;
    return {
      ...base,
      errorCode: mismatched ? ErrorCode.MISMATCHED_ENDPOINT_TYPE : ErrorCode.UNSUPPORTED_ENDPOINT_TYPE,
      errorMessage: mismatched
        ? 'The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER'
        : `Unsupported endpoint type ${req.endpointType}`,
      brokers: [],
    };
  }
  return {
    ...base,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    controllerId: md.controllerId,
    brokers: md.brokers().map((b) => ({ brokerId: b.nodeId, host: b.host, port: b.port, rack: b.rack })),
    clusterAuthorizedOperations: operationsOf(ctx, req.includeClusterAuthorizedOperations, ResourceType.CLUSTER, CLUSTER_NAME),
  };
});
