import { api, array, narray, nstruct, struct, T } from '../schema.ts';

export const DescribeTopicPartitions = api(
  75,
  'DescribeTopicPartitions',
  { versions: '0', flexible: 0 },
  {
    topics: array(struct({ name: T.string })),
    responsePartitionLimit: { type: T.int32, default: 2000 },
    cursor: nstruct({ topicName: T.string, partitionIndex: T.int32 }),
  },
  {
    throttleTimeMs: T.int32,
    topics: array(
      struct({
        errorCode: T.int16,
        name: T.nstring,
        topicId: T.uuid,
        isInternal: T.bool,
        partitions: array(
          struct({
            errorCode: T.int16,
            partitionIndex: T.int32,
            leaderId: T.int32,
            leaderEpoch: { type: T.int32, default: -1 },
            replicaNodes: array(T.int32),
            isrNodes: array(T.int32),
            eligibleLeaderReplicas: narray(T.int32),
            lastKnownElr: narray(T.int32),
            offlineReplicas: array(T.int32),
          }),
        ),
        topicAuthorizedOperations: { type: T.int32, default: -2147483648 },
      }),
    ),
    nextCursor: nstruct({ topicName: T.string, partitionIndex: T.int32 }),
  },
);
