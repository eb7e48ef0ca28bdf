import { api, array, struct, T } from '../schema.ts';

export const DescribeCluster = api(
  60,
  'DescribeCluster',
  { versions: '0-1', flexible: 0, listeners: ['broker', 'controller'] },
  {
    includeClusterAuthorizedOperations: T.bool,
    endpointType: { type: T.int8, v: '1+', default: 1 },
  },
  {
    throttleTimeMs: T.int32,
    errorCode: T.int16,
    errorMessage: T.nstring,
    endpointType: { type: T.int8, v: '1+', default: 1 },
    clusterId: T.string,
    controllerId: { type: T.int32, default: -1 },
    brokers: array(struct({ brokerId: T.int32, host: T.string, port: T.int32, rack: T.nstring })),
    clusterAuthorizedOperations: { type: T.int32, default: -2147483648 },
  },
);
