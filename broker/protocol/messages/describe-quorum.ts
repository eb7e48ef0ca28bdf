import { api, array, struct, T } from '../schema.ts';
import { RaftListenerEndpoints } from './common.ts';

const ReplicaState = struct({
  replicaId: T.int32,
  replicaDirectoryId: { type: T.uuid, v: '2+' },
  logEndOffset: T.int64,
  lastFetchTimestamp: { type: T.int64, v: '1+', default: -1 },
  lastCaughtUpTimestamp: { type: T.int64, v: '1+', default: -1 },
});

export const DescribeQuorum = api(
  55,
  'DescribeQuorum',
  { versions: '0-2', flexible: 0, listeners: ['broker', 'controller'] },
  {
    topics: array(
      struct({
        topicName: T.string,
        partitions: array(struct({ partitionIndex: T.int32 })),
      }),
    ),
  },
  {
    errorCode: T.int16,
    errorMessage: { type: T.nstring, v: '2+' },
    topics: array(
      struct({
        topicName: T.string,
        partitions: array(
          struct({
            partitionIndex: T.int32,
            errorCode: T.int16,
            errorMessage: { type: T.nstring, v: '2+' },
            leaderId: T.int32,
            leaderEpoch: T.int32,
            highWatermark: T.int64,
            currentVoters: array(ReplicaState),
            observers: array(ReplicaState),
          }),
        ),
      }),
    ),
    nodes: { type: array(struct({ nodeId: T.int32, listeners: RaftListenerEndpoints })), v: '2+' },
  },
);
