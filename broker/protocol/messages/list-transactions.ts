import { api, array, struct, T } from '../schema.ts';

export const ListTransactions = api(
  66,
  'ListTransactions',
  { versions: '0-1', flexible: 0 },
  {
    stateFilters: array(T.string),
    producerIdFilters: array(T.int64),
    durationFilter: { type: T.int64, v: '1+', default: -1 },
  },
  {
    throttleTimeMs: T.int32,
    errorCode: T.int16,
    unknownStateFilters: array(T.string),
    transactionStates: array(
      struct({
        transactionalId: T.string,
        producerId: T.int64,
        transactionState: T.string,
      }),
    ),
  },
);
