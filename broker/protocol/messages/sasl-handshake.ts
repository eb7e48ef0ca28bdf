import { api, array, T } from '../schema.ts';

export const SaslHandshake = api(
  17,
  'SaslHandshake',
  { versions: '0-1', listeners: ['broker', 'controller'] },
  {
    mechanism: T.string,
  },
  {
    errorCode: T.int16,
    mechanisms: array(T.string),
  },
);
