import { api, T } from '../schema.ts';

export const Heartbeat = api(
  12,
  'Heartbeat',
  { versions: '0-4', flexible: 4 },
  {
    groupId: T.string,
    generationId: T.int32,
    memberId: T.string,
    groupInstanceId: { type: T.nstring, v: '3+' },
  },
  {
    throttleTimeMs: { type: T.int32, v: '1+' },
    errorCode: T.int16,
  },
);
