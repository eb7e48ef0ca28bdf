import { api, array, struct, T } from '../schema.ts';

export const CreateAcls = api(
  30,
  'CreateAcls',
  { versions: '0-3', flexible: 2, listeners: ['broker', 'controller'] },
  {
    creations: array(
      struct({
        resourceType: T.int8,
        resourceName: T.string,
        resourcePatternType: { type: T.int8, v: '1+', default: 3 },
        principal: T.string,
        host: T.string,
        operation: T.int8,
        permissionType: T.int8,
      }),
    ),
  },
  {
    throttleTimeMs: T.int32,
    results: array(struct({ errorCode: T.int16, errorMessage: T.nstring })),
  },
);
