import { api, array, struct, T } from '../schema.ts';

export const DescribeGroups = api(
  15,
  'DescribeGroups',
  { versions: '0-5', flexible: 5 },
  {
    groups: array(T.string),
    includeAuthorizedOperations: { type: T.bool, v: '3+' },
  },
  {
    throttleTimeMs: { type: T.int32, v: '1+' },
    groups: array(
      struct({
        errorCode: T.int16,
        groupId: T.string,
        groupState: T.string,
        protocolType: T.string,
        protocolData: T.string,
        members: array(
          struct({
            memberId: T.string,
            groupInstanceId: { type: T.nstring, v: '4+' },
            clientId: T.string,
            clientHost: T.string,
            memberMetadata: T.bytes,
            memberAssignment: T.bytes,
          }),
        ),
        authorizedOperations: { type: T.int32, v: '3+', default: -2147483648 },
      }),
    ),
  },
);
