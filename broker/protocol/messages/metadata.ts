import { api, array, narray, struct, T } from '../schema.ts';

export const Metadata = api(
  3,
  'Metadata',
  { versions: '0-12', flexible: 9 },
  {
    topics: narray(struct({ topicId: { type: T.uuid, v: '10+' }, name: T.nstring })),
    allowAutoTopicCreation: { type: T.bool, v: '4+', default: true },
    includeClusterAuthorizedOperations: { type: T.bool, v: '8-10' },
    includeTopicAuthorizedOperations: { type: T.bool, v: '8+' },
  },
  {
    throttleTimeMs: { type: T.int32, v: '3+' },
    brokers: array(
      struct({
        nodeId: T.int32,
        host: T.string,
        port: T.int32,
        rack: { type: T.nstring, v: '1+' },
      }),
    ),
    clusterId: { type: T.nstring, v: '2+' },
    controllerId: { type: T.int32, v: '1+', default: -1 },
    topics: array(
      struct({
        errorCode: T.int16,
        name: T.nstring,
        topicId: { type: T.uuid, v: '10+' },
        isInternal: { type: T.bool, v: '1+' },
        partitions: array(
          struct({
            errorCode: T.int16,
            partitionIndex: T.int32,
            leaderId: T.int32,
            leaderEpoch: { type: T.int32, v: '7+', default: -1 },
            replicaNodes: array(T.int32),
            isrNodes: array(T.int32),
            offlineReplicas: { type: array(T.int32), v: '5+' },
          }),
        ),
        topicAuthorizedOperations: { type: T.int32, v: '8+', default: -2147483648 },
      }),
    ),
    clusterAuthorizedOperations: { type: T.int32, v: '8-10', default: -2147483648 },
  },
);
