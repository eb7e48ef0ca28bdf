import { api, T } from '../schema.ts';

export const SaslAuthenticate = api(
  36,
  'SaslAuthenticate',
  { versions: '0-2', flexible: 2, listeners: ['broker', 'controller'] },
  {
    authBytes: T.bytes,
  },
  {
    errorCode: T.int16,
    errorMessage: T.nstring,
    authBytes: T.bytes,
    sessionLifetimeMs: { type: T.int64, v: '1+' },
  },
);
