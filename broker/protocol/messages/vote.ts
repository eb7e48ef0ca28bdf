import { api, array, struct, T } from '../schema.ts';
import { RaftNodeEndpoints } from './common.ts';

export const Vote = api(
  52,
  'Vote',
  { versions: '0-1', flexible: 0, listeners: ['controller'] },
  {
    clusterId: T.nstring,
    voterId: { type: T.int32, v: '1+', default: -1 },
    topics: array(
      struct({
        topicName: T.string,
        partitions: array(
          struct({
            partitionIndex: T.int32,
            candidateEpoch: T.int32,
            candidateId: T.int32,
            candidateDirectoryId: { type: T.uuid, v: '1+' },
            voterDirectoryId: { type: T.uuid, v: '1+' },
            lastOffsetEpoch: T.int32,
            lastOffset: T.int64,
          }),
        ),
      }),
    ),
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
            voteGranted: T.bool,
          }),
        ),
      }),
    ),
    nodeEndpoints: { type: RaftNodeEndpoints, v: '1+', tag: 0 },
  },
);
