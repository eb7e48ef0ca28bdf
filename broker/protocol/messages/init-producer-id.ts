import { api, T } from '../schema.ts';

export const InitProducerId = api(
  22,
  'InitProducerId',
  { versions: '0-5', flexible: 2 },
  {
    transactionalId: T.nstring,
    transactionTimeoutMs: T.int32,
    producerId: { type: T.int64, v: '3+', default: -1 },
    producerEpoch: { type: T.int16, v: '3+', default: -1 },
  },
  {
    throttleTimeMs: T.int32,
    errorCode: T.int16,
    producerId: { type: T.int64, default: -1 },
    producerEpoch: T.int16,
  },
);
