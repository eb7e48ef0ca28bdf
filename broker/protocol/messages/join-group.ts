import { api, array, struct, T } from '../schema.ts';

export const JoinGroup = api(
  11,
  'JoinGroup',
  { versions: '0-9', flexible: 6 },
  {
    groupId: T.string,
    sessionTimeoutMs: T.int32,
    rebalanceTimeoutMs: { type: T.int32, v: '1+', default: -1 },
    memberId: T.string,
    groupInstanceId: { type: T.nstring, v: '5+' },
    protocolType: T.string,
    protocols: array(struct({ name: T.string, metadata: T.bytes })),
    reason: { type: T.nstring, v: '8+' },
  },
  {
    throttleTimeMs: { type: T.int32, v: '2+' },
    errorCode: T.int16,
    generationId: { type: T.int32, default: -1 },
    protocolType: { type: T.nstring, v: '7+' },
    protocolName: T.nstring,
    leader: T.string,
    skipAssignment: { type: T.bool, v: '9+' },
    memberId: T.string,
    members: array(
      struct({
        memberId: T.string,
        groupInstanceId: { type: T.nstring, v: '5+' },
        metadata: T.bytes,
      }),
    ),
  },
);
