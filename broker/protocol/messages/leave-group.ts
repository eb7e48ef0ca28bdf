import { api, array, struct, T } from '../schema.ts';

export const LeaveGroup = api(
  13,
  'LeaveGroup',
  { versions: '0-5', flexible: 4 },
  {
    groupId: T.string,
    memberId: { type: T.string, v: '0-2' },
    members: {
      type: array(
        struct({
          memberId: T.string,
          groupInstanceId: T.nstring,
          reason: { type: T.nstring, v: '5+' },
        }),
      ),
      v: '3+',
    },
  },
  {
    throttleTimeMs: { type: T.int32, v: '1+' },
    errorCode: T.int16,
    members: { type: array(struct({ memberId: T.string, groupInstanceId: T.nstring, errorCode: T.int16 })), v: '3+' },
  },
);
