import { api, array, struct, T } from '../schema.ts';

export const DeleteGroups = api(
  42,
  'DeleteGroups',
  { versions: '0-2', flexible: 2 },
  {
    groupsNames: array(T.string),
  },
  {
    throttleTimeMs: T.int32,
    results: array(struct({ groupId: T.string, errorCode: T.int16 })),
  },
);
