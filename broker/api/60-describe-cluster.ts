// DescribeCluster (key 60), versions 0-1.
// Behaviour: the live brokers with their listeners, the cluster id and the controller id (the
// node the metadata store names, as in Metadata). Cluster authorized operations, when asked
// for, are all cluster operations (no ACLs). v1 endpointType BROKER (1) only: asking a broker
// for controller endpoints (2) is MISMATCHED_ENDPOINT_TYPE, as Kafka answers on a broker
// listener; any other value is UNSUPPORTED_ENDPOINT_TYPE.

import { ErrorCode } from '../protocol/errors.ts';
import { DescribeCluster } from '../protocol/messages/describe-cluster.ts';
import { defineHandler } from './types.ts';

// CREATE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE,
// CREATE_TOKENS, DESCRIBE_TOKENS
const ALL_CLUSTER_OPS = [5, 7, 8, 9, 10, 11, 12, 13, 14].reduce((a, op) => a | (1 << op), 0);
const UNREQUESTED_OPS = -2147483648;

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
    clusterAuthorizedOperations: req.includeClusterAuthorizedOperations ? ALL_CLUSTER_OPS : UNREQUESTED_OPS,
  };
});
