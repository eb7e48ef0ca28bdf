import { api, T } from '../schema.ts';

export const AddOffsetsToTxn = api(
  25,
  'AddOffsetsToTxn',
  { versions: '0-4', flexible: 3 },
  {
    transactionalId: T.string,
    producerId: T.int64,
    producerEpoch: T.int16,
    groupId: T.string,
  },
  {
    throttleTimeMs: T.int32,
    errorCode: T.int16,
  },
);
