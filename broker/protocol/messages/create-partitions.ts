import { api, array, narray, struct, T } from '../schema.ts';

export const CreatePartitions = api(
  37,
  'CreatePartitions',
  { versions: '0-3', flexible: 2, listeners: ['broker', 'controller'] },
  {
    topics: array(
      struct({
        name: T.string,
        count: T.int32,
        assignments: narray(struct({ brokerIds: array(T.int32) })),
      }),
    ),
    timeoutMs: T.int32,
    validateOnly: T.bool,
  },
  {
    throttleTimeMs: T.int32,
    results: array(struct({ name: T.string, errorCode: T.int16, errorMessage: T.nstring })),
  },
);
