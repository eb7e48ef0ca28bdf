import { api, array, struct, T } from '../schema.ts';
import { RaftListenerEndpoints, RaftNodeEndpoints } from './common.ts';

export const BeginQuorumEpoch = api(
  53,
  'BeginQuorumEpoch',
  { versions: '0-1', flexible: 1, listeners: ['controller'] },
  {
    clusterId: T.nstring,
    voterId: { type: T.int32, v: '1+', default: -1 },
    topics: array(
      struct({
        topicName: T.string,
        partitions: array(
          struct({
            partitionIndex: T.int32,
            voterDirectoryId: { type: T.uuid, v: '1+' },
            leaderId: T.int32,
            leaderEpoch: T.int32,
          }),
        ),
      }),
    ),
    leaderEndpoints: { type: RaftListenerEndpoints, v: '1+' },
  },
  {
    errorCode: T.int16,
    topics: array(
      struct({
        topicName: T.string,
        partitions: array(
          struct({
            partitionIndex: T.int32,
            errorCode: T.int16,
            leaderId: T.int32,
            leaderEpoch: T.int32,
          }),
        ),
      }),
    ),
    nodeEndpoints: { type: RaftNodeEndpoints, v: '1+', tag: 0 },
  },
);
