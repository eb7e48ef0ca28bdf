import { api, array, struct, T } from '../schema.ts';

export const AlterUserScramCredentials = api(
  51,
  'AlterUserScramCredentials',
  { versions: '0-0', flexible: 0, listeners: ['broker', 'controller'] },
  {
    deletions: array(struct({ name: T.string, mechanism: T.int8 })),
    upsertions: array(
      struct({ name: T.string, mechanism: T.int8, iterations: T.int32, salt: T.bytes, saltedPassword: T.bytes }),
    ),
  },
  {
    throttleTimeMs: T.int32,
    results: array(struct({ user: T.string, errorCode: T.int16, errorMessage: T.nstring })),
  },
);
