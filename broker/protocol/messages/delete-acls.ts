import { api, array, struct, T } from '../schema.ts';

export const DeleteAcls = api(
  31,
  'DeleteAcls',
  { versions: '0-3', flexible: 2, listeners: ['broker', 'controller'] },
  {
    filters: array(
      struct({
        resourceTypeFilter: T.int8,
        resourceNameFilter: T.nstring,
        patternTypeFilter: { type: T.int8, v: '1+', default: 3 },
        principalFilter: T.nstring,
        hostFilter: T.nstring,
        operation: T.int8,
        permissionType: T.int8,
      }),
    ),
  },
  {
    throttleTimeMs: T.int32,
    filterResults: array(
      struct({
        errorCode: T.int16,
        errorMessage: T.nstring,
        matchingAcls: array(
          struct({
            errorCode: T.int16,
            errorMessage: T.nstring,
            resourceType: T.int8,
            resourceName: T.string,
            patternType: { type: T.int8, v: '1+', default: 3 },
            principal: T.string,
            host: T.string,
            operation: T.int8,
            permissionType: T.int8,
          }),
        ),
      }),
    ),
  },
);
