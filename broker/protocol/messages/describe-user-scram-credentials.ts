import { api, array, narray, struct, T } from '../schema.ts';

export const DescribeUserScramCredentials = api(
  50,
  'DescribeUserScramCredentials',
  { versions: '0-0', flexible: 0, listeners: ['broker', 'controller'] },
  {
    users: narray(struct({ name: T.string })),
  },
  {
    throttleTimeMs: T.int32,
    errorCode: T.int16,
    errorMessage: T.nstring,
    results: array(
      struct({
        user: T.string,
        errorCode: T.int16,
        errorMessage: T.nstring,
        credentialInfos: array(struct({ mechanism: T.int8, iterations: T.int32 })),
      }),
    ),
  },
);
