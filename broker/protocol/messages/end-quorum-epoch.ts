import { api, array, struct, T } from '../schema.ts';
import { RaftListenerEndpoints, RaftNodeEndpoints } from './common.ts';

export const EndQuorumEpoch = api(
  54,
  'EndQuorumEpoch',
  { versions: '0-1', flexible: 1, listeners: ['controller'] },
  {
    clusterId: T.nstring,
    topics: array(
      struct({
        topicName: T.string,
        partitions: array(
          struct({
            partitionIndex: T.int32,
            leaderId: T.int32,
            leaderEpoch: T.int32,
            preferredSuccessors: { type: array(T.int32), v: '0' },
            preferredCandidates: {
              type: array(struct({ candidateId: T.int32, candidateDirectoryId: T.uuid })),
              v: '1+',
            },
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
