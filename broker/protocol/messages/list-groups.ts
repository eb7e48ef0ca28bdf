import { api, array, struct, T } from '../schema.ts';

export const ListGroups = api(
  16,
  'ListGroups',
  { versions: '0-5', flexible: 3 },
  {
    statesFilter: { type: array(T.string), v: '4+' },
    typesFilter: { type: array(T.string), v: '5+' },
  },
  {
    throttleTimeMs: { type: T.int32, v: '1+' },
    errorCode: T.int16,
    groups: array(
      struct({
        groupId: T.string,
        protocolType: T.string,
        groupState: { type: T.string, v: '4+' },
        groupType: { type: T.string, v: '5+' },
      }),
    ),
  },
);
