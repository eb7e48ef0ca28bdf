import { api, T } from '../schema.ts';

export const EndTxn = api(
  26,
  'EndTxn',
  { versions: '0-5', flexible: 3 },
  {
    transactionalId: T.string,
    producerId: T.int64,
    producerEpoch: T.int16,
    committed: T.bool,
  },
  {
    throttleTimeMs: T.int32,
    errorCode: T.int16,
    producerId: { type: T.int64, v: '5+', default: -1 },
    producerEpoch: { type: T.int16, v: '5+', default: -1 },
  },
);
