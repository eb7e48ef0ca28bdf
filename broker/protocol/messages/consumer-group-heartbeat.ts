import { api, array, narray, nstruct, struct, T } from '../schema.ts';

const TopicPartitions = struct({ topicId: T.uuid, partitions: array(T.int32) });

export const ConsumerGroupHeartbeat = api(
  68,
  'ConsumerGroupHeartbeat',
  { versions: '0-1', flexible: 0 },
  {
    groupId: T.string,
    memberId: T.string,
    memberEpoch: T.int32,
    instanceId: T.nstring,
    rackId: T.nstring,
    rebalanceTimeoutMs: { type: T.int32, default: -1 },
    subscribedTopicNames: narray(T.string),
    subscribedTopicRegex: { type: T.nstring, v: '1+' },
    serverAssignor: T.nstring,
    topicPartitions: narray(TopicPartitions),
  },
  {
    throttleTimeMs: T.int32,
    errorCode: T.int16,
    errorMessage: T.nstring,
    memberId: T.nstring,
    memberEpoch: T.int32,
    heartbeatIntervalMs: T.int32,
    assignment: nstruct({ topicPartitions: array(TopicPartitions) }),
  },
);
