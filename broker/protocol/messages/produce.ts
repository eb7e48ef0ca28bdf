import { api, array, struct, T } from '../schema.ts';
import { LeaderIdAndEpoch, NodeEndpoints } from './common.ts';

export const Produce = api(
  0,
  'Produce',
  { versions: '0-11', flexible: 9 },
  {
    transactionalId: { type: T.nstring, v: '3+' },
    acks: T.int16,
    timeoutMs: T.int32,
    topicData: array(
      struct({
        name: T.string,
        partitionData: array(struct({ index: T.int32, records: T.records })),
      }),
    ),
  },
  {
    responses: array(
      struct({
        name: T.string,
        partitionResponses: array(
          struct({
            index: T.int32,
            errorCode: T.int16,
            baseOffset: T.int64,
            logAppendTimeMs: { type: T.int64, v: '2+', default: -1 },
            logStartOffset: { type: T.int64, v: '5+', default: -1 },
            recordErrors: {
              type: array(struct({ batchIndex: T.int32, batchIndexErrorMessage: T.nstring })),
              v: '8+',
            },
            errorMessage: { type: T.nstring, v: '8+' },
            currentLeader: { type: LeaderIdAndEpoch, v: '10+', tag: 0 },
          }),
        ),
      }),
    ),
    throttleTimeMs: { type: T.int32, v: '1+' },
    nodeEndpoints: { type: NodeEndpoints, v: '10+', tag: 0 },
  },
);
