import { api, array, struct, T } from '../schema.ts';
import { AlterConfigsResourceResponse } from './common.ts';

export const AlterConfigs = api(
  33,
  'AlterConfigs',
  { versions: '0-2', flexible: 2, listeners: ['broker', 'controller'] },
  {
    resources: array(
      struct({
        resourceType: T.int8,
        resourceName: T.string,
        configs: array(struct({ name: T.string, value: T.nstring })),
      }),
    ),
    validateOnly: T.bool,
  },
  {
    throttleTimeMs: T.int32,
    responses: array(AlterConfigsResourceResponse),
  },
);
