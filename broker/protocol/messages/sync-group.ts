import { api, array, struct, T } from '../schema.ts';

export const SyncGroup = api(
  14,
  'SyncGroup',
  { versions: '0-5', flexible: 4 },
  {
    groupId: T.string,
    generationId: T.int32,
    memberId: T.string,
    groupInstanceId: { type: T.nstring, v: '3+' },
    protocolType: { type: T.nstring, v: '5+' },
    protocolName: { type: T.nstring, v: '5+' },
    assignments: array(struct({ memberId: T.string, assignment: T.bytes })),
  },
  {
    throttleTimeMs: { type: T.int32, v: '1+' },
    errorCode: T.int16,
    protocolType: { type: T.nstring, v: '5+' },
    protocolName: { type: T.nstring, v: '5+' },
    assignment: T.bytes,
  },
);
