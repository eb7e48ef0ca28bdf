import { api, array, struct, T } from '../schema.ts';
import { AlterConfigsResourceResponse } from './common.ts';

export const IncrementalAlterConfigs = api(
  44,
  'IncrementalAlterConfigs',
  { versions: '0-1', flexible: 1, listeners: ['broker', 'controller'] },
  {
    resources: array(
      struct({
        resourceType: T.int8,
        resourceName: T.string,
        configs: array(struct({ name: T.string, configOperation: T.int8, value: T.nstring })),
      }),
    ),
    validateOnly: T.bool,
  },
  {
    throttleTimeMs: T.int32,
    responses: array(AlterConfigsResourceResponse),
  },
);
