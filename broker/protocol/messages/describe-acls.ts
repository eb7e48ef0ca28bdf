import { api, array, struct, T } from '../schema.ts';

export const DescribeAcls = api(
  29,
  'DescribeAcls',
  { versions: '0-3', flexible: 2, listeners: ['broker', 'controller'] },
  {
    resourceTypeFilter: T.int8,
    resourceNameFilter: T.nstring,
    patternTypeFilter: { type: T.int8, v: '1+', default: 3 },
    principalFilter: T.nstring,
    hostFilter: T.nstring,
    operation: T.int8,
    permissionType: T.int8,
  },
  {
    throttleTimeMs: T.int32,
    errorCode: T.int16,
    errorMessage: T.nstring,
    resources: array(
      struct({
        resourceType: T.int8,
        resourceName: T.string,
        patternType: { type: T.int8, v: '1+', default: 3 },
        acls: array(struct({ principal: T.string, host: T.string, operation: T.int8, permissionType: T.int8 })),
      }),
    ),
  },
);
