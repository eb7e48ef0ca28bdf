import { api, array, struct, T } from '../schema.ts';

const TopicPartitions = struct({ topicId: T.uuid, topicName: T.string, partitions: array(T.int32) });

const Assignment = struct({ topicPartitions: array(TopicPartitions) });

export const ConsumerGroupDescribe = api(
  69,
  'ConsumerGroupDescribe',
  { versions: '0', flexible: 0 },
  {
    groupIds: array(T.string),
    includeAuthorizedOperations: T.bool,
  },
  {
    throttleTimeMs: T.int32,
    groups: array(
      struct({
        errorCode: T.int16,
        errorMessage: T.nstring,
        groupId: T.string,
        groupState: T.string,
        groupEpoch: T.int32,
        assignmentEpoch: T.int32,
        assignorName: T.string,
        members: array(
          struct({
            memberId: T.string,
            instanceId: T.nstring,
            rackId: T.nstring,
            memberEpoch: T.int32,
            clientId: T.string,
            clientHost: T.string,
            subscribedTopicNames: array(T.string),
            subscribedTopicRegex: T.nstring,
            assignment: Assignment,
            targetAssignment: Assignment,
          }),
        ),
        authorizedOperations: { type: T.int32, default: -2147483648 },
      }),
    ),
  },
);
